package returns

import (
	"errors"
	"testing"
	"time"
)

// inspReturn is a return of the quote order (quoteOrder) requested on day 5.
func inspReturn(t *testing.T, method string, items ...QuoteItem) Return {
	t.Helper()
	return Return{ID: 7, RMA: "R-0000-0001", Status: StatusReceived, Basis: BasisStatutory,
		RefundMethod: method, Items: items, CreatedAt: engTime(t, day5)}
}

func TestCheckInspection(t *testing.T) {
	r := inspReturn(t, MethodOriginalPayment, item("A", 2, "wrong_size"), item("C", 1, "damaged"))
	ok := func(line string, n int, cond string) InspectedItem {
		return InspectedItem{LineID: line, Accepted: n, Condition: cond}
	}
	long := make([]byte, MaxNotes+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, c := range []struct {
		name  string
		items []InspectedItem
		code  string
		field string
		want  map[string]int
	}{
		{"all accepted", []InspectedItem{ok("A", 2, ConditionResellable), ok("C", 1, ConditionDamaged)}, "", "",
			map[string]int{"A": 2, "C": 1}},
		{"partial", []InspectedItem{ok("A", 1, ConditionResellable), ok("C", 0, ConditionMissing)}, "", "",
			map[string]int{"A": 1, "C": 0}},
		{"unknown line", []InspectedItem{ok("B", 1, ConditionResellable)}, CodeUnknownLine, "items[0].line_id", nil},
		{"twice", []InspectedItem{ok("A", 1, ConditionResellable), ok("A", 1, ConditionResellable)}, CodeDuplicateLine, "items[1].line_id", nil},
		{"too many", []InspectedItem{ok("A", 3, ConditionResellable), ok("C", 1, ConditionDamaged)}, CodeInvalidQuantity, "items[0].accepted_quantity", nil},
		{"negative", []InspectedItem{ok("A", -1, ConditionResellable), ok("C", 1, ConditionDamaged)}, CodeInvalidQuantity, "items[0].accepted_quantity", nil},
		{"condition", []InspectedItem{ok("A", 1, "like_new"), ok("C", 1, ConditionDamaged)}, CodeInvalidCondition, "items[0].condition", nil},
		{"missing but accepted", []InspectedItem{ok("A", 2, ConditionResellable), ok("C", 1, ConditionMissing)}, CodeMissingAccepted, "items[1].accepted_quantity", nil},
		{"incomplete", []InspectedItem{ok("A", 2, ConditionResellable)}, CodeInspectionIncomplete, "items", nil},
		{"notes", []InspectedItem{{LineID: "A", Accepted: 1, Condition: ConditionDamaged, Notes: string(long)}, ok("C", 1, ConditionDamaged)},
			CodeNotesTooLong, "items[0].notes", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := CheckInspection(r, c.items)
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(c.want) {
					t.Fatalf("accepted %v, want %v", got, c.want)
				}
				for k, v := range c.want {
					if got[k] != v {
						t.Errorf("accepted %v, want %v", got, c.want)
					}
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || de.Code != c.code || de.Field != c.field {
				t.Fatalf("err = %v, want %s at %s", err, c.code, c.field)
			}
		})
	}
}

func TestRequoteAccepted(t *testing.T) {
	p := engPolicy(t)
	for _, c := range []struct {
		name     string
		country  string
		method   string
		items    []QuoteItem
		held     map[string]int
		accepted map[string]int
		consent  bool
		// want; fee is the return shipping fee (the policy's 495 EUR, the
		// shopper pays in the EU when informed; clamped to the items)
		items_, fee, outbound, bonus, total int64
		lines                               int
	}{
		// DE, statutory: no fees; B is 3 units paid 1000 (334*3-2).
		{name: "all accepted equals the original quote", country: "DE", method: MethodOriginalPayment,
			items: []QuoteItem{item("B", 3, "changed_mind")}, accepted: map[string]int{"B": 3},
			items_: 1000, fee: 495, total: 505, lines: 1},
		{name: "one of three units", country: "DE", method: MethodOriginalPayment,
			items: []QuoteItem{item("B", 3, "changed_mind")}, accepted: map[string]int{"B": 1},
			items_: 333, fee: 333, total: 0, lines: 1},
		{name: "cumulative floors after an earlier return", country: "DE", method: MethodOriginalPayment,
			items: []QuoteItem{item("B", 2, "changed_mind")}, held: map[string]int{"B": 1}, accepted: map[string]int{"B": 2},
			items_: 667, fee: 495, total: 172, lines: 1},
		{name: "nothing accepted", country: "DE", method: MethodOriginalPayment,
			items: []QuoteItem{item("A", 2, "changed_mind")}, accepted: map[string]int{"A": 0}, lines: 0},
		{name: "store credit bonus on the accepted part", country: "DE", method: MethodStoreCredit, consent: true,
			items: []QuoteItem{item("A", 2, "changed_mind"), item("C", 1, "damaged")}, accepted: map[string]int{"A": 1, "C": 1},
			items_: 2250 + 2500, bonus: 475, total: 2250 + 2500 + 475, lines: 2},
		// US: policy basis, return shipping fee 0 in the US region; a
		// restocking fee is not set in the example policy.
		{name: "US partial", country: "US", method: MethodOriginalPayment,
			items: []QuoteItem{item("A", 2, "changed_mind")}, accepted: map[string]int{"A": 1},
			items_: 2250, total: 2250, lines: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			region := ""
			if c.country == "US" {
				region = "NY"
			}
			o := quoteOrder(t, c.country, region, "EUR")
			r := inspReturn(t, c.method, c.items...)
			r.Consent = c.consent
			q, err := RequoteAccepted(o, p, LoadLegal(), engHeld(c.held), r, c.accepted)
			if err != nil {
				t.Fatal(err)
			}
			if q.ItemsRefund != c.items_ || q.ReturnShippingFee != c.fee || q.OutboundShippingRefund != c.outbound ||
				q.StoreCreditBonus != c.bonus || q.Total != c.total || len(q.Lines) != c.lines || q.Currency != "EUR" {
				t.Errorf("quote %+v", q)
			}
		})
	}
}

