package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/store"
)

// TestSecretRotate: after `secret rotate` links signed before still open
// and new ones are signed with the new key; `secret drop-previous` closes
// the old ones; a running instance's signer follows within its reload.
func TestSecretRotate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "returns.db")
	mustRun(t, "migrate", "--db", db)
	now := time.Now()
	var running token.Signer // a serving instance: keys read at start, then reloaded
	var oldKey []byte
	withStore(t, db, func(st *store.Store) {
		sign, accept, err := tokenKeys(t.Context(), st)
		if err != nil || len(accept) != 0 {
			t.Fatalf("first keys: %v accept %d", err, len(accept))
		}
		oldKey = sign
		if running, err = token.NewSigner(sign); err != nil {
			t.Fatal(err)
		}
	})
	before, _ := running.ForView("R-AAAA-AAAA", now)

	if r := mustRun(t, "secret", "rotate", "--db", db, "--settle", "0s"); !strings.Contains(r.stdout, "rotated") {
		t.Errorf("rotate said %q", r.stdout)
	}
	withStore(t, db, func(st *store.Store) {
		ctx, stop := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			reloadTokenKeys(ctx, st, running, 10*time.Millisecond, slog.New(slog.DiscardHandler))
		}()
		deadline := time.Now().Add(5 * time.Second)
		for {
			tok, _ := running.ForView("R-BBBB-BBBB", now)
			if _, err := mustSigner(t, oldKey).Verify(tok, token.View, now); err != nil {
				break // signed with the new key: the reload happened
			}
			if time.Now().After(deadline) {
				t.Fatal("the running signer still signs with the old key")
			}
			time.Sleep(10 * time.Millisecond)
		}
		stop()
		<-done
		if _, err := running.Verify(before, token.View, now); err != nil {
			t.Errorf("a link signed before the rotation: %v", err)
		}
		if next, _ := st.Setting(t.Context(), settingTokenSecretNext); next != "" {
			t.Error("the next key is left after the rotation")
		}
	})

	mustRun(t, "secret", "drop-previous", "--db", db)
	withStore(t, db, func(st *store.Store) {
		sign, accept, err := tokenKeys(t.Context(), st)
		if err != nil || len(accept) != 0 || string(sign) == string(oldKey) {
			t.Fatalf("after drop-previous: %v, %d accepted, same key %v", err, len(accept), string(sign) == string(oldKey))
		}
		s := mustSigner(t, sign)
		if err := s.Rotate(sign, accept...); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(before, token.View, now); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("a link of the dropped key: %v, want invalid", err)
		}
	})
	if r := runCmd(t, "", "secret", "--db", db); r.err == nil {
		t.Error("secret without a subcommand succeeded")
	}
}

func mustSigner(t *testing.T, key []byte) token.Signer {
	t.Helper()
	s, err := token.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
