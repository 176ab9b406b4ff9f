package returns

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func item(line string, q int, reason string) QuoteItem {
	return QuoteItem{LineID: line, Quantity: q, Reason: reason}
}

func qreq(method string, consent bool, items ...QuoteItem) QuoteRequest {
	return QuoteRequest{Items: items, RefundMethod: method, Consent: consent}
}

func withShipping(amount, standard int64) func(*Order) {
	return func(o *Order) { o.Shipping = Shipping{Amount: amount, Method: "express", StandardAmount: &standard} }
}

// quoteOrder: delivered Monday 2026-03-02 to country; lines
// A: 2 × 2500 − 500 = 4500; B: 3 units paid 1000; C: 1 × 2500.
func quoteOrder(t *testing.T, country, region, currency string, mods ...func(*Order)) Order {
	t.Helper()
	o := engOrder(t, country, region, currency, "2026-03-02T10:00:00Z",
		engLine("A", qty(2), discount(500)),
		engLine("B", qty(3), price(334), discount(2)),
		engLine("C"),
		engLine("P", exemption("personalised")),
		engLine("F", finalSale),
		engLine("D", price(300)))
	for _, m := range mods {
		m(&o)
	}
	return o
}

const (
	day5  = "2026-03-07T12:00:00Z" // inside the EU statutory window
	day20 = "2026-03-22T12:00:00Z" // EU: merchant window only
)

func ql(line string, q int, reason string, refund int64, basis string) QuoteLine {
	return QuoteLine{LineID: line, Quantity: q, Reason: reason, Refund: refund, Basis: basis}
}

