package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/analytics"
)

// RebuildAnalytics recounts every report table from the raw rows (returns,
// their items, inspections and refunds, orders and their lines), in one
// writer transaction: `returns-portal analytics rebuild`, Migrate on a
// database whose tables were never filled, and the benchmark database's
// generator. It is written in SQL, apart from the Go that maintains the
// tables change by change (analytics.Delta), so that the tests comparing
// the two compare two independent countings.
func (s *Store) RebuildAnalytics(ctx context.Context) error {
	if err := s.write(ctx, func(tx *sqlx.Tx) error { return rebuildAnalytics(ctx, s.d, tx, s.stamp()) }); err != nil {
		return fmt.Errorf("store: rebuild analytics: %w", err)
	}
	return nil
}

func rebuildAnalytics(ctx context.Context, d *dialect, tx *sqlx.Tx, now time.Time) error {
	for _, r := range rollups {
		if _, err := exec(ctx, tx, `DELETE FROM `+r.name); err != nil {
			return err
		}
	}
	for _, q := range []string{rebuildReturnsSQL(d), rebuildSpeedSQL(d), rebuildSKUsSQL(d), rebuildSKUReasonsSQL(d),
		rebuildSalesSQL(d), rebuildSKUSalesSQL(d), rebuildShoppersSQL} {
		if _, err := exec(ctx, tx, q); err != nil {
			return fmt.Errorf("%w in %.60s", err, q)
		}
	}
	for _, r := range rollups {
		if r.of != nil {
			if _, err := exec(ctx, tx, projectSQL(r)); err != nil {
				return err
			}
		}
	}
	for _, r := range rollups {
		if !r.timed {
			continue
		}
		for level := 1; level < analytics.Levels; level++ {
			if _, err := exec(ctx, tx, levelUpSQL(r, level)); err != nil {
				return err
			}
		}
	}
	return markAnalyticsBuilt(ctx, tx, now)
}

// sqlState is analytics.State in SQL.
const sqlState = `CASE r.status WHEN 'refunded' THEN 'done' WHEN 'credited' THEN 'done'
	WHEN 'exchanged' THEN 'done' WHEN 'closed' THEN 'done' ELSE r.status END`

// sqlCounted is analytics.Counted in SQL.
const sqlCounted = `r.status NOT IN ('cancelled', 'rejected', 'expired')`

// returnItemsSQL are the return items with what the reports count of each:
// their return's dimensions, the order line's product, the inspection of
// their line, whether they are their return's first (primary) item, and
// their return's refund.
const returnItemsSQL = `SELECT ` + "" + `r.id AS return_id, r.created_at, r.ship_country AS country, o.ship_region AS region,
	COALESCE(r.hub, '') AS hub, r.refund_method AS method, r.currency, r.status, r.basis, r.law_only, r.returnless, r.quote,
	r.refund_overdue_at, ri.reason, ri.quantity, ri.refund AS item_value, COALESCE(ol.sku, '') AS sku,
	COALESCE(ol.name, '') AS name, COALESCE(ol.category, '') AS category, i.item_condition AS cond,
	(ri.id = (SELECT x.id FROM return_items x WHERE x.return_id = ri.return_id ORDER BY x.position, x.id LIMIT 1)) AS prim,
	f.amount AS f_amount, f.bonus AS f_bonus, f.goodwill AS f_goodwill, f.updated_at AS f_at
	FROM return_items ri
	JOIN returns r ON r.id = ri.return_id
	JOIN orders o ON o.id = r.order_id
	LEFT JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_id = ri.line_id
	LEFT JOIN inspections i ON i.return_id = ri.return_id AND i.line_id = ri.line_id
	LEFT JOIN refunds f ON f.return_id = r.id AND f.state = 'succeeded'`

