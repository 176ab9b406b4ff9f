package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestQueueSearchRMAPrefix: the beginning of an RMA number ("R-PZN2", as
// staff type it from a torn label) finds every return whose number starts
// with it and no other; a whole number still finds exactly its return, and
// an order number its order's returns.
func TestQueueSearchRMAPrefix(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	// Numbers that sort around the prefix's range on both sides, each of
	// an order of its own; "R-PZN2" is also an order number, which the
	// search still finds exactly.
	rmas := map[string]string{
		"R-PZN2-0000": "P-1", "R-PZN2-ZZZZ": "P-2", "R-PZN2-7K3P": "P-3",
		"R-PZN1-ZZZZ": "P-4", "R-PZN3-0000": "P-5", "R-PZN-2AAA": "P-6", "R-PZNZ-0000": "P-7",
		"R-AAAA-AAAA": "R-PZN2",
	}
	for rma, order := range rmas {
		if _, err := s.UpsertOrder(ctx, sampleOrder(order)); err != nil {
			t.Fatal(err)
		}
		r, err := s.CreateReturn(ctx, order, "shopper", build(item("L1", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exec(ctx, s.w, `UPDATE returns SET rma = ? WHERE id = ?`, rma, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{"R-PZN2", []string{"R-AAAA-AAAA", "R-PZN2-0000", "R-PZN2-7K3P", "R-PZN2-ZZZZ"}}, // and the order R-PZN2
		{"r pzn2", []string{"R-PZN2-0000", "R-PZN2-7K3P", "R-PZN2-ZZZZ"}},
		{"R-PZN2-7", []string{"R-PZN2-7K3P"}},
		{"R-PZN2-7K3", []string{"R-PZN2-7K3P"}},
		{"R-PZN2-7K3P", []string{"R-PZN2-7K3P"}}, // whole: exact
		{"R-PZN", []string{"R-PZN-2AAA", "R-PZN1-ZZZZ", "R-PZN2-0000", "R-PZN2-7K3P", "R-PZN2-ZZZZ", "R-PZN3-0000", "R-PZNZ-0000"}},
		{"R-PZN9", nil},
		{"R-P", nil}, // too short to be a prefix, and no order has that number
	} {
		rows, next, err := s.Queue(ctx, QueueFilter{Search: tc.search})
		if err != nil {
			t.Fatalf("%q: %v", tc.search, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.RMA)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) || next != "" {
			t.Errorf("search %q: %v (next %q), want %v", tc.search, got, next, tc.want)
		}
	}
	// The prefix search pages like any other: two of three, then the last.
	first, next, err := s.Queue(ctx, QueueFilter{Search: "R-PZN2-", Limit: 2})
	if err != nil || len(first) != 2 || next == "" {
		t.Fatalf("page 1: %d rows, next %q, %v", len(first), next, err)
	}
	rest, next2, err := s.Queue(ctx, QueueFilter{Search: "R-PZN2-", Limit: 2, Cursor: next})
	if err != nil || len(rest) != 1 || next2 != "" {
		t.Fatalf("page 2: %d rows, next %q, %v", len(rest), next2, err)
	}
	for _, r := range append(first, rest...) {
		if !strings.HasPrefix(r.RMA, "R-PZN2-") {
			t.Errorf("paged prefix search found %s", r.RMA)
		}
	}
}

// TestQueuePlanRMAPrefix: the prefix search reads the returns through a
// range of the rma index (and the order by its number), never a scan but
// of the few ids it found (m).
func TestQueuePlanRMAPrefix(t *testing.T) {
	s, _ := openTest(t)
	for _, q := range []string{"R-PZN2", "R-PZN2-7K"} {
		plan := queuePlan(t, s, QueueFilter{Search: q, Now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
		text := strings.Join(plan, " | ")
		for _, line := range plan {
			if strings.HasPrefix(line, "SCAN ") && line != "SCAN m" {
				t.Errorf("%q: scans (%s)", q, text)
			}
		}
		if !strings.Contains(text, "rma>? AND rma<?") {
			t.Errorf("%q: not a range of the rma index (%s)", q, text)
		}
	}
}