func TestBuildQuote(t *testing.T) {
	one := func(o Order) Order { o.Lines = o.Lines[:1]; return o } // only line A
	autoOff := func(p *Policy) { p.Default.AutoApprove = engPtr(false) }
	tests := []struct {
		name string
		o    Order
		mods []func(*Policy)
		h    History
		req  QuoteRequest
		now  string
		want Quote
	}{
		{name: "EU statutory: no restocking fee, consumer pays return shipping",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, ReturnShippingFee: 495, Total: 1755,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU store credit with consent: bonus",
			o: quoteOrder(t, "DE", "", "EUR"), req: qreq(MethodStoreCredit, true, item("A", 1, "wrong_size")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, ReturnShippingFee: 495, StoreCreditBonus: 225, Total: 1980,
				Lines: []QuoteLine{ql("A", 1, "wrong_size", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU merchant fault: free return shipping",
			o: quoteOrder(t, "DE", "", "EUR"), req: qreq(MethodOriginalPayment, false, item("A", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, Total: 2250,
				Lines: []QuoteLine{ql("A", 1, "damaged", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU policy basis (day 20): restocking fee and return shipping",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind")), now: day20,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, RestockingFee: 225, ReturnShippingFee: 495, Total: 1530,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "restocking only on items without merchant fault; fault frees return shipping",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind"), item("C", 1, "defective")), now: day20,
			want: Quote{Currency: "EUR", ItemsRefund: 4750, RestockingFee: 225, Total: 4525,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisPolicy), ql("C", 1, "defective", 2500, BasisPolicy)},
				Basis: BasisPolicy}},
		{name: "fees clamped to the item refund: total 0",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("D", 1, "changed_mind")), now: day20,
			want: Quote{Currency: "EUR", ItemsRefund: 300, RestockingFee: 30, ReturnShippingFee: 270, Total: 0,
				Lines: []QuoteLine{ql("D", 1, "changed_mind", 300, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "US: restocking fee charged, free return shipping in the region",
			o: quoteOrder(t, "US", "CA", "USD"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "USD", ItemsRefund: 2250, RestockingFee: 225, Total: 2025,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "US: percentages half-up (15% of 2250 = 337.5)",
			o: quoteOrder(t, "US", "CA", "USD"), mods: []func(*Policy){withRestocking(15)},
			req: qreq(MethodStoreCredit, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "USD", ItemsRefund: 2250, RestockingFee: 338, StoreCreditBonus: 225, Total: 2137,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "store credit bonus half-up (10% of the last third, 334 = 33.4)",
			o: quoteOrder(t, "US", "CA", "USD"), h: engHeld(map[string]int{"B": 2}),
			req: qreq(MethodStoreCredit, false, item("B", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "USD", ItemsRefund: 334, StoreCreditBonus: 33, Total: 367,
				Lines: []QuoteLine{ql("B", 1, "changed_mind", 334, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "store credit bonus rounds 0.5 up (10% of 2245)",
			o:   func() Order { o := quoteOrder(t, "US", "CA", "USD"); o.Lines[2].UnitPrice = 2245; return o }(),
			req: qreq(MethodStoreCredit, false, item("C", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "USD", ItemsRefund: 2245, StoreCreditBonus: 225, Total: 2470,
				Lines: []QuoteLine{ql("C", 1, "changed_mind", 2245, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "mixed basis with a faulty-only item: policy basis, manual review, no fee on statutory item",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){withRestocking(10)},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "changed_mind"), item("P", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 4750, Total: 4750,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 2250, BasisStatutory), ql("P", 1, "damaged", 2500, BasisPolicy)},
				Basis: BasisPolicy, ManualReview: true}},
		{name: "no auto-approve: manual review",
			o: quoteOrder(t, "DE", "", "EUR"), mods: []func(*Policy){autoOff},
			req: qreq(MethodOriginalPayment, false, item("C", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2500, Total: 2500,
				Lines: []QuoteLine{ql("C", 1, "damaged", 2500, BasisStatutory)}, Basis: BasisStatutory, ManualReview: true}},

		// Outbound shipping: once per order, whole order, statutory, where required.
		{name: "EU whole order: outbound refund up to the cheapest standard delivery",
			o:   one(quoteOrder(t, "DE", "", "EUR", withShipping(995, 495))),
			req: qreq(MethodOriginalPayment, false, item("A", 2, "changed_mind")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 4500, ReturnShippingFee: 495, OutboundShippingRefund: 495, Total: 4500,
				Lines: []QuoteLine{ql("A", 2, "changed_mind", 4500, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU last unit completes the order: outbound refund",
			o: one(quoteOrder(t, "DE", "", "EUR", withShipping(395, 495))), h: engHeld(map[string]int{"A": 1}),
			req: qreq(MethodOriginalPayment, false, item("A", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, OutboundShippingRefund: 395, Total: 2645,
				Lines: []QuoteLine{ql("A", 1, "damaged", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU outbound already refunded",
			o:   one(quoteOrder(t, "DE", "", "EUR", withShipping(995, 495))),
			h:   History{UnitsHeld: map[string]int{"A": 1}, OutboundRefunded: true},
			req: qreq(MethodOriginalPayment, false, item("A", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, Total: 2250,
				Lines: []QuoteLine{ql("A", 1, "damaged", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU part of the order: no outbound refund",
			o:   one(quoteOrder(t, "DE", "", "EUR", withShipping(995, 495))),
			req: qreq(MethodOriginalPayment, false, item("A", 1, "damaged")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 2250, Total: 2250,
				Lines: []QuoteLine{ql("A", 1, "damaged", 2250, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "EU whole order on the policy basis: no outbound refund",
			o:   one(quoteOrder(t, "DE", "", "EUR", withShipping(995, 495))),
			req: qreq(MethodOriginalPayment, false, item("A", 2, "damaged")), now: day20,
			want: Quote{Currency: "EUR", ItemsRefund: 4500, Total: 4500,
				Lines: []QuoteLine{ql("A", 2, "damaged", 4500, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "TR: all outbound shipping, merchant pays return shipping",
			o:   one(quoteOrder(t, "TR", "", "EUR", withShipping(995, 495))),
			req: qreq(MethodOriginalPayment, false, item("A", 2, "changed_mind")), now: day5,
			want: Quote{Currency: "EUR", ItemsRefund: 4500, OutboundShippingRefund: 995, Total: 5495,
				Lines: []QuoteLine{ql("A", 2, "changed_mind", 4500, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "BR: all outbound shipping",
			o:   one(quoteOrder(t, "BR", "SP", "BRL", withShipping(995, 495))),
			req: qreq(MethodOriginalPayment, false, item("A", 2, "changed_mind")), now: day5,
			want: Quote{Currency: "BRL", ItemsRefund: 4500, OutboundShippingRefund: 995, Total: 5495,
				Lines: []QuoteLine{ql("A", 2, "changed_mind", 4500, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "GB: consumer pays return shipping in GBP",
			o:   quoteOrder(t, "GB", "", "GBP"),
			req: qreq(MethodOriginalPayment, false, item("C", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "GBP", ItemsRefund: 2500, ReturnShippingFee: 395, Total: 2105,
				Lines: []QuoteLine{ql("C", 1, "changed_mind", 2500, BasisStatutory)}, Basis: BasisStatutory}},
		{name: "no fee listed for the currency: free",
			o:   quoteOrder(t, "DE", "", "SEK"),
			req: qreq(MethodOriginalPayment, false, item("C", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "SEK", ItemsRefund: 2500, Total: 2500,
				Lines: []QuoteLine{ql("C", 1, "changed_mind", 2500, BasisStatutory)}, Basis: BasisStatutory}},

		// Currencies with 0 and 3 decimals: minor units throughout.
		{name: "JPY",
			o:   engOrder(t, "JP", "", "JPY", "2026-03-02T10:00:00Z", engLine("A", qty(3), price(999))),
			req: qreq(MethodStoreCredit, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "JPY", ItemsRefund: 999, StoreCreditBonus: 100, Total: 1099,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 999, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "KWD",
			o:    engOrder(t, "KW", "", "KWD", "2026-03-02T10:00:00Z", engLine("A", qty(2), price(12345), discount(1))),
			mods: []func(*Policy){withRestocking(5)},
			req:  qreq(MethodBankTransfer, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "KWD", ItemsRefund: 12344, RestockingFee: 617, Total: 11727,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 12344, BasisPolicy)}, Basis: BasisPolicy}},
		{name: "KWD second unit gets the remainder",
			o:    engOrder(t, "KW", "", "KWD", "2026-03-02T10:00:00Z", engLine("A", qty(2), price(12345), discount(1))),
			mods: []func(*Policy){withRestocking(5)}, h: engHeld(map[string]int{"A": 1}),
			req: qreq(MethodBankTransfer, false, item("A", 1, "changed_mind")), now: day5,
			want: Quote{Currency: "KWD", ItemsRefund: 12345, RestockingFee: 617, Total: 11728,
				Lines: []QuoteLine{ql("A", 1, "changed_mind", 12345, BasisPolicy)}, Basis: BasisPolicy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BuildQuote(tt.o, engPolicy(t, tt.mods...), LoadLegal(), tt.h, tt.req, engTime(t, tt.now))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
			checkQuoteAddsUp(t, got)
		})
	}
}

func checkQuoteAddsUp(t *testing.T, q Quote) {
	t.Helper()
	var sum int64
	for _, l := range q.Lines {
		sum += l.Refund
	}
	if sum != q.ItemsRefund {
		t.Errorf("lines sum to %d, items refund %d", sum, q.ItemsRefund)
	}
	if q.RestockingFee+q.ReturnShippingFee > q.ItemsRefund || q.RestockingFee < 0 || q.ReturnShippingFee < 0 {
		t.Errorf("fees %d + %d exceed items refund %d", q.RestockingFee, q.ReturnShippingFee, q.ItemsRefund)
	}
	if q.Total != q.ItemsRefund-q.RestockingFee-q.ReturnShippingFee+q.OutboundShippingRefund+q.StoreCreditBonus || q.Total < 0 {
		t.Errorf("total %d does not add up", q.Total)
	}
}

// Three partial returns of a 3-unit line paid 1000 refund 333 + 333 + 334.
func TestRepeatedPartialReturns(t *testing.T) {
	o := quoteOrder(t, "US", "CA", "USD")
	p := engPolicy(t)
	h := History{UnitsHeld: map[string]int{}}
	var refunds []int64
	for range 3 {
		q, err := BuildQuote(o, p, LoadLegal(), h, qreq(MethodOriginalPayment, false, item("B", 1, "changed_mind")),
			engTime(t, day5))
		if err != nil {
			t.Fatal(err)
		}
		refunds = append(refunds, q.ItemsRefund)
		h.UnitsHeld["B"]++
	}
	if want := []int64{333, 333, 334}; !slices.Equal(refunds, want) {
		t.Errorf("got %v, want %v", refunds, want)
	}
	_, err := BuildQuote(o, p, LoadLegal(), h, qreq(MethodOriginalPayment, false, item("B", 1, "changed_mind")),
		engTime(t, day5))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeExceedsReturnable {
		t.Errorf("fourth return: got %v, want exceeds_returnable", err)
	}
}

func TestItemRefund(t *testing.T) {
	line := Line{Quantity: 3, UnitPrice: 334, Discount: 2} // paid 1000
	huge := Line{Quantity: 10000, UnitPrice: 1_000_000_000_000}
	tests := []struct {
		name string
		l    Line
		r, q int
		want int64
	}{
		{"first of three", line, 0, 1, 333},
		{"second of three", line, 1, 1, 333},
		{"third of three", line, 2, 1, 334},
		{"two after one", line, 1, 2, 667},
		{"all", line, 0, 3, 1000},
		{"more than left is capped", line, 2, 5, 334},
		{"none", line, 0, 0, 0},
		{"zero quantity line", Line{}, 0, 1, 0},
		{"no int64 overflow", huge, 9999, 1, 1_000_000_000_000},
		{"no int64 overflow, all", huge, 0, 10000, 10_000_000_000_000_000},
	}
	for _, tt := range tests {
		if got := ItemRefund(tt.l, tt.r, tt.q); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPercentHalfUp(t *testing.T) {
	tests := []struct {
		amount int64
		pct    int
		want   int64
	}{
		{2245, 10, 225}, {2244, 10, 224}, {2250, 15, 338}, {5, 10, 1}, {4, 10, 0},
		{0, 10, 0}, {1000, 0, 0}, {999, 100, 999}, {-2245, 10, -224},
		{9_000_000_000_000_000, 50, 4_500_000_000_000_000},
	}
	for _, tt := range tests {
		if got := percentHalfUp(tt.amount, tt.pct); got != tt.want {
			t.Errorf("%d%% of %d: got %d, want %d", tt.pct, tt.amount, got, tt.want)
		}
	}
}

func TestBuildQuoteErrors(t *testing.T) {
	de := quoteOrder(t, "DE", "", "EUR")
	us := quoteOrder(t, "US", "CA", "USD")
	jp := quoteOrder(t, "JP", "", "JPY")
	undelivered := engOrder(t, "DE", "", "EUR", "", engLine("A"))
	op := MethodOriginalPayment
	tests := []struct {
		name      string
		o         Order
		h         History
		req       QuoteRequest
		now       string
		code, fld string
	}{
		{"no items", de, History{}, qreq(op, false), day5, CodeNoItems, "items"},
		{"unknown line", de, History{}, qreq(op, false, item("A", 1, "damaged"), item("Z", 1, "damaged")), day5,
			CodeUnknownLine, "items[1].line_id"},
		{"duplicate line", de, History{}, qreq(op, false, item("A", 1, "damaged"), item("A", 1, "damaged")), day5,
			CodeDuplicateLine, "items[1].line_id"},
		{"zero quantity", de, History{}, qreq(op, false, item("A", 0, "damaged")), day5, CodeInvalidQuantity, "items[0].quantity"},
		{"negative quantity", de, History{}, qreq(op, false, item("A", -1, "damaged")), day5, CodeInvalidQuantity, "items[0].quantity"},
		{"more than ordered", de, History{}, qreq(op, false, item("A", 3, "damaged")), day5, CodeExceedsReturnable, "items[0].quantity"},
		{"more than left", de, engHeld(map[string]int{"A": 1}), qreq(op, false, item("A", 2, "damaged")), day5,
			CodeExceedsReturnable, "items[0].quantity"},
		{"fully returned line", de, engHeld(map[string]int{"C": 1}), qreq(op, false, item("C", 1, "damaged")), day5,
			CodeExceedsReturnable, "items[0].quantity"},
		{"final sale in the US", us, History{}, qreq(op, false, item("F", 1, "damaged")), day5, CodeNotEligible, "items[0].line_id"},
		{"not delivered", undelivered, History{}, qreq(op, false, item("A", 1, "damaged")), day5, CodeNotEligible, "items[0].line_id"},
		{"window closed", us, History{}, qreq(op, false, item("A", 1, "damaged")), "2026-09-01T12:00:00Z", CodeNotEligible,
			"items[0].line_id"},
		{"unknown reason", de, History{}, qreq(op, false, item("A", 1, "bored")), day5, CodeUnknownReason, "items[0].reason"},
		{"empty reason", de, History{}, qreq(op, false, item("C", 1, "damaged"), item("A", 1, "")), day5, CodeUnknownReason,
			"items[1].reason"},
		{"faulty only needs a fault reason", de, History{}, qreq(op, false, item("P", 1, "changed_mind")), day5,
			CodeFaultReasonRequired, "items[0].reason"},
		{"final sale after EU window needs a fault reason", de, History{}, qreq(op, false, item("F", 1, "wrong_size")), day20,
			CodeFaultReasonRequired, "items[0].reason"},
		{"unknown method", de, History{}, qreq("cash", false, item("A", 1, "damaged")), day5, CodeUnknownMethod, "refund_method"},
		{"no method", de, History{}, qreq("", false, item("A", 1, "damaged")), day5, CodeUnknownMethod, "refund_method"},
		{"exchange", de, History{}, qreq(MethodExchange, false, item("A", 1, "damaged")), day5, CodeExchangeNotSupported,
			"refund_method"},
		{"bank transfer in the US", us, History{}, qreq(MethodBankTransfer, false, item("A", 1, "damaged")), day5,
			CodeMethodNotOffered, "refund_method"},
		{"bank transfer not in JP's list", jp, History{}, qreq(MethodBankTransfer, false, item("A", 1, "damaged")), day5,
			CodeMethodNotOffered, "refund_method"},
		{"EU statutory store credit without consent", de, History{}, qreq(MethodStoreCredit, false, item("A", 1, "damaged")), day5,
			CodeConsentRequired, "refund_method_consent"},
		{"EU statutory bank transfer without consent", de, History{}, qreq(MethodBankTransfer, false, item("A", 1, "damaged")),
			day5, CodeConsentRequired, "refund_method_consent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildQuote(tt.o, engPolicy(t), LoadLegal(), tt.h, tt.req, engTime(t, tt.now))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error %s", err, tt.code)
			}
			if e.Code != tt.code || e.Field != tt.fld {
				t.Errorf("got %s at %s, want %s at %s", e.Code, e.Field, tt.code, tt.fld)
			}
		})
	}
}

func TestBuildQuoteWithoutConsentWhereNotNeeded(t *testing.T) {
	tests := []struct {
		name string
		o    Order
		now  string
	}{
		{"EU policy basis", quoteOrder(t, "DE", "", "EUR"), day20},
		{"US", quoteOrder(t, "US", "CA", "USD"), day5},
		{"KR statutory (law does not require the same means)", quoteOrder(t, "KR", "", "KRW"), day5},
	}
	for _, tt := range tests {
		if _, err := BuildQuote(tt.o, engPolicy(t), LoadLegal(), History{},
			qreq(MethodStoreCredit, false, item("A", 1, "changed_mind")), engTime(t, tt.now)); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestOfferedMethods(t *testing.T) {
	all := []string{MethodOriginalPayment, MethodStoreCredit, MethodBankTransfer}
	tests := []struct {
		name string
		o    Order
		mods []func(*Policy)
		now  string
		want []string
	}{
		{"DE statutory", quoteOrder(t, "DE", "", "EUR"), nil, day5, all},
		{"US: no IBAN, no bank transfer", quoteOrder(t, "US", "CA", "USD"), nil, day5,
			[]string{MethodOriginalPayment, MethodStoreCredit}},
		{"JP region list", quoteOrder(t, "JP", "", "JPY"), nil, day5, []string{MethodOriginalPayment, MethodStoreCredit}},
		{"CH uses IBAN", quoteOrder(t, "CH", "", "CHF"), nil, day5, all},
		{"statutory: original payment added", quoteOrder(t, "DE", "", "EUR"),
			[]func(*Policy){withMethods(MethodStoreCredit, MethodBankTransfer)}, day5, all},
		{"policy basis: merchant list only", quoteOrder(t, "DE", "", "EUR"),
			[]func(*Policy){withMethods(MethodStoreCredit, MethodBankTransfer)}, day20,
			[]string{MethodStoreCredit, MethodBankTransfer}},
		{"merchant order kept; exchange never offered", quoteOrder(t, "DE", "", "EUR"),
			[]func(*Policy){withMethods(MethodExchange, MethodStoreCredit, MethodOriginalPayment, MethodStoreCredit)}, day5,
			[]string{MethodStoreCredit, MethodOriginalPayment}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := engPolicy(t, tt.mods...)
			elig := Evaluate(tt.o, p, LoadLegal(), History{}, engTime(t, tt.now))
			if got := OfferedMethods(tt.o, p, LoadLegal(), elig); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConsentRequired(t *testing.T) {
	tests := []struct {
		name   string
		o      Order
		now    string
		method string
		want   bool
	}{
		{"EU statutory store credit", quoteOrder(t, "DE", "", "EUR"), day5, MethodStoreCredit, true},
		{"EU statutory bank transfer", quoteOrder(t, "DE", "", "EUR"), day5, MethodBankTransfer, true},
		{"EU statutory original payment", quoteOrder(t, "DE", "", "EUR"), day5, MethodOriginalPayment, false},
		{"EU policy basis", quoteOrder(t, "DE", "", "EUR"), day20, MethodStoreCredit, false},
		{"GB statutory", quoteOrder(t, "GB", "", "GBP"), day5, MethodStoreCredit, true},
		{"US", quoteOrder(t, "US", "CA", "USD"), day5, MethodStoreCredit, false},
		{"KR statutory", quoteOrder(t, "KR", "", "KRW"), day5, MethodStoreCredit, false},
	}
	for _, tt := range tests {
		p := engPolicy(t)
		elig := Evaluate(tt.o, p, LoadLegal(), History{}, engTime(t, tt.now))
		if got := ConsentRequired(tt.o, p, LoadLegal(), elig, tt.method); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