func rebuildReturnsSQL(d *dialect) string {
	return `WITH r AS MATERIALIZED (` + returnItemsSQL + `)
	INSERT INTO analytics_returns (lvl, blk, country, region, hub, method, reason, category,
	currency, state, ` + strings.Join(analytics.ReturnMeasureColumns[:], ", ") + `)
	SELECT 0, ` + d.sqlDay("r.created_at") + `, r.country, r.region, r.hub, r.method, r.reason, r.category, r.currency,
	` + sqlState + `,
	COUNT(*), SUM(r.quantity), SUM(r.item_value),
	SUM(CASE WHEN r.cond IS NOT NULL THEN r.quantity ELSE 0 END),
	SUM(CASE WHEN r.cond IS NOT NULL AND r.cond <> 'resellable' THEN r.quantity ELSE 0 END),
	SUM(CAST(r.prim AS INTEGER)),
	SUM(CASE WHEN r.prim AND r.basis = 'statutory' THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.law_only THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim THEN COALESCE(r.f_amount, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim THEN COALESCE(r.f_bonus, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim THEN COALESCE(r.f_goodwill, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL THEN COALESCE(` + d.jsonInt("r.quote", "restocking_fee") + `, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL THEN COALESCE(` + d.jsonInt("r.quote", "return_shipping_fee") + `, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL THEN COALESCE(` + d.jsonInt("r.quote", "outbound_shipping_refund") + `, 0) ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL AND r.refund_overdue_at IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.f_amount IS NOT NULL AND r.refund_overdue_at IS NOT NULL
		AND ` + d.epochSeconds("r.f_at") + ` < ` + d.epochSeconds("r.refund_overdue_at") + ` THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.returnless THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.prim AND r.returnless THEN COALESCE(r.f_amount, 0) ELSE 0 END)
	FROM r
	GROUP BY 2, r.country, r.region, r.hub, r.method, r.reason, r.category, r.currency, 10`
}

// sqlBucket is analytics.Bucket of a duration in seconds.
func sqlBucket(seconds string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i, h := range analytics.BucketBounds {
		b.WriteString(" WHEN " + seconds + " < " + strconv.FormatInt(h*3600, 10) + " THEN " + strconv.Itoa(i))
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(analytics.BucketBounds)) + " END")
	return b.String()
}

func rebuildSpeedSQL(d *dialect) string {
	stage := []string{
		"CASE WHEN received_at IS NULL THEN NULL ELSE " + sqlBucket(""+d.epochSeconds("received_at")+" - "+d.epochSeconds("created_at")+"") + " END",
		"CASE WHEN received_at IS NULL OR inspected_at IS NULL THEN NULL ELSE " + sqlBucket(""+d.epochSeconds("inspected_at")+" - "+d.epochSeconds("received_at")+"") + " END",
		"CASE WHEN inspected_at IS NULL OR f_at IS NULL THEN NULL ELSE " + sqlBucket(""+d.epochSeconds("f_at")+" - "+d.epochSeconds("inspected_at")+"") + " END",
		"CASE WHEN f_at IS NULL THEN NULL ELSE " + sqlBucket(""+d.epochSeconds("f_at")+" - "+d.epochSeconds("created_at")+"") + " END",
	}
	var sums []string
	for s := 0; s < analytics.Stages; s++ {
		for b := 0; b < analytics.Buckets; b++ {
			sums = append(sums, "SUM(CASE WHEN b"+strconv.Itoa(s)+" = "+strconv.Itoa(b)+" THEN 1 ELSE 0 END)")
		}
	}
	return `WITH f AS MATERIALIZED (SELECT r.created_at, r.ship_country AS country, o.ship_region AS region,
			COALESCE(r.hub, '') AS hub, r.refund_method AS method, ri.reason, COALESCE(ol.category, '') AS category,
			r.received_at, (SELECT MIN(i.created_at) FROM inspections i WHERE i.return_id = r.id) AS inspected_at,
			f.updated_at AS f_at
			FROM returns r
			JOIN orders o ON o.id = r.order_id
			JOIN return_items ri ON ri.id = (SELECT x.id FROM return_items x WHERE x.return_id = r.id
				ORDER BY x.position, x.id LIMIT 1)
			LEFT JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_id = ri.line_id
			LEFT JOIN refunds f ON f.return_id = r.id AND f.state = 'succeeded'
			WHERE r.received_at IS NOT NULL OR f.id IS NOT NULL),
		b AS MATERIALIZED (SELECT ` + d.sqlDay("created_at") + ` AS day, country, region, hub, method, reason, category,
			` + stage[0] + ` AS b0, ` + stage[1] + ` AS b1, ` + stage[2] + ` AS b2, ` + stage[3] + ` AS b3 FROM f)
	INSERT INTO analytics_speed (lvl, blk, country, region, hub, method, reason, category, ` +
		strings.Join(speedColumns(), ", ") + `)
	SELECT 0, day, country, region, hub, method, reason, category, ` + strings.Join(sums, ", ") + `
	FROM b GROUP BY day, country, region, hub, method, reason, category`
}

