package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Refund execution: claim → call → finalise. The claim is one short
// transaction (store.Tx.ClaimRefund: the domain decides the amount, the
// row is inserted pending with a unique key per return); the provider is
// called outside any transaction with the row's id as its idempotency key;
// the outcome is written in a second transaction (store.Tx.FinishRefund),
// with the return's new status and the OnRefund hook's rows. A pending row
// that nobody finalises (a crash, a timeout) is called again with the same
// key by the resume worker (refund_worker.go).

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
	ID               string `json:"id"`
	Amount           int64  `json:"amount"`
	Bonus            int64  `json:"bonus"`
	Goodwill         int64  `json:"goodwill"`
	Currency         string `json:"currency"`
	Method           string `json:"method"`
	CreditCode       string `json:"credit_code,omitempty"`
	State            string `json:"state"`
	Executor         string `json:"executor"`
	ProviderRefundID string `json:"provider_refund_id,omitempty"`
	ErrorCode        string `json:"error_code,omitempty"`
	ErrorMessage     string `json:"error_message,omitempty"`
}

// RefundResult is a refund's answer: its state (store.RefundSucceeded,
// RefundPending or RefundFailed) and the JSON of {"rma", "status",
// "refund": RefundView}. A replayed key gets the body stored when its
// refund was finalised.
type RefundResult struct {
	State string
	Body  []byte
}

// RefundEvent is what the OnRefund hook is told when a refund is finalised
// (succeeded or failed), inside the finalising transaction.
type RefundEvent struct {
	RMA    string
	Refund store.Refund
}

// Codes of the refund's ConflictErrors besides CodeAlreadyRefunded.
const (
	// CodeRefundPending: the key's refund is still being executed.
	CodeRefundPending = "refund_pending"
	// CodeRefundFailed: the return's refund failed; retry it or record it
	// as paid by hand.
	CodeRefundFailed = "refund_failed"
	// CodeRefundNotFailed: only a failed refund can be retried or recorded
	// by hand.
	CodeRefundNotFailed = "refund_not_failed"
)

// Refund execution's limits.
const (
	// defaultRefundLease is how long a caller holds a pending refund before
	// the resume worker may take it over: longer than a provider call.
	defaultRefundLease = 2 * time.Minute
	// maxRefundAttempts: after so many calls with an unknown outcome the
	// refund fails (provider_unreachable) and staff decide.
	maxRefundAttempts = 8
	// maxManualReference bounds the reference staff give a refund paid by
	// hand.
	maxManualReference = 200
)

// Refund pays a return back exactly once for an idempotency key and a
// request hash. A new key claims the refund and executes it (the return's
// executor: payments.Config.Choose); the result is succeeded, failed (the
// provider refused: its code and message are stored and shown) or pending
// (the outcome is unknown; the worker finishes it). A known key with its
// request replays the stored answer, or is ConflictError refund_pending
// while its refund is pending; with another request it is
// ErrIdempotencyKeyReused. Another key for a refunded return is
// ConflictError already_refunded (refund_failed when it failed). A return
// that cannot be paid now is a ConflictError with the domain's code
// (not_inspected, nothing_to_refund, refund_exceeds_paid).
func (s *Service) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	cfg, err := s.PaymentsConfig(ctx)
	if err != nil {
		return RefundResult{}, err
	}
	decide := func(r returns.Return, o returns.Order, earlier int64) (store.RefundClaim, error) {
		d, err := returns.DecideRefundOn(r, req.Trigger)
		if err != nil {
			return store.RefundClaim{}, err
		}
		if err := returns.CheckRefundCap(o, earlier, d); err != nil {
			return store.RefundClaim{}, err
		}
		return store.RefundClaim{Decision: d, Executor: cfg.Choose(d.Method, o.Payment)}, nil
	}
	c, err := inTx(ctx, s, func(tx *store.Tx) (store.Claim, error) {
		return tx.ClaimRefund(store.RefundRequest{RMA: req.RMA, Key: req.Key, RequestHash: req.RequestHash,
			Actor: req.Actor}, s.refundLease, decide)
	})
	if err != nil {
		return RefundResult{}, refundError(err)
	}
	if !c.New {
		if c.Refund.State == store.RefundPending {
			return RefundResult{}, &ConflictError{Code: CodeRefundPending}
		}
		return RefundResult{State: c.Refund.State, Body: c.Response}, nil
	}
	return s.execute(ctx, cfg, c.Refund, req.Actor)
}

// refundError words the store's and the domain's refusals of a claim.
func refundError(err error) error {
	var de *returns.Error
	switch {
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return ErrIdempotencyKeyReused
	case errors.Is(err, store.ErrRefundFailed):
		return &ConflictError{Code: CodeRefundFailed}
	case errors.Is(err, returns.ErrTransition), errors.Is(err, ErrConflict):
		return &ConflictError{Code: CodeAlreadyRefunded}
	case errors.As(err, &de) && (de.Code == returns.CodeNotInspected || de.Code == returns.CodeNothingToRefund ||
		de.Code == returns.CodeRefundExceedsPaid):
		return &ConflictError{Code: de.Code}
	}
	return err
}

