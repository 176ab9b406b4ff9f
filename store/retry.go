package store

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"
)

// writeAttempts bounds how often a refused transaction runs: under heavy
// contention on one row (fifty refunds of one return at once) SERIALIZABLE
// refuses most of them at first; each retry waits longer, with jitter, so
// that they do not collide again in step.
const writeAttempts = 12

// retryPause waits before the next attempt: 2 ms doubling, capped at
// 200 ms, times a random factor in [0.5, 1.5).
func retryPause(ctx context.Context, attempt int) error {
	d := min(2*time.Millisecond<<(attempt-1), 200*time.Millisecond)
	d = time.Duration(float64(d) * (0.5 + rand.Float64()))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// writeAt is write at the given isolation (dialect.go says which use needs
// which). On SQLite every write goes through the committer (commit.go),
// whose one connection serializes them whatever opts says. On PostgreSQL a
// transaction the engine refused for its concurrency (a serialization
// failure or a deadlock) runs again, from the start: fn must not have done
// anything outside the transaction.
func (s *Store) writeAt(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	return s.writeCounting(ctx, opts, fn, false)
}

// writeCounting is writeAt; counts: fn adds its changes of the report
// tables to the committer's batch (committer.batchReports) instead of
// writing them, as Store.Write's do.
func (s *Store) writeCounting(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error, counts bool) (err error) {
	defer func() { // health.go
		err = storageError(err)
		s.faults.note(err, s.now())
	}()
	if s.commits != nil {
		return s.commits.write(ctx, fn, counts)
	}
	for attempt := 1; ; attempt++ {
		err = s.writeOnce(ctx, opts, fn)
		if err == nil || attempt == writeAttempts || !s.d.retryable(err) {
			return err
		}
		if werr := retryPause(ctx, attempt); werr != nil {
			return errors.Join(err, werr)
		}
	}
}

// writeOnce runs fn in one transaction of its own on the writer pool,
// outside the committer (Copy's bulk load, PostgreSQL's writes). The
// rollback is deferred so that it also runs when fn panics.
func (s *Store) writeOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	ctx, err := s.w.enter(ctx)
	if err != nil {
		return err
	}
	defer s.w.leave()
	tx, err := s.w.BeginTxx(ctx, opts)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	done = true
	return tx.Commit()
}
