package store

import (
	"context"
	"testing"
)

func TestOrderEmail(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	// No order at all: no decoy either.
	if email, found, err := s.OrderEmail(ctx, "L-1"); email != "" || found || err != nil {
		t.Errorf("empty database: %q %v %v", email, found, err)
	}
	first := sampleOrder("L-0")
	first.Email = "first@example.com" // the decoy of unknown numbers
	if _, err := s.UpsertOrder(ctx, first); err != nil {
		t.Fatal(err)
	}
	o := sampleOrder("L-1")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		number, email string
		found         bool
	}{
		{"L-1", o.Email, true},
		{"L-0", "first@example.com", true},
		{"L-2", "", false},
		{"l-1", "", false}, // order numbers keep their case
	} {
		email, found, err := s.OrderEmail(ctx, tc.number)
		if err != nil || email != tc.email || found != tc.found {
			t.Errorf("%s: %q %v %v, want %q %v", tc.number, email, found, err, tc.email, tc.found)
		}
	}
	if o.Email == "" || o.Email == first.Email {
		t.Fatalf("sample e-mails %q and %q", o.Email, first.Email)
	}
}
