package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestOrderFacts: the one-snapshot read says what GetOrder and
// DecisionInputs say in two, through an order's life: no policy yet, no
// return, a return holding units, that return cancelled (a return still,
// holding nothing), and an unknown order.
func TestOrderFacts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-1")); err != nil {
		t.Fatal(err)
	}
	f, err := s.OrderFacts(ctx, "O-1")
	if err != nil || f.PolicyVersion != 0 || f.AnyReturns || f.Order.Number != "O-1" {
		t.Fatalf("no policy yet: %+v, %v", f, err)
	}
	v, err := s.SavePolicy(ctx, samplePolicy(30), "test")
	if err != nil {
		t.Fatal(err)
	}
	same := func(step string, anyReturns bool) {
		t.Helper()
		f, err := s.OrderFacts(ctx, "O-1")
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		o, err := s.GetOrder(ctx, "O-1")
		if err != nil {
			t.Fatal(err)
		}
		h, hv, p, err := s.DecisionInputs(ctx, "O-1")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f.Order, o) {
			t.Errorf("%s: order %+v, GetOrder %+v", step, f.Order, o)
		}
		if !sameHistory(f.History, h) || f.PolicyVersion != v || hv != v || !reflect.DeepEqual(f.Policy, p) {
			t.Errorf("%s: history %+v version %d, DecisionInputs %+v version %d (saved %d)", step, f.History, f.PolicyVersion, h, hv, v)
		}
		if f.AnyReturns != anyReturns {
			t.Errorf("%s: AnyReturns = %v, want %v", step, f.AnyReturns, anyReturns)
		}
	}
	same("no return", false)
	r, err := s.CreateReturn(ctx, "O-1", "test", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	same("a return of one unit", true)
	if f, _ := s.OrderFacts(ctx, "O-1"); f.History.UnitsHeld["L1"] != 1 {
		t.Errorf("units held of L1 = %d, want 1", f.History.UnitsHeld["L1"])
	}
	if _, err := s.Transition(ctx, r.RMA, returns.StatusCancelled, "shopper", ""); err != nil {
		t.Fatal(err)
	}
	same("the return cancelled", true)
	if f, _ := s.OrderFacts(ctx, "O-1"); f.History.UnitsHeld["L1"] != 0 {
		t.Errorf("a cancelled return still holds %d of L1", f.History.UnitsHeld["L1"])
	}
	if _, err := s.OrderFacts(ctx, "O-404"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown order: %v, want ErrNotFound", err)
	}
}
