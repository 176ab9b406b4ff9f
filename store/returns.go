package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Actions written to the audit log.
const (
	// ActionCreated records a new return (From is empty, To its first status).
	ActionCreated = "created"
	// ActionStatus records a status change of a return.
	ActionStatus = "status"
	// ActionPolicySaved records a new policy version (no return attached).
	ActionPolicySaved = "policy_saved"
)

// rmaAttempts bounds the retries when a new RMA number is already taken. With
// 40 random bits a second collision is all but impossible; the bound keeps a
// broken random source from looping forever.
const rmaAttempts = 6

// Event is one entry of a return's audit log: who did what, when, and the
// status change it made.
type Event struct {
	At     time.Time `json:"at" db:"at"`
	Actor  string    `json:"actor" db:"actor"`
	Action string    `json:"action" db:"action"`
	From   string    `json:"from" db:"from_status"`
	To     string    `json:"to" db:"to_status"`
	Note   string    `json:"note" db:"note"`
}

// returnRow is the returns table joined with its order's number. The quote
// JSON is the truth; currency, total, manual_review and
// outbound_shipping_refund are copies kept for queries.
type returnRow struct {
	ID            int64     `db:"id"`
	RMA           string    `db:"rma"`
	OrderNumber   string    `db:"order_number"`
	Status        string    `db:"status"`
	Basis         string    `db:"basis"`
	RefundMethod  string    `db:"refund_method"`
	Consent       bool      `db:"consent"`
	Comment       string    `db:"comment"`
	BankIBAN      string    `db:"bank_iban"`
	BankHolder    string    `db:"bank_holder"`
	PolicyVersion int64     `db:"policy_version"`
	Locale        string    `db:"locale"`
	Quote         string    `db:"quote"`
	GiftEmail     string    `db:"gift_email"`
	CreatedAt     time.Time `db:"created_at"`
	UpdatedAt     time.Time `db:"updated_at"`
}

const returnSelect = returnColumns + returnFrom

// nReturnColumns is the number of returnColumns, in returnRow's order.
const nReturnColumns = 16

// returnRowFrom reads a row that starts with returnColumns.
func returnRowFrom(r row) returnRow {
	return returnRow{ID: r.int64(0), RMA: r.str(1), OrderNumber: r.str(2), Status: r.str(3), Basis: r.str(4),
		RefundMethod: r.str(5), Consent: r.bool(6), Comment: r.str(7), BankIBAN: r.str(8), BankHolder: r.str(9),
		PolicyVersion: r.int64(10), Locale: r.str(11), Quote: r.str(12), GiftEmail: r.str(13),
		CreatedAt: r.time(14), UpdatedAt: r.time(15)}
}

const returnColumns = `SELECT r.id, r.rma, o.number AS order_number, r.status, r.basis,
	r.refund_method, r.consent, r.comment, r.bank_iban, r.bank_holder,
	r.policy_version, r.locale, r.quote, r.gift_email, r.created_at, r.updated_at`

const returnFrom = ` FROM returns r JOIN orders o ON o.id = r.order_id`

// itemRow is one return item, with its return's id for batch loading.
type itemRow struct {
	ReturnID int64  `db:"return_id"`
	LineID   string `db:"line_id"`
	Quantity int    `db:"quantity"`
	Reason   string `db:"reason"`
}

// BuildFunc decides a new return from what is stored: the order, what its
// earlier returns hold, and the current policy with its version. It returns
// the return to store (RMA, status, quote, items, refund method...) or the
// domain's refusal.
type BuildFunc func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error)

// CreateReturn decides and stores a new return of an order in one writer
// transaction: the order, its history and the current policy are read, build
// decides, and the return, its items and a "created" audit event are written.
// The transaction holds the write lock from its start, so two shoppers racing
// for the last unit of a line are served one after the other and the second
// build sees the first return in its history.
//
// An error from build rolls everything back and is returned wrapped; a
// *returns.Error with code exceeds_returnable also wraps ErrConflict. The
// store fills OrderNumber and PolicyVersion, defaults Status
// (returns.InitialStatus), Basis (the quote's) and Locale (the order's), and
// replaces an RMA number that is already taken with a fresh one.
func (s *Store) CreateReturn(ctx context.Context, orderNumber, actor string, build BuildFunc) (out returns.Return, err error) {
	err = s.Write(ctx, func(t *Tx) error { out, err = t.CreateReturn(orderNumber, actor, build); return err })
	return out, err
}

