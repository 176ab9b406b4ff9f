package analytics

import "time"

// The report tables (rollups). Each has a key of dimensions and integer
// measures; the time tables carry the UTC day in their key (the store
// writes a row for each level's block of that day). A Delta holds the
// difference a change makes; the store adds it to the tables.

// Measures of the returns table, one row per (day, country, region, hub,
// refund method, reason, category, currency, state) of return items.
const (
	MItems           = iota // item rows
	MUnits                  // units
	MValue                  // paid value of the units (minor units of Currency)
	MInspectedUnits         // units whose line was inspected
	MUnsellableUnits        // inspected units found not resellable
	MReturns                // returns (on their primary item's row)
	MStatutory              // returns on the statutory basis
	MLawOnly                // returns the law alone made possible
	MRefunds                // refunds paid
	MRefunded               // what the rules owed, paid back
	MBonus                  // store-credit bonus issued
	MGoodwill               // goodwill paid
	MRestocking             // restocking fees kept
	MReturnShipping         // return shipping fees kept
	MOutbound               // outbound shipping refunded
	MDeadlineRefunds        // refunds of returns with a legal refund deadline
	MInTime                 // those paid before the deadline passed
	MKept                   // returns whose shopper kept the items (returnless)
	MKeptRefunded           // what the rules owed for those, paid back
	ReturnMeasures
)

// ReturnMeasureColumns are the returns table's measure columns, by index.
var ReturnMeasureColumns = [ReturnMeasures]string{"items", "units", "value", "inspected_units", "unsellable_units",
	"returns", "statutory", "law_only", "refunds", "refunded", "bonus", "goodwill", "restocking", "return_shipping",
	"outbound", "deadline_refunds", "in_time", "kept", "kept_refunded"}

// ReturnKey is a row of the returns table (Day is level 0's block).
type ReturnKey struct {
	Day                                                             int64
	Country, Region, Hub, Method, Reason, Category, Currency, State string
}

// ReturnM are a returns row's measures.
type ReturnM [ReturnMeasures]int64

// SpeedKey is a row of the speed table: returns by their primary item's
// reason and category, whatever their state.
type SpeedKey struct {
	Day                                            int64
	Country, Region, Hub, Method, Reason, Category string
}

// SpeedM is a speed row's histogram of each stage's durations.
type SpeedM [Stages]Histogram

// SpeedColumn names the column of a stage's bucket.
func SpeedColumn(stage, bucket int) string {
	return "s" + string(rune('0'+stage)) + "_b" + itoa(bucket)
}

// AllReasons is the reason of a SKU row that counts every reason.
const AllReasons = "*"

// Measures of the SKU table: counted return items per (day, SKU, category,
// reason), with a row per SKU for all reasons (AllReasons).
const (
	SUnits = iota
	SValue
	SInspectedUnits
	SUnsellableUnits
	SKUMeasures
)

// SKUMeasureColumns are the SKU table's measure columns.
var SKUMeasureColumns = [SKUMeasures]string{"units", "value", "inspected_units", "unsellable_units"}

// SKUKey is a row of the SKU table.
type SKUKey struct {
	Day                   int64
	SKU, Category, Reason string
}

// SKUM are a SKU row's measures and a name the product was sold under.
type SKUM struct {
	M    [SKUMeasures]int64
	Name string
}

// Measures of the sales table: order lines per (day placed, country,
// region, category, currency).
const (
	OLines = iota
	OUnits
	OValue
	SalesMeasures
)

// SalesMeasureColumns are the sales table's measure columns.
var SalesMeasureColumns = [SalesMeasures]string{"lines", "units", "value"}

// SalesKey is a row of the sales table.
type SalesKey struct {
	Day                                 int64
	Country, Region, Category, Currency string
}

// SalesM are a sales row's measures.
type SalesM [SalesMeasures]int64

// SKUSalesKey is a row of the SKU sales table: lines and units sold per
// SKU (SKUSalesM).
type SKUSalesKey struct {
	Day           int64
	SKU, Category string
}

// SKUSalesM are a SKU sales row's lines and units.
type SKUSalesM [2]int64

// Measures of the shoppers table, one row per normalised e-mail, all time:
// counted returns, their units, orders and the units bought.
const (
	PReturns = iota
	PUnitsReturned
	POrders
	PUnitsBought
	ShopperMeasures
)

