package returns

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestEstimateTimeline(t *testing.T) {
	dropOff7 := func(p *Policy) { p.Default.DropOffDays = engPtr(7) }
	dropOff21 := func(p *Policy) { p.Default.DropOffDays = engPtr(21) }
	order := func(country, region string) Order {
		return engOrder(t, country, region, "EUR", "2026-03-02T10:00:00Z", engLine("A"))
	}
	tests := []struct {
		name                       string
		o                          Order
		mods                       []func(*Policy)
		basis, at                  string
		drop, arrive, inspect, due string
	}{
		// 23:30 UTC on Tuesday 03-10 is Wednesday 03-11 in Berlin.
		// 14 days from the notice (03-25), but the merchant may wait for the
		// parcel, estimated to arrive 03-29.
		{"EU statutory: refund 14 days from the notice, not before the parcel", order("DE", ""), nil, BasisStatutory, "2026-03-10T23:30:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", "2026-03-29"},
		{"EU policy basis: no legal refund deadline", order("DE", ""), nil, BasisPolicy, "2026-03-10T23:30:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", ""},
		{"EU statutory: the law's 14 days beat a shorter drop-off", order("DE", ""), []func(*Policy){dropOff7},
			BasisStatutory, "2026-03-11T10:00:00Z", "2026-03-25", "2026-03-29", "2026-03-31", "2026-03-29"},
		{"EU statutory: a longer merchant drop-off stays", order("DE", ""), []func(*Policy){dropOff21},
			BasisStatutory, "2026-03-11T10:00:00Z", "2026-04-01", "2026-04-05", "2026-04-07", "2026-04-05"},
		// TR may not withhold: 14 days from the notice, whenever the parcel comes.
		{"TR: no withholding, refund due before the estimated arrival", order("TR", ""), nil, BasisStatutory, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", "2026-03-25"},
		{"EU policy basis: merchant drop-off", order("DE", ""), []func(*Policy){dropOff7},
			BasisPolicy, "2026-03-11T10:00:00Z", "2026-03-18", "2026-03-22", "2026-03-24", ""},
		{"GB: 14 days from the proof of dispatch (drop-off)", order("GB", ""), nil, BasisStatutory, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", "2026-04-08"},
		// KR: drop-off 03-25 (Wed), arrival 03-29 (Sun), 3 business days: Mon, Tue, Wed.
		{"KR: 3 business days from arrival", order("KR", ""), nil, BasisStatutory, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", "2026-04-01"},
		{"BR: refund immediately", order("BR", "SP"), nil, BasisStatutory, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", "2026-03-11"},
		{"US: no legal deadline", order("US", "NY"), nil, BasisPolicy, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", ""},
		{"MX statutory without a refund deadline", order("MX", "CMX"), nil, BasisStatutory, "2026-03-11T10:00:00Z",
			"2026-03-25", "2026-03-29", "2026-03-31", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EstimateTimeline(tt.o, engPolicy(t, tt.mods...), LoadLegal(), tt.basis, engTime(t, tt.at))
			if got.DropOffBy.String() != tt.drop || got.ArrivesBy.String() != tt.arrive || got.InspectedBy.String() != tt.inspect {
				t.Errorf("got %v %v %v, want %s %s %s", got.DropOffBy, got.ArrivesBy, got.InspectedBy, tt.drop, tt.arrive, tt.inspect)
			}
			due := ""
			if got.RefundDueBy != nil {
				due = got.RefundDueBy.String()
			}
			if due != tt.due {
				t.Errorf("refund due by %q, want %q", due, tt.due)
			}
		})
	}
}

func TestTimelineJSON(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("A"))
	tl := EstimateTimeline(o, engPolicy(t), LoadLegal(), BasisStatutory, engTime(t, "2026-03-11T10:00:00Z"))
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"drop_off_by":"2026-03-25","arrives_by":"2026-03-29","inspected_by":"2026-03-31","refund_due_by":"2026-03-29","refund_by":"2026-03-29"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	tl = EstimateTimeline(o, engPolicy(t), LoadLegal(), BasisPolicy, engTime(t, "2026-03-11T10:00:00Z"))
	b, _ = json.Marshal(tl)
	if want := `{"drop_off_by":"2026-03-25","arrives_by":"2026-03-29","inspected_by":"2026-03-31","refund_by":"2026-03-31"}`; string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestTimelineSteps: the steps come in the order they happen, every dated
// step on or after the one before it; every market has a refund step (a
// date, or the law's words where its deadline comes before the check).
func TestTimelineSteps(t *testing.T) {
	order := func(country, region, currency string) Order {
		return engOrder(t, country, region, currency, "2026-03-02T10:00:00Z", engLine("A"))
	}
	withinWithdrawal := &RefundLaw{Days: 14, From: RefundFromWithdrawal, MayWait: true}
	slowCheck := func(p *Policy) { p.Default.InspectionDays = engPtr(9) }
	tests := []struct {
		name   string
		o      Order
		mods   []func(*Policy)
		basis  string
		refund string     // the refund step's date, "" when worded
		law    *RefundLaw // the refund step's words
	}{
		// Refund due 03-29 (the parcel), checked 03-31: the law's words.
		{"EU statutory: due before the check, worded", order("DE", "", "EUR"), nil, BasisStatutory, "", withinWithdrawal},
		{"EU policy basis: an estimate, after the check", order("DE", "", "EUR"), nil, BasisPolicy, "2026-03-31", nil},
		{"US: an estimate too", order("US", "NY", "USD"), nil, BasisPolicy, "2026-03-31", nil},
		{"TR: due before the parcel, no waiting: worded", order("TR", "", "TRY"), nil, BasisStatutory, "",
			&RefundLaw{Days: 14, From: RefundFromWithdrawal}},
		{"BR: due at once: worded", order("BR", "SP", "BRL"), nil, BasisStatutory, "", &RefundLaw{Days: 0, From: RefundFromWithdrawal}},
		// GB: due 04-08, after the check on 03-31: dated by the check.
		{"GB: due after the check: dated", order("GB", "", "GBP"), nil, BasisStatutory, "2026-03-31", nil},
		// KR: 3 business days from arrival (04-01), after the check (03-31).
		{"KR: due after the check: dated", order("KR", "", "KRW"), nil, BasisStatutory, "2026-03-31", nil},
		// KR with a 9-day check (04-07): due 04-01 comes first.
		{"KR: due before a slow check: worded", order("KR", "", "KRW"), []func(*Policy){slowCheck}, BasisStatutory, "",
			&RefundLaw{Days: 3, BusinessDays: true, From: RefundFromArrival}},
		{"MX statutory without a refund deadline: an estimate", order("MX", "CMX", "MXN"), nil, BasisStatutory, "2026-03-31", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := EstimateTimeline(tt.o, engPolicy(t, tt.mods...), LoadLegal(), tt.basis, engTime(t, "2026-03-11T10:00:00Z"))
			steps := tl.Steps()
			codes := []string{}
			for _, s := range steps {
				codes = append(codes, s.Code)
			}
			if want := []string{StepDropOff, StepArrives, StepInspected, StepRefund}; !reflect.DeepEqual(codes, want) {
				t.Fatalf("steps %v, want %v", codes, want)
			}
			var last *Date
			for _, s := range steps {
				if s.Date == nil {
					continue
				}
				if last != nil && s.Date.Before(*last) {
					t.Errorf("%s on %s, before the step before it (%s)", s.Code, s.Date, last)
				}
				last = s.Date
			}
			refund := steps[3]
			got := ""
			if refund.Date != nil {
				got = refund.Date.String()
			}
			if got != tt.refund || !reflect.DeepEqual(refund.Law, tt.law) {
				t.Errorf("refund step %q %+v, want %q %+v", got, refund.Law, tt.refund, tt.law)
			}
			if (refund.Date == nil) == (refund.Law == nil) {
				t.Errorf("a refund step has a date or the law's words, not both nor neither: %+v", refund)
			}
			if tt.refund != "" && tl.RefundBy.String() != tt.refund {
				t.Errorf("RefundBy %s, want %s", tl.RefundBy, tt.refund)
			}
		})
	}
}
