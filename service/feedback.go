package service

import (
	"context"
	"errors"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The survey after the refund: the refunded e-mail links a one-question
// page (the return's own signed link, no login) where the shopper rates
// the return from 1 to 5, once. The answer shows on the return's staff
// page and goes to the merchant's systems (feedback.received).

// GiveFeedback stores a shopper's answer for the return she opened:
// ConflictError feedback_not_open before the refund, feedback_given the
// second time; field errors for the score and the comment
// (returns.CheckFeedback).
func (s *Service) GiveFeedback(ctx context.Context, a ReturnAccess, score int, comment string) (store.Feedback, error) {
	// The survey is the shopper's: her own (manage) link, not the view
	// link printed on the parcel, which others handle too.
	if !a.May.Personal {
		return store.Feedback{}, ErrNotPermitted
	}
	if !returns.FeedbackOpen(a.Return.Status) {
		return store.Feedback{}, &ConflictError{Code: CodeFeedbackNotOpen}
	}
	comment, fe := returns.CheckFeedback(score, comment)
	if fe != nil {
		return store.Feedback{}, fe
	}
	r := a.Return
	f, err := inTx(ctx, s, func(tx *store.Tx) (store.Feedback, error) {
		f, err := tx.SaveFeedback(r.ID, store.Feedback{Score: score, Comment: comment, Locale: a.Locale})
		if err != nil {
			return f, err
		}
		rows, err := s.deliveries(tx, r.RMA, r.ID, []string{returns.EventFeedbackReceived}, f.At)
		if err != nil || len(rows) == 0 || s.announceOff {
			return f, err
		}
		_, err = tx.Enqueue(rows...)
		return f, err
	})
	if errors.Is(err, ErrConflict) {
		return store.Feedback{}, &ConflictError{Code: CodeFeedbackGiven}
	}
	return f, err
}

// ReturnFeedback is a return's survey answer; ok is false when there is
// none.
func (s *Service) ReturnFeedback(ctx context.Context, rma string) (store.Feedback, bool, error) {
	return s.st.ReturnFeedback(ctx, rma)
}
