package returns

import (
	"encoding/json"
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
	want := `{"drop_off_by":"2026-03-25","arrives_by":"2026-03-29","inspected_by":"2026-03-31","refund_due_by":"2026-03-29"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	tl.RefundDueBy = nil
	b, _ = json.Marshal(tl)
	if want := `{"drop_off_by":"2026-03-25","arrives_by":"2026-03-29","inspected_by":"2026-03-31"}`; string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
