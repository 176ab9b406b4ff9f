// Package store persists the portal's data: orders, policy versions, returns
// with their audit log, API keys and settings.
//
// SQLite is the default backend: one writer connection whose
// transactions begin IMMEDIATE, so read-then-write transactions serialize
// instead of failing with "database is locked", and a separate read pool in
// WAL mode so readers never wait for the writer. Every connection keeps its
// prepared statements (stmtCacheSize), and callers wait for a connection
// in the order they came (pool.go). The SQL is kept portable
// (`?` placeholders through Rebind, no SELECT *, no casts) so that PostgreSQL
// becomes a driver and a migration folder, not a rewrite.
//
// Errors wrap ErrNotFound or ErrConflict with the operation's name, so the
// HTTP layer maps them to 404 and 409 with errors.Is; domain errors from
// package returns stay reachable with errors.As.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/returns"
)

// ErrNotFound is wrapped by every lookup that finds nothing, so callers
// answer 404 with errors.Is instead of comparing messages.
var ErrNotFound = errors.New("not found")

// ErrConflict is wrapped when a write contradicts what is stored (an order
// update that would drop returned units, a return exceeding what is left,
// an illegal status change), so callers answer 409.
var ErrConflict = errors.New("conflict")

// Store is the portal's database. It is safe for concurrent use.
type Store struct {
	// d is what differs between SQLite and PostgreSQL (dialect.go).
	d *dialect
	// w is the only connection that writes. One connection makes writers
	// queue (in turn: pool.go) instead of contending for SQLite's lock, and
	// _txlock=immediate takes the lock at BEGIN so that a transaction that
	// reads and then writes cannot be refused halfway through.
	w *pool
	// r is the read pool; in WAL mode readers see the last committed state
	// without blocking the writer.
	r *pool
	// policies keeps the decoded documents of policy versions (policies.go).
	policies policyCache
	// commits runs the writer's transactions (commit.go).
	commits *committer
	// checkpoints copies the log into the database file (checkpoint.go).
	checkpoints *checkpointer
	// now is the clock, replaceable in tests. Times are stored in UTC and
	// truncated to microseconds, the precision PostgreSQL keeps.
	now func() time.Time
	// legal is the law's data, for the copies the queue filters on (the
	// legal refund deadline and the hub of a return).
	legal *returns.Legal
	// faults remembers the last write the storage refused (health.go).
	faults storageFaults
	// stmts are statements prepared on the writer (writerStmt).
	stmtsMu sync.Mutex
	stmts   map[string]*sqlx.Stmt
}

// Open opens the database named by dsn: a file path or a "file:" URL opens
// SQLite (creating the parent directory); a postgres:// or postgresql://
// URL opens PostgreSQL (dialect_postgres.go). Open does not migrate: callers
// run Migrate, so that a read-only command never changes the schema. legal
// is the law's data (returns.LoadLegal, loaded once by main).
func Open(ctx context.Context, dsn string, legal *returns.Legal) (*Store, error) {
	if legal == nil {
		return nil, errors.New("store: open: no legal data")
	}
	if isPostgresDSN(dsn) {
		return openPostgres(ctx, dsn, legal)
	}
	path, params, err := parseSQLiteDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: open %q: %w", dsn, err)
		}
	}

	wp := cloneValues(params)
	wp.Set("_journal_mode", "WAL")
	wp.Set("_busy_timeout", "10000")
	wp.Set("_txlock", "immediate")
	wp.Set("_foreign_keys", "on")
	// FULL: in WAL mode NORMAL syncs the log only at checkpoints, so a
	// power loss can take the last acknowledged returns and refunds with
	// it; FULL syncs it at every commit.
	wp.Set("_synchronous", "FULL")
	wp.Set("_stmt_cache_size", stmtCacheSize)
	wdb, err := sqlx.Open(writerDriverName, sqliteURI(path, wp))
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}
	w := newPool(wdb, 1)
	// The writer connects first: it creates the file and switches it to WAL
	// (a persistent property of the file) before any reader opens it.
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}

	rp := cloneValues(params)
	rp.Set("_busy_timeout", "10000")
	rp.Set("_txlock", "deferred")
	rp.Set("_foreign_keys", "on")
	// A reader that tries to write fails loudly instead of bypassing the
	// writer's serialization.
	rp.Set("_query_only", "true")
	rp.Set("_stmt_cache_size", stmtCacheSize)
	// 1 MiB of pages per reader instead of SQLite's 2: in WAL mode a
	// reader drops its cache whenever another connection committed, so
	// under writes a bigger one fills with pages that are thrown away.
	rp.Set("_cache_size", "-1024")
	rdb, err := sqlx.Open(driverName, sqliteURI(path, rp))
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}
	r := newPool(rdb, readConns())
	if err := r.PingContext(ctx); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}
	// The checkpoints' connection writes nothing but the database file.
	cp := cloneValues(params)
	cp.Set("_busy_timeout", "10000")
	cp.Set("_synchronous", "FULL")
	cdb, err := sqlx.Open(driverName, sqliteURI(path, cp))
	if err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("store: open %q: %w", dsn, err)
	}
	s := &Store{d: sqliteDialect, w: w, r: r, checkpoints: startCheckpointer(cdb),
		now: func() time.Time { return time.Now() }, legal: legal, stmts: map[string]*sqlx.Stmt{}}
	s.commits = newCommitter(w, func(tx *sqlx.Tx, d *analytics.Delta) error {
		return (&Tx{ctx: context.Background(), tx: tx, s: s}).applyDelta(d)
	})
	return s, nil
}

