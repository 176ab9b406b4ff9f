package service

import (
	"context"
	"errors"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Results of receiving a parcel besides the refusals of
// returns.ReceiveRefusal.
const (
	Received      = "received"
	UnknownReturn = "unknown"
)

// Receipt is how receiving a parcel went.
type Receipt struct {
	// Result is Received, UnknownReturn, or why the return cannot be
	// received (returns.ReceiveRefusal).
	Result string
	// Return is the return as it is now (zero when unknown).
	Return returns.Return
}

// Receive marks a return's parcel as arrived (approved → received) and
// says how it went: an unknown RMA and a refusal are answers, not errors,
// for the receiving bench shows them like a success.
func (s *Service) Receive(ctx context.Context, rma, actor string) (Receipt, error) {
	// A refusal comes with the return as it is (the reason is its status).
	r, err := inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		r, err := tx.Receive(rma, actor)
		if err != nil {
			return r, err
		}
		return r, s.announceTransition(tx, r, map[string]any{"received_at": r.UpdatedAt})
	})
	switch {
	case err == nil:
		return Receipt{Result: Received, Return: r}, nil
	case errors.Is(err, ErrNotFound):
		return Receipt{Result: UnknownReturn}, nil
	case errors.Is(err, returns.ErrTransition):
		return Receipt{Result: returns.ReceiveRefusal(r.Status), Return: r}, nil
	}
	return Receipt{}, err
}
