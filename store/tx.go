package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/analytics"
)

// Tx is one writer transaction in which a use case makes its changes, all
// of which commit or roll back together (Write). The changes that decide
// about orders, policies and returns are methods of Tx, so that a caller can
// join them with more rows of its own in the same transaction; each has a
// Store method of the same name that runs it alone.
//
// A Tx is only valid inside the function passed to Write. The Store's read
// methods, called meanwhile, read through the read pool: they see what was
// committed before, not the transaction's own changes.
type Tx struct {
	ctx context.Context
	tx  *sqlx.Tx
	s   *Store
	// enqueued counts the outbox rows written (Enqueue), so that the caller
	// can wake the outbox worker once they are committed.
	enqueued int
	// jobs counts the carrier jobs written (EnqueueJob, CreateShipment,
	// RetryJob), so that the caller can wake the carrier worker.
	jobs int
	// tracked is what the reports counted of the returns and orders the
	// transaction changes, before it changed them (analytics_track.go).
	tracked *tracked
	// uncounted: the write's changes are left out of the report tables
	// (Uncounted).
	uncounted bool
	// reports, when set, is the batch's delta of the report tables: the
	// write's changes are added to it, and the committer writes it once for
	// the batch (commit.go).
	reports *analytics.Delta
}

// Uncounted leaves this write's changes out of the report tables: a bulk
// import that recounts them once at the end (StaleReports, then
// RebuildAnalytics) instead of adding each order to every rollup as it
// goes. Called before the write changes anything.
func (t *Tx) Uncounted() { t.uncounted = true }

// Enqueued is the number of outbox rows the transaction has written.
func (t *Tx) Enqueued() int { return t.enqueued }

// Jobs is the number of carrier jobs the transaction has written.
func (t *Tx) Jobs() int { return t.jobs }

// Write runs fn in one writer transaction: committed when fn returns nil,
// rolled back otherwise (and when fn panics). The transaction holds
// SQLite's write lock from its start, so what fn reads stays true until it
// commits. fn must not call Store methods that write: they would wait for
// the one writer connection that fn holds.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	// The statements are not cancelled with ctx: SQLite rolls back the
	// whole transaction when a write statement in it is interrupted, and
	// the transaction may hold other callers' writes (commit.go).
	sctx := context.WithoutCancel(ctx)
	counted := func(tx *sqlx.Tx) error {
		// One Tx per write: its outbox count and analytics tracking are
		// this write's alone, flushed inside its own savepoint — into the
		// batch's delta of the report tables on SQLite (commit.go).
		t := &Tx{ctx: sctx, tx: tx, s: s}
		if s.commits != nil {
			t.reports = s.commits.batchReports()
		}
		if err := fn(t); err != nil {
			return err
		}
		return t.flushAnalytics()
	}
	return s.writeCounting(ctx, s.d.write, counted, true)
}

// do runs the statements of one operation in the transaction, naming the
// operation in its error.
func (t *Tx) do(op string, fn func(ctx context.Context, tx *sqlx.Tx) error) error {
	if err := fn(t.ctx, t.tx); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return nil
}
