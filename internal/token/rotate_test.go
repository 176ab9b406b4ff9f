package token

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// TestRotate: a rotation in its two steps (the next key accepted, then
// signing with the previous one still accepted) never refuses a token a
// copy of the Signer issued, and dropping the previous key refuses its
// tokens.
func TestRotate(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	oldKey, newKey := bytes.Repeat([]byte("o"), 32), bytes.Repeat([]byte("n"), 32)
	s, err := NewSigner(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	other := s // another holder (the service, a handler): it shares the keys
	before, _ := s.ForView("R-AAAA-AAAA", now)

	// Step 1: the next key is accepted, not yet used.
	if err := s.Rotate(oldKey, newKey); err != nil {
		t.Fatal(err)
	}
	ahead, _ := mustSigner(t, newKey).ForView("R-BBBB-BBBB", now) // what an instance already on step 2 issues
	for name, tok := range map[string]string{"before": before, "ahead": ahead} {
		if _, err := other.Verify(tok, View, now); err != nil {
			t.Errorf("step 1: %s token refused: %v", name, err)
		}
	}
	if tok, _ := other.ForView("R-CCCC-CCCC", now); !verifies(mustSigner(t, oldKey), tok, now) {
		t.Error("step 1 signs with the next key already")
	}

	// Step 2: the new key signs, the old one is still accepted.
	if err := s.Rotate(newKey, oldKey); err != nil {
		t.Fatal(err)
	}
	after, _ := other.ForView("R-DDDD-DDDD", now)
	if !verifies(mustSigner(t, newKey), after, now) || verifies(mustSigner(t, oldKey), after, now) {
		t.Error("step 2 does not sign with the new key")
	}
	if _, err := other.Verify(before, View, now); err != nil {
		t.Errorf("step 2: a token of the old key refused: %v", err)
	}

	// Dropping the previous key refuses its tokens (a leaked key).
	if err := s.Rotate(newKey); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Verify(before, View, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("the dropped key's token: %v, want ErrInvalid", err)
	}
	if _, err := other.Verify(after, View, now); err != nil {
		t.Errorf("the new key's token refused: %v", err)
	}

	// Short keys are refused, and leave the keys as they were.
	if err := s.Rotate(newKey, []byte("short")); err == nil {
		t.Error("a short accepted key was taken")
	}
	if err := s.Rotate([]byte("short")); err == nil {
		t.Error("a short signing key was taken")
	}
	if _, err := other.Verify(after, View, now); err != nil {
		t.Errorf("after refused rotations: %v", err)
	}
}

func mustSigner(t *testing.T, key []byte) Signer {
	t.Helper()
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verifies(s Signer, tok string, now time.Time) bool {
	_, err := s.Verify(tok, View, now)
	return err == nil
}