// rebuildSKUsSQL and rebuildSKUReasonsSQL count the counted returns' items
// per SKU, over every reason and per reason.
func rebuildSKUsSQL(d *dialect) string {
	return `WITH r AS MATERIALIZED (` + returnItemsSQL + ` WHERE ` + sqlCounted + `)
	INSERT INTO analytics_skus (lvl, blk, sku, category, ` + strings.Join(analytics.SKUMeasureColumns[:], ", ") + `, name)
	SELECT 0, ` + d.sqlDay("r.created_at") + `, r.sku, r.category, ` + skuSums + `, MAX(r.name)
	FROM r GROUP BY 2, r.sku, r.category`
}

func rebuildSKUReasonsSQL(d *dialect) string {
	return `WITH r AS MATERIALIZED (` + returnItemsSQL + ` WHERE ` + sqlCounted + `)
	INSERT INTO analytics_sku_reasons (lvl, blk, reason, sku, category, ` + strings.Join(analytics.SKUMeasureColumns[:], ", ") + `)
	SELECT 0, ` + d.sqlDay("r.created_at") + `, r.reason, r.sku, r.category, ` + skuSums + `
	FROM r GROUP BY 2, r.reason, r.sku, r.category`
}

// skuSums are the SKU tables' measures of a group of return items.
const skuSums = `SUM(r.quantity), SUM(r.item_value),
	SUM(CASE WHEN r.cond IS NOT NULL THEN r.quantity ELSE 0 END),
	SUM(CASE WHEN r.cond IS NOT NULL AND r.cond <> 'resellable' THEN r.quantity ELSE 0 END)`

func rebuildSalesSQL(d *dialect) string {
	return `INSERT INTO analytics_sales (lvl, blk, country, region, category, currency, lines, units, value)
	SELECT 0, ` + d.sqlDay("o.placed_at") + `, o.ship_country, o.ship_region, ol.category, o.currency,
	COUNT(*), SUM(ol.quantity), SUM(ol.unit_price * ol.quantity - ol.discount)
	FROM orders o JOIN order_lines ol ON ol.order_id = o.id
	GROUP BY 2, o.ship_country, o.ship_region, ol.category, o.currency`
}

func rebuildSKUSalesSQL(d *dialect) string {
	return `INSERT INTO analytics_sku_sales (lvl, blk, sku, category, lines, units)
	SELECT 0, ` + d.sqlDay("o.placed_at") + `, ol.sku, ol.category, COUNT(*), SUM(ol.quantity)
	FROM orders o JOIN order_lines ol ON ol.order_id = o.id
	GROUP BY 2, ol.sku, ol.category`
}

const rebuildShoppersSQL = `INSERT INTO analytics_shoppers (email, returns, units_returned, orders, units_bought)
	SELECT email, SUM(returns), SUM(units_returned), SUM(orders), SUM(units_bought) FROM (
		SELECT o.email_norm AS email, 0 AS returns, 0 AS units_returned, 1 AS orders,
			COALESCE((SELECT SUM(ol.quantity) FROM order_lines ol WHERE ol.order_id = o.id), 0) AS units_bought
		FROM orders o
		UNION ALL
		SELECT o.email_norm, 1, (SELECT SUM(ri.quantity) FROM return_items ri WHERE ri.return_id = r.id), 0, 0
		FROM returns r JOIN orders o ON o.id = r.order_id
		WHERE ` + sqlCounted + ` AND EXISTS (SELECT 1 FROM return_items ri WHERE ri.return_id = r.id)) AS s
	GROUP BY email`

// projectSQL fills a projection's days from its table's.
func projectSQL(r rollup) string {
	var sums []string
	for _, m := range r.measures {
		sums = append(sums, "SUM("+m+")")
	}
	return `INSERT INTO ` + r.name + ` (lvl, blk, ` + strings.Join(append(append([]string{}, r.keys...), r.measures...), ", ") + `)
		SELECT 0, blk, ` + strings.Join(r.keys, ", ") + `, ` + strings.Join(sums, ", ") + `
		FROM ` + r.of.name + ` WHERE lvl = 0 GROUP BY blk, ` + strings.Join(r.keys, ", ")
}

