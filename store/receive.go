package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Receive marks a return's parcel as arrived (approved → received; a
// return paid back before its parcel came → closed: returns.ReceiveTarget),
// records when, and recomputes the legal refund deadline where it runs from the
// arrival. A refusal (unknown RMA: ErrNotFound; any other status: ErrConflict
// wrapping returns.ErrTransition) comes with the return as it is, so the
// caller can say why (already received, cancelled...).
func (s *Store) Receive(ctx context.Context, rma, actor string) (out returns.Return, err error) {
	err = s.Write(ctx, func(t *Tx) error { out, err = t.Receive(rma, actor); return err })
	return out, err
}

// Receive is Store.Receive in the transaction.
func (t *Tx) Receive(rma, actor string) (returns.Return, error) {
	var out returns.Return
	err := t.do(fmt.Sprintf("receive %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		rc, err := loadReturnContext(ctx, tx, rma)
		if err != nil {
			return err
		}
		out = rc.r
		if err := t.trackReturn(ctx, tx, rc.r.ID); err != nil {
			return err
		}
		now := t.s.stamp()
		var arrived *time.Time
		if err := get(ctx, tx, &arrived, `SELECT received_at FROM returns WHERE id = ?`, rc.r.ID); err != nil {
			return err
		}
		// An approved return is received; one paid back before its parcel
		// came (a refund trigger) is closed by the arrival.
		to, refusal := returns.ReceiveTarget(rc.r.Status, arrived != nil)
		if refusal != "" {
			to = returns.StatusReceived // refused by the machine with the usual error
		}
		if err := moveStatus(ctx, tx, rc.r, to, now, actor, ""); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `UPDATE returns SET received_at = ? WHERE id = ?`, now, rc.r.ID); err != nil {
			return err
		}
		if err := setRefundDue(ctx, tx, t.s.legal, rc.r.ID, rc.order, rc.policy, rc.r.Basis, rc.r.CreatedAt, &now); err != nil {
			return err
		}
		out, err = loadReturn(ctx, tx, rc.r.RMA)
		return err
	})
	return out, err
}