// stmtCacheSize is how many prepared statements each connection keeps
// (mattn/go-sqlite3's _stmt_cache_size, least recently used dropped first):
// the store's statements are constants, prepared once per connection
// instead of at every call. The queue's filters make a few dozen variants
// more.
const stmtCacheSize = "128"

// readConns is the size of the read pool: SQLite readers in WAL mode run in
// parallel, but beyond a few per core they only add memory (each keeps its
// page cache and statements).
func readConns() int { return max(4, 2*runtime.NumCPU()) }

// parseSQLiteDSN splits a path or file: URL into the file path and its query
// parameters. Shared-cache and in-memory databases are refused: shared cache
// defeats WAL's reader/writer separation, and an in-memory
// database would be a different, empty database on every connection.
func parseSQLiteDSN(dsn string) (string, url.Values, error) {
	if dsn == "" {
		return "", nil, errors.New("empty database path")
	}
	params := url.Values{}
	path := dsn
	if rest, ok := strings.CutPrefix(dsn, "file:"); ok {
		rawPath, rawQuery, _ := strings.Cut(rest, "?")
		if strings.HasPrefix(rawPath, "//") {
			u, err := url.Parse("file:" + rawPath)
			if err != nil {
				return "", nil, err
			}
			if u.Host != "" && u.Host != "localhost" {
				return "", nil, fmt.Errorf("file URL with host %q", u.Host)
			}
			path = u.Path
		} else {
			p, err := url.PathUnescape(rawPath)
			if err != nil {
				return "", nil, err
			}
			path = p
		}
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return "", nil, err
		}
		params = q
	}
	if strings.EqualFold(params.Get("cache"), "shared") {
		return "", nil, errors.New("cache=shared is not supported: it defeats WAL's reader/writer separation")
	}
	if path == "" || path == ":memory:" || strings.EqualFold(params.Get("mode"), "memory") {
		return "", nil, errors.New("an in-memory database is not supported: the writer and the read pool need a shared file")
	}
	return path, params, nil
}

// sqliteURI builds a file: URI for mattn/go-sqlite3, which passes file: DSNs
// to SQLite as URIs (so a path may contain '?' or '#', escaped) and reads its
// own underscore parameters from the query.
func sqliteURI(path string, params url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params.Encode()
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// Close closes the read pool and the writer. In WAL mode the last connection
// to close checkpoints the log into the database file.
func (s *Store) Close() error {
	if s.commits != nil { // SQLite's (commit.go)
		s.commits.close()
	}
	s.stmtsMu.Lock()
	var errs []error
	for q, st := range s.stmts {
		errs = append(errs, st.Close())
		delete(s.stmts, q)
	}
	s.stmtsMu.Unlock()
	if s.checkpoints != nil { // SQLite's (checkpoint.go)
		errs = append(errs, s.checkpoints.close())
	}
	if s.r != s.w { // PostgreSQL's one pool serves both
		errs = append(errs, s.r.Close())
	}
	return errors.Join(append(errs, s.w.Close())...)
}

// Ping checks that both the writer and the read pool reach the database, for
// the /healthz endpoint.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping writer: %w", err)
	}
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping reader: %w", err)
	}
	return nil
}

// MigrateAt opens the database of dsn, applies the migrations it lacks
// (Migrate) and closes it: what a test suite's template database needs
// before its tests open copies of it.
func MigrateAt(ctx context.Context, dsn string, legal *returns.Legal) error {
	s, err := Open(ctx, dsn, legal)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Migrate(ctx)
}

