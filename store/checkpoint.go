package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// Checkpoints. In WAL mode the log is copied back into the database file
// by a checkpoint, which SQLite runs by itself in the commit that makes the
// log pass 1000 pages: that commit, and with group commit every write
// queued behind it, then waits for the copy and its fsync. Here no
// connection checkpoints by itself (wal_autocheckpoint=0 on every
// connection of the driver below), and a connection of its own checkpoints
// in the background, beside the writer (PASSIVE: it waits for no reader and
// no writer). Closing the store checkpoints what is left.

// driverName is mattn/go-sqlite3 with the pragmas every connection of the
// store needs besides those its DSN sets; writerDriverName adds the
// writer's own.
const (
	driverName       = "sqlite3_returns"
	writerDriverName = "sqlite3_returns_writer"
)

// writerPragmas keep the writer's statement journal in memory. Every write
// of a group commit runs in a savepoint (commit.go), and a savepoint
// journals the pages it changes: past 64 KiB (a creation changes the
// return's row and its dozen indexes, items, events, outbox rows) SQLite
// spills that journal to a temporary file, and from then on every changed
// page of every write cost a pwrite of its own — more bytes than the
// log's. In memory it takes a few hundred KiB at most (one write's pages),
// truncated at every release. Readers keep the default: their temporary
// b-trees (large sorts) may spill to a file.
const writerPragmas = "PRAGMA temp_store = MEMORY"

func init() {
	register := func(name, pragmas string) {
		sql.Register(name, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA wal_autocheckpoint = 0"+pragmas, nil)
			return err
		}})
		sqlx.BindDriver(name, sqlx.QUESTION)
	}
	register(driverName, "")
	register(writerDriverName, "; "+writerPragmas)
}

// checkpointEvery is how often the background checkpoint runs: often
// enough that the log stays a few megabytes under a steady write load.
const checkpointEvery = 250 * time.Millisecond

// checkpointer runs the background checkpoints on a connection of its own.
type checkpointer struct {
	db      *sqlx.DB
	stop    chan struct{}
	stopped chan struct{}
}

func startCheckpointer(db *sqlx.DB) *checkpointer {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			// A failed checkpoint is tried again at the next tick; the
			// log only grows meanwhile.
			_, _ = c.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// close stops the checkpoints and checkpoints what is left.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.stopped
	_, err := c.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
	return errors.Join(err, c.db.Close())
}
