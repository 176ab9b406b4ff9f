package returns

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// le builds an expected LineEligibility of line "L1".
func le(t *testing.T, code string, eligible bool, basis, blocked, deadline, statutory string, rq int, zone string) LineEligibility {
	t.Helper()
	return LineEligibility{LineID: "L1", Eligible: eligible, Code: code, BlockedBy: blocked,
		ReturnableQuantity: rq, Basis: basis, Deadline: engDate(t, deadline),
		StatutoryDeadline: engDate(t, statutory), TimeZone: zone}
}

func sealed(e LineEligibility) LineEligibility { e.SealedOnly = true; return e }

func extended(e LineEligibility) LineEligibility { e.HolidayExtension = true; return e }

func assertElig(t *testing.T, got, want LineEligibility) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("\n got %s\nwant %s", g, w)
	}
}

// japanDay1 is legal data in which Japan's 8-day right applies regardless of
// a displayed policy, to test the "receipt day is day 1" convention.
const japanDay1 = `{"groups":{},"markets":[{"market":"JP","withdrawal":{"days":8,"unit":"calendar",
 "counted_from":"receipt","first_day":"receipt_day_is_day_1"},"exempt_classes":[]}]}`

func TestEvaluate(t *testing.T) {
	const (
		berlin   = "Europe/Berlin"
		tokyo    = "Asia/Tokyo"
		la       = "America/Los_Angeles"
		honolulu = "Pacific/Honolulu"
		mexico   = "America/Mexico_City"
		newYork  = "America/New_York"
		seoul    = "Asia/Seoul"
	)
	jpLegal, err := ParseLegal([]byte(japanDay1))
	if err != nil {
		t.Fatal(err)
	}
	// DE: delivered Monday 2026-03-02 (11:00 in Berlin); statutory last day
	// 03-16, merchant (30 days) 04-01.
	de := func(ls ...Line) Order { return engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", ls...) }
	us := func(region string, ls ...Line) Order {
		return engOrder(t, "US", region, "USD", "2026-06-01T08:00:00Z", ls...)
	}
	mx := func(delivered string, ls ...Line) Order { return engOrder(t, "MX", "CMX", "MXN", delivered, ls...) }
	kr := func(ls ...Line) Order { return engOrder(t, "KR", "", "KRW", "2026-03-02T01:00:00Z", ls...) }
	L := func(mods ...func(*Line)) Line { return engLine("L1", mods...) }
	noRegions := func(p *Policy) { p.Regions = nil }
	finalSaleOK := func(p *Policy) { p.Regions[0].FinalSaleReturnable = engPtr(true) }
	notDelivered := engOrder(t, "DE", "", "EUR", "", L())

	tests := []struct {
		name  string
		o     Order
		mods  []func(*Policy)
		legal *Legal
		held  map[string]int
		now   string
		want  LineEligibility
	}{
		// Precedence: fully_returned > not_delivered.
		{name: "fully returned", o: de(L()), held: map[string]int{"L1": 1}, now: "2026-03-05T12:00:00Z",
			want: le(t, CodeFullyReturned, false, "", "", "", "", 0, berlin)},
		{name: "fully returned beats not delivered", o: notDelivered, held: map[string]int{"L1": 1},
			now: "2026-03-05T12:00:00Z", want: le(t, CodeFullyReturned, false, "", "", "", "", 0, berlin)},
		{name: "more held than ordered", o: de(L(qty(2))), held: map[string]int{"L1": 3},
			now: "2026-03-05T12:00:00Z", want: le(t, CodeFullyReturned, false, "", "", "", "", 0, berlin)},
		{name: "not delivered", o: notDelivered, now: "2026-03-05T12:00:00Z",
			want: le(t, CodeNotDelivered, false, "", "", "", "", 1, berlin)},
		{name: "partially returned", o: de(L(qty(3))), held: map[string]int{"L1": 1}, now: "2026-03-05T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-04-01", "2026-03-16", 2, berlin)},

		// EU statutory window: day 14 is the last day, in Berlin time.
		{name: "DE merchant window 7, day 14 still statutory", o: de(L()), mods: []func(*Policy){withWindow(7)},
			now:  "2026-03-16T22:59:59Z", // 23:59:59 in Berlin
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "DE merchant window 7, day 15 faulty only", o: de(L()), mods: []func(*Policy){withWindow(7)},
			now:  "2026-03-16T23:00:00Z", // 00:00 on the 17th in Berlin
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "DE both windows open: statutory governs", o: de(L()), now: "2026-03-10T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-04-01", "2026-03-16", 1, berlin)},
		{name: "DE day 15, merchant window 30: policy", o: de(L()), now: "2026-03-17T12:00:00Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-04-01", "2026-03-16", 1, berlin)},
		{name: "DE merchant last day", o: de(L()), now: "2026-04-01T21:59:59Z", // CEST
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-04-01", "2026-03-16", 1, berlin)},
		{name: "DE after merchant window: faulty only", o: de(L()), now: "2026-04-01T22:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2026-04-01", "2026-03-16", 1, berlin)},

		// Final sale inside and outside the EU window.
		{name: "DE final sale inside statutory window", o: de(L(finalSale)), now: "2026-03-16T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "DE final sale after statutory window", o: de(L(finalSale)), now: "2026-03-17T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeFinalSale, "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "US final sale", o: us("CA", L(finalSale)), now: "2026-06-05T12:00:00Z",
			want: le(t, CodeFinalSale, false, "", "", "", "", 1, la)},
		{name: "US final sale returnable by policy", o: us("CA", L(finalSale)), mods: []func(*Policy){finalSaleOK},
			now: "2026-06-05T12:00:00Z", want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-31", "", 1, la)},
		{name: "US final sale after the window: final_sale, not window_closed", o: us("CA", L(finalSale)),
			now: "2026-09-01T12:00:00Z", want: le(t, CodeFinalSale, false, "", "", "", "", 1, la)},

		// Merchant exclusions do not block the statutory right.
		{name: "DE gift card inside statutory window", o: de(L(category("gift_card"))), now: "2026-03-05T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "DE gift card after statutory window", o: de(L(category("gift_card"))), now: "2026-03-20T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeExcludedCategory, "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "US gift card", o: us("CA", L(category("gift_card"))), now: "2026-06-05T12:00:00Z",
			want: le(t, CodeExcludedCategory, false, "", "", "", "", 1, la)},

		// Exemption classes: exempt_by_law where the market lists the class.
		{name: "DE personalised", o: de(L(exemption("personalised"))), now: "2026-03-05T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeExemptByLaw, "", "2026-03-16", 1, berlin)},
		{name: "DE perishable", o: de(L(exemption("perishable"))), now: "2026-03-05T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeExemptByLaw, "", "2026-03-16", 1, berlin)},
		{name: "DE personalised after the faulty period", o: engOrder(t, "DE", "", "EUR", "2024-01-31T10:00:00Z",
			L(exemption("personalised"))), now: "2026-03-01T12:00:00Z",
			want: le(t, CodeExemptByLaw, false, "", "", "", "2024-02-14", 1, berlin)},
		{name: "US personalised: excluded_category (no law lists it)", o: us("CA", L(exemption("personalised"))),
			now: "2026-06-05T12:00:00Z", want: le(t, CodeExcludedCategory, false, "", "", "", "", 1, la)},
		{name: "exemption beats category and final sale (EU)",
			o: de(L(exemption("personalised"), category("gift_card"), finalSale)), now: "2026-03-05T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeExemptByLaw, "", "2026-03-16", 1, berlin)},
		{name: "category beats final sale (US)", o: us("CA", L(category("gift_card"), finalSale)),
			now: "2026-06-05T12:00:00Z", want: le(t, CodeExcludedCategory, false, "", "", "", "", 1, la)},
		{name: "MX personalised inside statutory window (MX lists no class)",
			o: mx("2026-03-05T18:00:00Z", L(exemption("personalised"))), now: "2026-03-06T18:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-12", "2026-03-12", 1, mexico)},
		{name: "MX personalised after statutory window", o: mx("2026-03-05T18:00:00Z", L(exemption("personalised"))),
			now: "2026-03-20T18:00:00Z", want: le(t, CodeExcludedCategory, false, "", "", "2026-03-12", "2026-03-12", 1, mexico)},

		// Sealed classes: returnable while sealed inside the statutory window.
		{name: "DE hygiene sealed inside statutory window", o: de(L(exemption("hygiene_sealed"))),
			now:  "2026-03-05T12:00:00Z",
			want: sealed(le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin))},
		{name: "DE media sealed inside statutory window", o: de(L(exemption("media_sealed"))),
			now:  "2026-03-16T12:00:00Z",
			want: sealed(le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin))},
		{name: "DE hygiene sealed after statutory window", o: de(L(exemption("hygiene_sealed"))),
			now:  "2026-03-17T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeExemptByLaw, "2026-03-16", "2026-03-16", 1, berlin)},
		{name: "KR media sealed (listed): sealed only", o: kr(L(exemption("media_sealed"))), now: "2026-03-05T12:00:00Z",
			want: sealed(le(t, CodeOK, true, BasisStatutory, "", "2026-03-09", "2026-03-09", 1, seoul))},
		{name: "KR hygiene sealed (not listed): plain statutory", o: kr(L(exemption("hygiene_sealed"))),
			now: "2026-03-05T12:00:00Z", want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-09", "2026-03-09", 1, seoul)},
		{name: "KR hygiene sealed after statutory window", o: kr(L(exemption("hygiene_sealed"))),
			now: "2026-03-10T12:00:00Z", want: le(t, CodeExcludedCategory, false, "", "", "2026-03-09", "2026-03-09", 1, seoul)},

		// Time zones: 23:30 UTC is the next day in Tokyo.
		{name: "JP delivery at 23:30 UTC counts from the Tokyo date, last day", o: engOrder(t, "JP", "", "JPY",
			"2026-03-01T23:30:00Z", L()), now: "2026-03-16T14:59:59Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-03-16", "", 1, tokyo)},
		{name: "JP day after", o: engOrder(t, "JP", "", "JPY", "2026-03-01T23:30:00Z", L()), now: "2026-03-16T15:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2026-03-16", "", 1, tokyo)},
		{name: "US California last day", o: us("CA", L()), now: "2026-07-31T10:00:00Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-31", "", 1, la)},
		{name: "US Hawaii: delivered May 31 local, closed", o: us("HI", L()), now: "2026-07-31T10:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2026-07-30", "", 1, honolulu)},
		{name: "US Hawaii last second", o: us("HI", L()), now: "2026-07-31T09:59:59Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-30", "", 1, honolulu)},
		{name: "US without region: westernmost zone", o: us("", L()), now: "2026-07-31T09:59:59Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-30", "", 1, honolulu)},

		// Business days: MX 5 business days from a Thursday = next Thursday.
		{name: "MX Thursday delivery, last business day", o: mx("2026-03-05T18:00:00Z", L()),
			mods: []func(*Policy){withWindow(2)}, now: "2026-03-12T23:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-12", "2026-03-12", 1, mexico)},
		{name: "MX Thursday delivery, day after", o: mx("2026-03-05T18:00:00Z", L()),
			mods: []func(*Policy){withWindow(2)}, now: "2026-03-13T12:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2026-03-12", "2026-03-12", 1, mexico)},
		{name: "MX Saturday delivery: Friday after next", o: mx("2026-03-07T18:00:00Z", L()),
			mods: []func(*Policy){withWindow(2)}, now: "2026-03-13T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-13", "2026-03-13", 1, mexico)},

		// Receipt day is day 1: 8 days = delivery + 7.
		{name: "receipt day is day 1, last day", o: engOrder(t, "JP", "", "JPY", "2026-03-01T23:30:00Z", L()),
			legal: jpLegal, mods: []func(*Policy){noRegions, withWindow(1)}, now: "2026-03-09T12:00:00Z",
			want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-09", "2026-03-09", 1, tokyo)},
		{name: "receipt day is day 1, day after", o: engOrder(t, "JP", "", "JPY", "2026-03-01T23:30:00Z", L()),
			legal: jpLegal, mods: []func(*Policy){noRegions, withWindow(1)}, now: "2026-03-09T15:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2026-03-09", "2026-03-09", 1, tokyo)},

		// Faulty-goods period: EU 24 months from the delivery date, GB 72.
		{name: "EU faulty period last day", o: engOrder(t, "DE", "", "EUR", "2024-01-31T10:00:00Z", L()),
			now:  "2026-01-31T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2024-03-01", "2024-02-14", 1, berlin)},
		{name: "EU faulty period over", o: engOrder(t, "DE", "", "EUR", "2024-01-31T10:00:00Z", L()),
			now: "2026-02-01T12:00:00Z", want: le(t, CodeWindowClosed, false, "", "", "2024-03-01", "2024-02-14", 1, berlin)},
		{name: "GB faulty period 6 years", o: engOrder(t, "GB", "", "GBP", "2021-03-02T10:00:00Z", L()),
			now:  "2027-03-02T12:00:00Z",
			want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2021-04-01", "2021-03-16", 1, "Europe/London")},
		{name: "CH: no withdrawal right, faulty period", o: engOrder(t, "CH", "", "CHF", "2026-03-02T10:00:00Z", L()),
			now: "2026-05-02T12:00:00Z", want: le(t, CodeFaultyOnly, true, BasisPolicy, CodeWindowClosed, "2026-04-01", "", 1, "Europe/Zurich")},

		// Holiday extension.
		{name: "holiday extension: last day", o: engOrder(t, "US", "NY", "USD", "2026-11-22T20:00:00Z", L()),
			now: "2027-01-31T12:00:00Z", want: extended(le(t, CodeOK, true, BasisPolicy, "", "2027-01-31", "", 1, newYork))},
		{name: "holiday extension: day after", o: engOrder(t, "US", "NY", "USD", "2026-11-22T20:00:00Z", L()),
			now: "2027-02-01T12:00:00Z", want: extended(le(t, CodeWindowClosed, false, "", "", "2027-01-31", "", 1, newYork))},
		{name: "no holiday extension", o: engOrder(t, "US", "NY", "USD", "2026-11-22T20:00:00Z", L()),
			mods: []func(*Policy){withoutHoliday}, now: "2027-01-25T12:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2027-01-21", "", 1, newYork)},
		{name: "placed before the holiday range", o: engOrder(t, "US", "NY", "USD", "2026-11-16T20:00:00Z", L()),
			now: "2027-01-20T12:00:00Z", want: le(t, CodeWindowClosed, false, "", "", "2027-01-15", "", 1, newYork)},
		{name: "holiday range across the year end", o: engOrder(t, "US", "NY", "USD", "2027-01-12T20:00:00Z", L()),
			mods: []func(*Policy){withUSWindow(7), withHoliday("12-01", "01-15", "02-15")}, now: "2027-02-15T12:00:00Z",
			want: extended(le(t, CodeOK, true, BasisPolicy, "", "2027-02-15", "", 1, newYork))},
		{name: "extension earlier than the window is ignored", o: engOrder(t, "US", "NY", "USD", "2026-12-20T20:00:00Z", L()),
			mods: []func(*Policy){withUSWindow(60), withHoliday("12-01", "12-31", "01-05")}, now: "2027-02-18T12:00:00Z",
			want: le(t, CodeOK, true, BasisPolicy, "", "2027-02-18", "", 1, newYork)},

		// Window start events (placed 05-30, shipped 05-31, delivered 06-01 in LA).
		{name: "window from shipment", o: us("CA", L()), mods: []func(*Policy){withStarts(StartShipment)},
			now: "2026-07-30T20:00:00Z", want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-30", "", 1, la)},
		{name: "window from order", o: us("CA", L()), mods: []func(*Policy){withStarts(StartOrder)},
			now: "2026-07-30T20:00:00Z", want: le(t, CodeWindowClosed, false, "", "", "2026-07-29", "", 1, la)},

		{name: "window from shipment, shipment time unknown: from delivery", o: func() Order {
			o := us("CA", L())
			o.ShippedAt = nil
			return o
		}(), mods: []func(*Policy){withStarts(StartShipment)},
			now: "2026-07-31T20:00:00Z", want: le(t, CodeOK, true, BasisPolicy, "", "2026-07-31", "", 1, la)},
		{name: "window of 0 days: no merchant window", o: us("CA", L()), mods: []func(*Policy){withUSWindow(0)},
			now: "2026-06-01T20:00:00Z", want: le(t, CodeWindowClosed, false, "", "", "", "", 1, la)},
		{name: "EU window of 0 days: statutory only", o: de(L()), mods: []func(*Policy){withWindow(0)},
			now: "2026-03-16T12:00:00Z", want: le(t, CodeOK, true, BasisStatutory, "", "2026-03-16", "2026-03-16", 1, berlin)},

		// Japan's 8-day right does not apply: the portal displays a policy.
		{name: "JP statutory right not applied", o: engOrder(t, "JP", "", "JPY", "2026-03-01T23:30:00Z", L()),
			mods: []func(*Policy){func(p *Policy) { p.Regions[1].WindowDays = engPtr(3) }}, now: "2026-03-06T12:00:00Z",
			want: le(t, CodeWindowClosed, false, "", "", "2026-03-05", "", 1, tokyo)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := engPolicy(t, tt.mods...)
			legal := tt.legal
			if legal == nil {
				legal = LoadLegal()
			}
			got := Evaluate(tt.o, p, legal, engHeld(tt.held), engTime(t, tt.now))
			if len(got) != 1 {
				t.Fatalf("got %d results", len(got))
			}
			assertElig(t, got[0], tt.want)
		})
	}
}

