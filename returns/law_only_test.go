package returns

import (
	"testing"
	"time"
)

func TestLawOnly(t *testing.T) {
	legal := LoadLegal()
	days := func(n int) *int { return &n }
	no := false
	p := Policy{Default: Rules{WindowDays: days(10), ExcludedCategories: &[]string{"gift_card"}, FinalSaleReturnable: &no}}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	order := func(country string, deliveredDaysAgo int) Order {
		o := Order{Number: "X-1", Currency: "EUR", PlacedAt: now.AddDate(0, 0, -30),
			ShippingAddress: Address{Country: country},
			Lines: []Line{
				{ID: "L1", SKU: "TEE", Quantity: 2, UnitPrice: 2000, Category: "apparel"},
				{ID: "L2", SKU: "JKT", Quantity: 1, UnitPrice: 9000, Category: "apparel", FinalSale: true},
				{ID: "L3", SKU: "GC", Quantity: 1, UnitPrice: 5000, Category: "gift_card"},
			}}
		if deliveredDaysAgo >= 0 {
			d := now.AddDate(0, 0, -deliveredDaysAgo)
			o.DeliveredAt = &d
		}
		return o
	}
	item := func(line string) []QuoteItem { return []QuoteItem{{LineID: line, Quantity: 1, Reason: "changed_mind"}} }
	for _, c := range []struct {
		name  string
		o     Order
		items []QuoteItem
		want  bool
	}{
		{"inside both windows", order("DE", 5), item("L1"), false},
		{"final sale inside the statutory window", order("DE", 5), item("L2"), true},
		{"excluded category inside the statutory window", order("DE", 5), item("L3"), true},
		{"one item the policy allows, one only the law", order("DE", 5), append(item("L1"), item("L2")...), true},
		{"merchant window closed, statutory open", order("DE", 12), item("L1"), true},
		{"both windows closed", order("DE", 40), item("L1"), false},
		{"no statutory right", order("US", 5), item("L2"), false},
		{"not delivered", order("DE", -1), item("L1"), false},
		{"unknown line", order("DE", 12), item("L9"), false},
	} {
		if got := LawOnly(c.o, p, legal, c.items, now); got != c.want {
			t.Errorf("%s: LawOnly = %v, want %v", c.name, got, c.want)
		}
	}
}
