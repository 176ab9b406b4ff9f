package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

func TestStaffCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	long := strings.Repeat("a long passphrase ", 40) // 720 bytes
	r := runCmd(t, long+"\n", "staff", "create", "--email", "Ana@Example.com", "--role", "agent", "--password-stdin", "--db", db)
	if r.err != nil || !strings.Contains(r.stdout, "ana@example.com") || strings.Contains(r.stdout+r.stderr, long) {
		t.Fatalf("create: %v %q %q", r.err, r.stdout, r.stderr)
	}
	for _, c := range []struct {
		name, stdin string
		args        []string
		wantErr     string
	}{
		{"duplicate", "pw\n", []string{"--email", "ANA@example.com", "--role", "admin", "--password-stdin"}, "exists already"},
		{"no password flag", "pw\n", []string{"--email", "b@example.com", "--role", "admin"}, "--password-stdin"},
		{"empty password", "\n", []string{"--email", "b@example.com", "--role", "admin", "--password-stdin"}, "no password"},
		{"bad role", "pw\n", []string{"--email", "b@example.com", "--role", "owner", "--password-stdin"}, "--role"},
		{"no email", "pw\n", []string{"--role", "admin", "--password-stdin"}, "--email"},
	} {
		args := append([]string{"staff", "create"}, c.args...)
		r := runCmd(t, c.stdin, append(args, "--db", db)...)
		if r.err == nil || !strings.Contains(r.err.Error(), c.wantErr) {
			t.Errorf("%s: %v, want %q", c.name, r.err, c.wantErr)
		}
	}
	st, err := store.Open(context.Background(), db, returns.LoadLegal())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, hash, err := st.StaffCredentials(context.Background(), "ana@example.com")
	if err != nil || m.Role != store.RoleAgent || !store.VerifyPassword(hash, long) {
		t.Fatalf("stored account: %+v %v", m, err)
	}
	mustRun(t, "staff", "disable", "--email", "ana@example.com", "--db", db)
	if _, _, err := st.StaffCredentials(context.Background(), "ana@example.com"); err == nil {
		t.Error("disabled member can still log in")
	}
}
