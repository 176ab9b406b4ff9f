package service

import (
	"context"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// StaffReturn is everything staff see of a return: its status details,
// its inspection, notes, refund, original quote and legal deadline
// (store.Extras), its photos' metadata, and what the domain says may
// happen to it now.
type StaffReturn struct {
	Return returns.Return
	ReturnStatus
	Extras store.Extras
	Photos []store.Photo
	// Overdue: the legal refund deadline has passed while the refund is
	// still owed (returns.RefundOverdue).
	Overdue bool
	// GoodwillPossible: an admin could grant goodwill now
	// (returns.GoodwillPossible).
	GoodwillPossible bool
	// Can are the staff actions the return's state allows now.
	Can Actions
	// Feedback is the shopper's survey answer (nil: none yet).
	Feedback *store.Feedback
	// RefundLink is the refund's page in its provider's dashboard ("" when
	// none).
	RefundLink string
}

// Actions are the staff actions on a return: the status machine's moves
// (returns.CheckTransition) and the refund (returns.CanRefund).
type Actions struct {
	Approve, Receive, Inspect, Reject, Refund bool
	// RetryRefund: the refund failed at its provider; it may be retried
	// or recorded as paid by hand.
	RetryRefund bool
}

// StaffReturn loads a return for staff.
func (s *Service) StaffReturn(ctx context.Context, rma string) (StaffReturn, error) {
	r, err := s.st.GetReturn(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	d, err := s.Status(ctx, r)
	if err != nil {
		return StaffReturn{}, err
	}
	x, err := s.st.ReturnExtras(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	photos, err := s.st.ReturnPhotos(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	var feedback *store.Feedback
	if f, ok, err := s.st.ReturnFeedback(ctx, rma); err != nil {
		return StaffReturn{}, err
	} else if ok {
		feedback = &f
	}
	claimed := x.Refund != nil
	can := func(to returns.Status) bool { return returns.CheckTransition(r.Status, to) == nil }
	link := ""
	if x.Refund != nil && x.Refund.ProviderRefundID != "" {
		if cfg, err := s.PaymentsConfig(ctx); err == nil {
			link = cfg.DashboardURL(x.Refund.Executor, x.Refund.ProviderRefundID, d.Order.Payment)
		}
	}
	return StaffReturn{Return: r, ReturnStatus: d, Extras: x, Photos: photos, Feedback: feedback, RefundLink: link,
		Overdue:          returns.RefundOverdue(r.Status, x.OverdueAt, s.now()),
		GoodwillPossible: returns.GoodwillPossible(d.Order, r),
		Can: Actions{Approve: can(returns.StatusApproved), Receive: can(returns.StatusReceived),
			Inspect: can(returns.StatusInspected), Reject: can(returns.StatusRejected) && !claimed,
			Refund:      returns.CanRefund(r.Status, claimed),
			RetryRefund: claimed && x.Refund.State == store.RefundFailed},
	}, nil
}

// Extras loads what staff see of a return besides it (store.Extras).
func (s *Service) Extras(ctx context.Context, rma string) (store.Extras, error) {
	return s.st.ReturnExtras(ctx, rma)
}

// Photo is one photo of a return with its bytes, for staff; anything but a
// photo id of that return is ErrNotFound.
func (s *Service) Photo(ctx context.Context, rma, id string) (store.Photo, []byte, error) {
	if !strings.HasPrefix(id, "ph_") || len(id) > 64 {
		return store.Photo{}, nil, ErrNotFound
	}
	return s.st.PhotoData(ctx, rma, id)
}
