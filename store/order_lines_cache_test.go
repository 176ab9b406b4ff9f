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