// RetryRefund calls the provider again for a failed refund, with the same
// idempotency key (the refund's id). A refund that did not fail is
// ConflictError refund_not_failed.
func (s *Service) RetryRefund(ctx context.Context, rma, actor string) (RefundResult, error) {
	cfg, err := s.PaymentsConfig(ctx)
	if err != nil {
		return RefundResult{}, err
	}
	f, err := inTx(ctx, s, func(tx *store.Tx) (store.Refund, error) { return tx.RetryRefund(rma, actor, s.refundLease) })
	if errors.Is(err, ErrConflict) {
		return RefundResult{}, &ConflictError{Code: CodeRefundNotFailed}
	}
	if err != nil {
		return RefundResult{}, err
	}
	return s.execute(ctx, cfg, f, actor)
}

// RecordManualRefund closes a failed refund as paid by hand (in the
// provider's dashboard, by bank transfer...), with staff's reference: the
// return moves on and the refund's executor becomes manual. A reference is
// required (at most 200 bytes).
func (s *Service) RecordManualRefund(ctx context.Context, rma, actor, reference string) error {
	reference = strings.TrimSpace(reference)
	if reference == "" || len(reference) > maxManualReference || !plainLine(reference) {
		return returns.FieldErrors{{Path: "reference", Code: returns.FieldRequired}}
	}
	f, err := s.st.GetRefund(ctx, rma)
	if err != nil {
		return err
	}
	if f.State != store.RefundFailed {
		return &ConflictError{Code: CodeRefundNotFailed}
	}
	o := store.RefundOutcome{State: store.RefundSucceeded, Reference: "manual:" + reference, Actor: actor,
		ResponseStatus: 201}
	f.State, f.Executor, f.ErrorCode, f.ErrorMessage = store.RefundSucceeded, payments.Manual, "", ""
	if o.Response, err = refundBody(f, returns.Status(f.TargetStatus)); err != nil {
		return err
	}
	_, err = inTx(ctx, s, func(tx *store.Tx) (store.Refund, error) {
		return tx.RecordManualRefund(rma, o, func(done store.Refund) error { return s.onRefund(tx, done) })
	})
	if errors.Is(err, ErrConflict) {
		return &ConflictError{Code: CodeRefundNotFailed}
	}
	return err
}

// execute is steps two and three for a pending refund this caller holds:
// call its executor outside any transaction and finalise the outcome. The
// call and the finalisation outlive the request's cancellation (a client
// that hangs up must not leave a paid refund unrecorded).
func (s *Service) execute(ctx context.Context, cfg payments.Config, f store.Refund, actor string) (RefundResult, error) {
	ctx = context.WithoutCancel(ctx)
	req, err := s.executorRequest(ctx, f)
	if err != nil {
		return RefundResult{}, err
	}
	o := store.RefundOutcome{Actor: actor}
	ex, err := s.executorFor(cfg, f.Executor)
	var res payments.Result
	if err == nil {
		callCtx, cancel := context.WithTimeout(ctx, s.callTimeout)
		res, err = ex.Refund(callCtx, req)
		cancel()
	} else {
		err = &payments.ProviderError{Code: "executor_not_configured",
			Message: "the " + f.Executor + " connector is not configured any more"}
	}
	status := returns.Status(f.TargetStatus)
	switch pe, refused := payments.IsRefusal(err); {
	case err == nil:
		o.State, o.ProviderRefundID, o.Reference, o.CreditCode = store.RefundSucceeded, res.ProviderRefundID, res.Reference, res.CreditCode
		o.ResponseStatus = 201
		f.State, f.ProviderRefundID, f.ErrorCode, f.ErrorMessage = store.RefundSucceeded, res.ProviderRefundID, "", ""
		if res.CreditCode != "" {
			f.CreditCode = &res.CreditCode
		}
	case refused || f.Attempts >= maxRefundAttempts:
		if !refused {
			pe = &payments.ProviderError{Code: "provider_unreachable", Message: err.Error()}
		}
		o.State, o.ErrorCode, o.ErrorMessage, o.ResponseStatus = store.RefundFailed, pe.Code, pe.Message, 502
		f.State, f.ErrorCode, f.ErrorMessage = store.RefundFailed, pe.Code, pe.Message
		status = returns.StatusInspected
	default:
		// The outcome is unknown: the same call again later.
		s.log.Warn("refund call outcome unknown; the worker will repeat it", "refund", f.ID,
			"executor", f.Executor, "attempt", f.Attempts, "err", err)
		o.State, o.RetryAfter = store.RefundPending, s.retryBackoff(f.Attempts)
		o.ErrorCode = "outcome_unknown"
		f.State, f.ErrorCode = store.RefundPending, ""
		status = returns.StatusInspected
	}
	if o.Response, err = refundBody(f, status); err != nil {
		return RefundResult{}, err
	}
	done, err := inTx(ctx, s, func(tx *store.Tx) (store.Refund, error) {
		return tx.FinishRefund(f.ID, o, func(done store.Refund) error { return s.onRefund(tx, done) })
	})
	if errors.Is(err, ErrConflict) {
		// Finalised meanwhile by another caller (the worker took over an
		// expired lease): its outcome stands.
		if cur, gerr := s.st.GetRefund(ctx, f.RMA); gerr == nil {
			body, berr := refundBody(cur, statusOf(cur))
			return RefundResult{State: cur.State, Body: body}, berr
		}
	}
	if err != nil {
		return RefundResult{}, err
	}
	return RefundResult{State: done.State, Body: o.Response}, nil
}

