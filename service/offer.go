package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
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
}

// Offer decides what the shopper may return from o (returns.OfferFor)
// under the current policy and what the order's earlier returns hold.
func (s *Service) Offer(ctx context.Context, o returns.Order) (Offer, error) {
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return Offer{}, err
	}
	of := returns.OfferFor(o, p, s.legal, h, s.now())
	return Offer{Lines: of.Lines, Reasons: p.Reasons, Methods: of.Methods, InReturns: h.UnitsHeld}, nil
}

// decisionInputs loads what a decision about an order needs besides the
// order: its return history and the current policy (shared: read-only), in
// one query.
func (s *Service) decisionInputs(ctx context.Context, number string) (returns.History, returns.Policy, error) {
	h, _, p, err := s.st.DecisionInputs(ctx, number)
	return h, p, err
}
