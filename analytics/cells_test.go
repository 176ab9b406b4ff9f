package analytics

import (
	"reflect"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptrTime(s string) *time.Time { t := at(s); return &t }

// sample is a return of two items of different reasons and categories,
// refunded with goodwill inside its legal deadline.
func sample() ReturnFacts {
	return ReturnFacts{
		Requested: at("2026-01-05T23:30:00Z"), Country: "DE", Region: "BY", Hub: "eu", Method: "original_payment",
		Currency: "EUR", Email: "ana@example.com", Status: returns.StatusRefunded, Basis: "statutory", LawOnly: true,
		Items: []ItemFacts{
			{Reason: "wrong_size", SKU: "TEE", Name: "T-shirt", Category: "apparel", Units: 2, Value: 4000,
				Inspected: true, Condition: returns.ConditionResellable},
			{Reason: "damaged", SKU: "MUG", Name: "Mug", Category: "home", Units: 1, Value: 1200,
				Inspected: true, Condition: returns.ConditionDamaged},
		},
		Received:  ptrTime("2026-01-08T10:00:00Z"),
		Inspected: ptrTime("2026-01-08T15:00:00Z"),
		Refund:    &RefundFacts{Amount: 4700, Bonus: 0, Goodwill: 300, At: at("2026-01-09T09:00:00Z")},
		OverdueAt: ptrTime("2026-01-19T23:00:00Z"), RestockingFee: 0, ReturnShippingFee: 500, OutboundRefund: 0,
	}
}

func TestAddReturn(t *testing.T) {
	f := sample()
	d := NewDelta()
	d.AddReturn(f, 1)
	day := DayOf(2026, 1, 5)
	first := ReturnKey{Day: day, Country: "DE", Region: "BY", Hub: "eu", Method: "original_payment", Reason: "wrong_size",
		Category: "apparel", Currency: "EUR", State: StateDone}
	second := first
	second.Reason, second.Category = "damaged", "home"
	want := map[ReturnKey]ReturnM{
		first: {MItems: 1, MUnits: 2, MValue: 4000, MInspectedUnits: 2, MReturns: 1, MStatutory: 1, MLawOnly: 1,
			MRefunds: 1, MRefunded: 4700, MGoodwill: 300, MReturnShipping: 500, MDeadlineRefunds: 1, MInTime: 1},
		second: {MItems: 1, MUnits: 1, MValue: 1200, MInspectedUnits: 1, MUnsellableUnits: 1},
	}
	if len(d.Returns) != len(want) {
		t.Fatalf("returns rows: %+v", d.Returns)
	}
	for k, m := range want {
		if d.Returns[k] != m {
			t.Errorf("row %+v = %v, want %v", k, d.Returns[k], m)
		}
	}
	// Speed: on the primary item's reason and category.
	sk := SpeedKey{Day: day, Country: "DE", Region: "BY", Hub: "eu", Method: "original_payment", Reason: "wrong_size", Category: "apparel"}
	sp := d.Speed[sk]
	for stage, hours := range map[int]int64{
		StageRequestedReceived: 58, // 2.4 days: the 48-72 h bucket
		StageReceivedInspected: 5,
		StageInspectedRefunded: 18,
		StageRequestedRefunded: 81,
	} {
		b := Bucket(hours * 3600)
		if sp[stage][b] != 1 || sp[stage].Total() != 1 {
			t.Errorf("stage %s: %v, want one in bucket %d", StageNames[stage], sp[stage], b)
		}
	}
	// SKUs: each item under its reason and under all reasons.
	for _, k := range []SKUKey{{day, "TEE", "apparel", "wrong_size"}, {day, "TEE", "apparel", AllReasons}} {
		if got := d.SKUs[k]; got.M != [SKUMeasures]int64{2, 4000, 2, 0} || got.Name != "T-shirt" {
			t.Errorf("SKU row %+v = %+v", k, got)
		}
	}
	if got := d.SKUs[SKUKey{day, "MUG", "home", "damaged"}]; got.M != [SKUMeasures]int64{1, 1200, 1, 1} {
		t.Errorf("mug = %+v", got)
	}
	if got := d.Shoppers["ana@example.com"]; got != (ShopperM{PReturns: 1, PUnitsReturned: 3}) {
		t.Errorf("shopper = %v", got)
	}
}

func TestAddReturnStates(t *testing.T) {
	late := sample()
	late.Refund.At = at("2026-01-20T00:00:00Z") // after the deadline passed
	cancelled := sample()
	cancelled.Status, cancelled.Refund, cancelled.Received, cancelled.Inspected = returns.StatusCancelled, nil, nil, nil
	open := sample()
	open.Status, open.Refund = returns.StatusInspected, nil
	noDeadline := sample()
	noDeadline.OverdueAt = nil
	for _, c := range []struct {
		name      string
		f         ReturnFacts
		state     string
		counted   bool
		deadline  int64
		inTime    int64
		stagesSet int
	}{
		{"late", late, StateDone, true, 1, 0, 4},
		{"cancelled", cancelled, "cancelled", false, 0, 0, 0},
		{"open", open, "inspected", true, 0, 0, 2},
		{"no deadline", noDeadline, StateDone, true, 0, 0, 4},
	} {
		d := NewDelta()
		d.AddReturn(c.f, 1)
		var m ReturnM
		for k, v := range d.Returns {
			if k.State != c.state {
				t.Errorf("%s: row in state %s", c.name, k.State)
			}
			if v[MReturns] == 1 {
				m = v
			}
		}
		if m[MDeadlineRefunds] != c.deadline || m[MInTime] != c.inTime {
			t.Errorf("%s: deadline %d in time %d", c.name, m[MDeadlineRefunds], m[MInTime])
		}
		if got := len(d.SKUs) > 0; got != c.counted {
			t.Errorf("%s: SKU rows %v, want %v", c.name, got, c.counted)
		}
		if _, ok := d.Shoppers[c.f.Email]; ok != c.counted {
			t.Errorf("%s: shopper row %v", c.name, ok)
		}
		stages := 0
		for _, sp := range d.Speed {
			for _, h := range sp {
				stages += int(h.Total())
			}
		}
		if stages != c.stagesSet {
			t.Errorf("%s: %d durations, want %d", c.name, stages, c.stagesSet)
		}
	}
}

// TestDeltaOfAChange: the delta of a status change (before subtracted,
// after added) moves the rows from one state to the other and leaves
// nothing else.
func TestDeltaOfAChange(t *testing.T) {
	before := sample()
	before.Status, before.Refund = returns.StatusInspected, nil
	after := sample()
	d := NewDelta()
	d.AddReturn(before, -1)
	d.AddReturn(after, 1)
	d.Prune()
	for k, m := range d.Returns {
		if k.State == "inspected" && m[MItems] != -1 || k.State == StateDone && m[MItems] != 1 {
			t.Errorf("row %+v = %v", k, m)
		}
	}
	if len(d.Returns) != 4 || len(d.SKUs) != 0 || len(d.Shoppers) != 0 {
		t.Errorf("rows: %d returns, %d SKUs, %d shoppers", len(d.Returns), len(d.SKUs), len(d.Shoppers))
	}
	if len(d.Speed) != 1 {
		t.Errorf("speed rows %v", d.Speed)
	}
	same := NewDelta()
	same.AddReturn(after, -1)
	same.AddReturn(after, 1)
	same.Prune()
	if !same.Empty() {
		t.Errorf("no change, delta %+v", same)
	}
}

func TestAddOrder(t *testing.T) {
	d := NewDelta()
	d.AddOrder(OrderFacts{Placed: at("2026-01-05T10:00:00Z"), Country: "JP", Currency: "JPY", Email: "k@example.com",
		Lines: []LineFacts{{SKU: "A", Category: "c", Units: 2, Value: 5000}, {SKU: "B", Category: "c", Units: 1, Value: 1000}}}, 1)
	k := SalesKey{Day: DayOf(2026, 1, 5), Country: "JP", Category: "c", Currency: "JPY"}
	if d.Sales[k] != (SalesM{2, 3, 6000}) || len(d.Sales) != 1 {
		t.Errorf("sales %v", d.Sales)
	}
	if d.SKUSales[SKUSalesKey{k.Day, "A", "c"}] != (SKUSalesM{1, 2}) || d.SKUSales[SKUSalesKey{k.Day, "B", "c"}] != (SKUSalesM{1, 1}) {
		t.Errorf("SKU sales %v", d.SKUSales)
	}
	if d.Shoppers["k@example.com"] != (ShopperM{POrders: 1, PUnitsBought: 3}) {
		t.Errorf("shopper %v", d.Shoppers)
	}
}

func TestSpeedColumn(t *testing.T) {
	if got := SpeedColumn(3, 16); got != "s3_b16" {
		t.Errorf("SpeedColumn = %q", got)
	}
}

// TestMerge: changes added to one delta each and then merged equal the
// same changes added to one delta — a return made, another one's status
// changed (removed as it was, added as it is), an order ingested — and a
// SKU keeps the greater of its names.
func TestMerge(t *testing.T) {
	refunded := sample()
	open := sample()
	open.Status, open.Refund, open.Received, open.Inspected = returns.StatusApproved, nil, nil, nil
	other := sample()
	other.Country, other.Email = "FR", "bo@example.com"
	other.Items = []ItemFacts{{Reason: "wrong_size", SKU: "TEE", Name: "T-shirt (blue)", Category: "apparel", Units: 1, Value: 2000}}
	order := OrderFacts{Placed: at("2026-01-02T10:00:00Z"), Country: "DE", Currency: "EUR", Email: "ana@example.com",
		Lines: []LineFacts{{SKU: "TEE", Name: "T-shirt", Category: "apparel", Units: 2, Value: 4000}}}
	changes := []func(d *Delta){
		func(d *Delta) { d.AddReturn(open, 1) },
		func(d *Delta) { d.AddReturn(open, -1); d.AddReturn(refunded, 1) },
		func(d *Delta) { d.AddReturn(other, 1) },
		func(d *Delta) { d.AddOrder(order, 1) },
	}
	whole := NewDelta()
	merged := NewDelta()
	for _, change := range changes {
		change(whole)
		one := NewDelta()
		change(one)
		merged.Merge(one)
	}
	whole.Prune()
	merged.Prune()
	if !reflect.DeepEqual(whole, merged) {
		t.Errorf("merged %+v\nwant  %+v", merged, whole)
	}
	if got := merged.SKUs[SKUKey{Day: DayOf(2026, 1, 5), SKU: "TEE", Category: "apparel", Reason: AllReasons}].Name; got != "T-shirt (blue)" {
		t.Errorf("SKU name %q, want the greater one", got)
	}
}
