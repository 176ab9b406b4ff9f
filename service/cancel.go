package service

import (
	"context"
	"errors"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Cancel calls a return off for its shopper, before the parcel reaches the
// hub (returns.Status.Cancellable; too late: ConflictError
// not_cancellable). Its units become returnable again.
func (s *Service) Cancel(ctx context.Context, a ReturnAccess) (returns.Return, error) {
	if !a.Return.Status.Cancellable() {
		return returns.Return{}, &ConflictError{Code: CodeNotCancellable}
	}
	var r returns.Return
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.Transition(a.Return.RMA, returns.StatusCancelled, "shopper", "")
		return err
	})
	if errors.Is(err, returns.ErrTransition) {
		return returns.Return{}, &ConflictError{Code: CodeNotCancellable}
	}
	return r, err
}
