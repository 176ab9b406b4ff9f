package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// ActionGoodwill records a goodwill grant in the audit log; the note holds
// the amount, the line and the admin's reason.
const ActionGoodwill = "goodwill"

// GoodwillFunc validates a goodwill grant against the return and its order
// as they are inside the transaction (returns.CheckGoodwill).
type GoodwillFunc func(o returns.Order, r returns.Return) error

// AddGoodwill grants goodwill on a return: check decides against the return
// as stored, then the goodwill line and its audit event (actor and reason)
// are written in one transaction. The refund pays it (returns.DecideRefund).
func (s *Store) AddGoodwill(ctx context.Context, rma, actor string, g returns.GoodwillRequest, check GoodwillFunc) (out returns.Goodwill, err error) {
	err = s.Write(ctx, func(t *Tx) error { out, err = t.AddGoodwill(rma, actor, g, check); return err })
	return out, err
}

// AddGoodwill is Store.AddGoodwill in the transaction.
func (t *Tx) AddGoodwill(rma, actor string, g returns.GoodwillRequest, check GoodwillFunc) (returns.Goodwill, error) {
	var out returns.Goodwill
	err := t.do(fmt.Sprintf("goodwill on %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		rc, err := loadReturnContext(ctx, tx, rma)
		if err != nil {
			return err
		}
		if err := check(rc.order, rc.r); err != nil {
			return err
		}
		// A claimed refund pays what was decided at the claim: goodwill
		// granted after it would be shown and never paid.
		if claimed, err := hasRefund(ctx, tx, rc.r.ID); err != nil {
			return err
		} else if claimed {
			return fmt.Errorf("%w: the refund is already claimed", ErrConflict)
		}
		now := t.s.stamp()
		out = returns.Goodwill{LineID: g.LineID, Amount: g.Amount, Currency: rc.r.Quote.Currency,
			Reason: strings.TrimSpace(g.Reason), Actor: actor, At: now}
		if _, err := exec(ctx, tx, `INSERT INTO goodwill (return_id, line_id, amount, currency, reason,
			actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			rc.r.ID, out.LineID, out.Amount, out.Currency, out.Reason, actor, now); err != nil {
			return err
		}
		note := strconv.FormatInt(out.Amount, 10) + " " + out.Currency
		if out.LineID != "" {
			note += " " + out.LineID
		}
		return addEvent(ctx, tx, rc.r.ID, now, actor, ActionGoodwill, "", "", note+": "+out.Reason)
	})
	if err != nil {
		return returns.Goodwill{}, err
	}
	return out, nil
}

// loadGoodwill reads a return's goodwill lines, oldest first (nil: none).
func loadGoodwill(ctx context.Context, q sqlx.ExtContext, returnID int64) ([]returns.Goodwill, error) {
	var rows []struct {
		LineID   string    `db:"line_id"`
		Amount   int64     `db:"amount"`
		Currency string    `db:"currency"`
		Reason   string    `db:"reason"`
		Actor    string    `db:"actor"`
		At       time.Time `db:"created_at"`
	}
	if err := sel(ctx, q, &rows, `SELECT line_id, amount, currency, reason, actor, created_at
		FROM goodwill WHERE return_id = CAST(? AS BIGINT) ORDER BY id`, returnID); err != nil {
		return nil, err
	}
	var out []returns.Goodwill // nil without goodwill, like a new return's
	for _, r := range rows {
		out = append(out, returns.Goodwill{LineID: r.LineID, Amount: r.Amount, Currency: r.Currency,
			Reason: r.Reason, Actor: r.Actor, At: r.At.UTC()})
	}
	return out, nil
}

// refundedBefore is what the order's refunds other than returnID's paid back
// by the rules (amount: without bonus and goodwill), in any state (a
// pending or failed one may still pay), plus the refunds made in the shop
// itself (external_refunds), for returns.CheckRefundCap.
func refundedBefore(ctx context.Context, q sqlx.ExtContext, orderID, returnID int64) (int64, error) {
	var n int64
	err := get(ctx, q, &n, `SELECT COALESCE(SUM(f.amount), 0) FROM refunds f
		JOIN returns r ON r.id = f.return_id WHERE r.order_id = CAST(? AS BIGINT) AND f.return_id <> CAST(? AS BIGINT)`, orderID, returnID)
	if err != nil {
		return 0, err
	}
	var ext int64
	err = get(ctx, q, &ext, `SELECT COALESCE(SUM(amount), 0) FROM external_refunds WHERE order_id = ?`, orderID)
	return n + ext, err
}

// goodwillNote is the audit note's mention of goodwill paid with a refund.
func goodwillNote(amount int64) string {
	if amount <= 0 {
		return ""
	}
	return " (goodwill " + strconv.FormatInt(amount, 10) + ")"
}

// GoodwillReturns reports which of the given returns (by id) carry
// goodwill, for the queue's override badge.
func (s *Store) GoodwillReturns(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT DISTINCT return_id FROM goodwill WHERE return_id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	var found []int64
	if err := sel(ctx, s.r, &found, query, args...); err != nil {
		return nil, fmt.Errorf("store: goodwill of returns: %w", err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}
