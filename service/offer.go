package service

import (
	"context"
	"fmt"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Offer is what the shopper may return from an order now, and how.
type Offer struct {
	// Lines is each line's eligibility, in the order's line order.
	Lines []returns.LineEligibility
	// Reasons are the current policy's return reasons (the policy's own
	// slice, shared with every other request: read it, never change it).
	Reasons []returns.Reason
	// Methods are the refund methods on offer, with consent and bonus.
	Methods []returns.MethodOffer
	// InReturns are the units of each line (by ID) that the order's
	// returns already hold (neither cancelled nor rejected).
	InReturns map[string]int
	// Exchanges are, by line ID, the variants an eligible line may be
	// exchanged for (returns.ExchangeOptions); none: refund only. A
	// refund stays on offer for every line, and is the default.
	Exchanges map[string][]returns.ExchangeOption
}

// Offer decides what the shopper may return from o (returns.OfferFor)
// under the current policy and what the order's earlier returns hold, and
// what each line may be exchanged for.
func (s *Service) Offer(ctx context.Context, o returns.Order) (Offer, error) {
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return Offer{}, err
	}
	return s.offer(ctx, o, h, p)
}

// OfferFrom is Offer for an order read with its facts (OrderFacts), without
// reading them again.
func (s *Service) OfferFrom(ctx context.Context, f store.OrderFacts) (Offer, error) {
	if f.PolicyVersion == 0 {
		return Offer{}, fmt.Errorf("service: offer for order %q: current policy: %w", f.Order.Number, ErrNotFound)
	}
	return s.offer(ctx, f.Order, f.History, f.Policy)
}

func (s *Service) offer(ctx context.Context, o returns.Order, h returns.History, p returns.Policy) (Offer, error) {
	stock, err := s.stockFor(ctx, o)
	if err != nil {
		return Offer{}, err
	}
	of := returns.OfferFor(o, p, s.legal, h, s.now())
	out := Offer{Lines: of.Lines, Reasons: p.Reasons, Methods: of.Methods, InReturns: h.UnitsHeld,
		Exchanges: map[string][]returns.ExchangeOption{}}
	for i, l := range o.Lines {
		if !of.Lines[i].Eligible {
			continue
		}
		if opts := returns.ExchangeOptions(o, p, s.legal, l, stock); len(opts) > 0 {
			out.Exchanges[l.ID] = opts
		}
	}
	return out, nil
}

// decisionInputs loads what a decision about an order needs besides the
// order: its return history and the current policy (shared: read-only), in
// one query.
func (s *Service) decisionInputs(ctx context.Context, number string) (returns.History, returns.Policy, error) {
	h, _, p, err := s.st.DecisionInputs(ctx, number)
	return h, p, err
}
