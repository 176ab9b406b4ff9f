package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

func item(lineID string, q int) returns.QuoteItem {
	return returns.QuoteItem{LineID: lineID, Quantity: q, Reason: "changed_mind"}
}

// build is a stand-in for the domain's decision: it refuses more units than
// are left (as the rules engine does) and prices each unit at its unit price.
func build(items ...returns.QuoteItem) BuildFunc {
	return func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
		q := returns.Quote{Currency: o.Currency, Basis: returns.BasisStatutory}
		for i, it := range items {
			l, ok := o.Line(it.LineID)
			if !ok {
				return returns.Return{}, &returns.Error{Code: returns.CodeUnknownLine, Field: "items"}
			}
			if h.Held(it.LineID)+it.Quantity > l.Quantity {
				return returns.Return{}, &returns.Error{Code: returns.CodeExceedsReturnable, Field: "items[" + string(rune('0'+i)) + "].quantity"}
			}
			refund := l.UnitPrice * int64(it.Quantity)
			q.Lines = append(q.Lines, returns.QuoteLine{LineID: it.LineID, Quantity: it.Quantity, Reason: it.Reason, Refund: refund, Basis: returns.BasisStatutory})
			q.ItemsRefund += refund
		}
		q.Total = q.ItemsRefund
		return returns.Return{
			RefundMethod: returns.MethodOriginalPayment,
			Quote:        q,
			Items:        items,
			Comment:      "too big",
		}, nil
	}
}

// setup makes a store with the sample order O-1 and a policy.
func setup(t *testing.T) (*Store, string) {
	t.Helper()
	ctx := context.Background()
	s, path := openTest(t)
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePolicy(ctx, samplePolicy(30), "test"); err != nil {
		t.Fatal(err)
	}
	return s, path
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.r.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateReturn(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	version, _, err := s.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var seen returns.History
	r, err := s.CreateReturn(ctx, "O-1", "shopper", func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
		seen = h
		if o.Number != "O-1" || v != version || p.Default.WindowDays == nil {
			t.Errorf("build got order %q, version %d (want %d), policy %+v", o.Number, v, version, p.Default)
		}
		return build(item("L1", 2), item("L2", 1))(o, h, v, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.UnitsHeld) != 0 || seen.OutboundRefunded {
		t.Errorf("history of a fresh order = %+v", seen)
	}
	if r.ID == 0 || r.OrderNumber != "O-1" || r.PolicyVersion != version ||
		r.Status != returns.StatusApproved || r.Basis != returns.BasisStatutory || r.Locale != "pt-PT" {
		t.Errorf("created return = %+v", r)
	}
	if _, ok := returns.NormalizeRMA(r.RMA); !ok {
		t.Errorf("RMA %q is not an RMA", r.RMA)
	}

	// Found however the number is typed.
	typed := strings.ToLower(strings.ReplaceAll(r.RMA, "-", ""))
	got, err := s.GetReturn(ctx, typed)
	if err != nil {
		t.Fatalf("GetReturn(%q): %v", typed, err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, r); g != w {
		t.Errorf("GetReturn:\n got %s\nwant %s", g, w)
	}
	if got.Quote.ItemsRefund != 2*2500+1200 || len(got.Quote.Lines) != 2 {
		t.Errorf("quote = %+v", got.Quote)
	}

	h, err := s.OrderHistory(ctx, "O-1")
	if err != nil {
		t.Fatal(err)
	}
	if h.Held("L1") != 2 || h.Held("L2") != 1 || h.OutboundRefunded {
		t.Errorf("history after the return = %+v", h)
	}

	ev, err := s.Events(ctx, r.RMA)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || ev[0].Action != ActionCreated || ev[0].From != "" ||
		ev[0].To != string(returns.StatusApproved) || ev[0].Actor != "shopper" || !ev[0].At.Equal(r.CreatedAt) {
		t.Errorf("events = %+v", ev)
	}

	var refunds []int64
	if err := sel(ctx, s.r, &refunds, `SELECT refund FROM return_items ORDER BY position`); err != nil {
		t.Fatal(err)
	}
	if len(refunds) != 2 || refunds[0] != 5000 || refunds[1] != 1200 {
		t.Errorf("item refunds = %v", refunds)
	}

	// Everything returned: the next request exceeds what is left.
	_, err = s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	var de *returns.Error
	if !errors.Is(err, ErrConflict) || !errors.As(err, &de) || de.Code != returns.CodeExceedsReturnable {
		t.Errorf("second return: %v, want ErrConflict and exceeds_returnable", err)
	}
}

func TestCreateReturnNotFound(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-1")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, order string }{
		{"no policy yet", "O-1"},
		{"unknown order", "O-2"},
	} {
		if _, err := s.CreateReturn(ctx, c.order, "x", build(item("L1", 1))); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", c.name, err)
		}
	}
	for _, rma := range []string{"R-0000-0000", "garbage"} {
		if _, err := s.GetReturn(ctx, rma); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetReturn(%q) = %v, want ErrNotFound", rma, err)
		}
		if _, err := s.Events(ctx, rma); !errors.Is(err, ErrNotFound) {
			t.Errorf("Events(%q) = %v, want ErrNotFound", rma, err)
		}
		if _, err := s.Transition(ctx, rma, returns.StatusCancelled, "x", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("Transition(%q) = %v, want ErrNotFound", rma, err)
		}
	}
	if _, err := s.OrderHistory(ctx, "O-2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("OrderHistory(unknown) = %v, want ErrNotFound", err)
	}
}

