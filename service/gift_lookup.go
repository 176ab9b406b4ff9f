package service

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/returns-portal/returns/returns"
)

// GiftLookupRequest is a gift's recipient looking an order up by its
// number and the postal code it was shipped to (she does not know the
// buyer's e-mail).
type GiftLookupRequest struct {
	OrderNumber string
	PostalCode  string
	ClientIP    string
	Locale      string
}

// unknownGiftPostal stands in for the postal code of an order that does
// not exist or is not a gift, so that the comparison runs all the same; a
// match is refused anyway.
const unknownGiftPostal = "\x00no-gift"

// GiftLookup finds a gift order by number and shipping postal code
// (compared without spaces and case: returns.NormalizePostalCode) and
// opens it with a gift token (token.Gift) for its recipient. It counts
// against the same limits as Lookup (the client IP and the order number),
// and every miss — an unknown order, a wrong postal code, an order that is
// not a gift — is the same ErrOrderNotFound after the same work.
func (s *Service) GiftLookup(ctx context.Context, req GiftLookupRequest) (Lookup, error) {
	number, valid := returns.NormalizeOrderNumber(req.OrderNumber)
	key := number
	if !valid {
		key = strings.TrimSpace(req.OrderNumber)
	}
	now := s.now()
	ok, wait := s.lookupsByIP.allowClient(req.ClientIP, now)
	if !ok {
		return Lookup{}, &RateLimitedError{RetryAfter: wait}
	}
	if ok, wait = s.lookupsByOrder.allow(strings.ToUpper(key), now); !ok {
		return Lookup{}, &RateLimitedError{RetryAfter: wait, ByOrder: true}
	}
	if !valid {
		return Lookup{}, ErrOrderNotFound
	}
	stored, gift, found, err := s.st.OrderGiftPostal(ctx, number)
	if err != nil {
		return Lookup{}, err
	}
	if !found || !gift {
		stored = unknownGiftPostal
	}
	if !postalMatches(stored, req.PostalCode) || !found || !gift {
		return Lookup{}, ErrOrderNotFound
	}
	f, err := s.st.OrderFacts(ctx, number)
	if err != nil {
		return Lookup{}, err
	}
	locale := req.Locale
	if locale == "" {
		locale = f.Order.Locale
	}
	tok, exp := s.tokens.ForGift(f.Order.Number, locale, now)
	return Lookup{Facts: f, Token: tok, Expires: exp, Locale: locale}, nil
}

// postalMatches compares postal codes normalised, in constant time over
// fixed-length digests; an empty code never matches.
func postalMatches(stored, given string) bool {
	g := returns.NormalizePostalCode(given)
	a := sha256.Sum256([]byte(returns.NormalizePostalCode(stored)))
	b := sha256.Sum256([]byte(g))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && g != ""
}
