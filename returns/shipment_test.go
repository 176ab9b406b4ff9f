package returns

import (
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 3, 2, h, 0, 0, 0, time.UTC) }
	tp := func(h int) *time.Time { v := at(h); return &v }
	created := Scan{ShipmentLabelCreated, at(8), ""}
	picked := Scan{ShipmentInTransit, at(10), "Lyon FR"}
	sorted := Scan{ShipmentInTransit, at(14), "Paris FR"}
	van := Scan{ShipmentOutForDelivery, at(16), "Berlin DE"}
	delivered := Scan{ShipmentDelivered, at(18), "Berlin DE"}
	failed := Scan{ShipmentException, at(17), "Berlin DE"}
	tests := []struct {
		name  string
		scans []Scan
		want  ShipmentProgress
	}{
		{"none", nil, ShipmentProgress{}},
		{"unknown states only", []Scan{{"", at(9), "x"}, {"lost_in_space", at(10), "y"}}, ShipmentProgress{}},
		{"label only: no first scan", []Scan{created},
			ShipmentProgress{State: ShipmentLabelCreated, At: at(8)}},
		{"in order", []Scan{created, picked, sorted},
			ShipmentProgress{State: ShipmentInTransit, At: at(14), Place: "Paris FR", FirstScanAt: tp(10)}},
		{"out of order: latest carrier time decides", []Scan{sorted, created, picked},
			ShipmentProgress{State: ShipmentInTransit, At: at(14), Place: "Paris FR", FirstScanAt: tp(10)}},
		{"duplicates change nothing", []Scan{picked, picked, created, picked},
			ShipmentProgress{State: ShipmentInTransit, At: at(10), Place: "Lyon FR", FirstScanAt: tp(10)}},
		{"delivered", []Scan{created, picked, van, delivered},
			ShipmentProgress{State: ShipmentDelivered, At: at(18), Place: "Berlin DE", FirstScanAt: tp(10), DeliveredAt: tp(18)}},
		{"a late in-transit does not undo a delivery", []Scan{delivered, {ShipmentInTransit, at(20), "Hamburg DE"}},
			ShipmentProgress{State: ShipmentDelivered, At: at(18), Place: "Berlin DE", FirstScanAt: tp(18), DeliveredAt: tp(18)}},
		{"exception after the van", []Scan{picked, van, failed},
			ShipmentProgress{State: ShipmentException, At: at(17), Place: "Berlin DE", FirstScanAt: tp(10)}},
		{"delivered after an exception", []Scan{picked, failed, delivered},
			ShipmentProgress{State: ShipmentDelivered, At: at(18), Place: "Berlin DE", FirstScanAt: tp(10), DeliveredAt: tp(18)}},
		{"an exception is not a first scan", []Scan{created, failed},
			ShipmentProgress{State: ShipmentException, At: at(17), Place: "Berlin DE"}},
		{"same instant: the further state", []Scan{{ShipmentDelivered, at(12), "A"}, {ShipmentInTransit, at(12), "B"}},
			ShipmentProgress{State: ShipmentDelivered, At: at(12), Place: "A", FirstScanAt: tp(12), DeliveredAt: tp(12)}},
		{"first delivery counts", []Scan{{ShipmentDelivered, at(19), "late"}, {ShipmentDelivered, at(18), "early"}},
			ShipmentProgress{State: ShipmentDelivered, At: at(19), Place: "late", FirstScanAt: tp(18), DeliveredAt: tp(18)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Progress(tt.scans)
			if got.State != tt.want.State || !got.At.Equal(tt.want.At) || got.Place != tt.want.Place ||
				!sameTime(got.FirstScanAt, tt.want.FirstScanAt) || !sameTime(got.DeliveredAt, tt.want.DeliveredAt) {
				t.Fatalf("got %+v (first %v, delivered %v), want %+v (first %v, delivered %v)",
					got, got.FirstScanAt, got.DeliveredAt, tt.want, tt.want.FirstScanAt, tt.want.DeliveredAt)
			}
		})
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func TestShipmentStateScanned(t *testing.T) {
	want := map[ShipmentState]bool{ShipmentLabelCreated: false, ShipmentInTransit: true, ShipmentOutForDelivery: true,
		ShipmentDelivered: true, ShipmentException: false, "": false, "bogus": false}
	for s, w := range want {
		if s.Scanned() != w {
			t.Errorf("%q.Scanned() = %v", s, !w)
		}
		if s.Valid() != (s != "" && s != "bogus") {
			t.Errorf("%q.Valid() = %v", s, s.Valid())
		}
	}
}

func TestHubProvider(t *testing.T) {
	for _, tt := range []struct {
		provider string
		want     string
		carrier  bool
	}{{"", LabelProviderOwn, false}, {"own", LabelProviderOwn, false}, {"easypost", LabelProviderEasyPost, true},
		{"sendcloud", LabelProviderSendcloud, true}} {
		h := Hub{LabelProvider: tt.provider}
		if h.Provider() != tt.want || h.CarrierLabels() != tt.carrier {
			t.Errorf("%q: %q %v", tt.provider, h.Provider(), h.CarrierLabels())
		}
	}
}

// BenchmarkProgress folds the history of a parcel that a carrier's update
// repeats (EasyPost sends every scan each time): 40 scans, out of order.
func BenchmarkProgress(b *testing.B) {
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var scans []Scan
	for i := range 40 {
		st := ShipmentInTransit
		switch {
		case i == 0:
			st = ShipmentLabelCreated
		case i == 39:
			st = ShipmentDelivered
		}
		scans = append(scans, Scan{State: st, At: base.Add(time.Duration((i*7)%40) * time.Hour), Place: "Somewhere"})
	}
	for b.Loop() {
		_ = Progress(scans)
	}
}
