package returns

import (
	"math/big"
	"slices"
	"strconv"
	"time"
)

// Codes of the *Error that BuildQuote returns; Field is the JSON path of the
// offending input. Handlers answer 422, except CodeExceedsReturnable (409: a
// concurrent or repeated return took the units).
const (
	CodeNoItems              = "no_items"
	CodeUnknownLine          = "unknown_line"
	CodeDuplicateLine        = "duplicate_line"
	CodeInvalidQuantity      = "invalid_quantity"
	CodeExceedsReturnable    = "exceeds_returnable"
	CodeNotEligible          = "not_eligible"
	CodeUnknownReason        = "unknown_reason"
	CodeFaultReasonRequired  = "fault_reason_required"
	CodeUnknownMethod        = "unknown_method"
	CodeMethodNotOffered     = "method_not_offered"
	CodeExchangeNotSupported = "exchange_not_supported"
	CodeConsentRequired      = "consent_required"
)

// Values of the legal data's outbound_shipping_refund and
// return_shipping_payer_default used by the quote.
const (
	outboundAll   = "all"
	payerMerchant = "merchant"
)

// BuildQuote validates a return request against the order's eligibility and
// prices it, all in integer minor units of the order's currency:
//
//   - item refund of q units of a line of Q units paid P, with r units in
//     earlier active returns: floor(P*(r+q)/Q) - floor(P*r/Q), so repeated
//     partial returns add up to exactly P;
//   - restocking fee, once per return: restocking_fee_percent (half-up) of the
//     refund of the items whose reason is not the merchant's fault, statutory
//     items excluded where the law allows no fees;
//   - return shipping fee, once per return: the policy's fee in the order's
//     currency (none listed: free), only when no reason is the merchant's
//     fault and, when an item is on the statutory basis, only where the law
//     does not put the return cost on the merchant;
//   - both fees together never exceed the items' refund (clamped in that
//     order), so Total = the sum of the parts and never negative;
//   - outbound shipping refund, once per order, where the market requires it,
//     the return is on the statutory basis and with it every unit of the
//     order is in returns: min(amount, standard_amount), or the whole amount
//     where the data says "all";
//   - store-credit bonus: store_credit_bonus_percent (half-up) of the items'
//     refund, for the store_credit method only.
//
// Items are checked in order (each fully before the next), then the refund
// method; the first problem is returned as *Error.
//
// An item may ask for an exchange instead (Resolution exchange): it is
// checked against the catalog (BuildQuoteWithStock; BuildQuote refuses
// every exchange), refunds nothing, bears no restocking fee and does not
// count as returned for the outbound shipping refund (an exchange is not
// a withdrawal). The return shipping fee is waived when the policy's
// exchanges.free_return_shipping is set and anything is exchanged; a
// return made only of exchanges totals 0 and its refund method is not
// used (the service records "exchange").
func BuildQuote(o Order, p Policy, legal *Legal, h History, req QuoteRequest, now time.Time) (Quote, error) {
	return buildQuote(o, p, legal, h, req, now, noExchanges)
}

// BuildQuoteWithStock is BuildQuote with exchanges checked against the
// catalog's stock (ExchangeOptions' rules, and enough units available).
func BuildQuoteWithStock(o Order, p Policy, legal *Legal, h History, req QuoteRequest, now time.Time, stock ExchangeStock) (Quote, error) {
	rules := p.Effective(legal, o.ShippingAddress.Country)
	return buildQuote(o, p, legal, h, req, now, stockCheck(o, rules, stock))
}

