package store

import (
	"context"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// TestLinesCacheFollowsRevision: an order's lines are read from the cache
// while its revision stands — on both paths that read orders, GetOrder and
// OrderFacts — and never once an update raised it; what a caller does to
// the lines it got stays its own.
func TestLinesCacheFollowsRevision(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("C-1")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	first := o.Lines[0].Name
	check := func(when, want string) returns.Order {
		t.Helper()
		got, err := s.GetOrder(ctx, "C-1")
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.OrderFacts(ctx, "C-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Lines[0].Name != want || f.Order.Lines[0].Name != want {
			t.Errorf("%s: GetOrder's line %q, OrderFacts' %q; want %q", when, got.Lines[0].Name, f.Order.Lines[0].Name, want)
		}
		if len(got.Lines) != len(o.Lines) || len(f.Order.Lines) != len(o.Lines) {
			t.Errorf("%s: %d and %d lines, want %d", when, len(got.Lines), len(f.Order.Lines), len(o.Lines))
		}
		return got
	}
	check("first read", first)

	// A change behind the store's back, without a new revision, is not
	// seen: the lines come from the cache. (Nothing in the product changes
	// lines so; this only shows that the cache is used.)
	if _, err := exec(ctx, s.w, `UPDATE order_lines SET name = 'changed behind'
		WHERE order_id = (SELECT id FROM orders WHERE number = 'C-1')`); err != nil {
		t.Fatal(err)
	}
	got := check("same revision", first)
	got.Lines[0].Name = "the caller's own"
	check("after a caller changed its copy", first)

	// An update raises the revision: the next reads see it.
	u := o
	u.Lines = slices.Clone(o.Lines)
	u.Lines[0].Name = "renamed by the shop"
	if _, err := s.UpsertOrder(ctx, u); err != nil {
		t.Fatal(err)
	}
	check("after an update", "renamed by the shop")
}

// TestOrderReadOutsideTransaction: through the read pool an order's row
// and lines are read in two statements without a transaction only while
// they are one snapshot: lines read at the row's revision, never lines of a
// later one (the order changed between the two statements); an order with
// returns, whose history must be read in the row's snapshot, and an order
// changed in between are read again in one transaction.
func TestOrderReadOutsideTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("C-2")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	d, ok, err := loadOrderOutsideTx(ctx, s.r, orderColumns, nOrderColumns, "C-2")
	if err != nil || !ok || len(d.order.Lines) != len(o.Lines) || d.order.Lines[0].Name != o.Lines[0].Name {
		t.Fatalf("first read: ok %v, err %v, %d lines; want %d, without a transaction", ok, err, len(d.order.Lines), len(o.Lines))
	}
	if _, cached := s.r.lines.get(d.storedOrder); !cached {
		t.Error("lines read at the row's revision were not cached")
	}
	if _, _, err := loadOrderOutsideTx(ctx, s.r, orderColumns, nOrderColumns, "C-404"); err != ErrNotFound {
		t.Errorf("unknown order: err %v, want ErrNotFound", err)
	}

	// The order changes after its row was read at revision d.revision: its
	// lines are not read as that revision's.
	u := o
	u.Lines = slices.Clone(o.Lines)
	u.Lines[0].Name = "renamed by the shop"
	if _, err := s.UpsertOrder(ctx, u); err != nil {
		t.Fatal(err)
	}
	count := func(revision int64) (n int) {
		t.Helper()
		if err := queryRows(ctx, s.r, nLineColumns, func(row) error { n++; return nil },
			lineColumns+linesOfOrderAt, d.id, d.id, revision); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(d.revision); n != 0 {
		t.Errorf("lines at the revision before the update: %d rows, want none", n)
	}
	if n := count(d.revision + 1); n != len(o.Lines) {
		t.Errorf("lines at the current revision: %d rows, want %d", n, len(o.Lines))
	}

	// An order with a return: its history needs the transaction.
	if _, err := s.SavePolicy(ctx, samplePolicy(30), "test"); err != nil {
		t.Fatal(err)
	}
	created, err := s.CreateReturn(ctx, "C-2", "shopper", build(item(o.Lines[0].ID, 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, ok, err = loadOrderOutsideTx(ctx, s.r, orderDecisionColumns, nOrderColumns+3, "C-2",
		returns.StatusCancelled, returns.StatusRejected)
	if err != nil || ok {
		t.Errorf("order with return %s: ok %v, err %v; want it left to the transaction", created.RMA, ok, err)
	}
	f, err := s.OrderFacts(ctx, "C-2")
	if err != nil || f.History.UnitsHeld[created.Items[0].LineID] == 0 || f.Order.Lines[0].Name != "renamed by the shop" {
		t.Errorf("OrderFacts after the return: err %v, held %v, line %q", err, f.History.UnitsHeld, f.Order.Lines[0].Name)
	}
}

// TestLineCacheEntries: an entry answers for its order's number and
// revision only, and the cache holds at most lineCacheOrders orders.
func TestLineCacheEntries(t *testing.T) {
	c := newLineCache()
	o := storedOrder{order: returns.Order{Number: "A-1"}, id: 7, revision: 2}
	c.put(o, []returns.Line{{ID: "L1"}})
	if l, ok := c.get(o); !ok || len(l) != 1 || l[0].ID != "L1" {
		t.Errorf("get = %v, %v; want the line put", l, ok)
	}
	for _, other := range []storedOrder{
		{order: returns.Order{Number: "A-1"}, id: 7, revision: 3},
		{order: returns.Order{Number: "B-1"}, id: 7, revision: 2},
		{order: returns.Order{Number: "A-1"}, id: 8, revision: 2},
	} {
		if _, ok := c.get(other); ok {
			t.Errorf("get(%+v) answered with the lines of %+v", other, o)
		}
	}
	for i := range lineCacheOrders + 10 {
		c.put(storedOrder{order: returns.Order{Number: "N"}, id: int64(100 + i)}, nil)
	}
	if n := len(c.entries); n != lineCacheOrders {
		t.Errorf("%d entries, want at most %d", n, lineCacheOrders)
	}
	if linesCacheOf(&sqlx.Tx{}) != nil {
		t.Error("a transaction's reads would fill the cache")
	}
}
