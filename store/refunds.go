package store

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// ErrIdempotencyMismatch is wrapped when an idempotency key comes back with
// a different request than the one it was first used with (answer 422).
var ErrIdempotencyMismatch = errors.New("idempotency key reused with another request")

// ErrRefundFailed is wrapped (with ErrConflict) when a return's refund
// exists under another key and its provider call failed: it is retried or
// recorded as paid by hand, not claimed again.
var ErrRefundFailed = errors.New("the return's refund failed")

// The states of a refund row: claimed before the provider is called, then
// finalised one way or the other.
const (
	RefundPending   = "pending"
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

// Audit actions of a refund's execution (the status change to refunded or
// credited is an ActionStatus event as before).
const (
	ActionRefundClaimed = "refund_claimed"
	ActionRefundFailed  = "refund_failed"
	ActionRefundRetry   = "refund_retry"
	ActionRefundManual  = "refund_manual"
)

// Refund is the record of a return's one refund or store credit.
type Refund struct {
	ID         string    `json:"id" db:"public_id"`
	Amount     int64     `json:"amount" db:"amount"`
	Bonus      int64     `json:"bonus" db:"bonus"`
	Goodwill   int64     `json:"goodwill" db:"goodwill"`
	Currency   string    `json:"currency" db:"currency"`
	Method     string    `json:"method" db:"method"`
	CreditCode *string   `json:"credit_code,omitempty" db:"credit_code"`
	Reference  string    `json:"reference,omitempty" db:"reference"`
	Actor      string    `json:"actor" db:"actor"`
	At         time.Time `json:"created_at" db:"created_at"`
	// Executor is who moves the money (payments: manual, stripe, shopify,
	// woocommerce, store_credit); State is pending, succeeded or failed.
	Executor         string `json:"executor" db:"executor"`
	State            string `json:"state" db:"state"`
	ProviderRefundID string `json:"provider_refund_id" db:"provider_refund_id"`
	ErrorCode        string `json:"error_code,omitempty" db:"error_code"`
	ErrorMessage     string `json:"error_message,omitempty" db:"error_message"`
	Attempts         int    `json:"attempts" db:"attempts"`
	// RMA and TargetStatus (refunded or credited) are what finalising needs.
	RMA          string     `json:"-" db:"rma"`
	TargetStatus string     `json:"-" db:"target_status"`
	LeaseUntil   *time.Time `json:"-" db:"lease_until"`
}

const refundSelect = `SELECT f.public_id, f.amount, f.bonus, f.goodwill, f.currency, f.method, f.credit_code,
	f.reference, f.actor, f.created_at, f.executor, f.state, f.provider_refund_id, f.error_code, f.error_message,
	f.attempts, r.rma, f.target_status, f.lease_until
	FROM refunds f JOIN returns r ON r.id = f.return_id`

func (f *Refund) normalize() {
	f.At = f.At.UTC()
	f.LeaseUntil = utcPtr(f.LeaseUntil)
}

// RefundClaim is what the domain decided for a new refund and who will
// execute it.
type RefundClaim struct {
	Decision returns.RefundDecision
	Executor string
}

// ClaimFunc decides a return's refund (returns.DecideRefund and
// returns.CheckRefundCap) given what the order's other refunds, and the
// refunds made in the shop, paid back by the rules. It runs inside the
// claiming transaction and must not call the outside world.
type ClaimFunc func(r returns.Return, o returns.Order, earlier int64) (RefundClaim, error)

// RefundRequest identifies a refund attempt: the return, the client's
// idempotency key, a hash of the request (the same key with another request
// is refused) and who asks.
type RefundRequest struct {
	RMA         string
	Key         string
	RequestHash string
	Actor       string
}

// Claim is the result of ClaimRefund: the refund row, and whether this
// call created it. A key seen before gives its row (pending, or finalised
// with Response and ResponseStatus, the answer to replay).
type Claim struct {
	Refund         Refund
	New            bool
	Response       []byte
	ResponseStatus int
}

// ClaimRefund is step one of a refund (claim → call → finalise): in one
// short writer transaction, a known idempotency key returns its row (or
// ErrIdempotencyMismatch with another request hash); a return that already
// has a refund under another key is ErrConflict (with ErrRefundFailed when
// that one failed); otherwise decide runs and the row is inserted pending
// (UNIQUE on the return and on the key: a second row for the return cannot
// exist whatever the key), leased to the caller until now+lease, with an
// audit event. The return keeps its status until the refund succeeds.
func (t *Tx) ClaimRefund(req RefundRequest, lease time.Duration, decide ClaimFunc) (Claim, error) {
	var out Claim
	err := t.do(fmt.Sprintf("claim refund of %q", req.RMA), func(ctx context.Context, tx *sqlx.Tx) error {
		var prior struct {
			Hash     string `db:"request_hash"`
			Response string `db:"response"`
			Status   int    `db:"response_status"`
			ID       string `db:"public_id"`
		}
		err := get(ctx, tx, &prior, `SELECT request_hash, response, response_status, public_id FROM refunds
			WHERE idempotency_key = ?`, req.Key)
		switch {
		case err == nil:
			if subtle.ConstantTimeCompare([]byte(prior.Hash), []byte(req.RequestHash)) != 1 {
				return ErrIdempotencyMismatch
			}
			f, err := loadRefund(ctx, tx, `f.public_id = ?`, prior.ID)
			if err != nil {
				return err
			}
			out = Claim{Refund: f}
			if f.State != RefundPending {
				out.Response, out.ResponseStatus = []byte(prior.Response), prior.Status
			}
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		rc, err := loadReturnContext(ctx, tx, req.RMA)
		if err != nil {
			return err
		}
		var state string
		err = get(ctx, tx, &state, `SELECT state FROM refunds WHERE return_id = ?`, rc.r.ID)
		switch {
		case err == nil && state == RefundFailed:
			return fmt.Errorf("%w: %w", ErrConflict, ErrRefundFailed)
		case err == nil:
			return fmt.Errorf("%w: already refunded", ErrConflict)
		case !errors.Is(err, ErrNotFound):
			return err
		}
		if err := t.trackReturn(ctx, tx, rc.r.ID); err != nil {
			return err
		}
		publicID, err := newPublicID("rf_")
		if err != nil {
			return err
		}
		earlier, err := refundedBefore(ctx, tx, rc.orderID, rc.r.ID) // goodwill.go
		if err != nil {
			return err
		}
		c, err := decide(rc.r, rc.order, earlier)
		if err != nil {
			return err
		}
		d := c.Decision
		now := t.s.stamp()
		if _, err := exec(ctx, tx, `INSERT INTO refunds (public_id, return_id, idempotency_key,
			request_hash, amount, bonus, goodwill, currency, method, reference, response, response_status, actor,
			created_at, updated_at, state, executor, target_status, attempts, lease_until)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, ?, ?, ?, ?, ?, ?, 1, ?)`,
			publicID, rc.r.ID, req.Key, req.RequestHash, d.Amount, d.Bonus, d.Goodwill, d.Currency, d.Method,
			req.Actor, now, now, RefundPending, c.Executor, string(d.Status), dbTime(now.Add(lease))); err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("%w: already refunded", ErrConflict)
			}
			return err
		}
		if err := addEvent(ctx, tx, rc.r.ID, now, req.Actor, ActionRefundClaimed, "", "",
			publicID+" "+strconv.FormatInt(d.Total(), 10)+" "+d.Currency+" "+d.Method+" via "+c.Executor+
				goodwillNote(d.Goodwill)); err != nil {
			return err
		}
		f, err := loadRefund(ctx, tx, `f.public_id = ?`, publicID)
		out = Claim{Refund: f, New: true}
		return err
	})
	return out, err
}

