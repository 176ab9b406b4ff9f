package returns

import "time"

// Offer is what a shopper may return from an order now, and how: each
// line's eligibility (in the order's line order) and the refund methods on
// offer for the eligible lines.
type Offer struct {
	Lines   []LineEligibility
	Methods []MethodOffer
}

// OfferFor decides the offer for an order: Evaluate for the lines, then
// OfferedMethods with, for each, whether the shopper must consent to it
// (ConsentRequired) and store credit's bonus.
func OfferFor(o Order, p Policy, legal *Legal, h History, now time.Time) Offer {
	elig := Evaluate(o, p, legal, h, now)
	bonus := p.Effective(legal, o.ShippingAddress.Country).StoreCreditBonusPercent
	out := Offer{Lines: elig}
	for _, m := range OfferedMethods(o, p, legal, elig) {
		mo := MethodOffer{Code: m, ConsentRequired: ConsentRequired(o, p, legal, elig, m)}
		if m == MethodStoreCredit {
			mo.BonusPercent = bonus
		}
		out.Methods = append(out.Methods, mo)
	}
	return out
}

// MethodQuote is the quote of a return's items refunded by one method.
type MethodQuote struct {
	Method string
	Quote  Quote
}

// QuoteByMethod prices the same items with each of methods, so that the
// shopper sees what each brings back before choosing. A method that needs
// the shopper's consent is priced as if consented (for the comparison only:
// the return itself still needs it); a method the items cannot be priced
// with is left out. Exchanged items are checked against stock.
func QuoteByMethod(o Order, p Policy, legal *Legal, h History, items []QuoteItem, methods []string, now time.Time, stock ExchangeStock) []MethodQuote {
	var out []MethodQuote
	for _, m := range methods {
		q, err := BuildQuoteWithStock(o, p, legal, h, QuoteRequest{Items: items, RefundMethod: m, Consent: true}, now, stock)
		if err != nil {
			continue
		}
		out = append(out, MethodQuote{Method: m, Quote: q})
	}
	return out
}
