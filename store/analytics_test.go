package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/returns"
)

// agree fails the test when the report tables differ from a recount of
// the raw rows (CheckAnalytics).
func agree(t *testing.T, s *Store, step string) {
	t.Helper()
	diffs, err := s.CheckAnalytics(context.Background(), 20)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	for _, d := range diffs {
		t.Errorf("%s: %s", step, d)
	}
}

// TestAnalyticsFollowEveryChange: after each kind of change to a return or
// an order (creation, a status change, cancel, receive, an inspection that
// lowers the amount, goodwill, the refund, an order updated with new lines
// and another address), the report tables equal a recount from the raw rows,
// and the rows they hold moved as the change says.
func TestAnalyticsFollowEveryChange(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	agree(t, s, "empty")
	if n := countRows(t, s, "analytics_sales"); n == 0 {
		t.Fatal("the order's sales are not counted")
	}
	r, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 2), returns.QuoteItem{LineID: "L2", Quantity: 1, Reason: "damaged"}))
	if err != nil {
		t.Fatal(err)
	}
	agree(t, s, "created")
	if n := countRows(t, s, "analytics_returns"); n != 2*analytics.Levels {
		t.Errorf("%d returns rows, want two items at each level", n)
	}
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-2")); err != nil {
		t.Fatal(err)
	}
	cancelled, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, cancelled.RMA, returns.StatusCancelled, "shopper", ""); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "cancelled")
	if _, err := s.Receive(ctx, r.RMA, "staff:ana"); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "received")
	requote := func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, acc map[string]int) (returns.Quote, error) {
		return returns.RequoteAccepted(o, p, returns.LoadLegal(), h, r, acc)
	}
	if _, err := s.Inspect(ctx, r.RMA, "staff:ana", []returns.InspectedItem{
		{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable},
		{LineID: "L2", Accepted: 1, Condition: returns.ConditionDamaged}}, requote); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "inspected")
	g := returns.GoodwillRequest{LineID: "L1", Amount: 300, Reason: "late"}
	if _, err := s.AddGoodwill(ctx, r.RMA, "staff:root", g, func(returns.Order, returns.Return) error { return nil }); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "goodwill")
	decide := func(r returns.Return, o returns.Order, earlier int64) (RefundClaim, error) {
		d, err := returns.DecideRefund(r)
		if err != nil {
			return RefundClaim{}, err
		}
		return RefundClaim{Decision: d, Executor: "manual"}, nil
	}
	// Claimed, the refund is not paid yet: the reports do not count it.
	var claim Claim
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		claim, err = tx.ClaimRefund(RefundRequest{RMA: r.RMA, Key: "k", RequestHash: "h", Actor: "t"}, time.Minute, decide)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "refund claimed")
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.FinishRefund(claim.Refund.ID, RefundOutcome{State: RefundSucceeded, Reference: "manual:original_payment",
			Response: []byte(`{}`), ResponseStatus: 201, Actor: "t"}, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "refunded")
	var refunded, goodwill int64
	if err := s.r.QueryRowContext(ctx, `SELECT SUM(refunded), SUM(goodwill) FROM analytics_returns WHERE lvl = 0`).
		Scan(&refunded, &goodwill); err != nil || refunded == 0 || goodwill != 300 {
		t.Errorf("refunded %d, goodwill %d, %v", refunded, goodwill, err)
	}
	// The order moves to another region and gains a line: its sales and
	// its returns' rows follow.
	o := sampleOrder("O-1")
	o.ShippingAddress.Country, o.ShippingAddress.Region = "PT", "11"
	o.Lines = append(o.Lines, returns.Line{ID: "L3", SKU: "CAP", Name: "Cap", Quantity: 3, UnitPrice: 900, Category: "accessories"})
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "order updated")
	var region int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM analytics_returns WHERE region = '11'`).Scan(&region); err != nil || region == 0 {
		t.Errorf("the returns did not follow the order's region: %d %v", region, err)
	}
	// A recount changes nothing, and a damaged table is found.
	if err := s.RebuildAnalytics(ctx); err != nil {
		t.Fatal(err)
	}
	agree(t, s, "rebuilt")
	if _, err := exec(ctx, s.w, `UPDATE analytics_returns SET units = units + 1 WHERE lvl = 3`); err != nil {
		t.Fatal(err)
	}
	if diffs, err := s.CheckAnalytics(ctx, 5); err != nil || len(diffs) == 0 {
		t.Errorf("a damaged table passes the check: %v %v", diffs, err)
	}
}

// TestAnalyticsRolledBackWithTheChange: a change that fails leaves the
// report tables as they were.
func TestAnalyticsRolledBackWithTheChange(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	before := countRows(t, s, "analytics_returns")
	err := s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.CreateReturn("O-1", "shopper", build(item("L1", 1))); err != nil {
			return err
		}
		return fmt.Errorf("the use case fails after the return")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if after := countRows(t, s, "analytics_returns"); after != before {
		t.Errorf("rows %d → %d after a rolled-back change", before, after)
	}
	agree(t, s, "rolled back")
}

// TestShopperFeedback: the survey's scores and the latest comments of the
// returns requested in the range, narrowed by country; none before any.
func TestShopperFeedback(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	f := AnalyticsFilter{From: 0, To: 1 << 20}
	if got, err := s.ShopperFeedback(ctx, f, 10); err != nil || got.Answers != 0 {
		t.Fatalf("before any answer: %+v %v", got, err)
	}
	r1, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	now := s.stamp()
	for _, fb := range []struct {
		id           int64
		score        int
		comment      string
		minutesLater int
	}{{r1.ID, 5, "quick and easy", 1}, {r2.ID, 2, "", 2}} {
		if _, err := exec(ctx, s.w, `INSERT INTO feedback (return_id, score, comment, created_at) VALUES (?, ?, ?, ?)`,
			fb.id, fb.score, fb.comment, now.Add(time.Duration(fb.minutesLater)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ShopperFeedback(ctx, f, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers != 2 || got.ScoreSum != 7 || got.PerScore[5] != 1 || got.PerScore[2] != 1 ||
		len(got.Comments) != 1 || got.Comments[0].Comment != "quick and easy" || got.Comments[0].RMA != r1.RMA {
		t.Errorf("feedback %+v", got)
	}
	f.Country = "FR"
	if got, err := s.ShopperFeedback(ctx, f, 10); err != nil || got.Answers != 0 {
		t.Errorf("feedback from France: %+v %v", got, err)
	}
}

// TestAnalyticsBulkWrites: a write with more keys than one upsert
// statement takes (bulkKeys), as an import's batch of orders is, keeps the
// report tables equal to a recount: keys of different days that share
// their larger blocks (one SKU on many days), repeated shoppers, and then
// an update of many orders in one write, which subtracts their old lines
// (rows that fall to zero are deleted).
func TestAnalyticsBulkWrites(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	const n = 3 * bulkKeys
	orderOf := func(i int, sku string) returns.Order {
		o := sampleOrder(fmt.Sprintf("BULK-%03d", i))
		o.Email = fmt.Sprintf("shopper%d@example.com", i%7)
		o.PlacedAt = o.PlacedAt.AddDate(0, 0, -i) // days apart, blocks shared
		o.Lines[0].SKU = fmt.Sprintf("%s-%d", sku, i%50)
		return o
	}
	write := func(step, sku string) {
		t.Helper()
		if err := s.Write(ctx, func(tx *Tx) error {
			for i := range n {
				if _, err := tx.UpsertOrder(orderOf(i, sku)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		agree(t, s, step)
	}
	write("imported", "BULKTEE")
	if got := countRows(t, s, "analytics_sku_sales"); got < bulkKeys*analytics.Levels {
		t.Fatalf("%d SKU sales rows: too few keys for a bulk statement", got)
	}
	write("updated to other SKUs", "BULKCAP")
	var left int
	if err := get(ctx, s.r, &left, `SELECT COUNT(*) FROM analytics_sku_sales WHERE sku LIKE 'BULKTEE-%'`); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d rows of the SKUs no order holds any more", left)
	}
}

// TestBulkStatementsStaySmall: the writer keeps every report table's bulk
// upsert prepared for the server's life, and SQLite's program for one
// grows with its rows; 64 keys a statement made them ~110,000 instructions
// (~7 MB of memory), 16 make ~30,000.
func TestBulkStatementsStaySmall(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "returns.db")) // SQLite whichever engine the suite runs
	total := 0
	for _, r := range rollups {
		q := rollupSQL[s.d][r.name].bulk
		rows, err := s.r.QueryxContext(context.Background(), "EXPLAIN "+q, make([]any, strings.Count(q, "?"))...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			total++
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if total > 40_000 {
		t.Errorf("the bulk upserts are %d instructions, more than the 40,000 budgeted", total)
	}
}

// TestUncountedWritesRecounted: orders written Uncounted are missing from
// the report tables until RebuildAnalytics; an import that stopped after
// StaleReports has them recounted by the next Migrate (every start).
func TestUncountedWritesRecounted(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if err := s.StaleReports(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, func(tx *Tx) error {
		tx.Uncounted()
		_, err := tx.UpsertOrder(sampleOrder("UNCOUNTED-1"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	diffs, err := s.CheckAnalytics(ctx, 5)
	if err != nil || len(diffs) == 0 {
		t.Fatalf("the uncounted order is in the reports already (%v)", err)
	}
	if err := s.Migrate(ctx); err != nil { // the import stopped here: the next start
		t.Fatal(err)
	}
	agree(t, s, "recounted at the next start")
}
