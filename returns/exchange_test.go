package returns

import (
	"errors"
	"reflect"
	"testing"
)

// exchangePolicy is the example policy with exchanges on.
func withExchanges(free bool) func(*Policy) {
	return func(p *Policy) { p.Default.Exchanges = &ExchangePolicy{Enabled: true, FreeReturnShipping: free} }
}

// tee is the product of line A of exchangeOrder: the variant bought
// (SKU-A, size M) and four others.
func tee() Product {
	v := func(sku, size string, eur int64, stock int) Variant {
		return Variant{SKU: sku, Title: size, Options: map[string]string{"Size": size, "Color": "Blue"},
			Prices: map[string]int64{"EUR": eur, "USD": 2900}, Inventory: stock}
	}
	return Product{ID: "P-TEE", Title: "T-shirt", Variants: []Variant{
		v("SKU-A", "M", 2500, 5), v("TEE-S", "S", 2500, 3), v("TEE-L", "L", 2500, 1),
		v("TEE-XL", "XL", 2700, 9), v("TEE-XS", "XS", 2500, 0)}}
}

func teeStock() ExchangeStock {
	p := tee()
	st := ExchangeStock{Products: map[string]Product{p.ID: p}, Available: map[string]int{}}
	for _, v := range p.Variants {
		st.Available[v.SKU] = v.Inventory
	}
	return st
}

func product(id string) func(*Line) { return func(l *Line) { l.ProductID = id } }

// exchangeOrder: line A (2 × 2500 − 500, product P-TEE), C (2500, no
// product), delivered on day 0 of quoteOrder's dates.
func exchangeOrder(t *testing.T, country string) Order {
	t.Helper()
	return engOrder(t, country, "", "EUR", "2026-03-02T10:00:00Z",
		engLine("A", qty(2), discount(500), product("P-TEE")), engLine("C"))
}

func exch(line string, q int, reason, sku string) QuoteItem {
	return QuoteItem{LineID: line, Quantity: q, Reason: reason, Resolution: ResolutionExchange, ExchangeSKU: sku}
}

func exl(line string, q int, reason, sku, basis string) QuoteLine {
	return QuoteLine{LineID: line, Quantity: q, Reason: reason, Basis: basis, Resolution: ResolutionExchange, ExchangeSKU: sku}
}

func TestExchangeOptions(t *testing.T) {
	skus := func(opts []ExchangeOption) []string {
		var out []string
		for _, o := range opts {
			out = append(out, o.Variant.SKU)
		}
		return out
	}
	o := exchangeOrder(t, "DE")
	a, _ := o.Line("A")
	onSale := a
	onSale.SKU, onSale.UnitPrice = "SKU-OLD", 2500 // not in the catalog: the price charged is the reference
	pricier := a
	pricier.SKU = "TEE-XL" // bought at the catalog's 2700: only XL-priced variants, none left
	tests := []struct {
		name  string
		o     Order
		mods  []func(*Policy)
		line  Line
		stock ExchangeStock
		want  []string
	}{
		{"same product, same price, in stock; not the one bought", o, []func(*Policy){withExchanges(false)}, a, teeStock(),
			[]string{"TEE-S", "TEE-L"}},
		{"exchanges off by default", o, nil, a, teeStock(), nil},
		{"off in the order's region", o, []func(*Policy){withExchanges(false), func(p *Policy) {
			p.Regions = append(p.Regions, Region{Countries: []string{"DE"}, Rules: Rules{Exchanges: &ExchangePolicy{}}})
		}}, a, teeStock(), nil},
		{"a line without product", o, []func(*Policy){withExchanges(false)}, o.Lines[1], teeStock(), nil},
		{"a product the catalog lacks", o, []func(*Policy){withExchanges(false)}, a, ExchangeStock{}, nil},
		{"the price charged is the reference where the catalog lacks the SKU", o, []func(*Policy){withExchanges(false)},
			onSale, teeStock(), []string{"SKU-A", "TEE-S", "TEE-L"}},
		{"the catalog's price of the variant bought", o, []func(*Policy){withExchanges(false)}, pricier, teeStock(), nil},
		{"reservations count: the last L reserved", o, []func(*Policy){withExchanges(false)}, a,
			func() ExchangeStock { s := teeStock(); s.Available["TEE-L"] = 0; return s }(), []string{"TEE-S"}},
		{"no price in the order's currency", func() Order { x := o; x.Currency = "GBP"; return x }(),
			[]func(*Policy){withExchanges(false)}, a, teeStock(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := ExchangeOptions(tt.o, engPolicy(t, tt.mods...), LoadLegal(), tt.line, tt.stock)
			if got := skus(opts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("options %v, want %v", got, tt.want)
			}
			for _, o := range opts { // same price only: nothing to pay or refund
				if o.Difference != 0 {
					t.Errorf("%s: difference %d", o.Variant.SKU, o.Difference)
				}
			}
		})
	}
}

