package returns

import "time"

// Eligibility codes of a line, in the order of precedence described in
// Evaluate.
const (
	CodeOK               = "ok"
	CodeFullyReturned    = "fully_returned"
	CodeNotDelivered     = "not_delivered"
	CodeFaultyOnly       = "faulty_only"
	CodeExemptByLaw      = "exempt_by_law"
	CodeExcludedCategory = "excluded_category"
	CodeFinalSale        = "final_sale"
	CodeWindowClosed     = "window_closed"
)

// Bases of a return: the law's withdrawal right, or the merchant's policy.
const (
	BasisStatutory = "statutory"
	BasisPolicy    = "policy"
)

// Date is a local calendar date (no time, no zone), as "2026-11-19" in JSON.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// LineEligibility is the decision for one order line.
type LineEligibility struct {
	LineID             string `json:"line_id"`
	Eligible           bool   `json:"eligible"`
	Code               string `json:"code"`
	BlockedBy          string `json:"blocked_by,omitempty"`
	ReturnableQuantity int    `json:"returnable_quantity"`
	Basis              string `json:"basis,omitempty"`
	Deadline           *Date  `json:"deadline,omitempty"`
	// HolidayExtension: Deadline is the policy's holiday extension (orders
	// placed in the season may be returned until a later date).
	HolidayExtension  bool   `json:"holiday_extension,omitempty"`
	StatutoryDeadline *Date  `json:"statutory_deadline,omitempty"`
	TimeZone          string `json:"time_zone"`
	// SealedOnly: returnable only while still sealed (hygiene_sealed,
	// media_sealed inside the statutory window); inspection decides.
	SealedOnly bool `json:"sealed_only,omitempty"`
}

// QuoteItem is one selected line in a return request. Resolution is how
// the shopper wants it settled: a refund (ResolutionRefund, the default
// when empty) or an exchange for another variant of the same product
// (ResolutionExchange, with ExchangeSKU naming the variant).
type QuoteItem struct {
	LineID      string `json:"line_id"`
	Quantity    int    `json:"quantity"`
	Reason      string `json:"reason"`
	Resolution  string `json:"resolution,omitempty"`
	ExchangeSKU string `json:"exchange_sku,omitempty"`
}

// Exchanged reports whether the item is to be exchanged, not refunded.
func (it QuoteItem) Exchanged() bool { return it.Resolution == ResolutionExchange }

// QuoteRequest is what a shopper asks to return and how to be paid back.
type QuoteRequest struct {
	Items        []QuoteItem `json:"items"`
	RefundMethod string      `json:"refund_method"`
	Consent      bool        `json:"refund_method_consent"`
}

// QuoteLine is the refund for one item of a quote. An exchanged item
// (Resolution exchange) refunds nothing: the shopper gets the variant
// ExchangeSKU instead.
type QuoteLine struct {
	LineID      string `json:"line_id"`
	Quantity    int    `json:"quantity"`
	Reason      string `json:"reason"`
	Refund      int64  `json:"refund"`
	Basis       string `json:"basis"`
	Resolution  string `json:"resolution,omitempty"`
	ExchangeSKU string `json:"exchange_sku,omitempty"`
}

// Quote is the exact money a return pays back, in minor units of Currency.
// Total = ItemsRefund - RestockingFee - ReturnShippingFee +
// OutboundShippingRefund + StoreCreditBonus, never negative.
type Quote struct {
	Currency               string      `json:"currency"`
	ItemsRefund            int64       `json:"items_refund"`
	RestockingFee          int64       `json:"restocking_fee"`
	ReturnShippingFee      int64       `json:"return_shipping_fee"`
	OutboundShippingRefund int64       `json:"outbound_shipping_refund"`
	StoreCreditBonus       int64       `json:"store_credit_bonus"`
	Total                  int64       `json:"total"`
	Lines                  []QuoteLine `json:"lines"`
	// Basis is statutory only when every item is on the statutory basis.
	Basis string `json:"basis"`
	// ManualReview is set when an item is faulty_only (or the policy does not
	// auto-approve): the return waits for staff approval.
	ManualReview bool `json:"manual_review"`
	// Returnless: every item matches a rule of the policy's returnless
	// list (MatchReturnless); the shopper keeps the items, no parcel is
	// sent and the return is settled at once (after review, if any).
	Returnless bool `json:"returnless,omitempty"`
}

// Exchanges counts the units of the quote that are exchanged.
func (q Quote) Exchanges() int {
	n := 0
	for _, l := range q.Lines {
		if l.Resolution == ResolutionExchange {
			n += l.Quantity
		}
	}
	return n
}

// OnlyExchanges reports whether every item of the quote is exchanged.
func (q Quote) OnlyExchanges() bool {
	return len(q.Lines) > 0 && q.Exchanges() == q.units()
}

func (q Quote) units() int {
	n := 0
	for _, l := range q.Lines {
		n += l.Quantity
	}
	return n
}

// Error is a rejected request, with a machine-readable code that handlers
// translate (see locales/) and the JSON path of the offending field.
type Error struct {
	Code  string
	Field string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Code
	}
	return e.Code + " at " + e.Field
}