// RefundOutcome is how a provider call ended, for FinishRefund.
type RefundOutcome struct {
	// State is succeeded, failed, or pending: the call's result is not
	// known (a timeout, the provider unreachable), so the row stays
	// pending and the resume worker calls again after RetryAfter.
	State            string
	ProviderRefundID string
	Reference        string
	CreditCode       string
	ErrorCode        string
	ErrorMessage     string
	RetryAfter       time.Duration
	// Response and ResponseStatus are the answer replayed for the
	// Idempotency-Key the row was claimed with (not for pending).
	Response       []byte
	ResponseStatus int
	Actor          string
}

// FinishRefund is step three: it records the outcome of a pending row's
// provider call. Succeeded moves the return to its target status (refunded
// or credited) with the audit event; failed keeps the return as it is and
// logs the provider's code; pending records when to call again. A row that
// is no longer pending (finalised meanwhile by another caller) is
// ErrConflict, and nothing changes. after, when not nil, runs in the same
// transaction with the finalised row (the outbox's hook).
func (t *Tx) FinishRefund(publicID string, o RefundOutcome, after func(Refund) error) (Refund, error) {
	var out Refund
	err := t.do(fmt.Sprintf("finish refund %q", publicID), func(ctx context.Context, tx *sqlx.Tx) error {
		f, err := loadRefund(ctx, tx, `f.public_id = ?`, publicID)
		if err != nil {
			return err
		}
		if f.State != RefundPending {
			return fmt.Errorf("%w: refund is %s", ErrConflict, f.State)
		}
		now := t.s.stamp()
		switch o.State {
		case RefundPending:
			_, err = exec(ctx, tx, `UPDATE refunds SET lease_until = ?, error_code = ?, error_message = ?, updated_at = ?
				WHERE public_id = ?`, dbTime(now.Add(o.RetryAfter)), o.ErrorCode, o.ErrorMessage, now, publicID)
		case RefundSucceeded:
			err = t.succeed(ctx, tx, f, o, now)
		case RefundFailed:
			if _, err = exec(ctx, tx, `UPDATE refunds SET state = ?, error_code = ?, error_message = ?, response = ?,
				response_status = ?, lease_until = NULL, updated_at = ? WHERE public_id = ?`,
				RefundFailed, o.ErrorCode, o.ErrorMessage, string(o.Response), o.ResponseStatus, now, publicID); err == nil {
				err = addEventRMA(ctx, tx, f.RMA, now, o.Actor, ActionRefundFailed, publicID+" "+f.Executor+" "+o.ErrorCode)
			}
		default:
			err = fmt.Errorf("unknown refund state %q", o.State)
		}
		if err != nil {
			return err
		}
		if out, err = loadRefund(ctx, tx, `f.public_id = ?`, publicID); err != nil {
			return err
		}
		if after != nil && out.State != RefundPending {
			return after(out)
		}
		return nil
	})
	return out, err
}

