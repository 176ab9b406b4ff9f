package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
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
// Each write's function runs on its caller's goroutine (the committer
// hands the transaction over and waits), so that a panic unwinds the
// caller, as before, after its savepoint was rolled back.

// maxBatch bounds the writes of one transaction, so that the first of them
// waits for its commit no longer than maxBatch writes take.
const maxBatch = 64

// errPanicked is what a write whose function panicked hands back.
var errPanicked = errors.New("store: write panicked")

// errClosed answers writes after Close.
var errClosed = errors.New("store: closed")

// writeReq is one write waiting for its turn.
type writeReq struct {
	fn func(tx *sqlx.Tx) error
	// turn hands the caller the batch's transaction (or why there is none).
	turn chan turnMsg
	// ran hands back fn's result.
	ran chan error
	// done is the commit's result, for a write whose fn succeeded.
	done chan error
}

type turnMsg struct {
	tx  *sqlx.Tx
	err error
}

// committer owns the writer connection's transactions.
type committer struct {
	w        *pool
	incoming chan *writeReq
	stop     chan struct{}
	stopped  chan struct{}
}

func newCommitter(w *pool) *committer {
	c := &committer{w: w, incoming: make(chan *writeReq, 1024),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// close stops the committer once the writes it has begun are answered.
func (c *committer) close() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.stopped
}

// write runs fn in a writer transaction and returns once that transaction
// committed (fn's error, the commit's error, or nil).
func (c *committer) write(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	req := &writeReq{fn: fn, turn: make(chan turnMsg, 1), ran: make(chan error, 1), done: make(chan error, 1)}
	select {
	case c.incoming <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errClosed
	}
	// Once queued, the turn comes (the committer answers every write it
	// takes), so the caller waits for it even if ctx ends meanwhile.
	var m turnMsg
	select {
	case m = <-req.turn:
	case <-c.stopped:
		return errClosed
	}
	if m.err != nil {
		return m.err
	}
	if err := ctx.Err(); err != nil {
		req.ran <- err
		return err
	}
	returned := false
	defer func() {
		if !returned {
			// fn panicked: the committer undoes its savepoint while the
			// panic goes on up the caller's stack.
			req.ran <- errPanicked
		}
	}()
	err := fn(m.tx)
	returned = true
	req.ran <- err
	if err != nil {
		return err
	}
	return <-req.done
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
					req.turn <- turnMsg{err: errClosed}
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
	_ = c.w.enter(ctx)
	defer c.w.leave()
	tx, err := c.w.BeginTxx(ctx, nil)
	if err != nil {
		first.turn <- turnMsg{err: err}
		return
	}
	var committed []*writeReq
	fail := func(err error) {
		_ = tx.Rollback()
		for _, r := range committed {
			r.done <- err
		}
	}
	n := 0
	for req := first; req != nil; req = c.next(n) {
		n++
		if _, err := tx.ExecContext(ctx, `SAVEPOINT write`); err != nil {
			req.turn <- turnMsg{err: err}
			fail(err)
			return
		}
		req.turn <- turnMsg{tx: tx}
		ranErr := <-req.ran
		if ranErr != nil {
			// Its caller has its error; undo what it wrote.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO write`); err != nil {
				fail(fmt.Errorf("store: undo a failed write: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE write`); err != nil {
			if ranErr == nil {
				req.done <- err
			}
			fail(err)
			return
		}
		if ranErr == nil {
			committed = append(committed, req)
		}
	}
	err = tx.Commit()
	for _, r := range committed {
		r.done <- err
	}
}

// next is the next queued write for the running batch, nil when none is
// waiting or the batch is full.
func (c *committer) next(n int) *writeReq {
	if n >= maxBatch {
		return nil
	}
	select {
	case req := <-c.incoming:
		return req
	default:
		return nil
	}
}
