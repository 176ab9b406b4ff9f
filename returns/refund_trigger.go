package returns

import (
	"slices"

	"github.com/bojanz/currency"
)

// Refund triggers: when a return is paid back without staff. Leading
// portals offer the earlier ones to trusted shoppers; each trusts the
// shopper more than the one before.
const (
	// RefundOnInspected (the default): staff refund after the inspection.
	RefundOnInspected = "inspected"
	// RefundOnReceived: as soon as the parcel is received at the hub (by a
	// scan at the receiving bench, or by the carrier's delivery where the
	// policy receives on delivery).
	RefundOnReceived = "received"
	// RefundOnFirstScan: as soon as the carrier first scans the parcel, or
	// it is received, whichever comes first.
	RefundOnFirstScan = "first_scan"
)

// RefundTriggers are the triggers a policy may name.
var RefundTriggers = []string{RefundOnInspected, RefundOnReceived, RefundOnFirstScan}

// Events of a parcel that may trigger a refund (AutoRefundDue).
const (
	// ParcelFirstScan: the carrier scanned the parcel for the first time.
	ParcelFirstScan = "first_scan"
	// ParcelReceived: the parcel was received at the hub.
	ParcelReceived = "received"
)

// AutoRefundDue reports whether a return is paid back without staff when
// event (ParcelFirstScan, ParcelReceived) happens to its parcel: the
// policy's trigger fires on the event (a first-scan trigger also fires on
// the receipt of a parcel that was never scanned), the return may still be
// paid back on that event (DecideRefundOn), and what it pays back is below
// the trigger's limit for its currency, when the policy sets limits (a
// currency the limits do not list is never refunded automatically: the
// merchant limited the risk, and an unlisted currency must not escape it).
func AutoRefundDue(e EffectiveRules, event string, r Return) bool {
	switch {
	case event == ParcelFirstScan && e.RefundTrigger == RefundOnFirstScan:
	case event == ParcelReceived && (e.RefundTrigger == RefundOnReceived || e.RefundTrigger == RefundOnFirstScan):
	default:
		return false
	}
	if _, err := DecideRefundOn(r, e.RefundTrigger); err != nil {
		return false
	}
	if e.RefundTriggerMax == nil {
		return true
	}
	limit, ok := e.RefundTriggerMax[r.Quote.Currency]
	return ok && refundTotal(r) < limit
}

// refundTotal is what paying a return back would pay: its quote's total
// (the store-credit bonus included) and its goodwill.
func refundTotal(r Return) int64 { return max(r.Quote.Total, 0) + max(r.GoodwillTotal(), 0) }

// DecideRefundOn decides the refund of a return as DecideRefund does, for
// the policy's refund trigger: RefundOnFirstScan pays back an approved or
// received return, RefundOnReceived a received one, and every trigger an
// inspected one; anything else is refused (not_inspected), as a return in
// review, cancelled or already paid back is.
func DecideRefundOn(r Return, trigger string) (RefundDecision, error) {
	switch {
	case r.Status == StatusInspected:
		return DecideRefund(r)
	case trigger == RefundOnFirstScan && (r.Status == StatusApproved || r.Status == StatusReceived),
		trigger == RefundOnReceived && r.Status == StatusReceived:
		return decideRefund(r)
	}
	return RefundDecision{}, &Error{Code: CodeNotInspected}
}

// validateRefundTrigger checks a rules entry's refund trigger and limits.
func validateRefundTrigger(fe *FieldErrors, path string, r Rules) {
	if r.RefundTrigger != nil && !slices.Contains(RefundTriggers, *r.RefundTrigger) {
		fe.add(fieldPath(path, "refund_trigger"), FieldInvalid)
	}
	if r.RefundTriggerMax == nil {
		return
	}
	for _, cur := range valSortedKeys(*r.RefundTriggerMax) {
		fp := fieldPath(path, "refund_trigger_max", cur)
		if cur == "" || !currency.IsValid(cur) {
			fe.add(fp, FieldUnknownCurrency)
			continue
		}
		// A limit of 0 would refund nothing: a mistake, not a setting.
		if v := (*r.RefundTriggerMax)[cur]; checkAmount(fe, fp, v) && v == 0 {
			fe.add(fp, FieldOutOfRange)
		}
	}
}

// ReceiveTarget is the status receiving a parcel moves a return to, or
// why it cannot be received (ReceiveRefusal): an approved return is
// received; a return paid back before its parcel arrived (a refund
// trigger) is closed by the arrival, which is all that was left to happen
// to it. arrived says whether its parcel was received before.
func ReceiveTarget(s Status, arrived bool) (to Status, refusal string) {
	switch {
	case s == StatusApproved:
		return StatusReceived, ""
	case (s == StatusRefunded || s == StatusCredited) && !arrived:
		return StatusClosed, ""
	}
	return "", ReceiveRefusal(s)
}