// succeed writes a refund's success and moves its return.
func (t *Tx) succeed(ctx context.Context, tx *sqlx.Tx, f Refund, o RefundOutcome, now time.Time) error {
	var code any
	if o.CreditCode != "" {
		code = o.CreditCode
	}
	r, err := loadReturn(ctx, tx, f.RMA)
	if err != nil {
		return err
	}
	// The reports count the refund from now on (analytics_track.go).
	if err := t.trackReturn(ctx, tx, r.ID); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, `UPDATE refunds SET state = ?, provider_refund_id = ?, reference = ?, credit_code = ?,
		error_code = '', error_message = '', response = ?, response_status = ?, lease_until = NULL, updated_at = ?
		WHERE public_id = ?`, RefundSucceeded, o.ProviderRefundID, o.Reference, code, string(o.Response),
		o.ResponseStatus, now, f.ID); err != nil {
		return err
	}
	return moveStatus(ctx, tx, r, returns.Status(f.TargetStatus), now, o.Actor,
		f.ID+" "+strconv.FormatInt(f.Amount+f.Bonus+f.Goodwill, 10)+" "+f.Currency+" "+f.Method+goodwillNote(f.Goodwill))
}

// RetryRefund puts a failed refund back to pending for another provider
// call with the same idempotency key (the row's id), leased to the caller.
// A refund in another state is ErrConflict.
func (t *Tx) RetryRefund(rma, actor string, lease time.Duration) (Refund, error) {
	var out Refund
	err := t.do(fmt.Sprintf("retry refund of %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		f, err := loadRefund(ctx, tx, `r.rma = ?`, canonicalRMA(rma))
		if err != nil {
			return err
		}
		if f.State != RefundFailed {
			return fmt.Errorf("%w: refund is %s", ErrConflict, f.State)
		}
		now := t.s.stamp()
		if _, err := exec(ctx, tx, `UPDATE refunds SET state = ?, attempts = attempts + 1, lease_until = ?,
			updated_at = ? WHERE public_id = ?`, RefundPending, dbTime(now.Add(lease)), now, f.ID); err != nil {
			return err
		}
		if err := addEventRMA(ctx, tx, f.RMA, now, actor, ActionRefundRetry, f.ID+" "+f.Executor); err != nil {
			return err
		}
		out, err = loadRefund(ctx, tx, `f.public_id = ?`, f.ID)
		return err
	})
	return out, err
}

