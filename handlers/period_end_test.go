package handlers

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// TestExtendedStatutoryDeadline: a German order whose 14th day is a
// Saturday may still be withdrawn from on the Monday after, and the API's
// statutory_deadline, the portal's item text and the decision all say the
// Monday (returns.Legal.StatutoryLastDay); on the Tuesday it is over.
func TestExtendedStatutoryDeadline(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	o, err := a.st.GetOrder(ctx, demo.FeaturedOrder)
	if err != nil {
		t.Fatal(err)
	}
	// Delivered Saturday 2026-03-07 in Berlin: day 14 is Saturday 03-21.
	delivered := time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)
	placed, shipped := delivered.Add(-72*time.Hour), delivered.Add(-24*time.Hour)
	o.Number, o.PlacedAt, o.ShippedAt, o.DeliveredAt = "DE-2001", placed, &shipped, &delivered
	if _, err := a.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	setClock := func(s string) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.clock, _ = time.Parse(time.RFC3339, s)
	}
	jacket := func() map[string]any {
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
			body: map[string]string{"order_number": "DE-2001", "email": demo.Email}})
		if code != http.StatusOK {
			t.Fatalf("lookup: %d %v", code, m)
		}
		for _, l := range m["lines"].([]any) {
			if lm := l.(map[string]any); lm["line_id"] == "L2" {
				return lm
			}
		}
		t.Fatal("no final-sale line")
		return nil
	}

	setClock("2026-03-23T21:30:00Z") // Monday, 22:30 in Berlin
	l := jacket()
	if l["statutory_deadline"] != "2026-03-23" || l["deadline"] != "2026-03-23" || l["code"] != "ok" || l["basis"] != "statutory" {
		t.Errorf("Monday: %v", l)
	}
	page := a.openOrder("DE-2001", "en", false)
	lines := page.all("line") // L1, L2 (the final-sale jacket), L3
	if len(lines) != 3 {
		t.Fatalf("lines: %d", len(lines))
	}
	if got := text(all(lines[1], byTestID("line-status"))[0]); got != "Return by 23 March 2026 (your legal right of withdrawal)" {
		t.Errorf("item text %q", got)
	}
	token := a.lookupToken("DE-2001")
	code, q := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: map[string]any{"token": token,
		"items": []map[string]any{{"line_id": "L2", "quantity": 1, "reason": "withdrawal"}}, "refund_method": "original_payment"}})
	if code != http.StatusOK || q["basis"] != "statutory" {
		t.Errorf("quote on the Monday: %d %v", code, q)
	}

	setClock("2026-03-23T23:30:00Z") // Tuesday, 00:30 in Berlin
	if l := jacket(); l["statutory_deadline"] != "2026-03-23" || l["code"] != "faulty_only" || l["blocked_by"] != "final_sale" {
		t.Errorf("Tuesday: %v", l)
	}
}
