package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// countingBuild is build that counts its calls and remembers what it was
// last given.
type countingBuild struct {
	mu      sync.Mutex
	calls   int
	order   returns.Order
	history returns.History
	version int64
	items   []returns.QuoteItem
}

func (c *countingBuild) fn() BuildFunc {
	return func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
		c.mu.Lock()
		c.calls++
		c.order, c.history, c.version = o, h, v
		c.mu.Unlock()
		return build(c.items...)(o, h, v, p)
	}
}

// createDecided decides a return of number and stores it, with meanwhile
// run between the two.
func createDecided(s *Store, number string, b BuildFunc, meanwhile func()) (returns.Return, error) {
	ctx := context.Background()
	d, err := s.DecideReturn(ctx, number, b)
	if err != nil {
		return returns.Return{}, err
	}
	if meanwhile != nil {
		meanwhile()
	}
	var out returns.Return
	err = s.Write(ctx, func(t *Tx) error {
		out, err = t.CreateDecidedReturn(d, "shopper", b, nil, nil)
		return err
	})
	return out, err
}

// TestDecidedReturnUnchanged: when nothing changed between the decision and
// the write, the return is decided once, outside the transaction, and
// stored as CreateReturn stores it.
func TestDecidedReturnUnchanged(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	version, _, err := s.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := &countingBuild{items: []returns.QuoteItem{item("L1", 1)}}
	r, err := createDecided(s, "O-1", b.fn(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.calls != 1 {
		t.Errorf("build called %d times, want 1", b.calls)
	}
	if r.ID == 0 || r.OrderNumber != "O-1" || r.PolicyVersion != version || r.Status != returns.StatusApproved {
		t.Errorf("created return = %+v", r)
	}
	got, err := s.GetReturn(ctx, r.RMA)
	if err != nil || mustJSON(t, got) != mustJSON(t, r) {
		t.Errorf("GetReturn = %s, %v; want %s", mustJSON(t, got), err, mustJSON(t, r))
	}
	// The copies for the queue are written with the return.
	var row struct {
		Country string  `db:"ship_country"`
		Hub     string  `db:"hub"`
		Due     *string `db:"refund_due"`
	}
	if err := get(ctx, s.r, &row, `SELECT ship_country, hub, refund_due FROM returns WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	if row.Country != "PT" || row.Hub != "eu-berlin" {
		t.Errorf("queue copies = %+v", row)
	}
	if n := countRows(t, s, "audit_events WHERE action = 'created'"); n != 1 {
		t.Errorf("created events = %d", n)
	}
	counts, err := s.StatusCounts(ctx)
	if err != nil || counts[string(returns.StatusApproved)] != 1 {
		t.Errorf("status counts = %v, %v", counts, err)
	}
}

// TestDecidedReturnChangedMeanwhile: whatever the decision rests on that
// changes before the write (another return, a cancelled one, the order, the
// policy) makes the transaction decide again from what it reads.
func TestDecidedReturnChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		before    func(t *testing.T, s *Store) // before the decision
		meanwhile func(t *testing.T, s *Store)
		want      func(t *testing.T, s *Store, b *countingBuild, r returns.Return, err error)
	}{
		{
			name: "another return took the units",
			meanwhile: func(t *testing.T, s *Store) {
				if _, err := s.CreateReturn(ctx, "O-1", "other", build(item("L1", 2))); err != nil {
					t.Fatal(err)
				}
			},
			want: func(t *testing.T, s *Store, b *countingBuild, r returns.Return, err error) {
				var de *returns.Error
				if !errors.Is(err, ErrConflict) || !errors.As(err, &de) || de.Code != returns.CodeExceedsReturnable {
					t.Errorf("err = %v, want ErrConflict and exceeds_returnable", err)
				}
				if b.calls != 2 || b.history.Held("L1") != 2 {
					t.Errorf("build called %d times, last with history %+v", b.calls, b.history)
				}
			},
		},
		{
			name: "a return was cancelled",
			before: func(t *testing.T, s *Store) {
				if _, err := s.CreateReturn(ctx, "O-1", "other", build(item("L1", 1))); err != nil {
					t.Fatal(err)
				}
			},
			meanwhile: func(t *testing.T, s *Store) {
				rs, err := s.ReturnsForOrder(ctx, "O-1")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Transition(ctx, rs[0].RMA, returns.StatusCancelled, "shopper", ""); err != nil {
					t.Fatal(err)
				}
			},
			want: func(t *testing.T, s *Store, b *countingBuild, r returns.Return, err error) {
				if err != nil || b.calls != 2 || b.history.Held("L1") != 0 {
					t.Errorf("err %v, build called %d times, last with history %+v", err, b.calls, b.history)
				}
			},
		},
		{
			name: "the order was updated",
			meanwhile: func(t *testing.T, s *Store) {
				o := sampleOrder("O-1")
				o.Lines[0].UnitPrice = 3000
				if _, err := s.UpsertOrder(ctx, o); err != nil {
					t.Fatal(err)
				}
			},
			want: func(t *testing.T, s *Store, b *countingBuild, r returns.Return, err error) {
				if err != nil || b.calls != 2 || r.Quote.ItemsRefund != 3000 {
					t.Errorf("err %v, build called %d times, refund %d; want the new price", err, b.calls, r.Quote.ItemsRefund)
				}
			},
		},
		{
			name: "a policy was saved",
			meanwhile: func(t *testing.T, s *Store) {
				if _, err := s.SavePolicy(ctx, samplePolicy(45), "admin"); err != nil {
					t.Fatal(err)
				}
			},
			want: func(t *testing.T, s *Store, b *countingBuild, r returns.Return, err error) {
				v, _, verr := s.CurrentPolicy(ctx)
				if err != nil || verr != nil || b.calls != 2 || b.version != v || r.PolicyVersion != v {
					t.Errorf("err %v, build called %d times with version %d, stored under %d; want %d",
						err, b.calls, b.version, r.PolicyVersion, v)
				}
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := setup(t)
			if tt.before != nil {
				tt.before(t, s)
			}
			b := &countingBuild{items: []returns.QuoteItem{item("L1", 1)}}
			r, err := createDecided(s, "O-1", b.fn(), func() { tt.meanwhile(t, s) })
			tt.want(t, s, b, r, err)
		})
	}
}

// TestDecideReturnRefuses: a refusal comes from the decision, before any
// transaction, wrapped as CreateReturn wraps it; an unknown order and a
// missing policy are ErrNotFound.
func TestDecideReturnRefuses(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	_, err := s.DecideReturn(ctx, "O-1", build(item("L1", 3)))
	var de *returns.Error
	if !errors.Is(err, ErrConflict) || !errors.As(err, &de) || de.Code != returns.CodeExceedsReturnable {
		t.Errorf("too many units: %v", err)
	}
	if _, err := s.DecideReturn(ctx, "NOPE", build(item("L1", 1))); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	bare, _ := openTest(t)
	if _, err := bare.UpsertOrder(ctx, sampleOrder("O-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := bare.DecideReturn(ctx, "O-1", build(item("L1", 1))); !errors.Is(err, ErrNotFound) {
		t.Errorf("no policy: %v", err)
	}
}

// TestDecidedReturnRace: 20 shoppers on two Stores decide at once that
// the last unit of a line is theirs; the checks in the transactions let
// exactly one have it.
func TestDecidedReturnRace(t *testing.T) {
	ctx := context.Background()
	s1, path := setup(t)
	s2 := openAt(t, path)
	o := sampleOrder("RACE")
	o.Lines[0].Quantity = 3
	if _, err := s1.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.CreateReturn(ctx, "RACE", "x", build(item("L1", 2))); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var (
		wg               sync.WaitGroup
		mu               sync.Mutex
		ok, conflicts    int
		other            []error
		decided, started sync.WaitGroup
	)
	decided.Add(n)
	started.Add(1)
	for i := range n {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every shopper decides before any writes.
			_, err := createDecided(s, "RACE", build(item("L1", 1)), func() { decided.Done(); started.Wait() })
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrConflict):
				conflicts++
			default:
				other = append(other, err)
			}
		}()
	}
	decided.Wait()
	started.Done()
	wg.Wait()
	if ok != 1 || conflicts != n-1 || len(other) != 0 {
		t.Fatalf("successes %d, conflicts %d, other errors %v; want 1, %d, none", ok, conflicts, other, n-1)
	}
	h, err := s2.OrderHistory(ctx, "RACE")
	if err != nil || h.Held("L1") != 3 {
		t.Fatalf("held after the race = %+v, %v; want 3", h, err)
	}
}

// TestOrderDecisionReadsAsSeparateQueries: the one query of a decision
// reads what the separate queries read: the order, its history (active
// returns only, outbound shipping included) and the current version.
func TestOrderDecisionReadsAsSeparateQueries(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.CreateReturn(ctx, "O-1", "a", build(item("L1", 1))); err != nil {
		t.Fatal(err)
	}
	cancelled, err := s.CreateReturn(ctx, "O-1", "b", build(item("L2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, cancelled.RMA, returns.StatusCancelled, "shopper", ""); err != nil {
		t.Fatal(err)
	}
	withShipping := func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
		r, err := build(item("L1", 1))(o, h, v, p)
		r.Quote.OutboundShippingRefund = 495
		return r, err
	}
	if _, err := s.CreateReturn(ctx, "O-1", "c", withShipping); err != nil {
		t.Fatal(err)
	}
	d, err := loadOrderDecision(ctx, s.r, "O-1")
	if err != nil {
		t.Fatal(err)
	}
	o, id, err := loadOrder(ctx, s.r, "O-1")
	if err != nil {
		t.Fatal(err)
	}
	h, err := loadHistory(ctx, s.r, id)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := s.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, d.order) != mustJSON(t, o) || d.id != id || d.version != v {
		t.Errorf("decision read order %s (id %d, version %d); want %s (id %d, version %d)",
			mustJSON(t, d.order), d.id, d.version, mustJSON(t, o), id, v)
	}
	if !sameHistory(d.history, h) || d.history.Held("L1") != 2 || d.history.Held("L2") != 0 || !d.history.OutboundRefunded {
		t.Errorf("decision history %+v; separate queries %+v", d.history, h)
	}
	st, err := loadOrderState(ctx, s.r, "O-1")
	if err != nil || st.id != id || st.version != v || !sameHistory(st.history, h) {
		t.Errorf("order state = %+v, %v", st, err)
	}
	if _, err := loadOrderState(ctx, s.r, "NOPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("state of an unknown order: %v", err)
	}
}

func TestSameHistory(t *testing.T) {
	h := func(out bool, held map[string]int) returns.History {
		return returns.History{UnitsHeld: held, OutboundRefunded: out}
	}
	for _, tt := range []struct {
		name string
		a, b returns.History
		want bool
	}{
		{"both empty", h(false, nil), h(false, map[string]int{}), true},
		{"a zero counts as none", h(false, map[string]int{"L1": 0}), h(false, nil), true},
		{"same units", h(true, map[string]int{"L1": 2, "L2": 1}), h(true, map[string]int{"L2": 1, "L1": 2}), true},
		{"more units", h(false, map[string]int{"L1": 2}), h(false, map[string]int{"L1": 3}), false},
		{"another line", h(false, map[string]int{"L1": 2}), h(false, map[string]int{"L1": 2, "L2": 1}), false},
		{"a line gone", h(false, map[string]int{"L1": 2, "L2": 1}), h(false, map[string]int{"L1": 2}), false},
		{"outbound shipping", h(false, nil), h(true, nil), false},
	} {
		if got := sameHistory(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: sameHistory = %v, want %v", tt.name, got, tt.want)
		}
	}
}