func buildQuote(o Order, p Policy, legal *Legal, h History, req QuoteRequest, now time.Time, exchange exchangeCheck) (Quote, error) {
	if len(req.Items) == 0 {
		return Quote{}, &Error{Code: CodeNoItems, Field: "items"}
	}
	elig := Evaluate(o, p, legal, h, now)
	byLine := make(map[string]LineEligibility, len(elig))
	for _, e := range elig {
		byLine[e.LineID] = e
	}
	market := legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region)
	rules := p.Effective(legal, o.ShippingAddress.Country)

	q := Quote{Currency: o.Currency, Basis: BasisStatutory, ManualReview: !rules.AutoApprove}
	seen := make(map[string]bool, len(req.Items))
	selected := make([]LineEligibility, 0, len(req.Items))
	anyFault, anyStatutory, anyExchange := false, false, false
	var feeBase int64 // refund of the items a restocking fee applies to
	unitsAfter := 0   // units of the order returned (not exchanged) once this one is made
	refunded := 0     // units of this return that are refunded
	for i, it := range req.Items {
		path := "items[" + strconv.Itoa(i) + "]."
		line, ok := o.Line(it.LineID)
		if !ok {
			return Quote{}, &Error{Code: CodeUnknownLine, Field: path + "line_id"}
		}
		if seen[it.LineID] {
			return Quote{}, &Error{Code: CodeDuplicateLine, Field: path + "line_id"}
		}
		seen[it.LineID] = true
		if it.Quantity <= 0 {
			return Quote{}, &Error{Code: CodeInvalidQuantity, Field: path + "quantity"}
		}
		e := byLine[it.LineID]
		if it.Quantity > e.ReturnableQuantity {
			return Quote{}, &Error{Code: CodeExceedsReturnable, Field: path + "quantity"}
		}
		if !e.Eligible {
			return Quote{}, &Error{Code: CodeNotEligible, Field: path + "line_id"}
		}
		reason, code := itemReason(p, it.Reason, e)
		if code != "" {
			return Quote{}, &Error{Code: code, Field: path + "reason"}
		}
		if e.Code == CodeFaultyOnly {
			if !reason.MerchantFault {
				return Quote{}, &Error{Code: CodeFaultReasonRequired, Field: path + "reason"}
			}
			q.ManualReview = true
		}
		switch it.Resolution {
		case "", ResolutionRefund:
		case ResolutionExchange:
			if de := exchange(i, line, it); de != nil {
				return Quote{}, de
			}
			anyExchange = true
			q.Lines = append(q.Lines, QuoteLine{LineID: line.ID, Quantity: it.Quantity, Reason: it.Reason,
				Basis: e.Basis, Resolution: ResolutionExchange, ExchangeSKU: it.ExchangeSKU})
			if e.Basis != BasisStatutory {
				q.Basis = BasisPolicy
			}
			if reason.MerchantFault {
				anyFault = true
			}
			continue
		default:
			return Quote{}, &Error{Code: CodeUnknownResolution, Field: path + "resolution"}
		}
		selected = append(selected, e)
		refunded += it.Quantity

		refund := ItemRefund(line, h.Held(line.ID), it.Quantity)
		q.ItemsRefund += refund
		q.Lines = append(q.Lines, QuoteLine{LineID: line.ID, Quantity: it.Quantity,
			Reason: it.Reason, Refund: refund, Basis: e.Basis})
		statutory := e.Basis == BasisStatutory
		if statutory {
			anyStatutory = true
		} else {
			q.Basis = BasisPolicy
		}
		if reason.MerchantFault {
			anyFault = true
		} else if !statutory || market.FeesAllowed() {
			feeBase += refund
		}
	}
	for _, l := range o.Lines {
		unitsAfter += min(max(h.Held(l.ID)-h.UnitsExchanged[l.ID], 0), l.Quantity)
	}
	unitsAfter += refunded

	// Only exchanges: no money goes back, so whatever method the request
	// names is not used (the return records "exchange").
	if refunded > 0 {
		if err := checkMethod(o, p, legal, selected, req); err != nil {
			return Quote{}, err
		}
	}

	q.RestockingFee = percentHalfUp(feeBase, rules.RestockingFeePercent)
	if fee, ok := rules.ReturnShippingFee[o.Currency]; ok && !anyFault &&
		!(anyExchange && rules.Exchanges.FreeReturnShipping) &&
		!(anyStatutory && market != nil && market.ReturnShippingPayerDefault == payerMerchant) {
		q.ReturnShippingFee = fee
	}
	q.RestockingFee = clamp(q.RestockingFee, 0, q.ItemsRefund)
	q.ReturnShippingFee = clamp(q.ReturnShippingFee, 0, q.ItemsRefund-q.RestockingFee)

	if market != nil && market.OutboundShippingRefund != "" && q.Basis == BasisStatutory &&
		!h.OutboundRefunded && unitsAfter >= o.TotalUnits() {
		amount := o.Shipping.Amount
		if market.OutboundShippingRefund != outboundAll {
			amount = min(amount, o.Shipping.Standard())
		}
		q.OutboundShippingRefund = max(amount, 0)
	}
	if req.RefundMethod == MethodStoreCredit && refunded > 0 {
		q.StoreCreditBonus = max(percentHalfUp(q.ItemsRefund, rules.StoreCreditBonusPercent), 0)
	}
	q.Total = max(q.ItemsRefund-q.RestockingFee-q.ReturnShippingFee+
		q.OutboundShippingRefund+q.StoreCreditBonus, 0)
	return q, nil
}

