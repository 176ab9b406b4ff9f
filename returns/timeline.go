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
}

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

	if !statutory || market == nil || market.Refund == nil || market.Refund.DeadlineDays == nil {
		return t
	}
	from := requested
	switch market.Refund.DeadlineFrom {
	case fromGoodsReceived:
		from = t.ArrivesBy
	case fromEarlierOfGoods:
		from = t.DropOffBy
	}
	n := max(*market.Refund.DeadlineDays, 0)
	due := from.AddDays(n)
	if market.Refund.DeadlineUnit == unitBusiness {
		due = from.AddBusinessDays(n)
	}
	if market.Refund.MayWithhold && due.Before(t.ArrivesBy) {
		due = t.ArrivesBy
	}
	t.RefundDueBy = &due
	return t
}
