package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/returns"
)

// AnalyticsFilter selects what a report counts: the returns requested (the
// orders placed) on the UTC days From to To inclusive, and the dimensions
// that are set. Each report table applies the dimensions it has; the
// service says which a report could not apply.
type AnalyticsFilter struct {
	From, To                                       int64
	Country, Region, Hub, Reason, Category, Method string
	// SalesCountries stands for the hub filter on the sales tables, which
	// have no hub (an order's hub is its country's): the countries the hub
	// serves. nil when no hub is asked for.
	SalesCountries []string
}

// RollupSum is one group of a report table's rows: the values of the
// grouping columns and the summed measures, in the table's order.
type RollupSum struct {
	Key []string
	M   []int64
}

// where builds the condition on a report table: the blocks that cover the
// range (analytics.Blocks), then each dimension of dims that is set. The
// blocks are sought level by level in the primary key.
func (f AnalyticsFilter) where(dims map[string]string) (string, []any) {
	return whereBlocks(analytics.Blocks(f.From, f.To), dims)
}

// whereBlocks is where for a given list of blocks.
func whereBlocks(blocks []analytics.Block, dims map[string]string) (string, []any) {
	byLevel := map[int][]any{}
	for _, b := range blocks {
		byLevel[b.Level] = append(byLevel[b.Level], b.Start)
	}
	if len(byLevel) == 0 {
		return "1 = 0", nil
	}
	var terms []string
	var args []any
	for level := 0; level < analytics.Levels; level++ {
		starts := byLevel[level]
		if len(starts) == 0 {
			continue
		}
		terms = append(terms, "(lvl = ? AND blk IN ("+placeholders(len(starts))+"))")
		args = append(args, level)
		args = append(args, starts...)
	}
	cond := "(" + strings.Join(terms, " OR ") + ")"
	cols := make([]string, 0, len(dims))
	for c := range dims {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		if v := dims[c]; v != "" {
			cond += " AND " + c + " = ?"
			args = append(args, v)
		}
	}
	return cond, args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// sumRollup sums a report table's measures over the rows where says,
// grouped by the columns by (key columns of the table, or blk). want are
// the indexes of the measures to sum (nil: all); the others are left 0.
func (s *Store) sumRollup(ctx context.Context, r rollup, where string, args []any, by []string, want []int) ([]RollupSum, error) {
	if !r.has(by) {
		return nil, fmt.Errorf("store: %s has no column among %q", r.name, by)
	}
	if want == nil {
		for i := range r.measures {
			want = append(want, i)
		}
	}
	cols := append([]string{}, by...)
	for _, i := range want {
		cols = append(cols, "SUM("+r.measures[i]+")")
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + r.name + " WHERE " + where
	if len(by) > 0 {
		q += " GROUP BY " + strings.Join(by, ", ")
	}
	rows, err := s.r.QueryContext(ctx, s.r.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: sum %s: %w", r.name, err)
	}
	defer rows.Close()
	var out []RollupSum
	for rows.Next() {
		key := make([]sql.NullString, len(by))
		m := make([]sql.NullInt64, len(want))
		dest := make([]any, 0, len(cols))
		for i := range key {
			dest = append(dest, &key[i])
		}
		for i := range m {
			dest = append(dest, &m[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: sum %s: %w", r.name, err)
		}
		if len(by) == 0 && len(m) > 0 && !m[0].Valid {
			continue // no rows: SUM is NULL
		}
		sum := RollupSum{Key: make([]string, len(by)), M: make([]int64, len(r.measures))}
		for i, k := range key {
			sum.Key[i] = k.String
		}
		for i, v := range m {
			sum.M[want[i]] = v.Int64
		}
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sum %s: %w", r.name, err)
	}
	return out, nil
}

// returnDims are the filter's dimensions on the returns and speed tables.
func (f AnalyticsFilter) returnDims() map[string]string {
	return map[string]string{"country": f.Country, "region": f.Region, "hub": f.Hub, "reason": f.Reason,
		"category": f.Category, "method": f.Method}
}

// used are the dimensions a query needs: those of the filter that are set,
// and more.
func (f AnalyticsFilter) used(more ...string) []string {
	out := append([]string{}, more...)
	for d, v := range f.returnDims() {
		if v != "" {
			out = append(out, d)
		}
	}
	return out
}

// returnsTable is the smallest returns table that has the dimensions.
func returnsTable(dims []string) rollup {
	return smallest(dims, rollReturnsGeo, rollReturnsItems, rollReturns)
}

// SumReturns sums the returns tables (analytics.ReturnMeasureColumns; want
// are the indexes of the measures to sum, nil for all) over the filter,
// grouped by some of country, region, hub, method, reason, category,
// currency and state. states, when given, keeps only those states. It
// reads the smallest table that has the dimensions it needs.
func (s *Store) SumReturns(ctx context.Context, f AnalyticsFilter, states []string, want []int, by ...string) ([]RollupSum, error) {
	where, args := f.where(f.returnDims())
	if len(states) > 0 {
		where += " AND state IN (" + placeholders(len(states)) + ")"
		for _, st := range states {
			args = append(args, st)
		}
	}
	return s.sumRollup(ctx, returnsTable(f.used(append(by, "state")...)), where, args, by, want)
}

// SumReturnsPerBlock sums the returns tables over the given blocks (which
// must not overlap: a trend's points, each split by analytics.Blocks),
// block by block: the key is the block's first day.
func (s *Store) SumReturnsPerBlock(ctx context.Context, f AnalyticsFilter, blocks []analytics.Block, states []string, want []int) ([]RollupSum, error) {
	where, args := whereBlocks(blocks, f.returnDims())
	if len(states) > 0 {
		where += " AND state IN (" + placeholders(len(states)) + ")"
		for _, st := range states {
			args = append(args, st)
		}
	}
	return s.sumRollup(ctx, returnsTable(f.used("state")), where, args, []string{"blk"}, want)
}

// SumSpeed sums the speed tables' histograms over the filter.
func (s *Store) SumSpeed(ctx context.Context, f AnalyticsFilter) (analytics.SpeedM, error) {
	var out analytics.SpeedM
	where, args := f.where(f.returnDims())
	t := smallest(f.used(), rollSpeedGeo, rollSpeedItems, rollSpeed)
	sums, err := s.sumRollup(ctx, t, where, args, nil, nil)
	if err != nil || len(sums) == 0 {
		return out, err
	}
	for i, v := range sums[0].M {
		out[i/analytics.Buckets][i%analytics.Buckets] = v
	}
	return out, nil
}

// SKUSum is a SKU's counted return items over a range.
type SKUSum struct {
	SKU, Category, Name                           string
	Units, Value, InspectedUnits, UnsellableUnits int64
}

// TopSKUs are the SKUs with the most units returned over the filter's
// range, reason and category (the SKU tables have no other dimension), most
// first, then by SKU.
func (s *Store) TopSKUs(ctx context.Context, f AnalyticsFilter, limit int) ([]SKUSum, error) {
	table, dims := "analytics_skus", map[string]string{"category": f.Category}
	if f.Reason != "" {
		table, dims = "analytics_sku_reasons", map[string]string{"reason": f.Reason, "category": f.Category}
	}
	where, args := f.where(dims)
	var rows []struct {
		SKU        string `db:"sku"`
		Category   string `db:"category"`
		Units      int64  `db:"units"`
		Value      int64  `db:"value"`
		Inspected  int64  `db:"inspected_units"`
		Unsellable int64  `db:"unsellable_units"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT sku, category, SUM(units) AS units, SUM(value) AS value,
		SUM(inspected_units) AS inspected_units, SUM(unsellable_units) AS unsellable_units
		FROM `+table+` WHERE `+where+` GROUP BY sku, category
		ORDER BY SUM(units) DESC, sku, category LIMIT `+strconv.Itoa(limit), args...); err != nil {
		return nil, fmt.Errorf("store: top SKUs: %w", err)
	}
	out := make([]SKUSum, len(rows))
	skus := make([]any, len(rows))
	for i, r := range rows {
		out[i] = SKUSum{SKU: r.SKU, Category: r.Category, Units: r.Units, Value: r.Value,
			InspectedUnits: r.Inspected, UnsellableUnits: r.Unsellable}
		skus[i] = r.SKU
	}
	if len(rows) == 0 {
		return out, nil
	}
	// The names, from the rows of these SKUs over every reason.
	where, args = f.where(nil)
	var names []struct {
		SKU  string `db:"sku"`
		Name string `db:"name"`
	}
	if err := sel(ctx, s.r, &names, `SELECT sku, MAX(name) AS name FROM analytics_skus WHERE `+where+
		` AND sku IN (`+placeholders(len(skus))+`) GROUP BY sku`, append(args, skus...)...); err != nil {
		return nil, fmt.Errorf("store: names of SKUs: %w", err)
	}
	for _, n := range names {
		for i := range out {
			if out[i].SKU == n.SKU {
				out[i].Name = n.Name
			}
		}
	}
	return out, nil
}

// SKUReasons are the units returned of some SKUs for some reasons over the
// filter's range and category: sku → reason → units. Both lists are sought
// in the table's key (reason, then SKU, in each block).
func (s *Store) SKUReasons(ctx context.Context, f AnalyticsFilter, skus, reasons []string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	if len(skus) == 0 || len(reasons) == 0 {
		return out, nil
	}
	where, args := f.where(map[string]string{"category": f.Category})
	where += " AND reason IN (" + placeholders(len(reasons)) + ") AND sku IN (" + placeholders(len(skus)) + ")"
	for _, r := range reasons {
		args = append(args, r)
	}
	for _, k := range skus {
		args = append(args, k)
	}
	var rows []struct {
		SKU    string `db:"sku"`
		Reason string `db:"reason"`
		Units  int64  `db:"units"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT sku, reason, SUM(units) AS units FROM analytics_sku_reasons
		WHERE `+where+` GROUP BY sku, reason`, args...); err != nil {
		return nil, fmt.Errorf("store: reasons of SKUs: %w", err)
	}
	for _, r := range rows {
		if out[r.SKU] == nil {
			out[r.SKU] = map[string]int64{}
		}
		out[r.SKU][r.Reason] += r.Units
	}
	return out, nil
}

// SKUSales are the units sold of some SKUs in orders placed over the
// filter's range (and category): sku → units.
func (s *Store) SKUSales(ctx context.Context, f AnalyticsFilter, skus []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(skus) == 0 {
		return out, nil
	}
	where, args := f.where(map[string]string{"category": f.Category})
	where += " AND sku IN (" + placeholders(len(skus)) + ")"
	for _, k := range skus {
		args = append(args, k)
	}
	var rows []struct {
		SKU   string `db:"sku"`
		Units int64  `db:"units"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT sku, SUM(units) AS units FROM analytics_sku_sales WHERE `+where+`
		GROUP BY sku`, args...); err != nil {
		return nil, fmt.Errorf("store: SKU sales: %w", err)
	}
	for _, r := range rows {
		out[r.SKU] += r.Units
	}
	return out, nil
}

// SumSales sums the sales table (analytics.SalesMeasureColumns) over the
// filter's range, country, region and category (and the hub's countries),
// grouped by some of country, region, category, currency.
func (s *Store) SumSales(ctx context.Context, f AnalyticsFilter, by ...string) ([]RollupSum, error) {
	where, args := f.where(map[string]string{"country": f.Country, "region": f.Region, "category": f.Category})
	if f.SalesCountries != nil {
		if len(f.SalesCountries) == 0 {
			return nil, nil
		}
		where += " AND country IN (" + placeholders(len(f.SalesCountries)) + ")"
		for _, c := range f.SalesCountries {
			args = append(args, c)
		}
	}
	return s.sumRollup(ctx, rollSales, where, args, by, nil)
}

// Shopper is a shopper's counts, all time (the customers report).
type Shopper struct {
	Email         string `db:"email"`
	Returns       int64  `db:"returns"`
	UnitsReturned int64  `db:"units_returned"`
	Orders        int64  `db:"orders"`
	UnitsBought   int64  `db:"units_bought"`
	// InRange is the shopper's counted returns requested in the report's
	// range (ShopperReturnsInRange).
	InRange int64 `db:"-"`
}

// TopShoppers are the shoppers with the most counted returns, all time,
// then the most units returned.
func (s *Store) TopShoppers(ctx context.Context, limit int) ([]Shopper, error) {
	var out []Shopper
	if err := sel(ctx, s.r, &out, `SELECT email, returns, units_returned, orders, units_bought FROM analytics_shoppers
		WHERE returns > 0 ORDER BY returns DESC, units_returned DESC, email DESC LIMIT `+strconv.Itoa(limit)); err != nil {
		return nil, fmt.Errorf("store: top shoppers: %w", err)
	}
	return out, nil
}

// ShopperReturnsInRange counts the counted returns of some shoppers
// requested on the filter's days: e-mail → returns.
func (s *Store) ShopperReturnsInRange(ctx context.Context, f AnalyticsFilter, emails []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(emails) == 0 {
		return out, nil
	}
	args := []any{}
	for _, e := range emails {
		args = append(args, e)
	}
	args = append(args, analytics.DayTime(f.From), analytics.DayTime(f.To+1))
	var rows []struct {
		Email string `db:"email_norm"`
		N     int64  `db:"n"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT o.email_norm, COUNT(*) AS n FROM orders o JOIN returns r ON r.order_id = o.id
		WHERE o.email_norm IN (`+placeholders(len(emails))+`) AND r.created_at >= ? AND r.created_at < ?
		AND r.status NOT IN ('cancelled', 'rejected', 'expired')
		GROUP BY o.email_norm`, args...); err != nil {
		return nil, fmt.Errorf("store: shoppers' returns in range: %w", err)
	}
	for _, r := range rows {
		out[r.Email] = r.N
	}
	return out, nil
}

// OverdueReturn is a return whose legal refund deadline has passed while
// its refund is still owed.
type OverdueReturn struct {
	RMA       string    `db:"rma"`
	Status    string    `db:"status"`
	Country   string    `db:"ship_country"`
	Due       string    `db:"refund_due"`
	OverdueAt time.Time `db:"refund_overdue_at"`
	CreatedAt time.Time `db:"created_at"`
}

// OverdueReturns are the returns overdue at now (returns.RefundOverdue),
// whatever day they were requested, with the filter's dimensions: how many,
// and the first limit of them, the longest overdue first. They are found in
// the index of status, deadline and hub (few: the open returns past their
// deadline); only a filter on something else reads their rows.
func (s *Store) OverdueReturns(ctx context.Context, f AnalyticsFilter, now time.Time, limit int) (int, []OverdueReturn, error) {
	var args []any
	var owed []string
	for _, st := range []returns.Status{returns.StatusRequested, returns.StatusApproved, returns.StatusReceived, returns.StatusInspected} {
		if st.RefundOwed() {
			owed = append(owed, string(st))
			args = append(args, string(st))
		}
	}
	args = append(args, dbTime(now))
	found := `SELECT id, refund_overdue_at FROM returns WHERE status IN (` + placeholders(len(owed)) + `) AND refund_overdue_at <= ?`
	if f.Hub != "" {
		// Compared through COALESCE so that the planner keeps to the
		// status index (whose rows carry the hub) instead of reading a
		// whole hub's returns from returns_hub_created.
		found += " AND COALESCE(hub, '') = ?"
		args = append(args, f.Hub)
	}
	where := ""
	for _, c := range []struct{ col, v string }{{"r.ship_country", f.Country}, {"r.refund_method", f.Method}} {
		if c.v != "" {
			where += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	if f.Region != "" {
		where += " AND (SELECT o.ship_region FROM orders o WHERE o.id = r.order_id) = ?"
		args = append(args, f.Region)
	}
	if f.Reason != "" || f.Category != "" {
		where += ` AND EXISTS (SELECT 1 FROM return_items ri
			LEFT JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_id = ri.line_id
			WHERE ri.return_id = r.id`
		if f.Reason != "" {
			where += " AND ri.reason = ?"
			args = append(args, f.Reason)
		}
		if f.Category != "" {
			where += " AND COALESCE(ol.category, '') = ?"
			args = append(args, f.Category)
		}
		where += ")"
	}
	const columns = `r.rma, r.status, r.ship_country, r.refund_due, r.refund_overdue_at, r.created_at`
	var n int
	var out []OverdueReturn
	if where == "" {
		// The index answers the count; the rows of the first ones only are read.
		if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM (`+found+`) d`, args...); err != nil {
			return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
		}
		if limit > 0 {
			if err := sel(ctx, s.r, &out, `SELECT `+columns+` FROM (`+found+` ORDER BY refund_overdue_at, id LIMIT `+
				strconv.Itoa(limit)+`) d JOIN returns r ON r.id = d.id ORDER BY r.refund_overdue_at, r.id`, args...); err != nil {
				return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
			}
		}
	} else {
		// One pass over the overdue returns' rows: count them all, keep
		// the first.
		q := `WITH d AS MATERIALIZED (` + found + `) SELECT ` + columns + ` FROM d JOIN returns r ON r.id = d.id
			WHERE TRUE` + where + ` ORDER BY r.refund_overdue_at, r.id`
		if limit == 0 {
			q = `WITH d AS MATERIALIZED (` + found + `) SELECT COUNT(*) FROM d JOIN returns r ON r.id = d.id WHERE TRUE` + where
			if err := get(ctx, s.r, &n, q, args...); err != nil {
				return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
			}
		} else {
			rows, err := s.r.QueryxContext(ctx, s.r.Rebind(q), args...)
			if err != nil {
				return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				if n < limit {
					var o OverdueReturn
					if err := rows.StructScan(&o); err != nil {
						return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
					}
					out = append(out, o)
				}
				n++
			}
			if err := rows.Err(); err != nil {
				return 0, nil, fmt.Errorf("store: overdue returns: %w", err)
			}
		}
	}
	for i := range out {
		out[i].OverdueAt, out[i].CreatedAt = out[i].OverdueAt.UTC(), out[i].CreatedAt.UTC()
	}
	return n, out, nil
}

// FeedbackSummary is the shoppers' feedback (the survey after a refund) on
// returns requested in a range: how many answered, the sum of their scores
// (1 to 5), the count per score, and the latest comments.
type FeedbackSummary struct {
	Answers, ScoreSum int64
	PerScore          [6]int64
	Comments          []FeedbackComment
}

// FeedbackComment is one shopper's comment.
type FeedbackComment struct {
	RMA     string    `db:"rma"`
	Score   int       `db:"score"`
	Comment string    `db:"comment"`
	At      time.Time `db:"created_at"`
}

// ShopperFeedback reads the feedback on the returns requested in the
// filter's range (country, hub and method applied), with the latest
// comments.
func (s *Store) ShopperFeedback(ctx context.Context, f AnalyticsFilter, comments int) (FeedbackSummary, error) {
	var out FeedbackSummary
	where := `r.created_at >= ? AND r.created_at < ?`
	args := []any{analytics.DayTime(f.From), analytics.DayTime(f.To + 1)}
	for col, v := range map[string]string{"r.ship_country": f.Country, "r.hub": f.Hub, "r.refund_method": f.Method} {
		if v != "" {
			where += " AND " + col + " = ?"
			args = append(args, v)
		}
	}
	var per []struct {
		Score int   `db:"score"`
		N     int64 `db:"n"`
	}
	if err := sel(ctx, s.r, &per, `SELECT fb.score, COUNT(*) AS n FROM feedback fb JOIN returns r ON r.id = fb.return_id
		WHERE `+where+` GROUP BY fb.score`, args...); err != nil {
		return out, fmt.Errorf("store: feedback: %w", err)
	}
	for _, p := range per {
		if p.Score >= 1 && p.Score <= 5 {
			out.PerScore[p.Score] += p.N
			out.Answers += p.N
			out.ScoreSum += int64(p.Score) * p.N
		}
	}
	if err := sel(ctx, s.r, &out.Comments, `SELECT r.rma, fb.score, fb.comment, fb.created_at
		FROM feedback fb JOIN returns r ON r.id = fb.return_id
		WHERE `+where+` AND fb.comment <> '' ORDER BY fb.created_at DESC, fb.id DESC LIMIT `+strconv.Itoa(comments), args...); err != nil {
		return out, fmt.Errorf("store: feedback comments: %w", err)
	}
	for i := range out.Comments {
		out.Comments[i].At = out.Comments[i].At.UTC()
	}
	return out, nil
}
