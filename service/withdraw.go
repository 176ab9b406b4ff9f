package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
)

// The withdrawal function (EU Consumer Rights Directive Art. 11a): a
// shopper in a market that requires it withdraws from the purchase with a
// button. The withdrawal is a return like any other, with the built-in
// reason "withdrawal" and the refund to the original means of payment.

// Withdrawal is what the withdrawal function offers for an order.
type Withdrawal struct {
	// Applicable: the law of the order's market requires the function.
	Applicable bool
	Offer
	// Quantities are the lines a withdrawal may cover now, with their
	// returnable units (returns.WithdrawableLines).
	Quantities map[string]int
}

// WithdrawalOffer says whether and from which lines the shopper of o may
// withdraw now.
func (s *Service) WithdrawalOffer(ctx context.Context, o returns.Order) (Withdrawal, error) {
	of, err := s.Offer(ctx, o)
	if err != nil {
		return Withdrawal{}, err
	}
	w := Withdrawal{Offer: of, Quantities: map[string]int{},
		Applicable: s.legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region).WithdrawalFunction()}
	for _, e := range returns.WithdrawableLines(of.Lines) {
		w.Quantities[e.LineID] = e.ReturnableQuantity
	}
	return w, nil
}

// Withdraw withdraws from the chosen lines of an order, every unit still
// returnable, as a new return. A market without the function is
// ErrNoWithdrawalFunction; a chosen line that cannot be withdrawn from is
// the domain's withdrawal_not_statutory, and no line at all no_items.
func (s *Service) Withdraw(ctx context.Context, a OrderAccess, chosen map[string]bool) (Created, error) {
	o, err := s.Order(ctx, a)
	if err != nil {
		return Created{}, err
	}
	w, err := s.WithdrawalOffer(ctx, o)
	if err != nil {
		return Created{}, err
	}
	if !w.Applicable {
		return Created{}, ErrNoWithdrawalFunction
	}
	req := ReturnRequest{QuoteRequest: returns.QuoteRequest{RefundMethod: returns.MethodOriginalPayment}}
	for _, l := range o.Lines { // in order: the items of the return follow the order
		if !chosen[l.ID] {
			continue
		}
		n, ok := w.Quantities[l.ID]
		if !ok {
			return Created{}, &returns.Error{Code: returns.CodeWithdrawalNotStatutory}
		}
		req.Items = append(req.Items, returns.QuoteItem{LineID: l.ID, Quantity: n, Reason: returns.ReasonWithdrawal})
	}
	if len(req.Items) == 0 {
		return Created{}, &returns.Error{Code: returns.CodeNoItems}
	}
	return s.CreateReturn(ctx, a, req)
}
