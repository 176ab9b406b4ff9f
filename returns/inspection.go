package returns

import (
	"strconv"
	"time"
)

// Conditions staff record for an inspected item.
const (
	ConditionResellable     = "resellable"
	ConditionDamaged        = "damaged"
	ConditionNotAsDescribed = "not_as_described"
	ConditionMissing        = "missing"
)

// Conditions lists the inspection conditions in the order forms offer them.
var Conditions = []string{ConditionResellable, ConditionDamaged, ConditionNotAsDescribed, ConditionMissing}

// ValidCondition reports whether c is one of Conditions.
func ValidCondition(c string) bool {
	for _, x := range Conditions {
		if c == x {
			return true
		}
	}
	return false
}

// Codes of the *Error that CheckInspection and DecideRefund return.
const (
	CodeInspectionIncomplete = "inspection_incomplete"
	CodeInvalidCondition     = "invalid_condition"
	CodeMissingAccepted      = "missing_accepted"
	CodeNotInspected         = "not_inspected"
	CodeNothingToRefund      = "nothing_to_refund"
	CodeNotesTooLong         = "notes_too_long"
)

// MaxNotes is the longest note staff may attach to an inspected item or a
// return, in bytes.
const MaxNotes = 2000

// InspectedItem is staff's verdict on one item of a return: how many units
// are accepted for a refund and in what condition they arrived.
type InspectedItem struct {
	LineID    string `json:"line_id"`
	Accepted  int    `json:"accepted_quantity"`
	Condition string `json:"condition"`
	Notes     string `json:"notes,omitempty"`
}

// CheckInspection validates an inspection against the return's items: each
// item exactly once, 0 <= accepted <= the quantity sent back, a known
// condition, nothing accepted of a missing item, notes within MaxNotes. It
// returns the accepted units per line.
func CheckInspection(r Return, items []InspectedItem) (map[string]int, error) {
	want := make(map[string]int, len(r.Items))
	for _, it := range r.Items {
		want[it.LineID] += it.Quantity
	}
	accepted := make(map[string]int, len(items))
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		path := "items[" + strconv.Itoa(i) + "]."
		q, ok := want[it.LineID]
		switch {
		case !ok:
			return nil, &Error{Code: CodeUnknownLine, Field: path + "line_id"}
		case seen[it.LineID]:
			return nil, &Error{Code: CodeDuplicateLine, Field: path + "line_id"}
		case it.Accepted < 0 || it.Accepted > q:
			return nil, &Error{Code: CodeInvalidQuantity, Field: path + "accepted_quantity"}
		case !ValidCondition(it.Condition):
			return nil, &Error{Code: CodeInvalidCondition, Field: path + "condition"}
		case it.Condition == ConditionMissing && it.Accepted > 0:
			return nil, &Error{Code: CodeMissingAccepted, Field: path + "accepted_quantity"}
		case len(it.Notes) > MaxNotes:
			return nil, &Error{Code: CodeNotesTooLong, Field: path + "notes"}
		}
		seen[it.LineID] = true
		accepted[it.LineID] = it.Accepted
	}
	for _, it := range r.Items {
		if !seen[it.LineID] {
			return nil, &Error{Code: CodeInspectionIncomplete, Field: "items"}
		}
	}
	return accepted, nil
}

// RequoteAccepted recomputes a return's quote for the units staff accepted at
// inspection, through the same rules as BuildQuote: the order, the policy
// version the return was decided under, h = what the order's earlier returns
// (not this one) hold, and the eligibility as it was when the shopper asked
// (r.CreatedAt), so that a window that closed while the parcel travelled
// takes nothing away. Items keep their reasons; units not accepted refund
// nothing, and fees and the outbound shipping refund follow from what is
// accepted (e.g. the EU's outbound refund needs the whole order back).
// Nothing accepted is a zero quote.
func RequoteAccepted(o Order, p Policy, legal *Legal, h History, r Return, accepted map[string]int) (Quote, error) {
	req := QuoteRequest{RefundMethod: r.RefundMethod, Consent: r.Consent}
	anyRefund := false
	for _, it := range r.Items {
		if n := min(accepted[it.LineID], it.Quantity); n > 0 {
			req.Items = append(req.Items, QuoteItem{LineID: it.LineID, Quantity: n, Reason: it.Reason,
				Resolution: it.Resolution, ExchangeSKU: it.ExchangeSKU})
			anyRefund = anyRefund || !it.Exchanged()
		}
	}
	if !anyRefund {
		// What is left are exchanges, which need no refund method.
		req.RefundMethod = ""
	}
	if len(req.Items) == 0 {
		basis := r.Basis
		if basis == "" {
			basis = r.Quote.Basis
		}
		return Quote{Currency: o.Currency, Basis: basis, Lines: []QuoteLine{}}, nil
	}
	// Exchanged items were checked and their units reserved when the
	// return was made: they are taken as they are.
	q, err := buildQuote(o, p, legal, h, req, r.CreatedAt, decidedExchanges)
	q.Returnless = r.Quote.Returnless
	return q, err
}

