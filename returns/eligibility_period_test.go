package returns

import "testing"

// TestEvaluatePeriodEnd: the extended statutory deadline is what Evaluate
// decides with and reports; a merchant window is extended only when the
// policy's window_end_rule says so.
func TestEvaluatePeriodEnd(t *testing.T) {
	const berlin, london = "Europe/Berlin", "Europe/London"
	// Delivered Saturday 2026-03-07: day 14 is Saturday 03-21, so the
	// statutory period runs to Monday 03-23; the merchant's 30 days end on
	// Easter Monday 04-06, extended to Tuesday 04-07 on request.
	de := func(region string) Order {
		return engOrder(t, "DE", region, "EUR", "2026-03-07T10:00:00Z", engLine("L1", finalSale))
	}
	gb := engOrder(t, "GB", "", "GBP", "2026-03-07T10:00:00Z", engLine("L1", finalSale))
	extend := func(p *Policy) { p.Default.WindowEndRule = engPtr(PeriodEndNextWorkingDay) }
	asCounted := func(p *Policy) { p.Default.WindowEndRule = engPtr(PeriodEndAsCounted) }
	plain := func(p *Policy) { p.Default.FinalSaleReturnable = engPtr(true) }
	tests := []struct {
		name string
		o    Order
		p    Policy
		now  string
		want LineEligibility
	}{
		{"Monday after a Saturday day 14: still statutory", de(""), engPolicy(t, withoutHoliday), "2026-03-23T21:00:00Z",
			le(t, CodeOK, true, BasisStatutory, "", "2026-03-23", "2026-03-23", 1, berlin)},
		{"Tuesday: closed, faulty only", de(""), engPolicy(t, withoutHoliday), "2026-03-24T08:00:00Z",
			le(t, CodeFaultyOnly, true, BasisPolicy, CodeFinalSale, "2026-03-23", "2026-03-23", 1, berlin)},
		{"GB: the Saturday stands", gb, engPolicy(t, withoutHoliday), "2026-03-23T12:00:00Z",
			le(t, CodeFaultyOnly, true, BasisPolicy, CodeFinalSale, "2026-03-21", "2026-03-21", 1, london)},
		{"merchant window on Easter Monday, as counted by default", de(""), engPolicy(t, withoutHoliday, plain), "2026-04-07T08:00:00Z",
			le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2026-04-06", "2026-03-23", 1, berlin)},
		{"merchant window as_counted explicitly", de(""), engPolicy(t, withoutHoliday, plain, asCounted), "2026-04-06T08:00:00Z",
			le(t, CodeOK, true, BasisPolicy, "", "2026-04-06", "2026-03-23", 1, berlin)},
		{"merchant window extended on request", de(""), engPolicy(t, withoutHoliday, plain, extend), "2026-04-07T08:00:00Z",
			le(t, CodeOK, true, BasisPolicy, "", "2026-04-07", "2026-03-23", 1, berlin)},
		{"extended merchant window closes after the working day", de(""), engPolicy(t, withoutHoliday, plain, extend), "2026-04-08T08:00:00Z",
			le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2026-04-07", "2026-03-23", 1, berlin)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.o, tt.p, LoadLegal(), History{}, engTime(t, tt.now))
			assertElig(t, got[0], tt.want)
		})
	}
}

// TestEvaluateRegionalHoliday: a shopper in Bavaria keeps Corpus Christi's
// extension, one whose region is unknown does not.
func TestEvaluateRegionalHoliday(t *testing.T) {
	// Delivered 2026-05-21: day 14 is Corpus Christi, Thursday 06-04.
	for _, tt := range []struct{ region, want string }{{"BY", "2026-06-05"}, {"", "2026-06-04"}, {"BE", "2026-06-04"}} {
		o := engOrder(t, "DE", tt.region, "EUR", "2026-05-21T10:00:00Z", engLine("L1", finalSale))
		got := Evaluate(o, engPolicy(t, withoutHoliday), LoadLegal(), History{}, engTime(t, "2026-06-05T10:00:00Z"))[0]
		if got.StatutoryDeadline == nil || got.StatutoryDeadline.String() != tt.want {
			t.Errorf("DE-%s: statutory deadline %v, want %s", tt.region, got.StatutoryDeadline, tt.want)
		}
		if open := tt.want == "2026-06-05"; (got.Basis == BasisStatutory) != open {
			t.Errorf("DE-%s on 06-05: %+v", tt.region, got)
		}
	}
}

func TestEffectiveWindowEndRule(t *testing.T) {
	p := engPolicy(t, func(p *Policy) { p.Regions[0].WindowEndRule = engPtr(PeriodEndNextWorkingDay) })
	for country, want := range map[string]string{"US": PeriodEndNextWorkingDay, "DE": PeriodEndAsCounted, "JP": PeriodEndAsCounted} {
		if got := p.Effective(LoadLegal(), country).WindowEndRule; got != want {
			t.Errorf("%s: %q, want %q", country, got, want)
		}
	}
}