// plainLine reports whether s is one line of valid text without control or
// Unicode direction characters (it is shown to staff and exported).
func plainLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' {
			return false
		}
	}
	return true
}

// statusOf is the return's status that goes with a refund's state.
func statusOf(f store.Refund) returns.Status {
	if f.State == store.RefundSucceeded {
		return returns.Status(f.TargetStatus)
	}
	return returns.StatusInspected
}

// onRefund announces a finalised refund in its transaction: a refund paid
// moves the return to refunded or credited, which the shopper's e-mail and
// the webhooks tell (announceTransition); then the OnRefund hook runs.
func (s *Service) onRefund(tx *store.Tx, f store.Refund) error {
	if f.State == store.RefundSucceeded {
		r, err := tx.Return(f.RMA)
		if err != nil {
			return err
		}
		if err := s.announceTransition(tx, r, nil); err != nil {
			return err
		}
	}
	if s.refundHook == nil {
		return nil
	}
	return s.refundHook(tx, RefundEvent{RMA: f.RMA, Refund: f})
}

// retryBackoff is the wait before the next call of a refund whose outcome
// is unknown after attempt n: 1, 2, 4 ... minutes (the configured base),
// at most 64 times the base.
func (s *Service) retryBackoff(n int) time.Duration {
	d := s.retryBase
	for i := 1; i < n && i < 7; i++ {
		d *= 2
	}
	return d
}

// executorRequest is what the executor is asked to pay for a refund: the
// return's quote lines (with the tax their refund contains, restocked where
// inspected resellable) and outbound shipping, and the order's payment.
func (s *Service) executorRequest(ctx context.Context, f store.Refund) (payments.Request, error) {
	r, err := s.st.GetReturn(ctx, f.RMA)
	if err != nil {
		return payments.Request{}, err
	}
	o, err := s.st.GetOrder(ctx, r.OrderNumber)
	if err != nil {
		return payments.Request{}, err
	}
	x, err := s.st.ReturnExtras(ctx, f.RMA)
	if err != nil {
		return payments.Request{}, err
	}
	resellable := map[string]bool{}
	for _, in := range x.Inspections {
		resellable[in.LineID] = in.Condition == returns.ConditionResellable
	}
	req := payments.Request{RefundID: f.ID, RMA: r.RMA, OrderNumber: o.Number, Payment: o.Payment, Method: f.Method,
		Currency: f.Currency, Amount: f.Amount + f.Bonus + f.Goodwill, Shipping: r.Quote.OutboundShippingRefund}
	for _, l := range r.Quote.Lines {
		if l.Quantity <= 0 || l.Resolution == returns.ResolutionExchange {
			continue // an exchanged item is not refunded (nor restocked by the refund)
		}
		pl := payments.Line{LineID: l.LineID, Quantity: l.Quantity, Amount: l.Refund, Restock: resellable[l.LineID]}
		if ol, ok := o.Line(l.LineID); ok {
			pl.Tax = returns.TaxIncluded(ol.Paid(), ol.Tax, l.Refund)
		}
		req.Lines = append(req.Lines, pl)
	}
	return req, nil
}

// refundBody is a refund's answer: {"rma", "status", "refund"}.
func refundBody(f store.Refund, status returns.Status) ([]byte, error) {
	v := RefundView{ID: f.ID, Amount: f.Amount, Bonus: f.Bonus, Goodwill: f.Goodwill, Currency: f.Currency,
		Method: f.Method, State: f.State, Executor: f.Executor, ProviderRefundID: f.ProviderRefundID,
		ErrorCode: f.ErrorCode, ErrorMessage: f.ErrorMessage}
	if f.CreditCode != nil {
		v.CreditCode = *f.CreditCode
	}
	return json.Marshal(map[string]any{"rma": f.RMA, "status": status, "refund": v})
}
