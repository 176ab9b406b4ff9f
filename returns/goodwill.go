package returns

import (
	"strconv"
	"strings"
	"time"
)

// Codes of the *Error that CheckGoodwill, CheckPhotos and CheckRefundCap
// return.
const (
	CodeGoodwillReasonRequired = "goodwill_reason_required"
	CodeGoodwillInvalidAmount  = "goodwill_invalid_amount"
	CodeGoodwillTooLarge       = "goodwill_too_large"
	CodeGoodwillNotAllowed     = "goodwill_not_allowed"
	CodeRefundExceedsPaid      = "refund_exceeds_paid"
	CodePhotoRequired          = "photo_required"
	CodeTooManyPhotos          = "too_many_photos"
)

// MaxPhotosPerItem is how many photos a shopper may attach to one item.
const MaxPhotosPerItem = 5

// Goodwill is money an admin grants on top of a return's quote: an
// ineligible item approved anyway (LineID names the order line) or a refund
// above the quote (no LineID). It is a separate line, never folded into the
// quote: the quote stays what the rules decided, and the refund records the
// goodwill apart from the amount the rules owe, which alone is held to what
// was paid (CheckRefundCap). Reason and Actor are internal: the shopper sees
// the amount only.
type Goodwill struct {
	LineID   string    `json:"line_id,omitempty"`
	Amount   int64     `json:"amount"`
	Currency string    `json:"currency"`
	Reason   string    `json:"reason"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
}

// GoodwillRequest is what an admin asks to grant.
type GoodwillRequest struct {
	LineID string `json:"line_id"`
	Amount int64  `json:"amount"`
	Reason string `json:"reason"`
}

// GoodwillTotal is the sum of a return's goodwill lines.
func (r Return) GoodwillTotal() int64 {
	var n int64
	for _, g := range r.Goodwill {
		n += g.Amount
	}
	return n
}

// PaidTotal is what the shopper paid for the order: every line and the
// outbound shipping.
func (o Order) PaidTotal() int64 {
	n := o.Shipping.Amount
	for _, l := range o.Lines {
		n += l.Paid()
	}
	return n
}

// CheckGoodwill validates a goodwill grant on a return of o:
//
//   - only before the return is paid back (requested, approved, received,
//     inspected): goodwill is paid with the refund, never after it;
//   - a reason is mandatory (at most MaxNotes bytes);
//   - the amount is positive; for an item (LineID set, any line of the
//     order, eligible or not) at most what was paid for that line;
//   - all goodwill of the return together at most what was paid for the
//     order (PaidTotal), a guard against a slipped digit.
func CheckGoodwill(o Order, r Return, g GoodwillRequest) error {
	if !r.Status.RefundOwed() {
		return &Error{Code: CodeGoodwillNotAllowed}
	}
	reason := strings.TrimSpace(g.Reason)
	if reason == "" {
		return &Error{Code: CodeGoodwillReasonRequired, Field: "reason"}
	}
	if len(reason) > MaxNotes {
		return &Error{Code: CodeNotesTooLong, Field: "reason"}
	}
	if g.Amount <= 0 {
		return &Error{Code: CodeGoodwillInvalidAmount, Field: "amount"}
	}
	if g.LineID != "" {
		l, ok := o.Line(g.LineID)
		if !ok {
			return &Error{Code: CodeUnknownLine, Field: "line_id"}
		}
		if g.Amount > l.Paid() {
			return &Error{Code: CodeGoodwillTooLarge, Field: "amount"}
		}
	}
	if r.GoodwillTotal()+g.Amount > o.PaidTotal() {
		return &Error{Code: CodeGoodwillTooLarge, Field: "amount"}
	}
	return nil
}

// GoodwillPossible reports whether an admin could grant any goodwill on a
// return of o now (CheckGoodwill would accept some amount with a reason):
// the refund is still owed and the goodwill so far is below what was paid
// for the order.
func GoodwillPossible(o Order, r Return) bool {
	return r.Status.RefundOwed() && r.GoodwillTotal() < o.PaidTotal()
}

// CheckRefundCap is the invariant of every refund: what the rules pay back
// (d.Amount: the quote's money, without the store-credit bonus and without
// goodwill) for all of an order's returns never exceeds what was paid for
// the order. earlier is what the order's other refunds paid by the rules.
// The bonus and the goodwill are the only money on top, and both are
// recorded as separate amounts of the refund.
func CheckRefundCap(o Order, earlier int64, d RefundDecision) error {
	if d.Amount < 0 || d.Bonus < 0 || d.Goodwill < 0 || earlier < 0 {
		return &Error{Code: CodeRefundExceedsPaid}
	}
	if earlier+d.Amount > o.PaidTotal() {
		return &Error{Code: CodeRefundExceedsPaid}
	}
	return nil
}

// CheckPhotos enforces the photo evidence of a new return: every item whose
// reason has photo_required needs at least one photo, no item more than
// MaxPhotosPerItem, and photos only for items of the return. photos counts
// the photos per line ID.
func CheckPhotos(p Policy, items []QuoteItem, photos map[string]int) error {
	in := make(map[string]bool, len(items))
	for i, it := range items {
		in[it.LineID] = true
		path := "items[" + strconv.Itoa(i) + "].photos"
		if r, ok := p.Reason(it.Reason); ok && r.PhotoRequired && photos[it.LineID] == 0 {
			return &Error{Code: CodePhotoRequired, Field: path}
		}
		if photos[it.LineID] > MaxPhotosPerItem {
			return &Error{Code: CodeTooManyPhotos, Field: path}
		}
	}
	for id, n := range photos {
		if n > 0 && !in[id] {
			return &Error{Code: CodeUnknownLine, Field: "photos"}
		}
	}
	return nil
}
