package service

import (
	"context"
	"errors"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Cancel calls a return off for its shopper, before the parcel reaches the
// hub (returns.Status.Cancellable; too late: ConflictError
// not_cancellable). Its units become returnable again. Only a token with
// the Cancel grant may (else ErrNotPermitted): the view token printed on
// the parcel may not.
func (s *Service) Cancel(ctx context.Context, a ReturnAccess) (returns.Return, error) {
	if !a.May.Cancel {
		return returns.Return{}, ErrNotPermitted
	}
	if !a.Return.Status.Cancellable() {
		return returns.Return{}, &ConflictError{Code: CodeNotCancellable}
	}
	r, err := inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		r, err := tx.Transition(a.Return.RMA, returns.StatusCancelled, "shopper", "")
		if err != nil {
			return r, err
		}
		if r, err = s.releaseExchanges(tx, r); err != nil { // its reservations go back
			return r, err
		}
		return r, s.announceTransition(tx, r, nil)
	})
	if errors.Is(err, returns.ErrTransition) {
		return returns.Return{}, &ConflictError{Code: CodeNotCancellable}
	}
	return r, err
}