// TestCreateReturnRollsBack: whatever fails — the decision, or a write after
// the return row — leaves no trace.
func TestCreateReturnRollsBack(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	plain := errors.New("boom")
	for _, c := range []struct {
		name     string
		build    BuildFunc
		conflict bool
		domain   string
		is       error
	}{
		{"exceeds returnable", build(item("L1", 3)), true, returns.CodeExceedsReturnable, nil},
		{"other domain error", build(item("L9", 1)), false, returns.CodeUnknownLine, nil},
		{"plain error", func(returns.Order, returns.History, int64, returns.Policy) (returns.Return, error) {
			return returns.Return{}, plain
		}, false, "", plain},
		{"item rejected by the database", build(returns.QuoteItem{LineID: "L1", Quantity: 0}), false, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CreateReturn(ctx, "O-1", "shopper", c.build)
			if err == nil {
				t.Fatal("CreateReturn succeeded")
			}
			if errors.Is(err, ErrConflict) != c.conflict {
				t.Errorf("errors.Is(%v, ErrConflict) = %v", err, !c.conflict)
			}
			var de *returns.Error
			if c.domain != "" && (!errors.As(err, &de) || de.Code != c.domain) {
				t.Errorf("error %v does not carry %s", err, c.domain)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v does not wrap %v", err, c.is)
			}
			for _, table := range []string{"returns", "return_items"} {
				if n := countRows(t, s, table); n != 0 {
					t.Errorf("%s has %d rows after a failed create", table, n)
				}
			}
			var events int
			if err := get(ctx, s.r, &events, `SELECT COUNT(*) FROM audit_events WHERE return_id IS NOT NULL`); err != nil || events != 0 {
				t.Errorf("audit events after a failed create = %d, %v", events, err)
			}
		})
	}
}

// TestCreateReturnRMACollision: a taken RMA number is replaced, not an error.
func TestCreateReturnRMACollision(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	fixed := func(b BuildFunc) BuildFunc {
		return func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
			r, err := b(o, h, v, p)
			r.RMA = "r-7k3p-9xq2" // typed form: stored canonical
			return r, err
		}
	}
	r1, err := s.CreateReturn(ctx, "O-1", "a", fixed(build(item("L1", 1))))
	if err != nil {
		t.Fatal(err)
	}
	if r1.RMA != "R-7K3P-9XQ2" {
		t.Errorf("first RMA = %q, want the canonical form", r1.RMA)
	}
	r2, err := s.CreateReturn(ctx, "O-1", "b", fixed(build(item("L1", 1))))
	if err != nil {
		t.Fatal(err)
	}
	if r2.RMA == r1.RMA {
		t.Fatalf("two returns share RMA %q", r2.RMA)
	}
	got, err := s.GetReturn(ctx, r2.RMA)
	if err != nil || got.ID != r2.ID {
		t.Errorf("GetReturn(%q) = %+v, %v", r2.RMA, got, err)
	}
}

