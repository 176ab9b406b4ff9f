package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// claimDue is the claim the workers share (outbox, carrier jobs): it leases
// to owner until now+lease up to limit rows of table whose status is
// pending, due at now and not leased (or whose lease lapsed), oldest due
// first, narrowed by extra (" AND ..." with its arguments, slices expanded),
// and reads the claimed rows with read in the same transaction. On SQLite
// the one writer makes the claim exclusive; on PostgreSQL the SELECT takes
// FOR UPDATE SKIP LOCKED (dialect.claimLock), so that instances never wait
// for each other's rows nor claim the same one.
func (s *Store) claimDue(ctx context.Context, table, pending string, now time.Time, lease time.Duration, limit int,
	owner, extra string, extraArgs []any, read func(tx *sqlx.Tx, ids []int64) error) error {
	return s.writeAt(ctx, s.d.claim, func(tx *sqlx.Tx) error {
		args := append(append([]any{pending, now, now}, extraArgs...), limit)
		q, args, err := sqlx.In(`SELECT id FROM `+table+` WHERE status = ? AND due_at <= ?
			AND (lease_until IS NULL OR lease_until <= ?)`+extra+` ORDER BY due_at, id LIMIT ?`+s.d.claimLock, args...)
		if err != nil {
			return err
		}
		var ids []int64
		if err := sel(ctx, tx, &ids, q, args...); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		q, args, err = sqlx.In(`UPDATE `+table+` SET lease_owner = ?, lease_until = ? WHERE id IN (?)`,
			owner, dbTime(now.Add(lease)), ids)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, q, args...); err != nil {
			return err
		}
		return read(tx, ids)
	})
}