// RecordManualRefund closes a failed refund as paid by hand outside the
// portal: the row succeeds with executor manual and the staff's reference,
// and the return moves on. A refund in another state is ErrConflict.
func (t *Tx) RecordManualRefund(rma string, o RefundOutcome, after func(Refund) error) (Refund, error) {
	var out Refund
	err := t.do(fmt.Sprintf("record manual refund of %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		f, err := loadRefund(ctx, tx, `r.rma = ?`, canonicalRMA(rma))
		if err != nil {
			return err
		}
		if f.State != RefundFailed {
			return fmt.Errorf("%w: refund is %s", ErrConflict, f.State)
		}
		now := t.s.stamp()
		if _, err := exec(ctx, tx, `UPDATE refunds SET executor = 'manual' WHERE public_id = ?`, f.ID); err != nil {
			return err
		}
		if err := addEventRMA(ctx, tx, f.RMA, now, o.Actor, ActionRefundManual, f.ID+" "+f.Executor+" "+o.Reference); err != nil {
			return err
		}
		f.Executor = "manual"
		if err := t.succeed(ctx, tx, f, o, now); err != nil {
			return err
		}
		if out, err = loadRefund(ctx, tx, `f.public_id = ?`, f.ID); err != nil {
			return err
		}
		if after != nil {
			return after(out)
		}
		return nil
	})
	return out, err
}

// LeaseStaleRefunds takes over the pending refunds whose lease has run out
// at now (their caller died, or a call must be repeated), at most limit,
// each leased until now+lease with one more attempt counted. The lease is
// taken by a conditional UPDATE, so two workers (or two instances) never
// take the same row.
func (s *Store) LeaseStaleRefunds(ctx context.Context, lease time.Duration, limit int) ([]Refund, error) {
	var out []Refund
	err := s.writeAt(ctx, s.d.claim, func(tx *sqlx.Tx) error {
		now := s.stamp()
		var ids []string
		if err := sel(ctx, tx, &ids, `SELECT public_id FROM refunds WHERE state = ? AND lease_until <= ?
			ORDER BY lease_until LIMIT `+strconv.Itoa(limit)+s.d.claimLock, RefundPending, now); err != nil {
			return err
		}
		for _, id := range ids {
			res, err := exec(ctx, tx, `UPDATE refunds SET lease_until = ?, attempts = attempts + 1, updated_at = ?
				WHERE public_id = ? AND state = ? AND lease_until <= ?`, dbTime(now.Add(lease)), now, id, RefundPending, now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				continue
			}
			f, err := loadRefund(ctx, tx, `f.public_id = ?`, id)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: lease stale refunds: %w", err)
	}
	return out, nil
}

// GetRefund returns a return's refund (ErrNotFound when it has none).
func (s *Store) GetRefund(ctx context.Context, rma string) (Refund, error) {
	f, err := loadRefund(ctx, s.r, `r.rma = ?`, canonicalRMA(rma))
	if err != nil {
		return Refund{}, fmt.Errorf("store: refund of %q: %w", rma, err)
	}
	return f, nil
}

func loadRefund(ctx context.Context, q sqlx.ExtContext, cond string, arg any) (Refund, error) {
	var f Refund
	if err := get(ctx, q, &f, refundSelect+` WHERE `+cond, arg); err != nil {
		return Refund{}, err
	}
	f.normalize()
	return f, nil
}

// addEventRMA is addEvent for a return named by its RMA.
func addEventRMA(ctx context.Context, tx *sqlx.Tx, rma string, at time.Time, actor, action, note string) error {
	var id int64
	if err := get(ctx, tx, &id, `SELECT id FROM returns WHERE rma = ?`, rma); err != nil {
		return err
	}
	return addEvent(ctx, tx, id, at, actor, action, "", "", note)
}

// hasRefund reports whether a return has a refund row in any state: a
// return whose refund is claimed is not rejected nor given more goodwill.
func hasRefund(ctx context.Context, q sqlx.ExtContext, returnID int64) (bool, error) {
	var n int
	err := get(ctx, q, &n, `SELECT COUNT(*) FROM refunds WHERE return_id = ?`, returnID)
	return n > 0, err
}

// newPublicID is a random id with a prefix, e.g. "rf_7K3P9XQ2M4TZ".
func newPublicID(prefix string) (string, error) {
	tok, err := randomToken()
	if err != nil {
		return "", err
	}
	return prefix + strings.NewReplacer("-", "", "_", "").Replace(tok)[:16], nil
}

// CountRefunds returns how many refund rows a return has (0 or 1: the
// UNIQUE constraint allows no more), for tests and checks.
func (s *Store) CountRefunds(ctx context.Context, rma string) (int, error) {
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM refunds f JOIN returns r ON r.id = f.return_id
		WHERE r.rma = CAST(? AS TEXT)`, canonicalRMA(rma)); err != nil {
		return 0, fmt.Errorf("store: count refunds of %q: %w", rma, err)
	}
	return n, nil
}
