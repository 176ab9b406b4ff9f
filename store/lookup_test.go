package store

import (
	"context"
	"testing"
)

func TestOrderEmail(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("L-1")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		number, email string
		found         bool
	}{
		{"L-1", o.Email, true},
		{"L-2", "", false},
		{"l-1", "", false}, // order numbers keep their case
	} {
		email, found, err := s.OrderEmail(ctx, tc.number)
		if err != nil || email != tc.email || found != tc.found {
			t.Errorf("%s: %q %v %v, want %q %v", tc.number, email, found, err, tc.email, tc.found)
		}
	}
	if o.Email == "" {
		t.Fatal("the sample order has no e-mail")
	}
}
