package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"github.com/returns-portal/returns/returns"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresDialect: writes are SERIALIZABLE transactions on a pool, run
// again when PostgreSQL refuses one (writeRetries); claims lock their rows
// with SKIP LOCKED so that instances share the work without waiting.
var postgresDialect = &dialect{
	name:       "postgres",
	goose:      goose.DialectPostgres,
	migrations: mustSub(postgresMigrations, "migrations/postgres"),
	write:      &sql.TxOptions{Isolation: sql.LevelSerializable},
	claim:      &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	claimLock:  " FOR UPDATE SKIP LOCKED",
	snapshot:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},

	epochSeconds: func(col string) string { return "CAST(FLOOR(EXTRACT(EPOCH FROM " + col + ")) AS BIGINT)" },
	greatest:     "GREATEST",
	jsonInt: func(col, key string) string {
		return "CAST(CAST(" + col + " AS jsonb) ->> '" + key + "' AS BIGINT)"
	},

	retryable: func(err error) bool {
		code := pgCode(err)
		return code == "40001" || code == "40P01" // serialization_failure, deadlock_detected
	},
	storageFault: func(err error) error {
		switch pgCode(err) {
		case "53100": // disk_full
			return ErrStorageFull
		case "25006": // read_only_sql_transaction (a standby, default_transaction_read_only)
			return ErrStorageReadOnly
		case "58030": // io_error
			return ErrStorageFailed
		}
		return nil
	},
	unique:    func(err error) bool { return pgCode(err) == "23505" },
	afterCopy: continueIdentities,
	// Autovacuum would analyze the copied tables within a minute or so;
	// until then PostgreSQL plans on empty tables' statistics.
	analyze: "ANALYZE",
}

// continueIdentities moves every identity column's sequence past the ids
// that Copy wrote explicitly, so that the next row gets a new one.
func continueIdentities(ctx context.Context, tx *sqlx.Tx) error {
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
	}
	if err := sel(ctx, tx, &cols, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`); err != nil {
		return err
	}
	for _, c := range cols {
		if _, err := exec(ctx, tx, `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(`+c.Column+`) FROM `+c.Table+`), 0) + 1, false)`,
			c.Table, c.Column); err != nil {
			return fmt.Errorf("identity of %s: %w", c.Table, err)
		}
	}
	return nil
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// postgresPoolSize is each instance's number of connections: several
// instances share the server's max_connections (100 by default).
const postgresPoolSize = 16

// openPostgres opens a pool on the PostgreSQL database at dsn. Reads and
// writes share it: there is no single writer to protect, the isolation of
// each transaction does that. There is no committer (each write is its own
// SERIALIZABLE transaction, retry.go) and no checkpointer (the server
// checkpoints).
func openPostgres(ctx context.Context, dsn string, legal *returns.Legal) (*Store, error) {
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		// The DSN is not repeated: it may hold a password.
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	p := newPool(db, postgresPoolSize)
	p.beginRead = `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY`
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	return &Store{d: postgresDialect, w: p, r: p, now: func() time.Time { return time.Now() }, legal: legal, stmts: map[string]*sqlx.Stmt{}}, nil
}