// ShopperMeasureColumns are the shoppers table's measure columns.
var ShopperMeasureColumns = [ShopperMeasures]string{"returns", "units_returned", "orders", "units_bought"}

// ShopperM are a shopper's measures.
type ShopperM [ShopperMeasures]int64

// Delta is what a change adds to the report tables (negative: removes).
type Delta struct {
	Returns  map[ReturnKey]ReturnM
	Speed    map[SpeedKey]SpeedM
	SKUs     map[SKUKey]SKUM
	Sales    map[SalesKey]SalesM
	SKUSales map[SKUSalesKey]SKUSalesM
	Shoppers map[string]ShopperM
}

// NewDelta is an empty delta.
func NewDelta() *Delta {
	return &Delta{Returns: map[ReturnKey]ReturnM{}, Speed: map[SpeedKey]SpeedM{}, SKUs: map[SKUKey]SKUM{},
		Sales: map[SalesKey]SalesM{}, SKUSales: map[SKUSalesKey]SKUSalesM{}, Shoppers: map[string]ShopperM{}}
}

// AddReturn adds a return's contribution to every table, times sign (+1
// for the return as it is after a change, -1 as it was before). A return
// without items (the portal makes none) counts nowhere.
func (d *Delta) AddReturn(f ReturnFacts, sign int64) {
	day := Day(f.Requested)
	state := State(f.Status)
	counted := Counted(state)
	if len(f.Items) == 0 {
		return
	}
	primary := f.Items[0]
	for i, it := range f.Items {
		k := ReturnKey{Day: day, Country: f.Country, Region: f.Region, Hub: f.Hub, Method: f.Method,
			Reason: it.Reason, Category: it.Category, Currency: f.Currency, State: state}
		m := d.Returns[k]
		m[MItems] += sign
		m[MUnits] += sign * it.Units
		m[MValue] += sign * it.Value
		if it.Inspected {
			m[MInspectedUnits] += sign * it.Units
			if Unsellable(it.Condition) {
				m[MUnsellableUnits] += sign * it.Units
			}
		}
		if i == 0 {
			addReturnLevel(&m, f, sign)
		}
		d.Returns[k] = m
		if counted {
			for _, reason := range []string{it.Reason, AllReasons} {
				sk := SKUKey{Day: day, SKU: it.SKU, Category: it.Category, Reason: reason}
				s := d.SKUs[sk]
				s.M[SUnits] += sign * it.Units
				s.M[SValue] += sign * it.Value
				if it.Inspected {
					s.M[SInspectedUnits] += sign * it.Units
					if Unsellable(it.Condition) {
						s.M[SUnsellableUnits] += sign * it.Units
					}
				}
				if sign > 0 && it.Name > s.Name {
					s.Name = it.Name
				}
				d.SKUs[sk] = s
			}
		}
	}
	sk := SpeedKey{Day: day, Country: f.Country, Region: f.Region, Hub: f.Hub, Method: f.Method,
		Reason: primary.Reason, Category: primary.Category}
	sp, timed := d.Speed[sk], false
	stage := func(s int, a, b *time.Time) {
		if a != nil && b != nil {
			sp[s][Bucket(Seconds(*a, *b))] += sign
			timed = true
		}
	}
	requested := f.Requested
	var refunded *time.Time
	if f.Refund != nil {
		refunded = &f.Refund.At
	}
	stage(StageRequestedReceived, &requested, f.Received)
	stage(StageReceivedInspected, f.Received, f.Inspected)
	stage(StageInspectedRefunded, f.Inspected, refunded)
	stage(StageRequestedRefunded, &requested, refunded)
	if timed {
		d.Speed[sk] = sp
	}

	if counted {
		p := d.Shoppers[f.Email]
		p[PReturns] += sign
		for _, it := range f.Items {
			p[PUnitsReturned] += sign * it.Units
		}
		d.Shoppers[f.Email] = p
	}
}