// levelUpSQL fills a level of a table from the level below: a block of
// level k holds whole blocks of level k-1. The day numbers are shifted by
// a multiple of every block's length so that the division rounds down.
func levelUpSQL(r rollup, level int) string {
	const shift = 7 * 256 * 10000
	size := strconv.Itoa(1 << (2 * (level - 1)))
	w := "((blk - 4 + " + strconv.Itoa(shift) + ") / 7)"
	blk := "(4 + 7 * (" + w + " - " + w + " % " + size + ") - " + strconv.Itoa(shift) + ")"
	var sums []string
	for _, m := range r.measures {
		sums = append(sums, "SUM("+m+")")
	}
	cols := append(r.keys, r.measures...)
	if r.text != "" {
		sums = append(sums, "MAX("+r.text+")")
		cols = append(cols, r.text)
	}
	return `INSERT INTO ` + r.name + ` (lvl, blk, ` + strings.Join(cols, ", ") + `)
		SELECT ` + strconv.Itoa(level) + `, ` + blk + `, ` + strings.Join(r.keys, ", ") + `, ` + strings.Join(sums, ", ") + `
		FROM ` + r.name + ` WHERE lvl = ` + strconv.Itoa(level-1) + `
		GROUP BY 2, ` + strings.Join(r.keys, ", ")
}

// analyticsBuiltSetting records that the report tables were filled: a
// database migrated to 00007 with returns already in it is recounted once
// (Migrate).
const analyticsBuiltSetting = "analytics_built"

func markAnalyticsBuilt(ctx context.Context, tx *sqlx.Tx, now time.Time) error {
	_, err := exec(ctx, tx, `INSERT INTO settings (key, value, updated_at) VALUES (?, '1', ?)
		ON CONFLICT (key) DO NOTHING`, analyticsBuiltSetting, now)
	return err
}

// ensureAnalytics fills the report tables once, after the migration that
// creates them (Migrate): a database that already held returns is
// recounted; later, every change keeps them.
func (s *Store) ensureAnalytics(ctx context.Context) error {
	if err := s.prepareWriterStmts(ctx); err != nil {
		return err
	}
	var n int
	if err := get(ctx, s.w, &n, `SELECT COUNT(*) FROM settings WHERE key = ?`, analyticsBuiltSetting); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.RebuildAnalytics(ctx)
}

// StaleReports records that the report tables miss changes (a bulk import
// writing Uncounted), until RebuildAnalytics recounts them: should the
// import stop before that, the next Migrate (every start of the portal)
// recounts them.
func (s *Store) StaleReports(ctx context.Context) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `DELETE FROM settings WHERE key = ?`, analyticsBuiltSetting)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: stale reports: %w", err)
	}
	return nil
}

// CheckAnalytics recounts the report tables from the raw rows and compares
// them with the stored ones, changing nothing (the recount is rolled
// back): the rows that differ, at most limit of them, each as "table:
// stored … / recounted …". `returns-portal analytics check` runs it; the
// tests run it after every kind of change.
func (s *Store) CheckAnalytics(ctx context.Context, limit int) ([]string, error) {
	var diffs []string
	errRollback := errors.New("rollback")
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		for _, r := range rollups {
			if _, err := exec(ctx, tx, `CREATE TEMP TABLE check_`+r.name+` AS SELECT `+
				strings.Join(r.compared(), ", ")+` FROM `+r.name); err != nil {
				return err
			}
		}
		if err := rebuildAnalytics(ctx, s.d, tx, s.stamp()); err != nil {
			return err
		}
		for _, r := range rollups {
			cols := strings.Join(r.compared(), ", ")
			for _, side := range []struct{ label, a, b string }{
				{"stored", "check_" + r.name, r.name},
				{"recounted", r.name, "check_" + r.name},
			} {
				rows, err := tx.QueryxContext(ctx, `SELECT `+cols+` FROM `+side.a+` EXCEPT SELECT `+cols+` FROM `+side.b+
					` LIMIT `+strconv.Itoa(limit))
				if err != nil {
					return err
				}
				for rows.Next() {
					vals, err := rows.SliceScan()
					if err != nil {
						rows.Close()
						return err
					}
					diffs = append(diffs, fmt.Sprintf("%s %s: %v", r.name, side.label, vals))
				}
				if err := errors.Join(rows.Err(), rows.Close()); err != nil {
					return err
				}
			}
		}
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, fmt.Errorf("store: check analytics: %w", err)
	}
	if len(diffs) > limit {
		diffs = diffs[:limit]
	}
	return diffs, nil
}

// compared are the columns a check compares: all but the merged text (a
// product's name is the greatest it was ever counted under, which a
// recount of fewer rows may not see).
func (r rollup) compared() []string { return append(r.keyColumns(), r.measures...) }
