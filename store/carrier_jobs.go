package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Carrier jobs (migration 00014): what the carrier worker does outside any
// transaction, written in the transaction of the change that calls for it
// and claimed under a lease, as the outbox is.

// Kinds of carrier jobs.
const (
	JobLabel  = "label"  // buy the return's label
	JobVoid   = "void"   // void its unused label
	JobRefund = "refund" // pay the return back on a refund trigger (payload: the trigger)
)

// States of a carrier job.
const (
	JobPending   = "pending"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// CarrierJob is a job as stored, with its return's RMA.
type CarrierJob struct {
	ID         int64      `db:"id"`
	ReturnID   int64      `db:"return_id"`
	RMA        string     `db:"rma"`
	Kind       string     `db:"kind"`
	Status     string     `db:"status"`
	Payload    string     `db:"payload"`
	Attempts   int        `db:"attempts"`
	DueAt      time.Time  `db:"due_at"`
	LeaseUntil *time.Time `db:"lease_until"`
	LastError  string     `db:"last_error"`
	CreatedAt  time.Time  `db:"created_at"`
	UpdatedAt  time.Time  `db:"updated_at"`
}

func (j *CarrierJob) utc() {
	j.DueAt, j.CreatedAt, j.UpdatedAt, j.LeaseUntil = j.DueAt.UTC(), j.CreatedAt.UTC(), j.UpdatedAt.UTC(), utcPtr(j.LeaseUntil)
}

const jobSelect = `SELECT j.id, j.return_id, r.rma, j.kind, j.status, j.payload, j.attempts, j.due_at, j.lease_until,
	j.last_error, j.created_at, j.updated_at FROM carrier_jobs j JOIN returns r ON r.id = j.return_id`

// enqueueJob writes a job unless the return has one of the kind already
// (whatever its state: a trigger that fires twice is one job); it reports
// whether it wrote one.
func enqueueJob(ctx context.Context, tx *sqlx.Tx, returnID int64, kind, payload string, now time.Time) (bool, error) {
	res, err := exec(ctx, tx, `INSERT INTO carrier_jobs (return_id, kind, status, payload, due_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (return_id, kind) DO NOTHING`,
		returnID, kind, JobPending, payload, now, now, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EnqueueJob writes a carrier job in the transaction (none when the return
// has one of the kind already) and reports whether it wrote one.
func (t *Tx) EnqueueJob(returnID int64, kind, payload string) (bool, error) {
	var wrote bool
	err := t.do("enqueue "+kind+" job", func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		wrote, err = enqueueJob(ctx, tx, returnID, kind, payload, t.s.stamp())
		if wrote {
			t.jobs++
		}
		return err
	})
	return wrote, err
}

// Job loads a return's job of a kind, in the transaction.
func (t *Tx) Job(returnID int64, kind string) (j CarrierJob, ok bool, err error) {
	err = t.do("job", func(ctx context.Context, tx *sqlx.Tx) error {
		return get(ctx, tx, &j, jobSelect+` WHERE j.return_id = ? AND j.kind = ?`, returnID, kind)
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return CarrierJob{}, false, nil
	case err != nil:
		return CarrierJob{}, false, err
	}
	j.utc()
	return j, true, nil
}

// Jobs lists a return's jobs, for staff.
func (s *Store) Jobs(ctx context.Context, rma string) ([]CarrierJob, error) {
	var out []CarrierJob
	if err := sel(ctx, s.r, &out, jobSelect+` WHERE r.rma = ? ORDER BY j.id`, canonicalRMA(rma)); err != nil {
		return nil, fmt.Errorf("store: jobs of %q: %w", rma, err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// ClaimJobs leases up to limit due pending jobs to owner until now+lease,
// oldest due first (claimDue says how instances share them).
func (s *Store) ClaimJobs(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]CarrierJob, error) {
	now = dbTime(now)
	var out []CarrierJob
	err := s.claimDue(ctx, "carrier_jobs", JobPending, now, lease, limit, owner, "", nil, func(tx *sqlx.Tx, ids []int64) error {
		q, args, err := sqlx.In(jobSelect+` WHERE j.id IN (?) ORDER BY j.due_at, j.id`, ids)
		if err != nil {
			return err
		}
		return sel(ctx, tx, &out, q, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim carrier jobs: %w", err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// JobResult is the outcome of one attempt at a claimed job.
type JobResult struct {
	// Status is the job's new state: JobPending to try again at DueAt, or
	// done, failed, cancelled.
	Status string
	DueAt  time.Time
	// Counts: the attempt counts toward the job's schedule.
	Counts bool
	Error  string
}

// FinishJob records an attempt at a job leased to owner, with more
// changes of the same transaction (also, may be nil: the label recorded,
// the shipment's state), and releases the lease. A lease that passed to
// another worker is ErrLeaseLost and changes nothing.
func (s *Store) FinishJob(ctx context.Context, id int64, owner string, r JobResult, also func(*Tx) error) error {
	err := s.Write(ctx, func(t *Tx) error {
		return t.do("finish job", func(ctx context.Context, tx *sqlx.Tx) error {
			counts := 0
			if r.Counts {
				counts = 1
			}
			res, err := exec(ctx, tx, `UPDATE carrier_jobs SET status = ?, due_at = COALESCE(?, due_at), attempts = attempts + ?,
				last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?`,
				r.Status, dueOrNil(r.DueAt), counts, truncate(r.Error, 1000), s.stamp(), id, owner)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return ErrLeaseLost
			}
			if also != nil {
				return also(t)
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("store: finish carrier job %d: %w", id, err)
	}
	return nil
}

// RetryJob puts a failed job back to be tried at once with a fresh
// schedule; ErrConflict when the job is not failed.
func (t *Tx) RetryJob(returnID int64, kind string) error {
	return t.do("retry "+kind+" job", func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		res, err := exec(ctx, tx, `UPDATE carrier_jobs SET status = ?, attempts = 0, due_at = ?, last_error = '', updated_at = ?
			WHERE return_id = ? AND kind = ? AND status = ?`, JobPending, now, now, returnID, kind, JobFailed)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("%w: no failed %s job", ErrConflict, kind)
		}
		t.jobs++
		return nil
	})
}
