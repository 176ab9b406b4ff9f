package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/returns/hs"
)

// The README promises that each demo order shows a case; this keeps it true.
func TestDemoOrdersShowTheirCases(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	legal := returns.LoadLegal()
	p := Policy()
	if errs := returns.ValidatePolicy(p, legal); len(errs) > 0 {
		t.Fatalf("demo policy invalid: %v", errs)
	}
	orders := map[string]returns.Order{}
	for _, o := range Orders(now) {
		if errs := returns.ValidateOrder(o, legal); len(errs) > 0 {
			t.Fatalf("demo order %s invalid: %v", o.Number, errs)
		}
		orders[o.Number] = o
	}
	if n := len(orders); n < 20 {
		t.Fatalf("%d demo orders, want about 20", n)
	}
	partial := returns.History{UnitsHeld: map[string]int{"L1": 1}}
	tests := []struct {
		order, line string
		history     returns.History
		code, basis string
		returnable  int
	}{
		{FeaturedOrder, "L1", returns.History{}, returns.CodeOK, returns.BasisStatutory, 2},
		{FeaturedOrder, "L2", returns.History{}, returns.CodeOK, returns.BasisStatutory, 1}, // final sale, but inside the EU 14 days
		{"IT-1002", "L1", returns.History{}, returns.CodeOK, returns.BasisStatutory, 1},     // merchant's 10 days passed, law's 14 not
		// Personalised: no return without fault, but a faulty one within 24 months.
		{"PT-1003", "L1", returns.History{}, returns.CodeFaultyOnly, returns.BasisPolicy, 1},
		{"US-1005", "L1", returns.History{}, returns.CodeOK, returns.BasisPolicy, 1},
		{PartialOrder, "L1", partial, returns.CodeOK, returns.BasisStatutory, 2},
		{"IE-1009", "L1", returns.History{}, returns.CodeNotDelivered, "", 1},
		{"FR-1013", "L1", returns.History{}, returns.CodeFaultyOnly, returns.BasisPolicy, 1},
		{"US-1020", "L1", returns.History{}, returns.CodeWindowClosed, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.order+"/"+tc.line, func(t *testing.T) {
			o := orders[tc.order]
			var got *returns.LineEligibility
			for i, e := range returns.Evaluate(o, p, legal, tc.history, now) {
				if o.Lines[i].ID == tc.line {
					got = &e
				}
			}
			if got == nil {
				t.Fatalf("no line %s", tc.line)
			}
			if got.Code != tc.code || (tc.basis != "" && got.Basis != tc.basis) || got.ReturnableQuantity != tc.returnable {
				t.Fatalf("got %+v, want code %s basis %q returnable %d", *got, tc.code, tc.basis, tc.returnable)
			}
		})
	}
}

// TestDemoGoodsAreClassified: every demo line carries an HS code whose
// heading the HS table knows, and the goods are what the code says (the
// watch was once declared as cotton T-shirts).
func TestDemoGoodsAreClassified(t *testing.T) {
	headings := hs.Load()
	for _, o := range Orders(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)) {
		for _, l := range o.Lines {
			if !hs.ValidCode(l.HSCode) {
				t.Errorf("%s %s: HS code %q", o.Number, l.ID, l.HSCode)
				continue
			}
			if _, ok := headings.Heading(l.HSCode); !ok {
				t.Errorf("%s %s: heading %s is not in the HS table", o.Number, l.ID, l.HSCode[:4])
			}
			if l.SKU == "WTCH-1" && l.HSCode[:4] != "9102" {
				t.Errorf("the watch is declared under %s, want heading 9102 (wrist-watches)", l.HSCode)
			}
			if strings.HasPrefix(l.SKU, "TEE") != (l.HSCode == "610910") {
				t.Errorf("%s %s (%s): 610910 is for cotton T-shirts and only for them", o.Number, l.ID, l.SKU)
			}
		}
	}
}

