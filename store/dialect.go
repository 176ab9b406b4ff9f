package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
)

// dialect is what differs between the two engines the store runs on, in
// one place per engine (dialect_sqlite.go, dialect_postgres.go): the
// migrations, the few SQL functions the reports' rebuild needs, how a claim
// locks its rows, the isolation of each kind of transaction and which
// errors mean "try again" or "the storage refused". Every other statement
// is written once, in SQL both engines accept, with `?` placeholders that
// sqlx rebinds ($1, $2, ... on PostgreSQL).
type dialect struct {
	name       string
	goose      goose.Dialect
	migrations fs.FS

	// write is the isolation of Store.Write and of the store's own
	// read-then-write transactions: every operation of Tx decides on what
	// it read (units left, a status, a refund's existence), so what it read
	// must stay true until it commits. SQLite gives that by taking the one
	// write lock at BEGIN (_txlock=immediate); PostgreSQL by SERIALIZABLE,
	// whose refusals (40001, 40P01) write retries.
	write *sql.TxOptions
	// claim is the isolation of the workers' claims (outbox, refunds):
	// READ COMMITTED on PostgreSQL with claimLock, so that instances skip
	// each other's rows instead of failing serialization; on SQLite the
	// one writer makes the claim exclusive.
	claim *sql.TxOptions
	// claimLock ends a claim's SELECT: " FOR UPDATE SKIP LOCKED" on
	// PostgreSQL, nothing on SQLite (the lease written in the same
	// transaction is the lock).
	claimLock string
	// snapshot is the isolation of a read of several statements that must
	// agree with each other (a return's record, an order's history).
	snapshot *sql.TxOptions

	// epochSeconds is a stored instant as whole seconds since 1970 (UTC).
	epochSeconds func(col string) string
	// greatest is the function of the larger of two values (SQLite's
	// scalar MAX, PostgreSQL's GREATEST).
	greatest string
	// jsonInt is the integer at key of a JSON text column (0 if absent is
	// the caller's COALESCE).
	jsonInt func(col, key string) string

	// retryable reports a refusal that the same transaction, run again,
	// may not meet (a serialization failure, a deadlock).
	retryable func(error) bool
	// storageFault names the storage's refusal behind err (full,
	// read-only, failed), or nil.
	storageFault func(error) error
	// unique reports a UNIQUE constraint's refusal.
	unique func(error) bool
	// afterCopy runs in Copy's transaction once the rows are in (nil:
	// nothing to do).
	afterCopy func(ctx context.Context, tx *sqlx.Tx) error
	// analyze refreshes the planner's statistics after Copy's bulk load
	// ("" when the engine plans without them, as this store's SQLite does:
	// its queries were written for the plans it makes without sqlite_stat1).
	analyze string
}

// isPostgresDSN reports whether dsn names a PostgreSQL database.
func isPostgresDSN(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Engine is the name of the store's engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name }

// sqlDay is the UTC day number of a stored instant (analytics.Day).
func (d *dialect) sqlDay(col string) string {
	return "CAST(" + d.epochSeconds(col) + " / 86400 AS INTEGER)"
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure, on
// either engine (an error carries its driver's type, whichever store made
// it).
func isUniqueViolation(err error) bool {
	return sqliteDialect.unique(err) || postgresDialect.unique(err)
}

// storageError marks a write's error with the storage fault behind it,
// if any; other errors pass as they are.
func storageError(err error) error {
	if err == nil {
		return nil
	}
	for _, d := range []*dialect{sqliteDialect, postgresDialect} {
		if f := d.storageFault(err); f != nil {
			return fmt.Errorf("%w: %w", f, err)
		}
	}
	return err
}
