package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/analytics"
)

// rollup describes one report table of migration 00007: its key columns
// after lvl and blk (the whole key for an untimed table) and its measures.
type rollup struct {
	name     string
	timed    bool
	keys     []string
	measures []string
	// text is a text column merged by MAX instead of summed ("" for none).
	text string
	// of is the table this one is a projection of: its keys are some of
	// that table's, and each of its rows is the sum of that table's rows
	// that agree on them. A report reads the smallest table that has every
	// dimension it filters or groups by.
	of *rollup
}

var (
	rollReturns = rollup{name: "analytics_returns", timed: true,
		keys:     []string{"country", "region", "hub", "method", "reason", "category", "currency", "state"},
		measures: analytics.ReturnMeasureColumns[:]}
	// The returns without their items' reason and category, and without
	// their place (but with their refund method): a few hundred or
	// thousand rows a block where the whole table has tens of thousands.
	rollReturnsGeo = rollup{name: "analytics_returns_geo", timed: true,
		keys:     []string{"country", "region", "hub", "method", "currency", "state"},
		measures: analytics.ReturnMeasureColumns[:], of: &rollReturns}
	rollReturnsItems = rollup{name: "analytics_returns_items", timed: true,
		keys:     []string{"method", "reason", "category", "currency", "state"},
		measures: analytics.ReturnMeasureColumns[:], of: &rollReturns}
	rollSpeed = rollup{name: "analytics_speed", timed: true,
		keys:     []string{"country", "region", "hub", "method", "reason", "category"},
		measures: speedColumns()}
	rollSpeedGeo = rollup{name: "analytics_speed_geo", timed: true,
		keys: []string{"country", "region", "hub", "method"}, measures: speedColumns(), of: &rollSpeed}
	rollSpeedItems = rollup{name: "analytics_speed_items", timed: true,
		keys: []string{"method", "reason", "category"}, measures: speedColumns(), of: &rollSpeed}
	// SKUs over every reason (analytics.AllReasons), and per reason.
	rollSKUs = rollup{name: "analytics_skus", timed: true, keys: []string{"sku", "category"},
		measures: analytics.SKUMeasureColumns[:], text: "name"}
	rollSKUReasons = rollup{name: "analytics_sku_reasons", timed: true, keys: []string{"reason", "sku", "category"},
		measures: analytics.SKUMeasureColumns[:]}
	rollSales = rollup{name: "analytics_sales", timed: true, keys: []string{"country", "region", "category", "currency"},
		measures: analytics.SalesMeasureColumns[:]}
	rollSKUSales = rollup{name: "analytics_sku_sales", timed: true, keys: []string{"sku", "category"},
		measures: []string{"lines", "units"}}
	rollShoppers = rollup{name: "analytics_shoppers", keys: []string{"email"},
		measures: analytics.ShopperMeasureColumns[:]}
	rollups = []rollup{rollReturns, rollReturnsGeo, rollReturnsItems, rollSpeed, rollSpeedGeo, rollSpeedItems,
		rollSKUs, rollSKUReasons, rollSales, rollSKUSales, rollShoppers}
)

// has reports whether the table has every one of dims as a key.
func (r rollup) has(dims []string) bool {
	for _, d := range dims {
		if d != "blk" && !slices.Contains(r.keys, d) {
			return false
		}
	}
	return true
}

// smallest is the first of tables (smallest first) that has dims.
func smallest(dims []string, tables ...rollup) rollup {
	for _, t := range tables {
		if t.has(dims) {
			return t
		}
	}
	return tables[len(tables)-1]
}

// project sums rows of the table r is a projection of into r's rows.
func (r rollup) project(rows []rollupRow) []rollupRow {
	idx := make([]int, len(r.keys))
	for i, k := range r.keys {
		idx[i] = slices.Index(r.of.keys, k)
	}
	type key struct {
		day  int64
		vals string
	}
	sums := map[key]*rollupRow{}
	var order []key
	for _, row := range rows {
		vals := make([]any, len(idx))
		var b strings.Builder
		for i, j := range idx {
			vals[i] = row.keys[j]
			b.WriteString(row.keys[j].(string))
			b.WriteByte(0)
		}
		k := key{row.day, b.String()}
		sum, ok := sums[k]
		if !ok {
			sum = &rollupRow{day: row.day, keys: vals, m: make([]int64, len(row.m))}
			sums[k] = sum
			order = append(order, k)
		}
		for i, v := range row.m {
			sum.m[i] += v
		}
	}
	out := make([]rollupRow, 0, len(order))
	for _, k := range order {
		zero := true
		for _, v := range sums[k].m {
			zero = zero && v == 0
		}
		if !zero {
			out = append(out, *sums[k])
		}
	}
	return out
}

func speedColumns() []string {
	var cols []string
	for s := 0; s < analytics.Stages; s++ {
		for b := 0; b < analytics.Buckets; b++ {
			cols = append(cols, analytics.SpeedColumn(s, b))
		}
	}
	return cols
}

// keyColumns are all the columns of the table's primary key.
func (r rollup) keyColumns() []string {
	if r.timed {
		return append([]string{"lvl", "blk"}, r.keys...)
	}
	return r.keys
}

