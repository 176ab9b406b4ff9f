package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
)

// Quote prices a prospective return of an order (by number: a token the
// caller verified opened it) without storing anything (returns.BuildQuote,
// under the current policy; exchanged items checked against the
// catalog's stock, BuildQuoteWithStock). A return the shopper would keep
// says so (Quote.Returnless, returns.MatchReturnless).
func (s *Service) Quote(ctx context.Context, number string, req returns.QuoteRequest) (returns.Order, returns.Quote, error) {
	o, err := s.st.GetOrder(ctx, number)
	if err != nil {
		return returns.Order{}, returns.Quote{}, err
	}
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return returns.Order{}, returns.Quote{}, err
	}
	stock, err := s.stockFor(ctx, o)
	if err != nil {
		return returns.Order{}, returns.Quote{}, err
	}
	q, err := returns.BuildQuoteWithStock(o, p, s.legal, h, req, s.now(), stock)
	if err == nil {
		q.Returnless = returns.MatchReturnless(o, p, req.Items)
	}
	return o, q, err
}

// QuoteByMethod prices the same items of an order with each of methods
// (returns.QuoteByMethod), for the shopper to compare.
func (s *Service) QuoteByMethod(ctx context.Context, o returns.Order, items []returns.QuoteItem, methods []string) ([]returns.MethodQuote, error) {
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return nil, err
	}
	stock, err := s.stockFor(ctx, o)
	if err != nil {
		return nil, err
	}
	return returns.QuoteByMethod(o, p, s.legal, h, items, methods, s.now(), stock), nil
}
