package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// The order reads of the shopper's pages scan their rows by hand: into
// *any, the one destination database/sql fills without reflection, then
// converted here from what the driver gives (int64, float64, bool, string,
// []byte, time.Time or nil). sqlx's reflection and database/sql's
// conversions cost more than the query itself on an order of ten lines.

// row is one scanned row.
type row []any

// queryer is what queryRows needs of a pool, a transaction or a connection.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	Rebind(query string) string
}

// queryRows runs a query through q and calls each for every row of n
// columns.
func queryRows(ctx context.Context, q queryer, n int, each func(row) error, query string, args ...any) error {
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
	defer rows.Close()
	r := make(row, n)
	ptrs := make([]any, n)
	for i := range r {
		ptrs[i] = &r[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := each(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// inReadTx runs fn in one read transaction of the read pool, so that its
// queries read one snapshot, or directly in the caller's transaction. The
// transaction is SQLite's own (BEGIN and ROLLBACK on one connection), not
// database/sql's, which starts a goroutine for every transaction to watch
// its context: that cost as much as the queries. On PostgreSQL the BEGIN
// is REPEATABLE READ, READ ONLY (pool.beginRead).
func inReadTx(ctx context.Context, q sqlx.ExtContext, fn func(ctx context.Context, q sqlx.ExtContext) error) error {
	p, ok := q.(*pool)
	if !ok {
		return fn(ctx, q)
	}
	ctx, err := p.enter(ctx)
	if err != nil {
		return err
	}
	defer p.leave()
	conn, err := p.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, p.beginRead); err != nil {
		return err
	}
	defer func() {
		// A connection that could not end its transaction must not go
		// back to the pool: it would read this snapshot forever.
		if _, err := conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	// fn's statements get the context of the turn (pool.enter): without
	// the request's cancellation, which would cost database/sql a goroutine
	// for each of its queries.
	return fn(ctx, snapshotConn{Conn: conn, driver: p.DriverName()})
}

// snapshotConn is the connection of a read transaction as the store's
// helpers take it (sqlx.ExtContext, which *sqlx.Conn lacks BindNamed for).
type snapshotConn struct {
	*sqlx.Conn
	driver string
}

func (c snapshotConn) DriverName() string { return c.driver }

func (c snapshotConn) BindNamed(query string, arg any) (string, []any, error) {
	return sqlx.BindNamed(sqlx.BindType(c.driver), query, arg)
}

func (r row) str(i int) string {
	switch v := r[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(r[i])
}

func (r row) int64(i int) int64 {
	switch v := r[i].(type) {
	case int64:
		return v
	case int32: // PostgreSQL's INTEGER
		return int64(v)
	case int16: // PostgreSQL's SMALLINT
		return int64(v)
	case bool:
		if v {
			return 1
		}
	case string: // PostgreSQL's NUMERIC (the SUM of BIGINTs), as pgx hands it to database/sql: "12"
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

func (r row) int(i int) int { return int(r.int64(i)) }

func (r row) bool(i int) bool {
	switch v := r[i].(type) {
	case bool:
		return v
	case int64, int32, int16:
		return r.int64(i) != 0
	}
	return false
}

func (r row) int64Ptr(i int) *int64 {
	if r[i] == nil {
		return nil
	}
	v := r.int64(i)
	return &v
}

func (r row) time(i int) time.Time {
	t, _ := r[i].(time.Time)
	return t.UTC()
}

func (r row) timePtr(i int) *time.Time {
	t, ok := r[i].(time.Time)
	if !ok {
		return nil
	}
	t = t.UTC()
	return &t
}