// addReturnLevel adds what a return counts once (on its primary item's
// row): the return itself, its basis, and its refund with the fees kept.
func addReturnLevel(m *ReturnM, f ReturnFacts, sign int64) {
	m[MReturns] += sign
	if f.Basis == "statutory" {
		m[MStatutory] += sign
	}
	if f.LawOnly {
		m[MLawOnly] += sign
	}
	if f.Kept {
		m[MKept] += sign
		if f.Refund != nil {
			m[MKeptRefunded] += sign * f.Refund.Amount
		}
	}
	if r := f.Refund; r != nil {
		m[MRefunds] += sign
		m[MRefunded] += sign * r.Amount
		m[MBonus] += sign * r.Bonus
		m[MGoodwill] += sign * r.Goodwill
		m[MRestocking] += sign * f.RestockingFee
		m[MReturnShipping] += sign * f.ReturnShippingFee
		m[MOutbound] += sign * f.OutboundRefund
		if f.OverdueAt != nil {
			m[MDeadlineRefunds] += sign
			if r.At.Before(*f.OverdueAt) {
				m[MInTime] += sign
			}
		}
	}
}

// AddOrder adds an order's contribution (its sales, and the shopper's
// order and units bought), times sign.
func (d *Delta) AddOrder(f OrderFacts, sign int64) {
	day := Day(f.Placed)
	var units int64
	for _, l := range f.Lines {
		k := SalesKey{Day: day, Country: f.Country, Region: f.Region, Category: l.Category, Currency: f.Currency}
		m := d.Sales[k]
		m[OLines] += sign
		m[OUnits] += sign * l.Units
		m[OValue] += sign * l.Value
		d.Sales[k] = m
		sk := SKUSalesKey{Day: day, SKU: l.SKU, Category: l.Category}
		ss := d.SKUSales[sk]
		ss[0] += sign
		ss[1] += sign * l.Units
		d.SKUSales[sk] = ss
		units += l.Units
	}
	p := d.Shoppers[f.Email]
	p[POrders] += sign
	p[PUnitsBought] += sign * units
	d.Shoppers[f.Email] = p
}

// Merge adds e to d, so that the deltas of several changes are written as
// one: the additions commute, and a SKU keeps the greater name, as the
// table's text column does.
func (d *Delta) Merge(e *Delta) {
	mergeRows(d.Returns, e.Returns, func(a *ReturnM, b ReturnM) { addInto(a[:], b[:]) })
	mergeRows(d.Speed, e.Speed, func(a *SpeedM, b SpeedM) {
		for i := range b {
			addInto(a[i][:], b[i][:])
		}
	})
	mergeRows(d.SKUs, e.SKUs, func(a *SKUM, b SKUM) {
		addInto(a.M[:], b.M[:])
		a.Name = max(a.Name, b.Name)
	})
	mergeRows(d.Sales, e.Sales, func(a *SalesM, b SalesM) { addInto(a[:], b[:]) })
	mergeRows(d.SKUSales, e.SKUSales, func(a *SKUSalesM, b SKUSalesM) { addInto(a[:], b[:]) })
	mergeRows(d.Shoppers, e.Shoppers, func(a *ShopperM, b ShopperM) { addInto(a[:], b[:]) })
}

// mergeRows adds each row of from to the row of the same key in into.
func mergeRows[K comparable, M any](into, from map[K]M, add func(a *M, b M)) {
	for k, m := range from {
		row := into[k]
		add(&row, m)
		into[k] = row
	}
}

// addInto adds b's measures to a's, position by position.
func addInto(a, b []int64) {
	for i := range a {
		a[i] += b[i]
	}
}

// Prune drops the rows a delta leaves unchanged.
func (d *Delta) Prune() {
	for k, m := range d.Returns {
		if m == (ReturnM{}) {
			delete(d.Returns, k)
		}
	}
	for k, m := range d.Speed {
		if m == (SpeedM{}) {
			delete(d.Speed, k)
		}
	}
	for k, m := range d.SKUs {
		if m.M == ([SKUMeasures]int64{}) {
			delete(d.SKUs, k)
		}
	}
	for k, m := range d.Sales {
		if m == (SalesM{}) {
			delete(d.Sales, k)
		}
	}
	for k, m := range d.SKUSales {
		if m == (SKUSalesM{}) {
			delete(d.SKUSales, k)
		}
	}
	for k, m := range d.Shoppers {
		if m == (ShopperM{}) {
			delete(d.Shoppers, k)
		}
	}
}

// Empty reports whether the delta changes nothing (after Prune).
func (d *Delta) Empty() bool {
	return len(d.Returns)+len(d.Speed)+len(d.SKUs)+len(d.Sales)+len(d.SKUSales)+len(d.Shoppers) == 0
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