// CreateReturn is Store.CreateReturn in the transaction.
func (t *Tx) CreateReturn(orderNumber, actor string, build BuildFunc) (returns.Return, error) {
	return t.createReturn(orderNumber, actor, build, nil)
}

// createReturn is CreateReturn with a hook that writes more rows of the new
// return (its photos: CreateReturnWithPhotos) in the same transaction.
func (t *Tx) createReturn(orderNumber, actor string, build BuildFunc,
	after func(tx *sqlx.Tx, r returns.Return, now time.Time) error) (returns.Return, error) {
	var out returns.Return
	err := t.do(fmt.Sprintf("create return for order %q", orderNumber), func(ctx context.Context, tx *sqlx.Tx) error {
		o, orderID, err := loadOrder(ctx, tx, orderNumber)
		if err != nil {
			return err
		}
		h, err := loadHistory(ctx, tx, orderID)
		if err != nil {
			return err
		}
		version, p, err := t.s.currentPolicy(ctx, tx)
		if err != nil {
			return fmt.Errorf("no policy: %w", err)
		}
		r, err := decideReturn(build, o, h, version, p)
		if err != nil {
			return err
		}
		out, err = t.insertReturn(ctx, tx, o, orderID, version, p, r, actor, after)
		return err
	})
	if err != nil {
		return returns.Return{}, err
	}
	return out, nil
}

