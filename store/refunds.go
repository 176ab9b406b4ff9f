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
}

// RefundRecord is what a RefundFunc decided and executed: the money, the
// status the return moves to, the store-credit code or the payment
// reference, and the response to give now and to every replay.
type RefundRecord struct {
	Amount     int64
	Bonus      int64
	Goodwill   int64 // admins' goodwill on top of the quote (goodwill.go)
	Currency   string
	Method     string
	Status     returns.Status
	CreditCode string
	Reference  string
	Response   []byte
}

// RefundFunc decides and executes the refund of a return (the domain's
// returns.DecideRefund and the Refunder), given the refund's public id and
// what the order's other refunds paid back by the rules (their amounts,
// without bonus and goodwill: returns.CheckRefundCap). It runs inside the
// writer transaction: an error rolls everything back.
type RefundFunc func(r returns.Return, o returns.Order, refundID string, earlier int64) (RefundRecord, error)

// RefundRequest identifies a refund attempt: the return, the client's
// idempotency key, a hash of the request (the same key with another request
// is refused) and who asks.
type RefundRequest struct {
	RMA         string
	Key         string
	RequestHash string
	Actor       string
}

// Refund pays a return back exactly once. In one writer
// transaction: a known idempotency key returns its stored response
// (replayed = true) when the request hash matches, else
// ErrIdempotencyMismatch; a return that already has a refund (under any key)
// is ErrConflict; otherwise decide runs and the refund row (UNIQUE on the
// return and on the key), the status change and the audit event are written
// together. The UNIQUE constraints hold even where the transaction would not
// serialize: a second row for the return cannot exist.
func (s *Store) Refund(ctx context.Context, req RefundRequest, decide RefundFunc) (resp []byte, replayed bool, err error) {
	err = s.Write(ctx, func(t *Tx) error { resp, replayed, err = t.Refund(req, decide); return err })
	return resp, replayed, err
}

// Refund is Store.Refund in the transaction.
func (t *Tx) Refund(req RefundRequest, decide RefundFunc) (resp []byte, replayed bool, err error) {
	err = t.do(fmt.Sprintf("refund %q", req.RMA), func(ctx context.Context, tx *sqlx.Tx) error {
		var prior struct {
			Hash     string `db:"request_hash"`
			Response string `db:"response"`
		}
		err := get(ctx, tx, &prior, `SELECT request_hash, response FROM refunds WHERE idempotency_key = ?`, req.Key)
		switch {
		case err == nil:
			if subtle.ConstantTimeCompare([]byte(prior.Hash), []byte(req.RequestHash)) != 1 {
				return ErrIdempotencyMismatch
			}
			resp, replayed = []byte(prior.Response), true
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		rc, err := loadReturnContext(ctx, tx, req.RMA)
		if err != nil {
			return err
		}
		var n int
		if err := get(ctx, tx, &n, `SELECT COUNT(*) FROM refunds WHERE return_id = ?`, rc.r.ID); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: already refunded", ErrConflict)
		}
		publicID, err := newPublicID("rf_")
		if err != nil {
			return err
		}
		earlier, err := refundedBefore(ctx, tx, rc.orderID, rc.r.ID) // goodwill.go
		if err != nil {
			return err
		}
		rec, err := decide(rc.r, rc.order, publicID, earlier)
		if err != nil {
			return err
		}
		now := t.s.stamp()
		var code any
		if rec.CreditCode != "" {
			code = rec.CreditCode
		}
		if _, err := exec(ctx, tx, `INSERT INTO refunds (public_id, return_id, idempotency_key,
			request_hash, amount, bonus, goodwill, currency, method, credit_code, reference, response, actor, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			publicID, rc.r.ID, req.Key, req.RequestHash, rec.Amount, rec.Bonus, rec.Goodwill, rec.Currency, rec.Method,
			code, rec.Reference, string(rec.Response), req.Actor, now); err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("%w: already refunded", ErrConflict)
			}
			return err
		}
		if err := moveStatus(ctx, tx, rc.r, rec.Status, now, req.Actor,
			publicID+" "+strconv.FormatInt(rec.Amount+rec.Bonus+rec.Goodwill, 10)+" "+rec.Currency+" "+rec.Method+
				goodwillNote(rec.Goodwill)); err != nil {
			return err
		}
		resp = rec.Response
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return resp, replayed, nil
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