// checkMethod validates the refund method for the selected items.
func checkMethod(o Order, p Policy, legal *Legal, selected []LineEligibility, req QuoteRequest) error {
	switch req.RefundMethod {
	case MethodExchange:
		return &Error{Code: CodeExchangeNotSupported, Field: "refund_method"}
	case MethodOriginalPayment, MethodStoreCredit, MethodBankTransfer:
	default:
		return &Error{Code: CodeUnknownMethod, Field: "refund_method"}
	}
	if !slices.Contains(OfferedMethods(o, p, legal, selected), req.RefundMethod) {
		return &Error{Code: CodeMethodNotOffered, Field: "refund_method"}
	}
	if ConsentRequired(o, p, legal, selected, req.RefundMethod) && !req.Consent {
		return &Error{Code: CodeConsentRequired, Field: "refund_method_consent"}
	}
	return nil
}

// ItemRefund is the refund of q units of a line when r units of it are in
// earlier active returns: floor(P*(r+q)/Q) - floor(P*r/Q) with P what was
// paid for the line and Q its quantity, so that partial returns add up to
// exactly P (3 units paid 1000: 333, 333, 334). Computed without overflow.
func ItemRefund(l Line, r, q int) int64 {
	if l.Quantity <= 0 || q <= 0 {
		return 0
	}
	r = clampInt(r, 0, l.Quantity)
	q = clampInt(q, 0, l.Quantity-r)
	paid := l.Paid()
	return mulDivFloor(paid, int64(r+q), int64(l.Quantity)) - mulDivFloor(paid, int64(r), int64(l.Quantity))
}

// percentHalfUp is pct % of amount, rounded half up, without overflow.
func percentHalfUp(amount int64, pct int) int64 {
	if pct == 0 || amount == 0 {
		return 0
	}
	// floor((2*amount*pct + 100) / 200)
	n := new(big.Int).Mul(big.NewInt(amount), big.NewInt(int64(pct)))
	n.Mul(n, big.NewInt(2)).Add(n, big.NewInt(100))
	return floorDivBig(n, big.NewInt(200))
}

// mulDivFloor is floor(a*b/c) for c > 0, without overflow.
func mulDivFloor(a, b, c int64) int64 {
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return floorDivBig(n, big.NewInt(c))
}

func floorDivBig(n, d *big.Int) int64 {
	var m big.Int
	quo, _ := new(big.Int).DivMod(n, d, &m) // Euclidean: floor for d > 0
	return quo.Int64()
}

func clamp(v, lo, hi int64) int64 { return max(lo, min(v, hi)) }

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }

// OfferedMethods lists the refund methods on offer for the given lines' (an
// order's eligibility, or the items of one return): the merchant's effective
// refund_methods (exchange, reserved, never offered), original_payment put
// first (when absent) when any eligible line is on the statutory basis, bank_transfer kept
// only where the shipping country uses IBANs.
func OfferedMethods(o Order, p Policy, legal *Legal, elig []LineEligibility) []string {
	country := o.ShippingAddress.Country
	return offeredMethods(p.Effective(legal, country).RefundMethods, country, anyStatutory(elig))
}

// ConsentRequired reports whether a refund by method needs the shopper's
// explicit consent: where the law requires the same means of payment, any
// method but original_payment for statutory items.
func ConsentRequired(o Order, p Policy, legal *Legal, elig []LineEligibility, method string) bool {
	if method == MethodOriginalPayment || !anyStatutory(elig) {
		return false
	}
	return legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region).SameMeansRequired()
}

func anyStatutory(elig []LineEligibility) bool {
	for _, e := range elig {
		if e.Eligible && e.Basis == BasisStatutory {
			return true
		}
	}
	return false
}