// decideReturn runs build; a refusal for want of returnable units also
// wraps ErrConflict.
func decideReturn(build BuildFunc, o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
	r, err := build(o, h, version, p)
	if err != nil {
		var de *returns.Error
		if errors.As(err, &de) && de.Code == returns.CodeExceedsReturnable {
			return returns.Return{}, fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return returns.Return{}, err
	}
	return r, nil
}

// insertReturn writes a decided return of order o (row orderID) under
// policy version p: the return with the copies the queue filters on (the
// destination, the hub, the legal refund deadline), its items, the
// "created" audit event and the count per status, then after's rows.
func (t *Tx) insertReturn(ctx context.Context, tx *sqlx.Tx, o returns.Order, orderID, version int64, p returns.Policy,
	r returns.Return, actor string, after func(tx *sqlx.Tx, r returns.Return, now time.Time) error) (returns.Return, error) {
	now := t.s.stamp()
	r.ID = 0
	r.OrderNumber = o.Number
	r.PolicyVersion = version
	r.CreatedAt, r.UpdatedAt = now, now
	if r.Status == "" {
		r.Status = returns.InitialStatus(r.Quote)
	}
	if !r.Status.Valid() {
		return returns.Return{}, fmt.Errorf("invalid status %q", r.Status)
	}
	if r.Basis == "" {
		r.Basis = r.Quote.Basis
	}
	if r.Locale == "" {
		r.Locale = o.Locale
	}
	if r.Quote.Currency == "" {
		r.Quote.Currency = o.Currency
	}
	if r.RMA == "" {
		r.RMA = returns.NewRMA()
	}
	r.RMA = canonicalRMA(r.RMA)
	quote, err := json.Marshal(r.Quote)
	if err != nil {
		return returns.Return{}, err
	}
	due := refundDueOf(t.s.legal, o, p, r.Basis, now, nil)
	lawOnly := returns.LawOnly(o, p, t.s.legal, r.Items, now)
	for attempt := 1; ; attempt++ {
		// ON CONFLICT DO NOTHING instead of catching the UNIQUE error:
		// a failed statement aborts the whole transaction on PostgreSQL.
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO returns (rma, order_id,
			status, basis, refund_method, consent, comment, bank_iban, bank_holder,
			policy_version, locale, currency, total, outbound_shipping_refund, quote,
			manual_review, law_only, created_at, updated_at, ship_country, hub, refund_due, refund_overdue_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (rma) DO NOTHING
			RETURNING id`),
			r.RMA, orderID, r.Status, r.Basis, r.RefundMethod, r.Consent, r.Comment,
			r.BankIBAN, r.BankHolder, version, r.Locale, r.Quote.Currency, r.Quote.Total,
			r.Quote.OutboundShippingRefund, string(quote), r.Quote.ManualReview,
			lawOnly, now, now, due.country, due.hub, due.due, due.overdue).Scan(&r.ID)
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return returns.Return{}, err
		}
		if attempt == rmaAttempts {
			return returns.Return{}, errors.New("no free RMA number")
		}
		r.RMA = returns.NewRMA()
	}
	t.trackNewReturn(r, o, p, lawOnly, now) // analytics_track.go
	if err := insertItems(ctx, tx, r); err != nil {
		return returns.Return{}, err
	}
	if err := addEvent(ctx, tx, r.ID, now, actor, ActionCreated, "", string(r.Status), ""); err != nil {
		return returns.Return{}, err
	}
	if err := countStatus(ctx, tx, "", r.Status); err != nil {
		return returns.Return{}, err
	}
	if after != nil {
		if err := after(tx, r, now); err != nil {
			return returns.Return{}, err
		}
	}
	return r, nil
}

// insertItems writes a new return's items in one statement, each with its
// refund (itemRefund).
func insertItems(ctx context.Context, tx *sqlx.Tx, r returns.Return) error {
	if len(r.Items) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO return_items (return_id, position, line_id, quantity, reason, refund) VALUES `)
	args := make([]any, 0, 6*len(r.Items))
	used := make([]bool, len(r.Quote.Lines))
	for i, it := range r.Items {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, r.ID, i, it.LineID, it.Quantity, it.Reason, itemRefund(r.Quote.Lines, used, it))
	}
	return run(ctx, tx, q.String(), args...)
}

// itemRefund finds the quote line of a return item (the first unused one for
// the same line and reason) and returns its refund, so that return_items
// carries the per-item money for reports.
func itemRefund(lines []returns.QuoteLine, used []bool, it returns.QuoteItem) int64 {
	for i, l := range lines {
		if !used[i] && l.LineID == it.LineID && l.Reason == it.Reason {
			used[i] = true
			return l.Refund
		}
	}
	return 0
}

// GetReturn returns a return by RMA number, as typed or scanned (the number
// is normalized first), with its items and quote.
func (s *Store) GetReturn(ctx context.Context, rma string) (returns.Return, error) {
	r, err := loadReturn(ctx, s.r, canonicalRMA(rma))
	if err != nil {
		return returns.Return{}, fmt.Errorf("store: get return %q: %w", rma, err)
	}
	return r, nil
}

// ReturnsForOrder returns the returns of an order, oldest first, with their
// items and quotes (ErrNotFound when the order is unknown).
func (s *Store) ReturnsForOrder(ctx context.Context, orderNumber string) ([]returns.Return, error) {
	out, err := s.returnsForOrder(ctx, orderNumber)
	if err != nil {
		return nil, fmt.Errorf("store: returns for order %q: %w", orderNumber, err)
	}
	return out, nil
}

func (s *Store) returnsForOrder(ctx context.Context, orderNumber string) ([]returns.Return, error) {
	var order struct {
		ID         int64 `db:"id"`
		AnyReturns bool  `db:"any_returns"`
	}
	if err := get(ctx, s.r, &order, `SELECT o.id,
		EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id) AS any_returns
		FROM orders o WHERE o.number = ?`, orderNumber); err != nil {
		return nil, err
	}
	if !order.AnyReturns {
		return []returns.Return{}, nil // most orders: no snapshot to open
	}
	orderID := order.ID
	// One read transaction so that the returns and their items are one
	// snapshot.
	var rows []returnRow
	var items []itemRow
	err := inReadTx(ctx, s.r, func(ctx context.Context, q sqlx.ExtContext) error {
		if err := sel(ctx, q, &rows, returnSelect+` WHERE r.order_id = CAST(? AS BIGINT) ORDER BY r.id`, orderID); err != nil {
			return err
		}
		return sel(ctx, q, &items, `SELECT ri.return_id, ri.line_id, ri.quantity, ri.reason
			FROM return_items ri JOIN returns r ON r.id = ri.return_id
			WHERE r.order_id = CAST(? AS BIGINT) ORDER BY ri.return_id, ri.position`, orderID)
	})
	if err != nil {
		return nil, err
	}
	byReturn := make(map[int64][]returns.QuoteItem, len(rows))
	for _, it := range items {
		byReturn[it.ReturnID] = append(byReturn[it.ReturnID], returns.QuoteItem{
			LineID: it.LineID, Quantity: it.Quantity, Reason: it.Reason,
		})
	}
	out := make([]returns.Return, 0, len(rows))
	for _, row := range rows {
		r, err := row.toReturn(byReturn[row.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Transition moves a return to another status, if the status machine allows
// it (returns.CheckTransition; a refusal wraps ErrConflict and
// returns.ErrTransition), and writes the change with actor and note to the
// audit log in the same transaction. It returns the updated return.
func (s *Store) Transition(ctx context.Context, rma string, to returns.Status, actor, note string) (out returns.Return, err error) {
	err = s.Write(ctx, func(t *Tx) error { out, err = t.Transition(rma, to, actor, note); return err })
	return out, err
}

// Transition is Store.Transition in the transaction.
func (t *Tx) Transition(rma string, to returns.Status, actor, note string) (returns.Return, error) {
	key := canonicalRMA(rma)
	var out returns.Return
	err := t.do(fmt.Sprintf("transition return %q to %s", rma, to), func(ctx context.Context, tx *sqlx.Tx) error {
		var cur struct {
			ID     int64  `db:"id"`
			Status string `db:"status"`
		}
		if err := get(ctx, tx, &cur, `SELECT id, status FROM returns WHERE rma = ?`, key); err != nil {
			return err
		}
		// A return whose refund is claimed (pending, or failed and awaiting
		// a retry) is on its way to being paid: it cannot be rejected.
		if claimed, err := hasRefund(ctx, tx, cur.ID); err != nil {
			return err
		} else if claimed && to == returns.StatusRejected {
			return fmt.Errorf("%w: the refund is already claimed", ErrConflict)
		}
		if err := t.trackReturn(ctx, tx, cur.ID); err != nil {
			return err
		}
		if err := moveStatus(ctx, tx, returns.Return{ID: cur.ID, Status: returns.Status(cur.Status)}, to, t.s.stamp(), actor, note); err != nil {
			return err
		}
		var err error
		out, err = loadReturn(ctx, tx, key)
		return err
	})
	if err != nil {
		return returns.Return{}, err
	}
	return out, nil
}

// Events returns a return's audit log, oldest first.
func (s *Store) Events(ctx context.Context, rma string) ([]Event, error) {
	events, err := s.events(ctx, canonicalRMA(rma))
	if err != nil {
		return nil, fmt.Errorf("store: events of return %q: %w", rma, err)
	}
	return events, nil
}

// loadEvents reads a return's audit log through q, oldest first (a
// record's snapshot: record.go). CAST: see bound in store.go.
func loadEvents(ctx context.Context, q sqlx.ExtContext, returnID int64) ([]Event, error) {
	events := []Event{}
	if err := sel(ctx, q, &events, `SELECT at, actor, action, from_status, to_status, note
		FROM audit_events WHERE return_id = CAST(? AS BIGINT) ORDER BY id`, returnID); err != nil {
		return nil, err
	}
	for i := range events {
		events[i].At = events[i].At.UTC()
	}
	return events, nil
}

func (s *Store) events(ctx context.Context, rma string) ([]Event, error) {
	// One row per event; a return without events is one row of NULLs, an
	// unknown RMA no row.
	var rows []struct {
		At     *time.Time `db:"at"` // a column, not an expression: the driver reads times by the column's type
		Actor  string     `db:"actor"`
		Action string     `db:"action"`
		From   string     `db:"from_status"`
		To     string     `db:"to_status"`
		Note   string     `db:"note"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT e.at, COALESCE(e.actor, '') AS actor, COALESCE(e.action, '') AS action,
		COALESCE(e.from_status, '') AS from_status, COALESCE(e.to_status, '') AS to_status,
		COALESCE(e.note, '') AS note
		FROM returns r LEFT JOIN audit_events e ON e.return_id = r.id
		WHERE r.rma = CAST(? AS TEXT) ORDER BY e.id`, rma); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	events := make([]Event, 0, len(rows))
	for _, r := range rows {
		if r.At != nil {
			events = append(events, Event{At: r.At.UTC(), Actor: r.Actor, Action: r.Action, From: r.From, To: r.To, Note: r.Note})
		}
	}
	return events, nil
}

// addEvent appends to the audit log inside the caller's transaction, so that
// the log and the change it records commit or roll back together.
func addEvent(ctx context.Context, tx *sqlx.Tx, returnID int64, at time.Time, actor, action, from, to, note string) error {
	return run(ctx, tx, `INSERT INTO audit_events (return_id, at, actor, action,
		from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		returnID, at, actor, action, from, to, note)
}

// loadReturn reads one return with its items through q, in one query (and
// one more each for its exchange lines and its goodwill lines, when it has
// any: most returns have neither).
func loadReturn(ctx context.Context, q sqlx.ExtContext, rma string) (returns.Return, error) {
	// Read by position (queryRows), not by sqlx's reflection: this is every
	// status page's, label's and e-mail's read.
	var head returnRow
	found, hasGoodwill, hasExchanges := false, false, false
	qi := []returns.QuoteItem{}
	// CAST: see bound in store.go.
	const n = nReturnColumns
	err := queryRows(ctx, q, n+6, func(r row) error {
		if !found {
			found, head, hasGoodwill, hasExchanges = true, returnRowFrom(r), r.bool(n), r.bool(n+1)
		}
		if r[n+2] != nil { // a LEFT JOIN's item
			qi = append(qi, returns.QuoteItem{LineID: r.str(n + 3), Quantity: r.int(n + 4), Reason: r.str(n + 5)})
		}
		return nil
	}, returnColumns+`,
		EXISTS (SELECT 1 FROM goodwill g WHERE g.return_id = r.id) AS has_goodwill,
		EXISTS (SELECT 1 FROM return_exchanges x WHERE x.return_id = r.id) AS has_exchanges,
		ri.id AS item_row, COALESCE(ri.line_id, '') AS item_line_id,
		COALESCE(ri.quantity, 0) AS item_quantity, COALESCE(ri.reason, '') AS item_reason
		`+returnFrom+` LEFT JOIN return_items ri ON ri.return_id = r.id
		WHERE r.rma = CAST(? AS TEXT) ORDER BY ri.position`, rma)
	if err != nil {
		return returns.Return{}, err
	}
	if !found {
		return returns.Return{}, ErrNotFound
	}
	r, err := head.toReturn(qi)
	if err != nil {
		return r, err
	}
	if hasExchanges {
		if err := attachExchanges(ctx, q, &r); err != nil { // exchanges.go
			return returns.Return{}, err
		}
	}
	if !hasGoodwill {
		return r, nil
	}
	r.Goodwill, err = loadGoodwill(ctx, q, r.ID) // goodwill.go
	return r, err
}

func (row returnRow) toReturn(items []returns.QuoteItem) (returns.Return, error) {
	if items == nil {
		items = []returns.QuoteItem{}
	}
	r := returns.Return{
		ID:            row.ID,
		RMA:           row.RMA,
		OrderNumber:   row.OrderNumber,
		Status:        returns.Status(row.Status),
		Basis:         row.Basis,
		RefundMethod:  row.RefundMethod,
		Consent:       row.Consent,
		Comment:       row.Comment,
		BankIBAN:      row.BankIBAN,
		BankHolder:    row.BankHolder,
		PolicyVersion: row.PolicyVersion,
		Locale:        row.Locale,
		Gift:          row.GiftEmail != "",
		GiftEmail:     row.GiftEmail,
		Items:         items,
		CreatedAt:     row.CreatedAt.UTC(),
		UpdatedAt:     row.UpdatedAt.UTC(),
	}
	if err := json.Unmarshal([]byte(row.Quote), &r.Quote); err != nil {
		return returns.Return{}, fmt.Errorf("decode quote of %s: %w", row.RMA, err)
	}
	return r, nil
}

// canonicalRMA normalizes an RMA number as typed or scanned; input that
// cannot be an RMA is kept as is (and then simply finds nothing).
func canonicalRMA(rma string) string {
	if n, ok := returns.NormalizeRMA(rma); ok {
		return n
	}
	return rma
}
