package store

import (
	"context"
	"database/sql"
	"fmt"
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

// queryRows runs a query through q and calls each for every row of n
// columns.
func queryRows(ctx context.Context, q sqlx.ExtContext, n int, each func(row) error, query string, args ...any) error {
	if p, ok := q.(*pool); ok {
		if err := p.enter(ctx); err != nil {
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
// queries read one snapshot, or directly in the caller's transaction.
func inReadTx(ctx context.Context, q sqlx.ExtContext, fn func(q sqlx.ExtContext) error) error {
	p, ok := q.(*pool)
	if !ok {
		return fn(q)
	}
	if err := p.enter(ctx); err != nil {
		return err
	}
	defer p.leave()
	tx, err := p.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
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
	case bool:
		if v {
			return 1
		}
	}
	return 0
}

func (r row) int(i int) int { return int(r.int64(i)) }

func (r row) bool(i int) bool {
	switch v := r[i].(type) {
	case bool:
		return v
	case int64:
		return v != 0
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