// upsertSQL adds rows' measures to the stored rows with their keys: n
// rows in one statement (a key's row at every level), so that a change
// costs one statement per table and key.
func (r rollup) upsertSQL(d *dialect, n int) string {
	cols := append(r.keyColumns(), r.measures...)
	var set []string
	for _, m := range r.measures {
		set = append(set, m+" = "+r.name+"."+m+" + excluded."+m)
	}
	if r.text != "" {
		cols = append(cols, r.text)
		set = append(set, r.text+" = "+d.greatest+"("+r.name+"."+r.text+", excluded."+r.text+")")
	}
	row := "(" + placeholders(len(cols)) + ")"
	return "INSERT INTO " + r.name + " (" + strings.Join(cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + " ON CONFLICT (" +
		strings.Join(r.keyColumns(), ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// levels is the number of rows a change writes per key: one per level, or
// one for an untimed table.
func (r rollup) levels() int {
	if r.timed {
		return analytics.Levels
	}
	return 1
}

// rollupStatements are a table's statements: the upsert of one key at
// every level, of bulkKeys keys at every level, and the prune of a row.
type rollupStatements struct{ upsert, bulk, prune string }

// bulkKeys is how many keys one upsert writes when a change has many (an
// import's batch of orders adds thousands): a statement per key would cost
// a call and its binding for a handful of rows each. Not more: SQLite
// sizes a prepared statement's program by its rows, and the writer keeps
// every table's bulk statement prepared. At 64 keys (320 rows at five
// levels) each took ~1.3 MB, 7 MB of the server's memory in all; at 16 an
// import is ~3 % slower (BenchmarkImportOrders).
const bulkKeys = 16

// rollupSQL are each table's statements on each engine, built once.
var rollupSQL = map[*dialect]map[string]rollupStatements{
	sqliteDialect:   buildRollupSQL(sqliteDialect),
	postgresDialect: buildRollupSQL(postgresDialect),
}

func buildRollupSQL(d *dialect) map[string]rollupStatements {
	m := map[string]rollupStatements{}
	for _, r := range rollups {
		m[r.name] = rollupStatements{upsert: r.upsertSQL(d, r.levels()), bulk: r.upsertSQL(d, r.levels()*bulkKeys),
			prune: r.pruneSQL()}
	}
	return m
}

// pruneSQL deletes the row with a key once every measure is zero: a row
// exists only while something counts on it, as after a recount.
func (r rollup) pruneSQL() string {
	var where []string
	for _, k := range r.keyColumns() {
		where = append(where, k+" = ?")
	}
	for _, m := range r.measures {
		where = append(where, m+" = 0")
	}
	return "DELETE FROM " + r.name + " WHERE " + strings.Join(where, " AND ")
}

// rollupRow is one row of a delta: its day (timed tables), key values,
// measures and text.
type rollupRow struct {
	day  int64
	keys []any
	m    []int64
	text string
}

// deltaRows are the rows of a delta, table by table.
func deltaRows(d *analytics.Delta) map[string][]rollupRow {
	out := map[string][]rollupRow{}
	for k, m := range d.Returns {
		out[rollReturns.name] = append(out[rollReturns.name], rollupRow{day: k.Day,
			keys: []any{k.Country, k.Region, k.Hub, k.Method, k.Reason, k.Category, k.Currency, k.State}, m: m[:]})
	}
	for k, sp := range d.Speed {
		var m []int64
		for s := range sp {
			m = append(m, sp[s][:]...)
		}
		out[rollSpeed.name] = append(out[rollSpeed.name], rollupRow{day: k.Day,
			keys: []any{k.Country, k.Region, k.Hub, k.Method, k.Reason, k.Category}, m: m})
	}
	for k, s := range d.SKUs {
		if k.Reason == analytics.AllReasons {
			out[rollSKUs.name] = append(out[rollSKUs.name], rollupRow{day: k.Day, keys: []any{k.SKU, k.Category},
				m: s.M[:], text: s.Name})
		} else {
			out[rollSKUReasons.name] = append(out[rollSKUReasons.name], rollupRow{day: k.Day,
				keys: []any{k.Reason, k.SKU, k.Category}, m: s.M[:]})
		}
	}
	for k, m := range d.Sales {
		out[rollSales.name] = append(out[rollSales.name], rollupRow{day: k.Day,
			keys: []any{k.Country, k.Region, k.Category, k.Currency}, m: m[:]})
	}
	for k, m := range d.SKUSales {
		out[rollSKUSales.name] = append(out[rollSKUSales.name], rollupRow{day: k.Day, keys: []any{k.SKU, k.Category},
			m: m[:]})
	}
	for email, m := range d.Shoppers {
		out[rollShoppers.name] = append(out[rollShoppers.name], rollupRow{keys: []any{email}, m: m[:]})
	}
	for _, r := range rollups {
		if r.of != nil {
			out[r.name] = r.project(out[r.of.name])
		}
	}
	return out
}

// applyDelta adds a delta to the report tables in the transaction: each
// row to the block of every level that holds its day, and a row that falls
// to zero is deleted.
func (t *Tx) applyDelta(d *analytics.Delta) error {
	d.Prune()
	if d.Empty() {
		return nil
	}
	rows := deltaRows(d)
	for _, r := range rollups {
		if len(rows[r.name]) == 0 {
			continue
		}
		if err := t.applyRows(r, rows[r.name]); err != nil {
			return fmt.Errorf("analytics %s: %w", r.name, err)
		}
	}
	return nil
}

func (t *Tx) applyRows(r rollup, rows []rollupRow) error {
	ctx, tx := t.ctx, t.tx
	q := rollupSQL[t.s.d][r.name]
	one, err := t.s.writerStmt(ctx, tx, q.upsert)
	if err != nil {
		return err
	}
	var bulk, prune *sqlx.Stmt
	if len(rows) >= bulkKeys {
		if bulk, err = t.s.writerStmt(ctx, tx, q.bulk); err != nil {
			return err
		}
	}
	// A batch holds bulkKeys keys none of whose rows another key of the
	// batch also writes (two days of one key share their larger blocks):
	// PostgreSQL refuses to update a row twice in one statement, and apart
	// the additions are the same.
	var batch []levelRows
	var args []any
	inBatch := map[string]bool{}
	flush := func() error {
		if len(batch) == bulkKeys {
			if _, err := bulk.ExecContext(ctx, args...); err != nil {
				return err
			}
		} else {
			for _, lr := range batch {
				if _, err := one.ExecContext(ctx, lr.args...); err != nil {
					return err
				}
			}
		}
		// Only a subtraction can bring a row to zero.
		for _, lr := range batch {
			if !lr.negative {
				continue
			}
			if prune == nil {
				if prune, err = t.s.writerStmt(ctx, tx, q.prune); err != nil {
					return err
				}
			}
			for _, key := range lr.keys {
				if _, err := prune.ExecContext(ctx, key...); err != nil {
					return err
				}
			}
		}
		batch, args = batch[:0], args[:0]
		clear(inBatch)
		return nil
	}
	for _, row := range rows {
		lr := r.levelRows(row, bulk != nil)
		if bulk != nil {
			for _, id := range lr.ids {
				if inBatch[id] {
					if err := flush(); err != nil {
						return err
					}
					break
				}
			}
			for _, id := range lr.ids {
				inBatch[id] = true
			}
		}
		batch = append(batch, lr)
		args = append(args, lr.args...)
		if bulk == nil || len(batch) == bulkKeys {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// levelRows are the rows a delta's row adds to at every level: their
// upsert's arguments, their keys (and, for bulk batches, ids), and whether
// it subtracts.
type levelRows struct {
	args     []any
	keys     [][]any
	ids      []string
	negative bool
}

func (r rollup) levelRows(row rollupRow, withIDs bool) levelRows {
	levels := r.levels()
	lr := levelRows{keys: make([][]any, levels)}
	if withIDs {
		lr.ids = make([]string, levels)
	}
	for _, v := range row.m {
		lr.negative = lr.negative || v < 0
	}
	for level := range levels {
		key := row.keys
		if r.timed {
			key = append([]any{level, analytics.BlockOf(level, row.day).Start}, row.keys...)
		}
		lr.keys[level] = key
		if withIDs {
			lr.ids[level] = keyID(key)
		}
		lr.args = append(append(lr.args, key...), int64sAny(row.m)...)
		if r.text != "" {
			lr.args = append(lr.args, row.text)
		}
	}
	return lr
}

// keyID writes a row's key as a string that tells keys apart: each value
// as the copy's checksum writes it (canonical), NUL-separated.
func keyID(key []any) string {
	var b strings.Builder
	for _, v := range key {
		b.WriteString(canonical(v))
		b.WriteByte(0)
	}
	return b.String()
}

func int64sAny(v []int64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// writerStmt is a statement for use in tx: the one prepared on the writer
// for the report tables' upserts (prepareWriterStmts, at Migrate), else
// one prepared in the transaction. (Preparing on the writer itself here
// would wait for its only connection, which tx holds.)
func (s *Store) writerStmt(ctx context.Context, tx *sqlx.Tx, query string) (*sqlx.Stmt, error) {
	s.stmtsMu.Lock()
	st, ok := s.stmts[query]
	s.stmtsMu.Unlock()
	if ok {
		return tx.StmtxContext(ctx, st), nil
	}
	return tx.PreparexContext(ctx, tx.Rebind(query))
}

// prepareWriterStmts prepares the report tables' statements on the writer
// connection once, so that a change does not parse them again.
func (s *Store) prepareWriterStmts(ctx context.Context) error {
	s.stmtsMu.Lock()
	defer s.stmtsMu.Unlock()
	for _, r := range rollups {
		q := rollupSQL[s.d][r.name]
		for _, q := range []string{q.upsert, q.bulk, q.prune} {
			if _, ok := s.stmts[q]; ok {
				continue
			}
			st, err := s.w.PreparexContext(ctx, s.w.Rebind(q))
			if err != nil {
				return fmt.Errorf("prepare %s: %w", r.name, err)
			}
			s.stmts[q] = st
		}
	}
	return nil
}