// Migrate applies the embedded migrations that the database lacks. It is
// idempotent; each migration runs in its own transaction on the writer, and
// calls on one Store serialize on its single writer connection. goose has no
// lock for SQLite, so two processes migrating the same file at the same
// moment may fail one of them ("table already exists"); running it again
// succeeds.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := goose.NewProvider(s.d.goose, s.w.DB.DB, s.d.migrations,
		// Only our files: a Go migration registered globally by some other
		// package must not run against this database.
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if err := s.backfillHubs(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if err := s.ensureAnalytics(ctx); err != nil { // analytics_rebuild.go
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// backfillHubs fills returns.hub (migration 00005) for the returns stored
// before the store wrote it: the hub of each return's policy version for its
// destination country, as setRefundDue computes it. A version whose
// document no longer decodes leaves its returns' hub ” (logged nowhere: the
// policy pages show the damage). Once done, the check is one seek in
// returns_hub_created.
func (s *Store) backfillHubs(ctx context.Context) error {
	return s.write(ctx, func(tx *sqlx.Tx) error {
		var pairs []struct {
			Version int64  `db:"policy_version"`
			Country string `db:"ship_country"`
		}
		if err := sel(ctx, tx, &pairs, `SELECT DISTINCT policy_version, ship_country FROM returns WHERE hub IS NULL`); err != nil {
			return err
		}
		if len(pairs) == 0 {
			return nil
		}
		policies := map[int64]*returns.Policy{}
		for _, pc := range pairs {
			pol, ok := policies[pc.Version]
			if !ok {
				var doc string
				err := get(ctx, tx, &doc, `SELECT document FROM policy_versions WHERE version = ?`, pc.Version)
				if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				var p returns.Policy
				if err == nil && json.Unmarshal([]byte(doc), &p) == nil {
					pol = &p
				}
				policies[pc.Version] = pol
			}
			hub := ""
			if pol != nil {
				hub = pol.Effective(s.legal, pc.Country).Hub
			}
			if _, err := exec(ctx, tx, `UPDATE returns SET hub = ? WHERE hub IS NULL AND policy_version = ? AND ship_country = ?`,
				hub, pc.Version, pc.Country); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn in a writer transaction and returns once it committed: fn's
// error (its changes undone), the commit's, or nil. On SQLite,
// _txlock=immediate makes the transaction hold the write lock from its
// start, so what fn reads stays true until it commits, and writes that
// queue up share a transaction and its commit (commit.go); a panic in fn
// undoes fn's changes and unwinds the caller. On PostgreSQL the
// transaction is SERIALIZABLE and run again when refused (retry.go). An
// error the storage caused is noted for /healthz (health.go).
func (s *Store) write(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	return s.writeAt(ctx, s.d.write, fn)
}

// stamp returns the current time as stored.
func (s *Store) stamp() time.Time { return dbTime(s.now()) }

// dbTime normalizes a time for storage: UTC (so that stored strings compare
// in time order) at microsecond precision (what PostgreSQL keeps).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// dbTimePtr is dbTime for optional times.
func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

// utcPtr returns a read time in UTC, whatever location the driver chose.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// bound: SQLite prepares a statement anew at every execution when the
// planner looked at the value of a parameter compared with a column, which
// it does when the comparison could decide more than one row's seek: in a
// join, or with an ORDER BY or GROUP BY the equality could satisfy
// (WHERE o.number = ?, WHERE return_id = ? ORDER BY id). Binding a new
// value expires the statement (sqlite3VdbeReprepareOnBind), so the
// statement cache saves nothing; mattn/go-sqlite3 cannot turn on
// SQLITE_DBCONFIG_ENABLE_QPSG, which stops that. The reads of the shopper's
// and the staff's pages write such comparisons CAST(? AS TEXT) or
// CAST(? AS BIGINT): the planner takes them for an unknown constant and
// still seeks by index; portable SQL, and the column's own type (BIGINT,
// not INTEGER: SQLite gives both integer affinity, PostgreSQL's INTEGER is
// 32 bits and refuses a larger id). (The
// queue's filters keep bare parameters: their plans may depend on the
// values, e.g. a status's selectivity.)

// get runs a one-row query, turning "no rows" into ErrNotFound.
func get(ctx context.Context, q sqlx.ExtContext, dest any, query string, args ...any) error {
	if p, ok := q.(*pool); ok {
		var err error
		if ctx, err = p.enter(ctx); err != nil {
			return err
		}
		defer p.leave()
	}
	err := sqlx.GetContext(ctx, q, dest, q.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// sel runs a query into a slice.
func sel(ctx context.Context, q sqlx.ExtContext, dest any, query string, args ...any) error {
	if p, ok := q.(*pool); ok {
		var err error
		if ctx, err = p.enter(ctx); err != nil {
			return err
		}
		defer p.leave()
	}
	return sqlx.SelectContext(ctx, q, dest, q.Rebind(query), args...)
}

// run runs a statement that returns no rows, as a query: mattn/go-sqlite3
// binds a query's parameters and steps it in one call into SQLite, but an
// Exec's one call per parameter (an order's lines are 170 of them). For
// statements whose result (rows affected, last id) is not needed.
func run(ctx context.Context, q sqlx.ExtContext, query string, args ...any) error {
	if p, ok := q.(*pool); ok {
		var err error
		if ctx, err = p.enter(ctx); err != nil {
			return err
		}
		defer p.leave()
	}
	rows, err := q.QueryContext(ctx, q.Rebind(query), args...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// exec runs a statement.
func exec(ctx context.Context, q sqlx.ExtContext, query string, args ...any) (sql.Result, error) {
	if p, ok := q.(*pool); ok {
		var err error
		if ctx, err = p.enter(ctx); err != nil {
			return nil, err
		}
		defer p.leave()
	}
	return q.ExecContext(ctx, q.Rebind(query), args...)
}
