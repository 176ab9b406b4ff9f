package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// setRefundDue stores a return's legal refund deadline (returns.RefundDeadline)
// and the instant it becomes overdue, and the hub the parcel goes to, as
// copies for the queue.
func setRefundDue(ctx context.Context, tx *sqlx.Tx, legal *returns.Legal, returnID int64, o returns.Order, p returns.Policy,
	basis string, requested time.Time, received *time.Time) error {
	d := refundDueOf(legal, o, p, basis, requested, received)
	_, err := exec(ctx, tx, `UPDATE returns SET ship_country = ?, hub = ?, refund_due = ?, refund_overdue_at = ?
		WHERE id = ?`, d.country, d.hub, d.due, d.overdue, returnID)
	return err
}

// refundDue is what setRefundDue stores: the destination, the hub, the
// deadline and the instant it is overdue (nil when the law sets none).
type refundDue struct {
	country, hub string
	due, overdue any
}

func refundDueOf(legal *returns.Legal, o returns.Order, p returns.Policy, basis string, requested time.Time, received *time.Time) refundDue {
	// The hub is the effective policy's for the destination under p, the
	// return's own policy version (the queue's hub filter).
	d := refundDue{country: o.ShippingAddress.Country, hub: p.Effective(legal, o.ShippingAddress.Country).Hub}
	if due := returns.RefundDeadline(o, p, legal, basis, requested, received); due != nil {
		d.due = due.String()
		d.overdue = dbTime(returns.OverdueFrom(*due, o.ShippingAddress.Country, o.ShippingAddress.Region))
	}
	return d
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
