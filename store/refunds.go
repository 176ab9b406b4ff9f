package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// ActionNote records a staff note on a return (the note itself is in
// return_notes).
const ActionNote = "note"

// ErrIdempotencyMismatch is wrapped when an idempotency key comes back with
// a different request than the one it was first used with (answer 422).
var ErrIdempotencyMismatch = errors.New("idempotency key reused with another request")

// Inspection is staff's verdict on one item, as stored.
type Inspection struct {
	LineID    string    `json:"line_id" db:"line_id"`
	Accepted  int       `json:"accepted_quantity" db:"accepted_quantity"`
	Condition string    `json:"condition" db:"item_condition"`
	Notes     string    `json:"notes" db:"notes"`
	Actor     string    `json:"actor" db:"actor"`
	At        time.Time `json:"at" db:"created_at"`
}

// Note is a note between staff about a return.
type Note struct {
	Actor string    `json:"actor" db:"actor"`
	Body  string    `json:"body" db:"body"`
	At    time.Time `json:"at" db:"created_at"`
}

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

// Extras is what the staff area shows of a return besides the return: its
// inspection, notes, refund, the quote as the shopper was given it, when it
// arrived and the legal refund deadline.
type Extras struct {
	OrderID       int64
	Inspections   []Inspection
	Notes         []Note
	Refund        *Refund
	OriginalQuote *returns.Quote
	ReceivedAt    *time.Time
	RefundDue     *returns.Date
	OverdueAt     *time.Time
}

// setRefundDue stores a return's legal refund deadline (returns.RefundDeadline)
// and the instant it becomes overdue, and the hub the parcel goes to, as
// copies for the queue.
func setRefundDue(ctx context.Context, tx *sqlx.Tx, returnID int64, o returns.Order, p returns.Policy,
	basis string, requested time.Time, received *time.Time) error {
	var due, overdue any
	if d := returns.RefundDeadline(o, p, nil, basis, requested, received); d != nil {
		due = d.String()
		overdue = dbTime(returns.OverdueFrom(*d, o.ShippingAddress.Country, o.ShippingAddress.Region))
	}
	// The hub is the effective policy's for the destination under p, the
	// return's own policy version (the queue's hub filter).
	hub := p.Effective(returns.LoadLegal(), o.ShippingAddress.Country).Hub
	_, err := exec(ctx, tx, `UPDATE returns SET ship_country = ?, hub = ?, refund_due = ?, refund_overdue_at = ?
		WHERE id = ?`, o.ShippingAddress.Country, hub, due, overdue, returnID)
	return err
}

// returnContext is what a staff action on a return reads in its transaction.
type returnContext struct {
	r       returns.Return
	orderID int64
	order   returns.Order
	policy  returns.Policy
}

func loadReturnContext(ctx context.Context, tx *sqlx.Tx, rma string) (returnContext, error) {
	var rc returnContext
	r, err := loadReturn(ctx, tx, canonicalRMA(rma))
	if err != nil {
		return rc, err
	}
	rc.r = r
	if rc.order, rc.orderID, err = loadOrder(ctx, tx, r.OrderNumber); err != nil {
		return rc, err
	}
	var doc string
	if err := get(ctx, tx, &doc, `SELECT document FROM policy_versions WHERE version = ?`, r.PolicyVersion); err != nil {
		return rc, err
	}
	if err := json.Unmarshal([]byte(doc), &rc.policy); err != nil {
		return rc, fmt.Errorf("decode policy version %d: %w", r.PolicyVersion, err)
	}
	return rc, nil
}

