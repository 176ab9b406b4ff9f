package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/analytics"
)

// Group commit. With synchronous=FULL every commit waits for the disk, and
// one writer commits one transaction at a time: under load, writes would
// queue behind each other's fsync. So the writes that queue up while a
// transaction runs share the next one: the committer runs them one after
// the other in one transaction, each in a savepoint of its own (a write
// that fails or panics is undone alone), commits once, and only then
// answers each of them. Every write still sees the ones before it (they run
// in turn, on the one writer connection) and is acknowledged only once it
// is on disk; a batch's commit failing fails all of its writes.
//
// The committer runs the writes' functions itself, one after the other:
// handing the transaction to each caller's goroutine and back would make
// the transaction wait, at every hand-over, for its turn on a CPU behind
// every other request's work. A function that panics is undone and its
// panic raised again on its caller's goroutine (WritePanic, with the stack
// where it happened).
//
// The report tables are written once per batch: a write through Tx adds
// what it changes of them to the batch's delta (Tx.flushAnalytics) instead
// of upserting its rows itself, and the committer writes the delta before
// the commit. The writes of a batch mostly count on the same rows (the same
// day, country, reason, category), so a batch of sixteen returns costs
// about the upserts of one. A write of any other kind may read or rewrite
// those tables (a recount), so the delta so far is written before it, in
// the transaction but outside any write's savepoint: undoing a write never
// undoes another's counts. Writing the delta failing fails the batch.

// maxBatch bounds the writes of one transaction, so that the first of them
// waits for its commit no longer than maxBatch writes take.
const maxBatch = 64

// errClosed answers writes after Close.
var errClosed = errors.New("store: closed")

// WritePanic is the value a write's caller panics with when the write's
// function panicked in the committer.
type WritePanic struct {
	Value any
	Stack []byte
}

func (p *WritePanic) Error() string {
	return fmt.Sprintf("panic in a write: %v\n\n%s", p.Value, p.Stack)
}

// writeReq is one write waiting for its turn.
type writeReq struct {
	ctx context.Context
	fn  func(tx *sqlx.Tx) error
	// counts: fn adds its changes of the report tables to the batch's
	// delta (committer.reports) instead of writing them.
	counts bool
	// done answers the write: fn's error, the commit's, or its panic.
	done chan writeResult
}

type writeResult struct {
	err      error
	panicked *WritePanic
}

// committer owns the writer connection's transactions.
type committer struct {
	w *pool
	// reports is what the running batch's writes add to the report tables
	// and has not been written yet; nil between batches.
	reports *analytics.Delta
	// writeReports writes a delta to the report tables (Tx.applyDelta).
	writeReports func(tx *sqlx.Tx, d *analytics.Delta) error
	incoming     chan *writeReq
	stop         chan struct{}
	stopped      chan struct{}
}

