package service

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// LookupRequest is a shopper looking an order up.
type LookupRequest struct {
	OrderNumber string
	Email       string
	// ClientIP is counted against the per-IP limit.
	ClientIP string
	// Locale is the language the shopper chose; "" takes the order's.
	Locale string
}

// Lookup is an order found, with its facts (what its offer rests on, read
// with it: OfferFrom), opened with a token for its shopper.
type Lookup struct {
	Facts   store.OrderFacts
	Token   string
	Expires time.Time
	// Locale is the token's language.
	Locale string
}

// Lookup finds an order by number and e-mail and opens it with a token.
// The attempt counts against the client IP and the order number first
// (over a limit: *RateLimitedError); an unknown order and a wrong e-mail
// are the same ErrOrderNotFound, after the same work, so that the answer
// reveals nothing.
func (s *Service) Lookup(ctx context.Context, req LookupRequest) (Lookup, error) {
	// The number is read as the shop's was stored
	// (returns.NormalizeOrderNumber); one that no order can have is counted
	// all the same, and never matches.
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
	// Only the e-mail is read before the comparison, and an unknown order
	// is compared against a stand-in: both failures do the same work
	// (issue 10 timed a wrong e-mail, which loaded the whole order, 0.14 ms
	// slower than an unknown order).
	stored, found, err := s.st.OrderEmail(ctx, number)
	if err != nil {
		return Lookup{}, err
	}
	if !found {
		stored = unknownOrderEmail
	}
	if !emailMatches(stored, req.Email) || !found {
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
	tok, exp := s.tokens.ForOrder(f.Order.Number, locale, now)
	return Lookup{Facts: f, Token: tok, Expires: exp, Locale: locale}, nil
}

// unknownOrderEmail stands in for the e-mail of an order that does not
// exist, so that the comparison runs all the same. No shopper can type it
// (".invalid" is reserved, RFC 2606), and a match is refused anyway.
const unknownOrderEmail = "no-order@lookup.invalid"

// emailMatches compares e-mail addresses trimmed and case-folded, in
// constant time over fixed-length digests so that timing reveals nothing
// either.
func emailMatches(stored, given string) bool {
	a := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(stored))))
	b := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(given))))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && strings.TrimSpace(given) != ""
}

// OrderAccess is what a lookup token grants: one order, in a language.
// Gift: the gift lookup's token (GiftLookup), for the gift's recipient:
// no price, no buyer's e-mail or payment, store credit or exchanges only.
type OrderAccess struct {
	Number string
	Locale string
	Gift   bool
}

// VerifyOrderToken checks a lookup token (ErrTokenInvalid, ErrTokenExpired)
// and says which order it opens, in which language.
func (s *Service) VerifyOrderToken(tok string) (OrderAccess, error) {
	c, err := s.tokens.Verify(tok, token.Order, s.now())
	switch {
	case errors.Is(err, token.ErrExpired):
		return OrderAccess{}, ErrTokenExpired
	case err != nil:
		return OrderAccess{}, ErrTokenInvalid
	}
	return OrderAccess{Number: c.Order, Locale: c.Locale}, nil
}

// VerifyShopperToken checks a lookup token or a gift lookup's token
// (ErrTokenInvalid, ErrTokenExpired) and says which order it opens, in
// which language, and whether for a gift's recipient. Only the use cases
// that keep a gift's prices hidden take it; the others verify with
// VerifyOrderToken, which refuses gift tokens.
func (s *Service) VerifyShopperToken(tok string) (OrderAccess, error) {
	c, err := s.tokens.Parse(tok, s.now())
	switch {
	case errors.Is(err, token.ErrExpired):
		return OrderAccess{}, ErrTokenExpired
	case err != nil:
		return OrderAccess{}, ErrTokenInvalid
	case c.Kind != token.Order && c.Kind != token.Gift:
		return OrderAccess{}, ErrTokenInvalid
	}
	return OrderAccess{Number: c.Order, Locale: c.Locale, Gift: c.Kind == token.Gift}, nil
}

// Order loads the order a token opened.
func (s *Service) Order(ctx context.Context, a OrderAccess) (returns.Order, error) {
	return s.st.GetOrder(ctx, a.Number)
}

// OrderFacts loads the order a token opened with what its offer rests on
// (OfferFrom), in one read.
func (s *Service) OrderFacts(ctx context.Context, a OrderAccess) (store.OrderFacts, error) {
	return s.st.OrderFacts(ctx, a.Number)
}