func TestBuildQuoteWithExchanges(t *testing.T) {
	de := exchangeOrder(t, "DE")
	us := exchangeOrder(t, "US")
	whole := func(o Order) Order { o.Lines = o.Lines[:1]; return o } // line A alone: the whole order
	tests := []struct {
		name  string
		o     Order
		mods  []func(*Policy)
		h     History
		req   QuoteRequest
		stock ExchangeStock
		want  Quote
	}{
		{name: "only exchanges: nothing back, no fee, no method needed (EU, statutory)",
			o: de, mods: []func(*Policy){withExchanges(false), withRestocking(10)},
			req: qreq("", false, exch("A", 1, "wrong_size", "TEE-L")), stock: teeStock(),
			want: Quote{Currency: "EUR", Lines: []QuoteLine{exl("A", 1, "wrong_size", "TEE-L", BasisStatutory)},
				Basis: BasisStatutory}},
		{name: "only exchanges: a method sent along is not used",
			o: de, mods: []func(*Policy){withExchanges(false)},
			req: qreq(MethodStoreCredit, false, exch("A", 2, "wrong_size", "TEE-S")), stock: teeStock(),
			want: Quote{Currency: "EUR", Lines: []QuoteLine{exl("A", 2, "wrong_size", "TEE-S", BasisStatutory)},
				Basis: BasisStatutory}},
		{name: "mixed: the refunded item pays its return shipping",
			o: de, mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, exch("A", 1, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2500, ReturnShippingFee: 495, Total: 2005, Basis: BasisStatutory,
				Lines: []QuoteLine{exl("A", 1, "wrong_size", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}},
		{name: "mixed with free_return_shipping: no fee",
			o: de, mods: []func(*Policy){withExchanges(true)},
			req:   qreq(MethodOriginalPayment, false, exch("A", 1, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2500, Total: 2500, Basis: BasisStatutory,
				Lines: []QuoteLine{exl("A", 1, "wrong_size", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}},
		{name: "restocking fee only on the refunded items (US, policy basis)",
			o: us, mods: []func(*Policy){withExchanges(false), func(p *Policy) { p.Regions[0].RestockingFeePercent = engPtr(10) }},
			req:   qreq(MethodOriginalPayment, false, exch("A", 1, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2500, RestockingFee: 250, Total: 2250, Basis: BasisPolicy,
				Lines: []QuoteLine{exl("A", 1, "wrong_size", "TEE-S", BasisPolicy), ql("C", 1, "changed_mind", 2500, BasisPolicy)}}},
		{name: "EU every unit back, two of them exchanged: no outbound shipping refund",
			o: de, mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, exch("A", 2, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2500, ReturnShippingFee: 495, Total: 2005, Basis: BasisStatutory,
				Lines: []QuoteLine{exl("A", 2, "wrong_size", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}},
		{name: "EU every unit back and refunded (the control): outbound shipping refunded",
			o: whole(de), mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, QuoteItem{LineID: "A", Quantity: 2, Reason: "changed_mind"}),
			h:     History{UnitsHeld: map[string]int{}},
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 4500, ReturnShippingFee: 495, OutboundShippingRefund: 495, Total: 4500,
				Basis: BasisStatutory, Lines: []QuoteLine{ql("A", 2, "changed_mind", 4500, BasisStatutory)}}},
		{name: "EU: the other unit was exchanged earlier: this one is not the whole order back",
			o: whole(de), mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind")),
			h:     History{UnitsHeld: map[string]int{"A": 1}, UnitsExchanged: map[string]int{"A": 1}},
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2250, ReturnShippingFee: 495, Total: 1755,
				Basis: BasisStatutory, Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisStatutory)}}},
		{name: "EU: the other unit was refunded earlier: this one completes the order",
			o: whole(de), mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind")),
			h:     History{UnitsHeld: map[string]int{"A": 1}},
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2250, ReturnShippingFee: 495, OutboundShippingRefund: 495, Total: 2250,
				Basis: BasisStatutory, Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisStatutory)}}},
		{name: "an item without resolution is refunded (the default)",
			o: de, mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, item("A", 1, "wrong_size")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2250, ReturnShippingFee: 495, Total: 1755, Basis: BasisStatutory,
				Lines: []QuoteLine{ql("A", 1, "wrong_size", 2250, BasisStatutory)}}},
		{name: "a faulty item exchanged: merchant's fault, no fee for the refunded one either",
			o: de, mods: []func(*Policy){withExchanges(false)},
			req:   qreq(MethodOriginalPayment, false, exch("A", 1, "damaged", "TEE-S"), item("C", 1, "changed_mind")),
			stock: teeStock(),
			want: Quote{Currency: "EUR", ItemsRefund: 2500, Total: 2500, Basis: BasisStatutory,
				Lines: []QuoteLine{exl("A", 1, "damaged", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := BuildQuoteWithStock(tt.o, engPolicy(t, tt.mods...), LoadLegal(), tt.h, tt.req, engTime(t, day5), tt.stock)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(q, tt.want) {
				t.Errorf("quote\n got %+v\nwant %+v", q, tt.want)
			}
			checkQuoteAddsUp(t, q)
		})
	}
}

func TestBuildQuoteExchangeErrors(t *testing.T) {
	de := exchangeOrder(t, "DE")
	on := []func(*Policy){withExchanges(false)}
	tests := []struct {
		name      string
		mods      []func(*Policy)
		req       QuoteRequest
		stock     ExchangeStock
		code, fld string
	}{
		{"exchanges off", nil, qreq("", false, exch("A", 1, "wrong_size", "TEE-S")), teeStock(), CodeExchangesOff, "items[0].resolution"},
		{"a line without product", on, qreq("", false, exch("C", 1, "wrong_size", "TEE-S")), teeStock(), CodeNotExchangeable, "items[0].resolution"},
		{"no SKU", on, qreq("", false, exch("A", 1, "wrong_size", "")), teeStock(), CodeUnknownVariant, "items[0].exchange_sku"},
		{"another product's SKU", on, qreq("", false, exch("A", 1, "wrong_size", "MUG-1")), teeStock(), CodeUnknownVariant, "items[0].exchange_sku"},
		{"the variant bought", on, qreq("", false, exch("A", 1, "wrong_size", "SKU-A")), teeStock(), CodeUnknownVariant, "items[0].exchange_sku"},
		{"another price", on, qreq("", false, exch("A", 1, "wrong_size", "TEE-XL")), teeStock(), CodeExchangePrice, "items[0].exchange_sku"},
		{"none left", on, qreq("", false, exch("A", 1, "wrong_size", "TEE-XS")), teeStock(), CodeOutOfStock, "items[0].exchange_sku"},
		{"two units, one left", on, qreq("", false, exch("A", 2, "wrong_size", "TEE-L")), teeStock(), CodeOutOfStock, "items[0].exchange_sku"},
		{"an unknown resolution", on, qreq("", false, QuoteItem{LineID: "A", Quantity: 1, Reason: "wrong_size", Resolution: "swap"}),
			teeStock(), CodeUnknownResolution, "items[0].resolution"},
		{"refund_method exchange for a refunded item", on, qreq(MethodExchange, false, exch("A", 1, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")),
			teeStock(), CodeExchangeNotSupported, "refund_method"},
		{"still the item's checks first: quantity", on, qreq("", false, exch("A", 3, "wrong_size", "TEE-S")), teeStock(),
			CodeExceedsReturnable, "items[0].quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildQuoteWithStock(de, engPolicy(t, tt.mods...), LoadLegal(), History{}, tt.req, engTime(t, day5), tt.stock)
			var de *Error
			if !errors.As(err, &de) || de.Code != tt.code || de.Field != tt.fld {
				t.Fatalf("err = %v, want %s at %s", err, tt.code, tt.fld)
			}
		})
	}
	// Without the catalog every exchange is refused.
	_, err := BuildQuote(de, engPolicy(t, on...), LoadLegal(), History{}, qreq("", false, exch("A", 1, "wrong_size", "TEE-S")), engTime(t, day5))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeExchangesOff {
		t.Errorf("BuildQuote without stock: %v", err)
	}
}

func TestRequoteAcceptedKeepsExchanges(t *testing.T) {
	o := exchangeOrder(t, "DE")
	p := engPolicy(t, withExchanges(false))
	r := Return{Status: StatusReceived, RefundMethod: MethodOriginalPayment, CreatedAt: engTime(t, day5),
		Items: []QuoteItem{exch("A", 2, "wrong_size", "TEE-S"), item("C", 1, "changed_mind")}}
	tests := []struct {
		name     string
		accepted map[string]int
		want     Quote
	}{
		{"all accepted: the exchange at zero (no stock needed), the refund as quoted", map[string]int{"A": 2, "C": 1},
			Quote{Currency: "EUR", ItemsRefund: 2500, ReturnShippingFee: 495, Total: 2005, Basis: BasisStatutory,
				Lines: []QuoteLine{exl("A", 2, "wrong_size", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}},
		{"the refunded item refused: only the exchange is left, which needs no method", map[string]int{"A": 1, "C": 0},
			Quote{Currency: "EUR", Basis: BasisStatutory, Lines: []QuoteLine{exl("A", 1, "wrong_size", "TEE-S", BasisStatutory)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := RequoteAccepted(o, p, LoadLegal(), History{}, r, tt.accepted)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(q, tt.want) {
				t.Errorf("quote\n got %+v\nwant %+v", q, tt.want)
			}
		})
	}
}

func TestSettleExchanges(t *testing.T) {
	x := func(line string, q int, state string) ExchangeLine {
		return ExchangeLine{LineID: line, SKU: "S-" + line, Quantity: q, State: state}
	}
	tests := []struct {
		name     string
		lines    []ExchangeLine
		accepted map[string]int
		want     []ExchangeLine
	}{
		{"all accepted: issued", []ExchangeLine{x("A", 2, ExchangeReserved)}, map[string]int{"A": 2},
			[]ExchangeLine{x("A", 2, ExchangeIssued)}},
		{"none accepted: released", []ExchangeLine{x("A", 2, ExchangeReserved)}, map[string]int{},
			[]ExchangeLine{x("A", 2, ExchangeReleased)}},
		{"partly accepted: split", []ExchangeLine{x("A", 3, ExchangeReserved)}, map[string]int{"A": 1},
			[]ExchangeLine{x("A", 1, ExchangeIssued), x("A", 2, ExchangeReleased)}},
		{"more accepted than reserved cannot issue more", []ExchangeLine{x("A", 1, ExchangeReserved)}, map[string]int{"A": 5},
			[]ExchangeLine{x("A", 1, ExchangeIssued)}},
		{"lines no longer reserved stay", []ExchangeLine{x("A", 1, ExchangeReleased), x("B", 1, ExchangeReserved)},
			map[string]int{"A": 1, "B": 1}, []ExchangeLine{x("A", 1, ExchangeReleased), x("B", 1, ExchangeIssued)}},
		{"a negative count issues nothing", []ExchangeLine{x("A", 1, ExchangeReserved)}, map[string]int{"A": -1},
			[]ExchangeLine{x("A", 1, ExchangeReleased)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SettleExchanges(tt.lines, tt.accepted); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestStatusAfterExchange(t *testing.T) {
	issued := []ExchangeLine{{LineID: "A", Quantity: 1, State: ExchangeIssued}}
	released := []ExchangeLine{{LineID: "A", Quantity: 1, State: ExchangeReleased}}
	tests := []struct {
		name    string
		r       Return
		settled []ExchangeLine
		want    Status
	}{
		{"every item exchanged", Return{Status: StatusInspected}, issued, StatusExchanged},
		{"money still owed: the refund decides", Return{Status: StatusInspected, Quote: Quote{Total: 100}}, issued, StatusInspected},
		{"goodwill still owed", Return{Status: StatusInspected, Goodwill: []Goodwill{{Amount: 100}}}, issued, StatusInspected},
		{"nothing issued: staff decide", Return{Status: StatusInspected}, released, StatusInspected},
		{"no exchanges", Return{Status: StatusInspected, Quote: Quote{Total: 100}}, nil, StatusInspected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusAfterExchange(tt.r, tt.settled); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestExchangeLines(t *testing.T) {
	o := exchangeOrder(t, "DE")
	q := Quote{Lines: []QuoteLine{exl("A", 2, "wrong_size", "TEE-S", BasisStatutory), ql("C", 1, "changed_mind", 2500, BasisStatutory)}}
	got := ExchangeLines(o, q, teeStock())
	want := []ExchangeLine{{LineID: "A", ProductID: "P-TEE", SKU: "TEE-S", Title: "S",
		Options: map[string]string{"Size": "S", "Color": "Blue"}, Quantity: 2, State: ExchangeReserved}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
