package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// oldReturnToken is a return link as the portal issued them before view
// and manage tokens, built by hand from what that code did: the claims
// {"k":"r","r":<rma>} without an expiry, signed like every token.
func oldReturnToken(key []byte, rma string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"k":"r","r":"` + rma + `"}`))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signed is a token of any claims, signed with key (for claims Signer
// never makes).
func signed(key []byte, claims string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(claims))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func TestSigner(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSigner([]byte(strings.Repeat("x", 32)))
	if _, err := NewSigner([]byte(strings.Repeat("k", 31))); err == nil {
		t.Error("a 31-byte key was taken")
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	order, exp := s.ForOrder("DE-1001", "de", now)
	if !exp.Equal(now.Add(LookupTTL)) {
		t.Errorf("expires %v", exp)
	}
	view, viewExp := s.ForView("R-7K3P-9XQ2", now)
	manage, manageExp := s.ForManage("R-7K3P-9XQ2", now)
	if !viewExp.Equal(now.Add(ViewTTL)) || !manageExp.Equal(now.Add(ManageTTL)) {
		t.Errorf("view expires %v, manage %v", viewExp, manageExp)
	}
	gift, giftExp := s.ForGift("DE-1001", "de", now)
	old := oldReturnToken(key, "R-7K3P-9XQ2")
	otherView, _ := other.ForView("R-7K3P-9XQ2", now)
	tests := []struct {
		name, token, kind string
		at                time.Time
		want              error
		wantOrder         string
	}{
		{"order token", order, Order, now, nil, "DE-1001"},
		{"until its last second", order, Order, exp, nil, "DE-1001"},
		{"then expired", order, Order, exp.Add(time.Second), ErrExpired, ""},
		{"gift token", gift, Gift, now, nil, "DE-1001"},
		{"gift token, then expired", gift, Gift, giftExp.Add(time.Second), ErrExpired, ""},
		{"a gift token is not an order token", gift, Order, now, ErrInvalid, ""},
		{"an order token is not a gift token", order, Gift, now, ErrInvalid, ""},
		{"view token", view, View, now, nil, ""},
		{"view token, its last second", view, View, viewExp, nil, ""},
		{"view token, then expired", view, View, viewExp.Add(time.Second), ErrExpired, ""},
		{"manage token", manage, Manage, now, nil, ""},
		{"manage token, then expired", manage, Manage, manageExp.Add(time.Second), ErrExpired, ""},
		{"an old return link has no expiry of its own", old, Return, now.AddDate(5, 0, 0), nil, ""},
		{"a view token is not a manage token", view, Manage, now, ErrInvalid, ""},
		{"a manage token is not a view token", manage, View, now, ErrInvalid, ""},
		{"an old return link is not a manage token", old, Manage, now, ErrInvalid, ""},
		{"of another kind", order, View, now, ErrInvalid, ""},
		{"signed with another key", otherView, View, now, ErrInvalid, ""},
		{"a new kind without an expiry is forged", signed(key, `{"k":"m","r":"R-7K3P-9XQ2"}`), Manage, now, ErrInvalid, ""},
		{"no kind", signed(key, `{"r":"R-7K3P-9XQ2","e":99999999999}`), "", now, ErrInvalid, ""},
		{"tampered", strings.Replace(order, order[:3], "eyK", 1), Order, now, ErrInvalid, ""},
		{"no signature", strings.Split(order, ".")[0], Order, now, ErrInvalid, ""},
		{"empty", "", Order, now, ErrInvalid, ""},
		{"too long", order + strings.Repeat("A", maxLength), Order, now, ErrInvalid, ""},
	}
	for _, tt := range tests {
		c, err := s.Verify(tt.token, tt.kind, tt.at)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if err == nil && c.Order != tt.wantOrder {
			t.Errorf("%s: order %q, want %q", tt.name, c.Order, tt.wantOrder)
		}
	}
	for name, tok := range map[string]string{"view": view, "manage": manage, "old": old} {
		if c, err := s.Parse(tok, now); err != nil || c.RMA != "R-7K3P-9XQ2" {
			t.Errorf("%s token: %+v %v", name, c, err)
		}
	}
	if c, _ := s.Verify(order, Order, now); c.Locale != "de" {
		t.Errorf("locale %q", c.Locale)
	}
	// Two tokens of one return differ by kind: neither is the other.
	if view == manage {
		t.Error("the view and manage tokens are the same string")
	}
}
