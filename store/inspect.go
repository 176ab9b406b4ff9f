package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Inspection is staff's verdict on one item, as stored.
type Inspection struct {
	LineID    string    `json:"line_id" db:"line_id"`
	Accepted  int       `json:"accepted_quantity" db:"accepted_quantity"`
	Condition string    `json:"condition" db:"item_condition"`
	Notes     string    `json:"notes" db:"notes"`
	Actor     string    `json:"actor" db:"actor"`
	At        time.Time `json:"at" db:"created_at"`
}

// RequoteFunc recomputes a return's quote at inspection from the order, the
// policy version the return was decided under, what the order's earlier
// returns hold (not this one) and the accepted units per line.
type RequoteFunc func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, accepted map[string]int) (returns.Quote, error)

// Inspect records staff's verdict on every item of a received return, replaces
// its quote by the one requote computes for the accepted units (the shopper's
// quote is kept as the original) and moves it to inspected, all in one
// transaction with the audit event.
func (s *Store) Inspect(ctx context.Context, rma, actor string, items []returns.InspectedItem, requote RequoteFunc) (out returns.Return, err error) {
	err = s.Write(ctx, func(t *Tx) error { out, err = t.Inspect(rma, actor, items, requote); return err })
	return out, err
}

// Inspect is Store.Inspect in the transaction.
func (t *Tx) Inspect(rma, actor string, items []returns.InspectedItem, requote RequoteFunc) (returns.Return, error) {
	var out returns.Return
	err := t.do(fmt.Sprintf("inspect %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
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
		if err := t.trackReturn(ctx, tx, rc.r.ID); err != nil {
			return err
		}
		now := t.s.stamp()
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
		return returns.Return{}, err
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
		WHERE r.order_id = CAST(? AS BIGINT) AND r.id < CAST(? AS BIGINT) AND r.status NOT IN (?, ?)
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
	var err error
	h.UnitsExchanged, err = exchangedBefore(ctx, q, orderID, returnID) // exchanges.go
	return h, err
}
