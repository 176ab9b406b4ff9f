package handlers

import (
	"slices"
	"testing"

	"github.com/returns-portal/returns/store"
)

// TestQueueKeptFilter: the queue's "kept by the shopper" filter lists the
// keep-the-item returns (DE-1022's socks) and no return with a parcel; the
// box shows checked, and the folded filters open.
func TestQueueKeptFilter(t *testing.T) {
	a := newStaffApp(t)
	parcel := a.newReturn("DE-1001", "L1", 1, "original_payment")
	kept := a.newReturn("DE-1022", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleViewer)
	var all []string
	for _, r := range s.get("/admin/returns").all("queue-row") {
		all = append(all, attr(r, "data-rma"))
	}
	if !slices.Contains(all, parcel) || !slices.Contains(all, kept) {
		t.Fatalf("unfiltered queue %v lacks %s or %s", all, parcel, kept)
	}
	q := s.get("/admin/returns?kept=1")
	var listed []string
	for _, r := range q.all("queue-row") {
		listed = append(listed, attr(r, "data-rma"))
	}
	if !slices.Equal(listed, []string{kept}) {
		t.Errorf("kept filter lists %v, want only %s", listed, kept)
	}
	if !hasAttr(q.one("filter-kept"), "checked") {
		t.Error("the kept box is not checked")
	}
}