// RefundDecision is how a return is paid back: the amount in minor units of
// Currency by Method, and the status the return moves to. For store credit
// Amount is the items' value and Bonus the policy's bonus on top (the code is
// worth Amount + Bonus + Goodwill); otherwise Bonus is 0. Goodwill is what
// admins granted on top of the quote (Return.Goodwill), paid by the same
// method and recorded apart: Amount alone is what the rules owe, and
// CheckRefundCap keeps it within what was paid.
type RefundDecision struct {
	Amount   int64
	Bonus    int64
	Goodwill int64
	Currency string
	Method   string
	Status   Status
}

// Total is everything the decision pays back: Amount + Bonus + Goodwill.
func (d RefundDecision) Total() int64 { return d.Amount + d.Bonus + d.Goodwill }

// DecideRefund decides the refund of an inspected return from its (inspected)
// quote, its goodwill lines and the refund method the shopper chose: store
// credit is "credited" with the bonus, original payment and bank transfer are
// "refunded"; goodwill is added by the same method, as its own amount. A
// return that is not inspected, or that pays nothing (no quote money and no
// goodwill), is refused.
func DecideRefund(r Return) (RefundDecision, error) {
	if r.Status != StatusInspected {
		return RefundDecision{}, &Error{Code: CodeNotInspected}
	}
	return decideRefund(r)
}

// decideRefund is DecideRefund's decision for a return whose status allows
// a refund (inspected, or earlier on a trigger: DecideRefundOn).
func decideRefund(r Return) (RefundDecision, error) {
	d := RefundDecision{Currency: r.Quote.Currency, Method: r.RefundMethod}
	switch r.RefundMethod {
	case MethodStoreCredit:
		d.Status = StatusCredited
		d.Bonus = max(r.Quote.StoreCreditBonus, 0)
		d.Amount = max(r.Quote.Total-d.Bonus, 0)
	case MethodOriginalPayment, MethodBankTransfer:
		d.Status = StatusRefunded
		d.Amount = max(r.Quote.Total, 0)
	case MethodExchange:
		// Only exchanges: nothing to pay (SettleExchanges settles them).
		return RefundDecision{}, &Error{Code: CodeNothingToRefund}
	default:
		return RefundDecision{}, &Error{Code: CodeUnknownMethod, Field: "refund_method"}
	}
	d.Goodwill = max(r.GoodwillTotal(), 0)
	if d.Total() <= 0 {
		return RefundDecision{}, &Error{Code: CodeNothingToRefund}
	}
	if err := CheckTransition(r.Status, d.Status); err != nil {
		return RefundDecision{}, err
	}
	return d, nil
}

// RefundDeadline is the day by which the law says a return must be paid
// back, in the shopper's time zone, or nil where the law sets no deadline or
// the return is not on the statutory basis. It counts refund.deadline_days
// (business days where deadline_unit says so) from refund.deadline_from:
// the request (withdrawal_notice, EU: 14 days), the day the parcel arrived
// (goods_received_back; estimated while it travels), or the earlier of the
// arrival and the estimated drop-off (earlier_of_goods_received_or_proof_of_dispatch).
// Where the law lets the merchant withhold the refund until the goods are
// back, the deadline still runs from the request; the queue shows it.
func RefundDeadline(o Order, p Policy, legal *Legal, basis string, requestedAt time.Time, receivedAt *time.Time) *Date {
	market := legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region)
	if basis != BasisStatutory || market == nil || market.Refund == nil || market.Refund.DeadlineDays == nil {
		return nil
	}
	loc, _ := ZoneFor(o.ShippingAddress.Country, o.ShippingAddress.Region)
	t := EstimateTimeline(o, p, legal, basis, requestedAt)
	from := DateOf(requestedAt, loc)
	switch market.Refund.DeadlineFrom {
	case fromGoodsReceived:
		from = t.ArrivesBy
		if receivedAt != nil {
			from = DateOf(*receivedAt, loc)
		}
	case fromEarlierOfGoods:
		from = t.DropOffBy
		if receivedAt != nil {
			if got := DateOf(*receivedAt, loc); got.Before(from) {
				from = got
			}
		}
	}
	n := max(*market.Refund.DeadlineDays, 0)
	due := from.AddDays(n)
	if market.Refund.DeadlineUnit == unitBusiness {
		due = from.AddBusinessDays(n)
	}
	return &due
}

// OverdueFrom is the instant a refund due on d becomes overdue: the start of
// the next day in the shopper's time zone.
func OverdueFrom(d Date, country, region string) time.Time {
	loc, _ := ZoneFor(country, region)
	return d.AddDays(1).Time(loc)
}
