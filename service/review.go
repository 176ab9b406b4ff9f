package service

import (
	"context"
	"strings"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Approve approves a return that waits for manual review. A status that
// cannot be approved is the domain's refusal (returns.ErrTransition). A
// returnless return is settled at once (settleReturnless): its refund is
// claimed with the approval and executed once that has committed.
func (s *Service) Approve(ctx context.Context, rma, actor string) (returns.Return, error) {
	var cfg payments.Config
	var claim *store.Claim
	r, err := inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		r, err := s.transitionIn(tx, rma, returns.StatusApproved, actor, "")
		if err != nil || !r.Returnless() {
			return r, err
		}
		if cfg, err = s.PaymentsConfig(ctx); err != nil {
			return r, err
		}
		r, claim, err = s.settleReturnless(tx, r, cfg)
		return r, err
	})
	if err != nil || claim == nil {
		return r, err
	}
	s.finishClaim(ctx, cfg, claim)
	return s.st.GetReturn(ctx, r.RMA)
}

// Reject rejects a return with a reason for the record, which is required
// (at most returns.MaxNotes bytes; else a field error on "reason"). Its
// exchanges' reservations are released.
func (s *Service) Reject(ctx context.Context, rma, actor, reason string) (returns.Return, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > returns.MaxNotes {
		return returns.Return{}, returns.FieldErrors{{Path: "reason", Code: returns.FieldRequired}}
	}
	return s.transition(ctx, rma, returns.StatusRejected, actor, reason)
}

// transition moves a return and announces the move (a rejection's e-mail
// names its reason).
func (s *Service) transition(ctx context.Context, rma string, to returns.Status, actor, note string) (returns.Return, error) {
	return inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		return s.transitionIn(tx, rma, to, actor, note)
	})
}

// transitionIn is transition in the caller's transaction: a return that
// ends without its exchanges (rejected) gives their reservations back.
func (s *Service) transitionIn(tx *store.Tx, rma string, to returns.Status, actor, note string) (returns.Return, error) {
	r, err := tx.Transition(rma, to, actor, note)
	if err != nil {
		return r, err
	}
	if r, err = s.releaseExchanges(tx, r); err != nil {
		return r, err
	}
	var facts map[string]any
	if note != "" {
		facts = map[string]any{"reason": note}
	}
	return r, s.announceTransition(tx, r, facts)
}