// TestCreateReturnRace: 20 shoppers (on two Stores, i.e. two processes'
// worth of connections) ask for the last unit of a line at once; exactly one
// gets it and the others get ErrConflict.
func TestCreateReturnRace(t *testing.T) {
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
		wg        sync.WaitGroup
		mu        sync.Mutex
		ok        int
		conflicts int
		other     []error
	)
	start := make(chan struct{})
	for i := range n {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.CreateReturn(ctx, "RACE", "shopper", build(item("L1", 1)))
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
	close(start)
	wg.Wait()
	if ok != 1 || conflicts != n-1 || len(other) != 0 {
		t.Fatalf("successes %d, conflicts %d, other errors %v; want 1, %d, none", ok, conflicts, other, n-1)
	}
	h, err := s2.OrderHistory(ctx, "RACE")
	if err != nil || h.Held("L1") != 3 {
		t.Fatalf("held after the race = %+v, %v; want 3", h, err)
	}
}

func TestTransition(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 2)))
	if err != nil {
		t.Fatal(err)
	}
	clock := r.CreatedAt
	s.now = func() time.Time { clock = clock.Add(time.Minute); return clock }

	steps := []struct {
		to    returns.Status
		legal bool
	}{
		// approved → inspected skips the parcel (approved → refunded is
		// the early refund of a refund trigger: returns.DecideRefundOn)
		{returns.StatusInspected, false},
		{returns.StatusReceived, true},
		{returns.StatusCancelled, false}, // too late: the parcel has arrived
		{returns.StatusInspected, true},
		{returns.StatusRefunded, true},
		{returns.StatusClosed, true},
		{returns.StatusApproved, false},
	}
	from := r.Status
	wantEvents := []Event{{Action: ActionCreated, To: string(r.Status), Actor: "shopper"}}
	for _, st := range steps {
		got, err := s.Transition(ctx, r.RMA, st.to, "staff@example.com", "step "+string(st.to))
		if !st.legal {
			if !errors.Is(err, ErrConflict) || !errors.Is(err, returns.ErrTransition) {
				t.Errorf("%s → %s: %v, want ErrConflict wrapping returns.ErrTransition", from, st.to, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s → %s: %v", from, st.to, err)
		}
		if got.Status != st.to || !got.UpdatedAt.After(got.CreatedAt) || len(got.Items) != 1 {
			t.Errorf("after %s → %s: %+v", from, st.to, got)
		}
		wantEvents = append(wantEvents, Event{Action: ActionStatus, From: string(from), To: string(st.to),
			Actor: "staff@example.com", Note: "step " + string(st.to)})
		from = st.to
	}
	ev, err := s.Events(ctx, r.RMA)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != len(wantEvents) {
		t.Fatalf("events = %+v, want %d", ev, len(wantEvents))
	}
	for i := range ev {
		if i > 0 && !ev[i].At.After(ev[i-1].At) {
			t.Errorf("events not oldest first: %+v", ev)
		}
		ev[i].At = time.Time{}
		if ev[i] != wantEvents[i] {
			t.Errorf("event %d = %+v, want %+v", i, ev[i], wantEvents[i])
		}
	}
	cur, err := s.GetReturn(ctx, r.RMA)
	if err != nil || cur.Status != returns.StatusClosed {
		t.Errorf("final status %q, %v", cur.Status, err)
	}
}

// TestCancelFreesUnits: a cancelled (or rejected) return no longer holds
// its units, and the outbound-shipping flag follows active returns only.
func TestCancelFreesUnits(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	withOutbound := func(b BuildFunc) BuildFunc {
		return func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
			r, err := b(o, h, v, p)
			r.Quote.OutboundShippingRefund = o.Shipping.Standard()
			return r, err
		}
	}
	r, err := s.CreateReturn(ctx, "O-1", "shopper", withOutbound(build(item("L1", 2), item("L2", 1))))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := s.OrderHistory(ctx, "O-1"); err != nil || !h.OutboundRefunded || h.Held("L1") != 2 {
		t.Fatalf("history = %+v, %v", h, err)
	}
	if _, err := s.Transition(ctx, r.RMA, returns.StatusCancelled, "shopper", ""); err != nil {
		t.Fatal(err)
	}
	h, err := s.OrderHistory(ctx, "O-1")
	if err != nil || h.OutboundRefunded || h.Held("L1") != 0 || h.Held("L2") != 0 {
		t.Fatalf("history after cancel = %+v, %v", h, err)
	}
	if _, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 2))); err != nil {
		t.Fatalf("units not returnable again: %v", err)
	}
}

func TestReturnsForOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-2")); err != nil {
		t.Fatal(err)
	}
	if rs, err := s.ReturnsForOrder(ctx, "O-1"); err != nil || rs == nil || len(rs) != 0 {
		t.Fatalf("ReturnsForOrder(no returns) = %v, %v; want empty", rs, err)
	}
	a, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L2", 1))); err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L2", 1), item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.ReturnsForOrder(ctx, "O-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || mustJSON(t, rs[0]) != mustJSON(t, a) || mustJSON(t, rs[1]) != mustJSON(t, b) {
		t.Fatalf("ReturnsForOrder:\n got %s\nwant %s", mustJSON(t, rs), mustJSON(t, []returns.Return{a, b}))
	}
	if _, err := s.ReturnsForOrder(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReturnsForOrder(unknown) = %v, want ErrNotFound", err)
	}
}

// TestCreateReturnPanicReleasesWriter: a panicking build must not leave the
// single writer connection inside an open transaction.
func TestCreateReturnPanicReleasesWriter(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not propagate")
			}
		}()
		_, _ = s.CreateReturn(ctx, "O-1", "x", func(returns.Order, returns.History, int64, returns.Policy) (returns.Return, error) {
			panic("bug in build")
		})
	}()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.CreateReturn(ctx, "O-1", "x", build(item("L1", 1))); err != nil {
		t.Fatalf("writer stuck after a panic: %v", err)
	}
}

// TestReturnRowByPosition: reading a return's columns by position (as
// loadReturn does) gives what sqlx gives by name, on both engines: a gift
// return with a comment, bank details and consent, so that no column reads
// as its zero value by accident.
func TestReturnRowByPosition(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r, err := s.CreateReturn(ctx, "O-1", "test", func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
		out, err := build(item("L1", 1), item("L2", 1))(o, h, v, p)
		out.Consent = true
		out.BankIBAN, out.BankHolder, out.RefundMethod = "DE89370400440532013000", "Erika Mustermann", returns.MethodBankTransfer
		return out, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sqlx.Tx) error { // a gift return's (exchanges.go)
		_, err := exec(ctx, tx, `UPDATE returns SET gift_email = 'gift@example.com' WHERE id = ?`, r.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var want returnRow
	if err := get(ctx, s.r, &want, returnSelect+` WHERE r.rma = CAST(? AS TEXT)`, r.RMA); err != nil {
		t.Fatal(err)
	}
	var got returnRow
	if err := queryRows(ctx, s.r, nReturnColumns, func(r row) error { got = returnRowFrom(r); return nil },
		returnSelect+` WHERE r.rma = CAST(? AS TEXT)`, r.RMA); err != nil {
		t.Fatal(err)
	}
	want.CreatedAt, want.UpdatedAt = want.CreatedAt.UTC(), want.UpdatedAt.UTC()
	if got != want {
		t.Errorf("by position %+v\nby name     %+v", got, want)
	}
	if !want.Consent || want.GiftEmail == "" || want.BankIBAN == "" || want.Comment == "" || want.CreatedAt.IsZero() {
		t.Errorf("the return does not fill every column: %+v", want)
	}
	loaded, err := s.GetReturn(ctx, r.RMA)
	if err != nil || len(loaded.Items) != 2 || loaded.Items[1].LineID != "L2" || !loaded.Gift || loaded.BankHolder != "Erika Mustermann" {
		t.Errorf("GetReturn %+v %v", loaded, err)
	}
}
