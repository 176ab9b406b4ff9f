package returns

import (
	"reflect"
	"testing"
)

func TestLimitationOf(t *testing.T) {
	march2 := &Date{Year: 2026, Month: 3, Day: 2}
	line := Line{ID: "L1", Exemption: "personalised"}
	tests := []struct {
		name string
		e    LineEligibility
		want Limitation
	}{
		{"returnable: nothing limits it", LineEligibility{Code: CodeOK, Eligible: true, Deadline: march2}, Limitation{}},
		{"window closed, with its day", LineEligibility{Code: CodeWindowClosed, Deadline: march2},
			Limitation{Code: CodeWindowClosed, ClosedOn: march2}},
		{"window closed, no window ever applied", LineEligibility{Code: CodeWindowClosed},
			Limitation{Code: CodeWindowClosed}},
		{"faulty only after the window: the window's case, not 'faulty' alone",
			LineEligibility{Code: CodeFaultyOnly, Eligible: true, BlockedBy: CodeWindowClosed, Deadline: march2},
			Limitation{Code: CodeWindowClosed, FaultyOnly: true, ClosedOn: march2}},
		{"faulty only, final sale: no window day (a window did not block it)",
			LineEligibility{Code: CodeFaultyOnly, Eligible: true, BlockedBy: CodeFinalSale, Deadline: march2},
			Limitation{Code: CodeFinalSale, FaultyOnly: true}},
		{"faulty only, excluded category", LineEligibility{Code: CodeFaultyOnly, Eligible: true, BlockedBy: CodeExcludedCategory},
			Limitation{Code: CodeExcludedCategory, FaultyOnly: true}},
		{"faulty only, exempt by law, with the class", LineEligibility{Code: CodeFaultyOnly, Eligible: true, BlockedBy: CodeExemptByLaw},
			Limitation{Code: CodeExemptByLaw, FaultyOnly: true, Class: "personalised"}},
		{"final sale", LineEligibility{Code: CodeFinalSale}, Limitation{Code: CodeFinalSale}},
		{"exempt by law after the faulty period", LineEligibility{Code: CodeExemptByLaw},
			Limitation{Code: CodeExemptByLaw, Class: "personalised"}},
		{"not delivered", LineEligibility{Code: CodeNotDelivered}, Limitation{Code: CodeNotDelivered}},
		{"fully returned", LineEligibility{Code: CodeFullyReturned}, Limitation{Code: CodeFullyReturned}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LimitationOf(tt.e, line)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.ClosedOn != nil && got.ClosedOn == tt.e.Deadline {
				t.Error("the limitation shares the eligibility's date")
			}
		})
	}
}

// TestLimitationOfDemoCases: the cases Evaluate decides come out as the
// shopper's page must word them.
func TestLimitationOfEvaluated(t *testing.T) {
	de := func(l Line) Order { return engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", l) }
	tests := []struct {
		name string
		o    Order
		now  string
		want Limitation
	}{
		{"EU, past both windows: closed on the merchant's last day, faulty only", de(engLine("L1")), "2026-04-10T12:00:00Z",
			Limitation{Code: CodeWindowClosed, FaultyOnly: true, ClosedOn: engDate(t, "2026-04-01")}},
		{"EU final sale after the 14 days: final sale", de(engLine("L1", finalSale)), "2026-03-20T12:00:00Z",
			Limitation{Code: CodeFinalSale, FaultyOnly: true}},
		{"EU personalised: exempt by law", de(engLine("L1", exemption("personalised"))), "2026-03-05T12:00:00Z",
			Limitation{Code: CodeExemptByLaw, FaultyOnly: true, Class: "personalised"}},
		{"EU gift card after the 14 days: excluded category", de(engLine("L1", category("gift_card"))), "2026-03-20T12:00:00Z",
			Limitation{Code: CodeExcludedCategory, FaultyOnly: true}},
		{"EU inside the window: none", de(engLine("L1")), "2026-03-05T12:00:00Z", Limitation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Evaluate(tt.o, engPolicy(t, withoutHoliday), LoadLegal(), History{}, engTime(t, tt.now))[0]
			if got := LimitationOf(e, tt.o.Lines[0]); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v (eligibility %+v)", got, tt.want, e)
			}
		})
	}
}

func TestReasonsFor(t *testing.T) {
	reasons := []Reason{{Code: "changed_mind"}, {Code: "damaged", MerchantFault: true, PhotoRequired: true},
		{Code: "wrong_size"}, {Code: "wrong_item", MerchantFault: true}}
	codes := func(rs []Reason) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.Code)
		}
		return out
	}
	tests := []struct {
		name string
		e    LineEligibility
		want []string
	}{
		{"returnable: every reason", LineEligibility{Code: CodeOK, Eligible: true}, []string{"changed_mind", "damaged", "wrong_size", "wrong_item"}},
		{"faulty only: the merchant's faults only", LineEligibility{Code: CodeFaultyOnly, Eligible: true, BlockedBy: CodeExemptByLaw},
			[]string{"damaged", "wrong_item"}},
		{"window closed: none", LineEligibility{Code: CodeWindowClosed}, []string{}},
		{"fully returned: none", LineEligibility{Code: CodeFullyReturned}, []string{}},
		{"not delivered: none", LineEligibility{Code: CodeNotDelivered}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codes(ReasonsFor(tt.e, reasons)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// Every reason offered for a faulty-only line is one the quote takes.
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("L1", exemption("personalised")))
	p := engPolicy(t)
	now := engTime(t, "2026-03-05T12:00:00Z")
	e := Evaluate(o, p, LoadLegal(), History{}, now)[0]
	for _, r := range p.Reasons {
		offered := false
		for _, o := range ReasonsFor(e, p.Reasons) {
			offered = offered || o.Code == r.Code
		}
		_, err := BuildQuote(o, p, LoadLegal(), History{}, QuoteRequest{Items: []QuoteItem{{LineID: "L1", Quantity: 1, Reason: r.Code}},
			RefundMethod: MethodOriginalPayment}, now)
		if offered != (err == nil) {
			t.Errorf("reason %s: offered %v, quote error %v", r.Code, offered, err)
		}
	}
}

func TestDefaultPaper(t *testing.T) {
	for country, want := range map[string]string{
		"US": PaperLetter, "CA": PaperLetter, "MX": PaperLetter, "PH": PaperLetter, "CL": PaperLetter,
		"DE": PaperA4, "GB": PaperA4, "JP": PaperA4, "KW": PaperA4, "AU": PaperA4, "BR": PaperA4, "": PaperA4, "us": PaperA4,
	} {
		if got := DefaultPaper(country); got != want {
			t.Errorf("DefaultPaper(%q) = %s, want %s", country, got, want)
		}
	}
}
