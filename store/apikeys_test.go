package store

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAPIKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	key, err := s.CreateAPIKey(ctx, "shop sync", []string{"orders:write"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(key, "rp_"))
	if !strings.HasPrefix(key, "rp_") || err != nil || len(raw) != 32 {
		t.Fatalf("key %q: want rp_ + 32 random bytes (%v)", key, err)
	}
	full, err := s.CreateAPIKey(ctx, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}

	// The database never holds the key.
	var stored []string
	if err := sel(ctx, s.r, &stored, `SELECT name || prefix || hash || scopes FROM api_keys`); err != nil {
		t.Fatal(err)
	}
	for _, row := range stored {
		if strings.Contains(row, key[8:]) || strings.Contains(row, full[8:]) {
			t.Fatalf("a key is stored in clear: %q", row)
		}
	}

	k, err := s.APIKeyByToken(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if k.Name != "shop sync" || k.Prefix != key[:8] || k.CreatedAt.IsZero() || k.LastUsedAt == nil {
		t.Errorf("APIKeyByToken = %+v", k)
	}
	if !k.Allows("orders:write") || k.Allows("policy:write") {
		t.Errorf("scoped key allows %v", k.Scopes)
	}
	fk, err := s.APIKeyByToken(ctx, full)
	if err != nil || !fk.Allows("policy:write") || len(fk.Scopes) != 0 {
		t.Errorf("unscoped key = %+v, %v; want full access", fk, err)
	}

	for _, c := range []struct{ name, token string }{
		{"unknown", "rp_" + base64.RawURLEncoding.EncodeToString(make([]byte, 32))},
		{"no prefix", strings.TrimPrefix(key, "rp_")},
		{"truncated", key[:len(key)-1]},
		{"empty", ""},
	} {
		if _, err := s.APIKeyByToken(ctx, c.token); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s token: %v, want ErrNotFound", c.name, err)
		}
	}

	keys, err := s.ListAPIKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("ListAPIKeys = %+v, %v", keys, err)
	}
	if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Errorf("second revoke: %v, want no-op", err)
	}
	if err := s.RevokeAPIKey(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.APIKeyByToken(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked key: %v, want ErrNotFound", err)
	}
	if keys, err := s.ListAPIKeys(ctx); err != nil || len(keys) != 1 || keys[0].Name != "admin" {
		t.Errorf("ListAPIKeys after revoke = %+v, %v", keys, err)
	}
}

// TestAPIKeyLastUsed: the use is recorded at most once a minute, so a busy
// API client does not turn every read into a write.
func TestAPIKeyLastUsed(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	key, err := s.CreateAPIKey(ctx, "k", nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	stored := func() time.Time {
		t.Helper()
		var at *time.Time
		if err := get(ctx, s.r, &at, `SELECT last_used_at FROM api_keys`); err != nil || at == nil {
			t.Fatalf("last_used_at = %v, %v", at, err)
		}
		return at.UTC()
	}
	for _, c := range []struct {
		now  time.Time
		want time.Time
	}{
		{t0, t0},
		{t0.Add(30 * time.Second), t0},
		{t0.Add(59*time.Second + 999*time.Millisecond), t0},
		{t0.Add(time.Minute), t0.Add(time.Minute)},
		{t0.Add(time.Minute + time.Second), t0.Add(time.Minute)},
		{t0.Add(3 * time.Minute), t0.Add(3 * time.Minute)},
	} {
		s.now = func() time.Time { return c.now }
		k, err := s.APIKeyByToken(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(); !got.Equal(c.want) {
			t.Errorf("at %s: stored last_used_at %s, want %s", c.now, got, c.want)
		}
		if k.LastUsedAt == nil || !k.LastUsedAt.Equal(c.want) {
			t.Errorf("at %s: returned LastUsedAt %v, want %s", c.now, k.LastUsedAt, c.want)
		}
	}
}