func newCommitter(w *pool, writeReports func(tx *sqlx.Tx, d *analytics.Delta) error) *committer {
	c := &committer{w: w, writeReports: writeReports, incoming: make(chan *writeReq, 1024),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// close stops the committer once the writes it has taken are answered.
func (c *committer) close() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.stopped
}

// write runs fn in a writer transaction and returns once that transaction
// committed (fn's error, the commit's error, or nil). counts: fn adds its
// changes of the report tables to batchReports instead of writing them.
func (c *committer) write(ctx context.Context, fn func(tx *sqlx.Tx) error, counts bool) error {
	req := &writeReq{ctx: ctx, fn: fn, counts: counts, done: make(chan writeResult, 1)}
	select {
	case c.incoming <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errClosed
	}
	// Once queued, the write is answered (the committer answers what it
	// took, even when it stops), so the caller waits whatever ctx does.
	var res writeResult
	select {
	case res = <-req.done:
	case <-c.stopped:
		select {
		case res = <-req.done:
		default:
			// Queued after the committer stopped.
			return errClosed
		}
	}
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

func (c *committer) run() {
	defer close(c.stopped)
	for {
		select {
		case first := <-c.incoming:
			c.batch(first)
		case <-c.stop:
			// Answer what was queued before the stop.
			for {
				select {
				case req := <-c.incoming:
					req.done <- writeResult{err: errClosed}
				default:
					return
				}
			}
		}
	}
}

// batch runs first and the writes that queue up meanwhile (at most
// maxBatch) in one transaction.
func (c *committer) batch(first *writeReq) {
	ctx := context.Background()
	// Other users of the writer connection (single statements outside a
	// transaction, the migrations) wait between batches.
	_, _ = c.w.enter(ctx)
	defer c.w.leave()
	tx, err := c.w.BeginTxx(ctx, nil)
	if err != nil {
		first.done <- writeResult{err: err}
		return
	}
	c.reports = analytics.NewDelta()
	defer func() { c.reports = nil }()
	var committed []*writeReq
	fail := func(err error) {
		_ = tx.Rollback()
		for _, r := range committed {
			r.done <- writeResult{err: err}
		}
	}
	n := 0
	for req := first; req != nil; req = c.next(n) {
		n++
		if err := req.ctx.Err(); err != nil {
			// Its caller is gone; nothing was written for it.
			req.done <- writeResult{err: err}
			continue
		}
		if !req.counts {
			if err := c.flushReports(tx); err != nil {
				req.done <- writeResult{err: err}
				fail(err)
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT write`); err != nil {
			req.done <- writeResult{err: err}
			fail(err)
			return
		}
		res := call(tx, req.fn)
		if res.err != nil || res.panicked != nil {
			// Undo what it wrote; its caller gets its error now.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO write`); err != nil {
				// SQLite may have rolled back the whole transaction itself
				// (a full disk, an I/O error): the batch's other writes are
				// told the cause first, so that a storage fault reads as one
				// (health.go).
				req.done <- res
				cause := res.err
				if cause == nil {
					cause = res.panicked
				}
				fail(fmt.Errorf("store: a write in the same transaction failed: %w (undoing it: %w)", cause, err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE write`); err != nil {
			if res.err == nil && res.panicked == nil {
				res.err = err
			}
			req.done <- res
			fail(err)
			return
		}
		if res.err != nil || res.panicked != nil {
			req.done <- res
			continue
		}
		committed = append(committed, req)
	}
	if err := c.flushReports(tx); err != nil {
		fail(err)
		return
	}
	err = tx.Commit()
	for _, r := range committed {
		r.done <- writeResult{err: err}
	}
}

// batchReports is the running batch's delta of the report tables, for the
// write that the committer runs now to add its own to.
func (c *committer) batchReports() *analytics.Delta { return c.reports }

// flushReports writes the batch's delta so far, outside any write's
// savepoint; a panic becomes its error.
func (c *committer) flushReports(tx *sqlx.Tx) error {
	d := c.reports
	d.Prune()
	if d.Empty() {
		return nil
	}
	c.reports = analytics.NewDelta()
	res := call(tx, func(tx *sqlx.Tx) error { return c.writeReports(tx, d) })
	if res.panicked != nil {
		return res.panicked
	}
	if res.err != nil {
		return fmt.Errorf("store: report tables: %w", res.err)
	}
	return nil
}

// call calls fn, catching its panic.
func call(tx *sqlx.Tx, fn func(tx *sqlx.Tx) error) (res writeResult) {
	defer func() {
		if r := recover(); r != nil {
			res = writeResult{panicked: &WritePanic{Value: r, Stack: debug.Stack()}}
		}
	}()
	return writeResult{err: fn(tx)}
}

// next is the next queued write for the running batch, nil when none is
// waiting or the batch is full.
//
// When none is queued, the committer first lets the goroutines that are
// ready to run have the CPU once (runtime.Gosched), and looks again. The
// requests that the last commit answered, and those that arrived while it
// waited for the disk, are typically such goroutines, a few microseconds of
// work away from queuing their own write; without the pause a busy server's
// batches held 1.6 writes on average (compare.sh's creations on one core),
// each paying a commit's log writes and fsync, and with it 2.0-2.7, p99 at
// 16 clients 75-85 → 43 ms, at 64 clients ~400 → 70-105 ms. An idle server
// has no goroutine waiting to run: the pause costs it nothing.
func (c *committer) next(n int) *writeReq {
	if n >= maxBatch {
		return nil
	}
	if len(c.incoming) == 0 {
		runtime.Gosched()
	}
	select {
	case req := <-c.incoming:
		return req
	default:
		return nil
	}
}
