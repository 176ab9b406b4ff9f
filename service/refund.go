package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// RefundRequest is a refund attempt: the return, the client's idempotency
// key, a hash of the request (the same key with another request is
// refused) and who asks. Trigger is the policy's refund trigger when the
// refund is made on the parcel's first scan or receipt rather than by
// staff after the inspection ("" for staff: returns.DecideRefundOn).
type RefundRequest struct {
	RMA, Key, RequestHash, Actor string
	Trigger                      string
}

// RefundView is a refund as its answer shows it.
type RefundView struct {
	ID         string `json:"id"`
	Amount     int64  `json:"amount"`
	Bonus      int64  `json:"bonus"`
	Goodwill   int64  `json:"goodwill"`
	Currency   string `json:"currency"`
	Method     string `json:"method"`
	CreditCode string `json:"credit_code,omitempty"`
}

// Refund pays a return back exactly once for an idempotency key and a
// request hash. In one transaction the store replays a known key (its
// answer, stored with the refund) or refuses it with another request
// (ErrIdempotencyKeyReused), refuses a second refund of the return
// (ConflictError already_refunded), and otherwise the domain decides
// (returns.DecideRefund), checks the cap before any money moves
// (returns.CheckRefundCap: goodwill and bonus are recorded on top), the
// Refunder pays and the refund is recorded with its answer: the JSON of
// {"rma", "status", "refund": RefundView}, which it returns. A return that
// cannot be paid now is a ConflictError with the domain's code
// (not_inspected, nothing_to_refund, refund_exceeds_paid).
func (s *Service) Refund(ctx context.Context, req RefundRequest) ([]byte, error) {
	decide := func(r returns.Return, o returns.Order, refundID string, earlier int64) (store.RefundRecord, error) {
		d, err := returns.DecideRefundOn(r, req.Trigger)
		if err != nil {
			return store.RefundRecord{}, err
		}
		if err := returns.CheckRefundCap(o, earlier, d); err != nil {
			return store.RefundRecord{}, err
		}
		rc, err := s.refunder.Refund(ctx, RefundOrder{RefundID: refundID, IdempotencyKey: req.Key, RMA: r.RMA,
			OrderNumber: o.Number, Payment: o.Payment, BankIBAN: r.BankIBAN, Decision: d})
		if err != nil {
			return store.RefundRecord{}, err
		}
		resp, err := json.Marshal(map[string]any{"rma": r.RMA, "status": d.Status, "refund": RefundView{
			ID: refundID, Amount: d.Amount, Bonus: d.Bonus, Goodwill: d.Goodwill, Currency: d.Currency,
			Method: d.Method, CreditCode: rc.CreditCode}})
		if err != nil {
			return store.RefundRecord{}, err
		}
		return store.RefundRecord{Amount: d.Amount, Bonus: d.Bonus, Goodwill: d.Goodwill, Currency: d.Currency, Method: d.Method,
			Status: d.Status, CreditCode: rc.CreditCode, Reference: rc.Reference, Response: resp}, nil
	}
	body, err := inTx(ctx, s, func(tx *store.Tx) ([]byte, error) {
		body, replayed, err := tx.Refund(store.RefundRequest{RMA: req.RMA, Key: req.Key, RequestHash: req.RequestHash,
			Actor: req.Actor}, decide)
		if err != nil || replayed { // a replay announces nothing again
			return body, err
		}
		r, err := tx.Return(req.RMA)
		if err != nil {
			return nil, err
		}
		return body, s.announceTransition(tx, r, nil)
	})
	switch {
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return nil, ErrIdempotencyKeyReused
	case errors.Is(err, returns.ErrTransition), errors.Is(err, ErrConflict):
		return nil, &ConflictError{Code: CodeAlreadyRefunded}
	}
	var de *returns.Error
	if errors.As(err, &de) && (de.Code == returns.CodeNotInspected || de.Code == returns.CodeNothingToRefund ||
		de.Code == returns.CodeRefundExceedsPaid) {
		return nil, &ConflictError{Code: de.Code}
	}
	return body, err
}
