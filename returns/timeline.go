package returns

import "time"

// Values of the legal data's refund.deadline_from.
const (
	fromWithdrawalNotice = "withdrawal_notice"
	fromGoodsReceived    = "goods_received_back"
	fromEarlierOfGoods   = "earlier_of_goods_received_or_proof_of_dispatch"
)

// Timeline is the estimated course of a return, as local dates in the
// shopper's time zone.
type Timeline struct {
	DropOffBy   Date  `json:"drop_off_by"`
	ArrivesBy   Date  `json:"arrives_by"`
	InspectedBy Date  `json:"inspected_by"`
	RefundDueBy *Date `json:"refund_due_by,omitempty"`
	// RefundBy is the estimated day of the refund, on every market: when
	// the items have been checked, or the law's deadline where that comes
	// first.
	RefundBy Date `json:"refund_by"`
	// RefundLaw is the law's refund rule where the law sets a deadline
	// (statutory basis), for the words of a deadline that comes before the
	// check (Steps).
	RefundLaw *RefundLaw `json:"-"`
}

// RefundLaw is how the law of the shopper's market times a refund after a
// withdrawal: Days (business days where BusinessDays) counted from From
// (RefundFromWithdrawal, RefundFromArrival, RefundFromArrivalOrDispatch);
// MayWait: the merchant may wait until the goods are back or the shopper
// has shown that she sent them.
type RefundLaw struct {
	Days         int
	BusinessDays bool
	From         string
	MayWait      bool
}

// Starts of a legal refund deadline (RefundLaw.From).
const (
	RefundFromWithdrawal        = "withdrawal"
	RefundFromArrival           = "arrival"
	RefundFromArrivalOrDispatch = "arrival_or_dispatch"
)

// EstimateTimeline estimates a return requested at requestedAt:
//
//   - drop off by: the request's local date + drop_off_days; on the statutory
//     basis, at least the law's send-back period (consumer_sends_back_within_days)
//     where it sets one (a merchant allowing longer keeps its longer period);
//   - arrives by: drop-off + transit_days; inspected by: arrival +
//     inspection_days;
//   - refund due by, on the statutory basis where the law sets a refund
//     deadline: deadline_days (business days where deadline_unit says so)
//     counted from the request (withdrawal_notice, or no start given), from
//     the estimated arrival (goods_received_back), or from the drop-off date
//     (earlier_of_goods_received_or_proof_of_dispatch: the proof of dispatch
//     is obtained at drop-off, before arrival). Where the law lets the
//     merchant withhold the refund until the goods are back, the estimate is
//     never before the estimated arrival: a shopper told "refund by" a date
//     earlier than "arrives by" would be told something that will not happen.
//     Otherwise nil.
func EstimateTimeline(o Order, p Policy, legal *Legal, basis string, requestedAt time.Time) Timeline {
	country, region := o.ShippingAddress.Country, o.ShippingAddress.Region
	loc, _ := ZoneFor(country, region)
	market := legal.For(country, region)
	rules := p.Effective(legal, country)
	statutory := basis == BasisStatutory
	requested := DateOf(requestedAt, loc)

	dropDays := max(rules.DropOffDays, 0)
	if w := market.StatutoryWithdrawal(); statutory && w != nil && w.ConsumerSendsBackWithinDays > 0 {
		dropDays = max(dropDays, w.ConsumerSendsBackWithinDays)
	}
	var t Timeline
	t.DropOffBy = requested.AddDays(dropDays)
	t.ArrivesBy = t.DropOffBy.AddDays(max(rules.TransitDays, 0))
	t.InspectedBy = t.ArrivesBy.AddDays(max(rules.InspectionDays, 0))
	t.RefundBy = t.InspectedBy

	if !statutory || market == nil || market.Refund == nil || market.Refund.DeadlineDays == nil {
		return t
	}
	n := max(*market.Refund.DeadlineDays, 0)
	law := &RefundLaw{Days: n, BusinessDays: market.Refund.DeadlineUnit == unitBusiness,
		From: RefundFromWithdrawal, MayWait: market.Refund.MayWithhold}
	from := requested
	switch market.Refund.DeadlineFrom {
	case fromGoodsReceived:
		from, law.From = t.ArrivesBy, RefundFromArrival
	case fromEarlierOfGoods:
		from, law.From = t.DropOffBy, RefundFromArrivalOrDispatch
	}
	due := from.AddDays(n)
	if law.BusinessDays {
		due = from.AddBusinessDays(n)
	}
	if law.MayWait && due.Before(t.ArrivesBy) {
		due = t.ArrivesBy
	}
	t.RefundDueBy = &due
	t.RefundLaw = law
	if due.Before(t.RefundBy) {
		t.RefundBy = due
	}
	return t
}

// Steps of a return's course (TimelineStep.Code), in the order they happen.
const (
	StepDropOff   = "drop_off"
	StepArrives   = "arrives"
	StepInspected = "inspected"
	StepRefund    = "refund"
)

// TimelineStep is one step of a return's estimated course: dated, or,
// for a refund whose legal deadline comes before an earlier step's date,
// worded by the law (Law) instead.
type TimelineStep struct {
	Code string
	Date *Date
	Law  *RefundLaw
}

// Steps are the timeline's steps in the order they happen: drop-off,
// arrival, check, refund. Each dated step is on or after the one before
// it, so that no list reads "refund by the 19th" below "checked by the
// 21st". The refund is dated by RefundBy, unless the law's deadline
// (RefundDueBy) comes before the check: then the refund is due before the
// merchant has looked at the items (within 14 days of the withdrawal in
// the EU, where the merchant may wait only for the parcel), a date that
// would stand out of order, so the step says what the law says instead.
func (t Timeline) Steps() []TimelineStep {
	date := func(d Date) *Date { return &d }
	steps := []TimelineStep{
		{Code: StepDropOff, Date: date(t.DropOffBy)},
		{Code: StepArrives, Date: date(t.ArrivesBy)},
		{Code: StepInspected, Date: date(t.InspectedBy)},
	}
	refund := TimelineStep{Code: StepRefund, Date: date(t.RefundBy)}
	if t.RefundDueBy != nil && t.RefundLaw != nil && t.RefundDueBy.Before(t.InspectedBy) {
		law := *t.RefundLaw
		refund = TimelineStep{Code: StepRefund, Law: &law}
	}
	return append(steps, refund)
}