// moveStatus changes a return's status (checked by returns.CheckTransition;
// a refusal wraps ErrConflict) and logs the change, inside tx.
func moveStatus(ctx context.Context, tx *sqlx.Tx, r returns.Return, to returns.Status, now time.Time, actor, note string) error {
	if err := returns.CheckTransition(r.Status, to); err != nil {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	res, err := exec(ctx, tx, `UPDATE returns SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		to, now, r.ID, r.Status)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fmt.Errorf("%w: status changed concurrently", ErrConflict)
	}
	if err := addEvent(ctx, tx, r.ID, now, actor, ActionStatus, string(r.Status), string(to), note); err != nil {
		return err
	}
	return countStatus(ctx, tx, r.Status, to)
}

// Receive marks a return's parcel as arrived (approved → received), records
// when, and recomputes the legal refund deadline where it runs from the
// arrival. A refusal (unknown RMA: ErrNotFound; any other status: ErrConflict
// wrapping returns.ErrTransition) comes with the return as it is, so the
// caller can say why (already received, cancelled...).
func (s *Store) Receive(ctx context.Context, rma, actor string) (returns.Return, error) {
	var out returns.Return
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		rc, err := loadReturnContext(ctx, tx, rma)
		if err != nil {
			return err
		}
		out = rc.r
		now := s.stamp()
		if err := moveStatus(ctx, tx, rc.r, returns.StatusReceived, now, actor, ""); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `UPDATE returns SET received_at = ? WHERE id = ?`, now, rc.r.ID); err != nil {
			return err
		}
		if err := setRefundDue(ctx, tx, rc.r.ID, rc.order, rc.policy, rc.r.Basis, rc.r.CreatedAt, &now); err != nil {
			return err
		}
		out, err = loadReturn(ctx, tx, rc.r.RMA)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("store: receive %q: %w", rma, err)
	}
	return out, nil
}

// RequoteFunc recomputes a return's quote at inspection from the order, the
// policy version the return was decided under, what the order's earlier
// returns hold (not this one) and the accepted units per line.
type RequoteFunc func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, accepted map[string]int) (returns.Quote, error)

// Inspect records staff's verdict on every item of a received return, replaces
// its quote by the one requote computes for the accepted units (the shopper's
// quote is kept as the original) and moves it to inspected, all in one
// transaction with the audit event.
func (s *Store) Inspect(ctx context.Context, rma, actor string, items []returns.InspectedItem, requote RequoteFunc) (returns.Return, error) {
	var out returns.Return
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		rc, err := loadReturnContext(ctx, tx, rma)
		if err != nil {
			return err
		}
		if err := returns.CheckTransition(rc.r.Status, returns.StatusInspected); err != nil {
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
		accepted, err := returns.CheckInspection(rc.r, items)
		if err != nil {
			return err
		}
		h, err := historyBefore(ctx, tx, rc.orderID, rc.r.ID)
		if err != nil {
			return err
		}
		q, err := requote(rc.order, rc.policy, h, rc.r, accepted)
		if err != nil {
			return err
		}
		doc, err := json.Marshal(q)
		if err != nil {
			return err
		}
		now := s.stamp()
		var summary []string
		for _, it := range items {
			if _, err := exec(ctx, tx, `INSERT INTO inspections (return_id, line_id, accepted_quantity,
				item_condition, notes, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				rc.r.ID, it.LineID, it.Accepted, it.Condition, strings.TrimSpace(it.Notes), actor, now); err != nil {
				if isUniqueViolation(err) {
					return fmt.Errorf("%w: already inspected", ErrConflict)
				}
				return err
			}
			summary = append(summary, it.LineID+" "+strconv.Itoa(it.Accepted)+" "+it.Condition)
		}
		if _, err := exec(ctx, tx, `UPDATE returns SET original_quote = COALESCE(original_quote, quote),
			quote = ?, total = ?, outbound_shipping_refund = ? WHERE id = ?`,
			string(doc), q.Total, q.OutboundShippingRefund, rc.r.ID); err != nil {
			return err
		}
		if err := moveStatus(ctx, tx, rc.r, returns.StatusInspected, now, actor, strings.Join(summary, "; ")); err != nil {
			return err
		}
		out, err = loadReturn(ctx, tx, rc.r.RMA)
		return err
	})
	if err != nil {
		return returns.Return{}, fmt.Errorf("store: inspect %q: %w", rma, err)
	}
	return out, nil
}