// TestRequoteWholeOrderOutbound: the EU refunds the outbound shipping when
// the whole order comes back; a unit refused at inspection takes it away.
func TestRequoteWholeOrderOutbound(t *testing.T) {
	p := engPolicy(t)
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("A", qty(2)))
	r := inspReturn(t, MethodOriginalPayment, item("A", 2, "damaged")) // merchant's fault: no fee
	all, err := RequoteAccepted(o, p, LoadLegal(), History{}, r, map[string]int{"A": 2})
	if err != nil {
		t.Fatal(err)
	}
	if all.OutboundShippingRefund != 495 || all.Total != 5000+495 {
		t.Errorf("whole order: %+v", all)
	}
	one, err := RequoteAccepted(o, p, LoadLegal(), History{}, r, map[string]int{"A": 1})
	if err != nil {
		t.Fatal(err)
	}
	if one.OutboundShippingRefund != 0 || one.Total != 2500 {
		t.Errorf("one unit: %+v", one)
	}
}

// TestRequoteUsesRequestTime: the window closed between the request and the
// inspection; the accepted items still refund.
func TestRequoteUsesRequestTime(t *testing.T) {
	p := engPolicy(t)
	o := quoteOrder(t, "DE", "", "EUR")
	r := inspReturn(t, MethodOriginalPayment, item("C", 1, "damaged"))
	r.CreatedAt = engTime(t, day5)
	// Inspected long after the 14 days: RequoteAccepted has no clock and
	// prices as at the request.
	q, err := RequoteAccepted(o, p, LoadLegal(), History{}, r, map[string]int{"C": 1})
	if err != nil || q.Total != 2500 {
		t.Fatalf("%+v %v", q, err)
	}
}

