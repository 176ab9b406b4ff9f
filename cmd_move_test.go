package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/returns-portal/returns/store"
)

// TestBackupCommand: `backup --to FILE` writes a database with the same
// orders while the source stays usable; an existing file is refused.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "returns.db")
	mustRun(t, "seed", "demo", "--db", db)
	backup := filepath.Join(dir, "backup.db")
	if r := mustRun(t, "backup", "--db", db, "--to", backup); !strings.Contains(r.stdout, backup) {
		t.Errorf("backup said %q", r.stdout)
	}
	if r := runCmd(t, "", "backup", "--db", db, "--to", backup); r.err == nil {
		t.Error("a backup over an existing file was written")
	}
	var want, got int
	withStore(t, db, func(st *store.Store) { want, _ = st.CountOrders(t.Context()) })
	withStore(t, backup, func(st *store.Store) { got, _ = st.CountOrders(t.Context()) })
	if want == 0 || got != want {
		t.Errorf("orders in the backup: %d, want %d", got, want)
	}
}
