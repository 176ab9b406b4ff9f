package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// pool is one of the store's connection pools (the writer, or the read pool)
// with a first-come, first-served queue in front of it.
//
// database/sql hands a connection that comes free to an arbitrary waiting
// goroutine, not to the one that has waited longest: under load a few
// requests lose that draw again and again and wait for seconds while the
// median stays at milliseconds. Here at most as many callers as the pool has
// connections go on into database/sql, which then always has one free; the
// others wait on a channel, whose waiters are served in the order they
// came.
type pool struct {
	*sqlx.DB
	turns chan struct{}
	// beginRead starts a read transaction of one snapshot on a connection
	// of the pool (inReadTx): SQLite's deferred BEGIN reads one WAL
	// snapshot; PostgreSQL needs REPEATABLE READ for that.
	beginRead string
	// lines caches the lines of the orders read through the pool
	// (order_lines_cache.go).
	lines *lineCache
}

func newPool(db *sqlx.DB, conns int) *pool {
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return &pool{DB: db, turns: make(chan struct{}, conns), beginRead: `BEGIN`, lines: newLineCache()}
}

// enter waits for a connection of its own, in turn, or for ctx to end,
// and returns the context for the statements: ctx without its
// cancellation. The statements of a turn are short, and a cancellable
// context costs each one a goroutine (mattn/go-sqlite3 runs an Exec, and so
// every BEGIN, in one of its own to be able to interrupt it; database/sql
// watches a transaction's context in another). Under load those goroutines
// outnumber the requests, and with few cores the scheduler's queue holds
// requests back for a second and more (the c64 tails of compare.sh).
func (p *pool) enter(ctx context.Context) (context.Context, error) {
	select {
	case p.turns <- struct{}{}:
		return context.WithoutCancel(ctx), nil
	default:
	}
	select {
	case p.turns <- struct{}{}:
		return context.WithoutCancel(ctx), nil
	case <-ctx.Done():
		return ctx, ctx.Err()
	}
}

// leave gives the turn to the next caller in the queue.
func (p *pool) leave() { <-p.turns }