func TestEvaluateOrder(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z",
		engLine("A"), engLine("B", exemption("personalised")), engLine("C", qty(2)))
	got := Evaluate(o, engPolicy(t), LoadLegal(), engHeld(map[string]int{"C": 2}), engTime(t, "2026-03-05T12:00:00Z"))
	var codes []string
	for _, e := range got {
		codes = append(codes, e.LineID+":"+e.Code)
	}
	want := []string{"A:ok", "B:faulty_only", "C:fully_returned"}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("got %v, want %v", codes, want)
	}
}

func TestLineEligibilityJSON(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("L1", exemption("hygiene_sealed")))
	got := Evaluate(o, engPolicy(t), LoadLegal(), History{}, engTime(t, "2026-03-05T12:00:00Z"))
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"line_id":"L1","eligible":true,"code":"ok","returnable_quantity":1,"basis":"statutory",` +
		`"deadline":"2026-03-16","statutory_deadline":"2026-03-16","time_zone":"Europe/Berlin","sealed_only":true}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestStatutoryLastDayUnits(t *testing.T) {
	thu := Date{2026, time.March, 5}
	legal := func(w string) *Legal {
		l, err := ParseLegal([]byte(`{"groups":{},"markets":[{"market":"XX","withdrawal":` + w + `}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	tests := []struct {
		name string
		w    string
		want string
	}{
		{"none", `null`, ""},
		{"zero days", `{"days":0}`, ""},
		{"EU 14 calendar", `{"days":14,"unit":"calendar","first_day":"day_after_receipt"}`, "2026-03-19"},
		{"JP 8, receipt day 1", `{"days":8,"unit":"calendar","first_day":"receipt_day_is_day_1"}`, "2026-03-12"},
		{"MX 5 business", `{"days":5,"unit":"business","first_day":"day_after_receipt"}`, "2026-03-12"},
		{"5 business, receipt day 1", `{"days":5,"unit":"business","first_day":"receipt_day_is_day_1"}`, "2026-03-11"},
		{"only without a displayed policy", `{"days":8,"only_if_merchant_policy_not_displayed":true}`, ""},
		{"9 days ends on a Saturday, as counted", `{"days":9}`, "2026-03-14"},
		{"9 days ends on a Saturday, next working day", `{"days":9,"period_end_rule":"next_working_day"}`, "2026-03-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := legal(tt.w).StatutoryLastDay("XX", "", thu)
			if tt.want == "" {
				if ok {
					t.Errorf("got %v, want none", got)
				}
				return
			}
			if !ok || got.String() != tt.want {
				t.Errorf("got %v %v, want %s", got, ok, tt.want)
			}
		})
	}
}

func TestHolidayExtension(t *testing.T) {
	tests := []struct {
		from, to, until, placed, want string
	}{
		{"11-15", "12-31", "01-31", "2026-11-15", "2027-01-31"},
		{"11-15", "12-31", "01-31", "2026-12-31", "2027-01-31"},
		{"11-15", "12-31", "01-31", "2026-11-14", ""},
		{"11-15", "12-31", "01-31", "2027-01-01", ""},
		{"12-01", "01-15", "02-15", "2026-12-01", "2027-02-15"},
		{"12-01", "01-15", "02-15", "2027-01-15", "2027-02-15"},
		{"12-01", "01-15", "02-15", "2027-01-16", ""},
		{"12-01", "01-15", "02-15", "2026-11-30", ""},
		{"12-01", "12-31", "12-31", "2026-12-31", "2026-12-31"},
		{"12-01", "12-31", "02-29", "2026-12-10", "2027-02-28"},
		{"12-01", "12-31", "02-29", "2027-12-10", "2028-02-29"},
		{"13-01", "12-31", "01-31", "2026-12-10", ""},
		{"11-15", "12-31", "1-31", "2026-12-10", ""},
		{"11-15", "02-30", "01-31", "2026-12-10", ""},
	}
	for _, tt := range tests {
		h := &HolidayExtension{From: tt.from, To: tt.to, Until: tt.until}
		got, ok := h.extendedUntil(*engDate(t, tt.placed))
		if (tt.want == "") == ok || (ok && got.String() != tt.want) {
			t.Errorf("%s..%s until %s, placed %s: got %v %v, want %q", tt.from, tt.to, tt.until, tt.placed, got, ok, tt.want)
		}
	}
	var none *HolidayExtension
	if _, ok := none.extendedUntil(Date{2026, 12, 1}); ok {
		t.Error("nil extension applies")
	}
}