func TestDecideRefund(t *testing.T) {
	quote := Quote{Currency: "EUR", ItemsRefund: 5000, StoreCreditBonus: 500, Total: 5500}
	for _, c := range []struct {
		name   string
		status Status
		method string
		quote  Quote
		want   RefundDecision
		code   string
	}{
		{"original payment", StatusInspected, MethodOriginalPayment, Quote{Currency: "EUR", ItemsRefund: 5000, Total: 5000},
			RefundDecision{Amount: 5000, Currency: "EUR", Method: MethodOriginalPayment, Status: StatusRefunded}, ""},
		{"bank transfer", StatusInspected, MethodBankTransfer, Quote{Currency: "JPY", ItemsRefund: 1200, Total: 1200},
			RefundDecision{Amount: 1200, Currency: "JPY", Method: MethodBankTransfer, Status: StatusRefunded}, ""},
		{"store credit", StatusInspected, MethodStoreCredit, quote,
			RefundDecision{Amount: 5000, Bonus: 500, Currency: "EUR", Method: MethodStoreCredit, Status: StatusCredited}, ""},
		{"not inspected", StatusReceived, MethodOriginalPayment, quote, RefundDecision{}, CodeNotInspected},
		{"already refunded", StatusRefunded, MethodOriginalPayment, quote, RefundDecision{}, CodeNotInspected},
		{"nothing", StatusInspected, MethodOriginalPayment, Quote{Currency: "EUR"}, RefundDecision{}, CodeNothingToRefund},
		{"only exchanges: nothing to pay", StatusInspected, MethodExchange, quote, RefundDecision{}, CodeNothingToRefund},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := DecideRefund(Return{Status: c.status, RefundMethod: c.method, Quote: c.quote})
			if c.code != "" {
				var de *Error
				if !errors.As(err, &de) || de.Code != c.code {
					t.Fatalf("err = %v, want %s", err, c.code)
				}
				return
			}
			if err != nil || d != c.want {
				t.Fatalf("got %+v, %v; want %+v", d, err, c.want)
			}
		})
	}
}

func TestRefundDeadline(t *testing.T) {
	p := engPolicy(t)
	at := func(s string) *time.Time { v := engTime(t, s); return &v }
	for _, c := range []struct {
		name, country, region, basis string
		requested                    string
		received                     *time.Time
		want                         string // "" = none
	}{
		{"EU 14 days from the request", "DE", "", BasisStatutory, "2026-03-07T12:00:00Z", nil, "2026-03-21"},
		{"EU ignores the arrival", "FR", "", BasisStatutory, "2026-03-07T12:00:00Z", at("2026-03-20T09:00:00Z"), "2026-03-21"},
		{"EU local date of the request", "DE", "", BasisStatutory, "2026-03-07T23:30:00Z", nil, "2026-03-22"},
		{"policy basis sets none", "DE", "", BasisPolicy, "2026-03-07T12:00:00Z", nil, ""},
		{"US sets none", "US", "NY", BasisStatutory, "2026-03-07T12:00:00Z", nil, ""},
		{"KR 3 business days from the arrival", "KR", "", BasisStatutory, "2026-03-02T03:00:00Z", at("2026-03-06T03:00:00Z"), "2026-03-11"},
		{"CN 7 days from the arrival", "CN", "", BasisStatutory, "2026-03-02T03:00:00Z", at("2026-03-10T03:00:00Z"), "2026-03-17"},
		// GB: the earlier of arrival and the (estimated) drop-off: 14
		// drop-off days after 2026-03-07 is 2026-03-21; the parcel arrived
		// earlier, on the 10th.
		{"GB earlier of arrival", "GB", "", BasisStatutory, "2026-03-07T12:00:00Z", at("2026-03-10T12:00:00Z"), "2026-03-24"},
		{"GB before arrival: drop-off estimate", "GB", "", BasisStatutory, "2026-03-07T12:00:00Z", nil, "2026-04-04"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := engOrder(t, c.country, c.region, "EUR", "2026-03-02T10:00:00Z", engLine("A"))
			got := RefundDeadline(o, p, LoadLegal(), c.basis, engTime(t, c.requested), c.received)
			switch {
			case c.want == "" && got != nil:
				t.Fatalf("deadline %s, want none", got)
			case c.want != "" && (got == nil || got.String() != c.want):
				t.Fatalf("deadline %v, want %s", got, c.want)
			}
		})
	}
}

func TestOverdueFrom(t *testing.T) {
	d, _ := ParseDate("2026-03-21")
	got := OverdueFrom(d, "DE", "")
	if want := engTime(t, "2026-03-21T23:00:00Z"); !got.Equal(want) {
		t.Fatalf("overdue from %s, want %s", got, want)
	}
}