// historyBefore is what the order's returns created before returnID hold
// (neither cancelled nor rejected): the units an inspection's re-quote
// counts as earlier, so that its cumulative floors match the original quote.
func historyBefore(ctx context.Context, q sqlx.ExtContext, orderID, returnID int64) (returns.History, error) {
	var held []struct {
		LineID string `db:"line_id"`
		Units  int    `db:"units"`
	}
	if err := sel(ctx, q, &held, `SELECT ri.line_id AS line_id, SUM(ri.quantity) AS units
		FROM return_items ri JOIN returns r ON r.id = ri.return_id
		WHERE r.order_id = ? AND r.id < ? AND r.status NOT IN (?, ?)
		GROUP BY ri.line_id`,
		orderID, returnID, returns.StatusCancelled, returns.StatusRejected); err != nil {
		return returns.History{}, err
	}
	h := returns.History{UnitsHeld: make(map[string]int, len(held))}
	for _, x := range held {
		h.UnitsHeld[x.LineID] = x.Units
	}
	var refunded int
	if err := get(ctx, q, &refunded, `SELECT COUNT(*) FROM returns
		WHERE order_id = ? AND id < ? AND status NOT IN (?, ?) AND outbound_shipping_refund > 0`,
		orderID, returnID, returns.StatusCancelled, returns.StatusRejected); err != nil {
		return returns.History{}, err
	}
	h.OutboundRefunded = refunded > 0
	return h, nil
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

// Refund pays a return back exactly once (SECURITY.md #12). In one writer
// transaction: a known idempotency key returns its stored response
// (replayed = true) when the request hash matches, else
// ErrIdempotencyMismatch; a return that already has a refund (under any key)
// is ErrConflict; otherwise decide runs and the refund row (UNIQUE on the
// return and on the key), the status change and the audit event are written
// together. The UNIQUE constraints hold even where the transaction would not
// serialize: a second row for the return cannot exist.
func (s *Store) Refund(ctx context.Context, req RefundRequest, decide RefundFunc) (resp []byte, replayed bool, err error) {
	err = s.write(ctx, func(tx *sqlx.Tx) error {
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
		now := s.stamp()
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
		return nil, false, fmt.Errorf("store: refund %q: %w", req.RMA, err)
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
		WHERE r.rma = ?`, canonicalRMA(rma)); err != nil {
		return 0, fmt.Errorf("store: count refunds of %q: %w", rma, err)
	}
	return n, nil
}

// AddNote adds a staff note to a return, logged in the audit trail.
func (s *Store) AddNote(ctx context.Context, rma, actor, body string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := get(ctx, tx, &id, `SELECT id FROM returns WHERE rma = ?`, canonicalRMA(rma)); err != nil {
			return err
		}
		now := s.stamp()
		if _, err := exec(ctx, tx, `INSERT INTO return_notes (return_id, actor, body, created_at)
			VALUES (?, ?, ?, ?)`, id, actor, body, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, now, actor, ActionNote, "", "", "")
	})
	if err != nil {
		return fmt.Errorf("store: add note to %q: %w", rma, err)
	}
	return nil
}

// ReturnExtras loads what the staff area shows of a return besides the
// return itself.
func (s *Store) ReturnExtras(ctx context.Context, rma string) (Extras, error) {
	x, err := s.returnExtras(ctx, canonicalRMA(rma))
	if err != nil {
		return Extras{}, fmt.Errorf("store: extras of %q: %w", rma, err)
	}
	return x, nil
}

func (s *Store) returnExtras(ctx context.Context, rma string) (Extras, error) {
	tx, err := s.r.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Extras{}, err
	}
	defer func() { _ = tx.Rollback() }()
	var row struct {
		ID            int64      `db:"id"`
		OrderID       int64      `db:"order_id"`
		OriginalQuote *string    `db:"original_quote"`
		ReceivedAt    *time.Time `db:"received_at"`
		RefundDue     *string    `db:"refund_due"`
		OverdueAt     *time.Time `db:"refund_overdue_at"`
	}
	if err := get(ctx, tx, &row, `SELECT id, order_id, original_quote, received_at, refund_due,
		refund_overdue_at FROM returns WHERE rma = ?`, rma); err != nil {
		return Extras{}, err
	}
	x := Extras{OrderID: row.OrderID, ReceivedAt: utcPtr(row.ReceivedAt), OverdueAt: utcPtr(row.OverdueAt),
		Inspections: []Inspection{}, Notes: []Note{}}
	if row.OriginalQuote != nil {
		var q returns.Quote
		if err := json.Unmarshal([]byte(*row.OriginalQuote), &q); err != nil {
			return Extras{}, err
		}
		x.OriginalQuote = &q
	}
	if row.RefundDue != nil {
		d, err := returns.ParseDate(*row.RefundDue)
		if err != nil {
			return Extras{}, err
		}
		x.RefundDue = &d
	}
	if err := sel(ctx, tx, &x.Inspections, `SELECT line_id, accepted_quantity, item_condition, notes,
		actor, created_at FROM inspections WHERE return_id = ? ORDER BY id`, row.ID); err != nil {
		return Extras{}, err
	}
	if err := sel(ctx, tx, &x.Notes, `SELECT actor, body, created_at FROM return_notes
		WHERE return_id = ? ORDER BY id`, row.ID); err != nil {
		return Extras{}, err
	}
	var refunds []Refund
	if err := sel(ctx, tx, &refunds, `SELECT public_id, amount, bonus, goodwill, currency, method, credit_code,
		reference, actor, created_at FROM refunds WHERE return_id = ?`, row.ID); err != nil {
		return Extras{}, err
	}
	if len(refunds) > 0 {
		r := refunds[0]
		r.At = r.At.UTC()
		x.Refund = &r
	}
	for i := range x.Inspections {
		x.Inspections[i].At = x.Inspections[i].At.UTC()
	}
	for i := range x.Notes {
		x.Notes[i].At = x.Notes[i].At.UTC()
	}
	return x, nil
}
