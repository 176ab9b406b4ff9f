package token

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSigner(t *testing.T) {
	s, err := NewSigner([]byte(strings.Repeat("k", 32)))
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
	ret := s.ForReturn("R-7K3P-9XQ2")
	tests := []struct {
		name, token, kind string
		at                time.Time
		want              error
		wantOrder         string
	}{
		{"order token", order, Order, now, nil, "DE-1001"},
		{"until its last second", order, Order, exp, nil, "DE-1001"},
		{"then expired", order, Order, exp.Add(time.Second), ErrExpired, ""},
		{"a return token never expires by itself", ret, Return, now.AddDate(5, 0, 0), nil, ""},
		{"of another kind", order, Return, now, ErrInvalid, ""},
		{"signed with another key", other.ForReturn("R-7K3P-9XQ2"), Return, now, ErrInvalid, ""},
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
	if c, err := s.Verify(ret, Return, now); err != nil || c.RMA != "R-7K3P-9XQ2" {
		t.Errorf("return token: %+v %v", c, err)
	}
	if c, _ := s.Verify(order, Order, now); c.Locale != "de" {
		t.Errorf("locale %q", c.Locale)
	}
}