// TestDemoCasesAllYear: the README's cases hold on every day of the year,
// the holiday season included (an order placed in it may be returned until
// the season's date, which once hid IT-1002's closed merchant window).
func TestDemoCasesAllYear(t *testing.T) {
	legal := returns.LoadLegal()
	p := Policy()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for day := range 366 {
		now := start.AddDate(0, 0, day)
		orders := map[string]returns.Order{}
		for _, o := range Orders(now) {
			if errs := returns.ValidateOrder(o, legal); len(errs) > 0 {
				t.Fatalf("%s: demo order %s invalid: %v", now.Format("01-02"), o.Number, errs)
			}
			orders[o.Number] = o
		}
		elig := func(number string) returns.LineEligibility {
			return returns.Evaluate(orders[number], p, legal, returns.History{}, now)[0]
		}
		it := elig("IT-1002")
		if it.Code != returns.CodeOK || it.Basis != returns.BasisStatutory || it.HolidayExtension ||
			it.Deadline == nil || it.StatutoryDeadline == nil || *it.Deadline != *it.StatutoryDeadline {
			t.Errorf("%s: IT-1002 is not 'merchant window closed, the 14 days run': %+v", now.Format("01-02"), it)
		}
		us := elig("US-1005")
		if us.Code != returns.CodeOK || us.HolidayExtension || us.Deadline == nil ||
			us.Deadline.String() != returns.DateOf(now.AddDate(0, 0, 15), time.UTC).String() {
			t.Errorf("%s: US-1005 is not 'day 45 of 60': %+v", now.Format("01-02"), us)
		}
		fr := elig("FR-1013")
		if fr.Code != returns.CodeFaultyOnly || fr.BlockedBy != returns.CodeWindowClosed || fr.Deadline == nil {
			t.Errorf("%s: FR-1013 is not 'past every window, faulty only': %+v", now.Format("01-02"), fr)
		}
		for _, e := range returns.Evaluate(orders[FeaturedOrder], p, legal, returns.History{}, now)[1:] {
			if e.Code != returns.CodeOK || e.Basis != returns.BasisStatutory {
				t.Errorf("%s: %s %s is not returnable by law: %+v", now.Format("01-02"), FeaturedOrder, e.LineID, e)
			}
		}
	}
}

// TestDemoExchangeOffers: the featured order's T-shirt (M / Blue) may be
// exchanged for S or L, not for XL (dearer) nor XS (sold out); its other
// lines name no product.
func TestDemoExchangeOffers(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	legal := returns.LoadLegal()
	stock := returns.ExchangeStock{Products: map[string]returns.Product{}, Available: map[string]int{}}
	for _, p := range Products() {
		if fe := returns.ValidateProduct(p); fe != nil {
			t.Fatalf("demo product %s invalid: %v", p.ID, fe)
		}
		stock.Products[p.ID] = p
		for _, v := range p.Variants {
			stock.Available[v.SKU] = v.Inventory
		}
	}
	for _, o := range Orders(now) {
		for _, l := range o.Lines {
			var got []string
			for _, x := range returns.ExchangeOptions(o, Policy(), legal, l, stock) {
				got = append(got, x.Variant.SKU)
			}
			want := []string(nil)
			if o.Number == FeaturedOrder && l.ID == "L1" {
				want = []string{"TEE-S-BLU", "TEE-L-BLU"}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s/%s: exchange options %v, want %v", o.Number, l.ID, got, want)
			}
		}
	}
}

// TestDemoKeepAndReview: DE-1022's socks are kept (the returnless rule),
// nothing else in the demo is; DE-1023 goes to review (its e-mail is on
// the block list), no other demo order does.
func TestDemoKeepAndReview(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	legal := returns.LoadLegal()
	p := Policy()
	for _, o := range Orders(now) {
		var items []returns.QuoteItem
		for _, l := range o.Lines {
			items = append(items, returns.QuoteItem{LineID: l.ID, Quantity: l.Quantity, Reason: "changed_mind"})
		}
		if got, want := returns.MatchReturnless(o, p, items), o.Number == "DE-1022"; got != want {
			t.Errorf("%s: returnless %v, want %v", o.Number, got, want)
		}
		flags := returns.ReviewReasons(p, legal, returns.ReviewInput{Order: o, Items: items, Now: now})
		if got, want := len(flags) > 0, o.Number == "DE-1023"; got != want {
			t.Errorf("%s: review %v, want %v", o.Number, flags, want)
		}
	}
}
