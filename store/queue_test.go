package store

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

// queuePlanCases are the queue's filter and sort combinations whose query
// plans TestQueuePlans checks.
func queuePlanCases() map[string]QueueFilter {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	from, to := now.AddDate(0, -1, 0), now
	cur := encodeCursor(now, 1000)
	return map[string]QueueFilter{
		"first": {},
		// The parcel filters select the returns from shipments_state.
		"shipment_in_transit": {Shipment: ShipmentFilterInTransit},
		"shipment_delivered":  {Shipment: ShipmentFilterDelivered},
		"shipment_page2":      {Shipment: ShipmentFilterInTransit, Cursor: cur},
		"oldest":              {Sort: SortOldest},
		"due":                 {Sort: SortDue},
		"page2":               {Cursor: cur},
		"page2_oldest":        {Cursor: cur, Sort: SortOldest},
		"page2_due":           {Cursor: cur, Sort: SortDue},
		"status":              {Status: "received"},
		"status_page2":        {Status: "received", Cursor: cur},
		"status_oldest":       {Status: "received", Sort: SortOldest},
		"status_due":          {Status: "received", Sort: SortDue},
		"country":             {Country: "de"},
		"country_page2":       {Country: "de", Cursor: cur},
		"status_country":      {Status: "rejected", Country: "FI"},
		"reason":              {Reason: "damaged"},
		"hub":                 {Hub: "eu"},
		"hub_page2":           {Hub: "eu", Cursor: cur},
		"hub_oldest":          {Hub: "eu", Sort: SortOldest},
		"hub_dates":           {Hub: "eu", From: &from, To: &to},
		"status_hub":          {Status: "received", Hub: "eu"},
		"country_hub":         {Country: "DE", Hub: "eu"},
		"hub_due":             {Hub: "eu", Sort: SortDue},
		"status_hub_due":      {Status: "received", Hub: "eu", Sort: SortDue},
		"overdue_hub":         {Overdue: true, Hub: "eu"},
		"dates":               {From: &from, To: &to},
		"dates_page2":         {From: &from, To: &to, Cursor: cur},
		"status_dates":        {Status: "received", From: &from, To: &to},
		"country_dates":       {Country: "DE", From: &from, To: &to},
		"overdue":             {Overdue: true},
		"overdue_page2":       {Overdue: true, Cursor: cur},
		"overdue_due":         {Overdue: true, Sort: SortDue},
		"search_rma":          {Search: "r-abcd-efgh"},
		"search_order":        {Search: "SO-1000001"},
		"search_email":        {Search: "Ana@Example.com"},
		"search_status":       {Search: "SO-1000001", Status: "requested"},
		"search_overdue_due":  {Search: "r-abcd-efgh", Overdue: true, Sort: SortDue},
		"search_hub_page2":    {Search: "Ana@Example.com", Hub: "eu", Cursor: cur},
	}
}

// queuePlan returns the lines of the query plan of the queue for f.
func queuePlan(t *testing.T, s *Store, f QueueFilter) []string {
	t.Helper()
	q, args, _, err := queueQuery(f)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID      int    `db:"id"`
		Parent  int    `db:"parent"`
		NotUsed int    `db:"notused"`
		Detail  string `db:"detail"`
	}
	if err := s.r.SelectContext(context.Background(), &rows, "EXPLAIN QUERY PLAN "+s.r.Rebind(q), args...); err != nil {
		t.Fatal(err)
	}
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	return plan
}

// TestQueuePlans keeps the queue fast at a million returns (`make
// bench-admin` measures it): every filter and sort reaches the returns
// through an index range, never a scan of the table, and only the searches
// (a handful of rows) and the overdue filter sort (the overdue returns' keys,
// read from an index alone).
// The unfiltered queue and the reason filter walk returns_created in order,
// stopping after a page. SQLite plans without statistics here as on a
// database that has never been analysed, which is how the store runs.
func TestQueuePlans(t *testing.T) {
	s, _ := openTest(t)
	for _, name := range slices.Sorted(maps.Keys(queuePlanCases())) {
		f := queuePlanCases()[name]
		f.Now = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		plan := queuePlan(t, s, f)
		text := strings.Join(plan, " | ")
		for _, line := range plan {
			switch {
			case line == "SCAN r" || line == "SCAN o" || line == "SCAN os" || line == "SCAN ri":
				t.Errorf("%s: full table scan (%s)", name, text)
			case strings.HasPrefix(line, "SCAN r "):
				if name != "first" && name != "oldest" && name != "reason" {
					t.Errorf("%s: walks a whole index of the returns (%s)", name, text)
				}
			case strings.Contains(line, "TEMP B-TREE FOR ORDER BY"):
				// The searches and the parcel filters select few returns
				// by their own index, then sort those.
				if !strings.HasPrefix(name, "search_") && !strings.HasPrefix(name, "overdue") && !strings.HasPrefix(name, "shipment_") {
					t.Errorf("%s: sorts the rows it selected (%s)", name, text)
				}
			}
		}
		if strings.HasPrefix(name, "overdue") && !strings.Contains(text, "USING COVERING INDEX returns_status_overdue") {
			t.Errorf("%s: does not pick the page from returns_status_overdue alone (%s)", name, text)
		}
		if strings.HasPrefix(name, "shipment_") && !strings.Contains(text, "SEARCH sh USING COVERING INDEX shipments_state") {
			t.Errorf("%s: does not select the returns from shipments_state (%s)", name, text)
		}
		if strings.HasPrefix(name, "search_") && !strings.Contains(text, "SEARCH os USING COVERING INDEX") {
			t.Errorf("%s: does not find the order by its index (%s)", name, text)
		}
		// With other filters too, the few returns the search found drive
		// the query; the filters are checked on them.
		if strings.HasPrefix(name, "search_") && (!strings.Contains(text, "SEARCH r USING INTEGER PRIMARY KEY") ||
			strings.Contains(text, "SEARCH r USING INDEX") || strings.Contains(text, "SCAN r")) {
			t.Errorf("%s: the search's returns do not drive the query (%s)", name, text)
		}
	}
}

// TestStatusCountsExact: the counts per status that the queue shows stay
// equal to a count of the returns through creates, transitions, cancels,
// receipt, inspection and refund, and are untouched by refused changes.
func TestStatusCountsExact(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	o := sampleOrder("O-2")
	o.Lines[0].Quantity = 100
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		var rows []struct {
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		if err := sel(ctx, s.r, &rows, `SELECT status, COUNT(*) AS n FROM returns GROUP BY status`); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, r := range rows {
			want[r.Status] = r.N
		}
		got, err := s.StatusCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		maps.DeleteFunc(got, func(_ string, n int) bool { return n == 0 })
		if !maps.Equal(got, want) {
			t.Fatalf("after %s: counts %v, want %v", step, got, want)
		}
	}
	var rmas []string
	for i := 0; i < 8; i++ {
		r, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1)))
		if err != nil {
			t.Fatal(err)
		}
		rmas = append(rmas, r.RMA)
	}
	check("creates")
	// A refused create (build fails) and a refused transition change nothing.
	if _, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L9", 1))); err == nil {
		t.Fatal("unknown line accepted")
	}
	if _, err := s.Transition(ctx, rmas[0], returns.StatusClosed, "staff", ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("approved → closed: %v", err)
	}
	check("refusals")
	for i, to := range []returns.Status{returns.StatusCancelled, returns.StatusRejected, returns.StatusExpired} {
		if _, err := s.Transition(ctx, rmas[i], to, "staff", ""); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("transition to %s", to))
	}
	if _, err := s.Receive(ctx, rmas[3], "staff"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Receive(ctx, rmas[3], "staff"); !errors.Is(err, ErrConflict) {
		t.Fatalf("second receive: %v", err)
	}
	check("receive")
	// A whole refund: receive, inspect, refund, close.
	s2, r, decide := refundSetup(t)
	s = s2
	check("inspect")
	if _, _, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: "k", RequestHash: "h", Actor: "t"}, decide); err != nil {
		t.Fatal(err)
	}
	check("refund")
	if _, err := s.Transition(ctx, r.RMA, returns.StatusClosed, "staff", ""); err != nil {
		t.Fatal(err)
	}
	check("close")
}

// TestQueueKeysetTies: returns created in the same microsecond are paged
// through once each, in every sort order.
func TestQueueKeysetTies(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	o := sampleOrder("O-2")
	o.Lines[0].Quantity = 100
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 7; i++ {
		s.now = func() time.Time { return t0.Add(time.Duration(i/3) * time.Hour) }
		if _, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1))); err != nil {
			t.Fatal(err)
		}
	}
	for _, sortBy := range []string{SortNewest, SortOldest, SortDue} {
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 10; page++ {
			rows, next, err := s.Queue(ctx, QueueFilter{Sort: sortBy, Limit: 2, Cursor: cursor, Now: t0})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if seen[r.RMA] {
					t.Errorf("%s: %s twice", sortBy, r.RMA)
				}
				seen[r.RMA] = true
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if len(seen) != 7 {
			t.Errorf("%s: %d returns, want 7", sortBy, len(seen))
		}
	}
	seen := map[int64]bool{}
	cursor := ""
	for page := 0; page < 10; page++ {
		rows, next, err := s.ReturnsUpdated(ctx, "", time.Time{}, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			seen[r.ID] = true
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	if len(seen) != 7 {
		t.Errorf("returns updated: %d returns, want 7", len(seen))
	}
}

// TestQueueSearchEmail: the e-mail search ignores case, also beyond ASCII
// (the store normalises in Go, not with SQL's LOWER), and follows an update
// of the order's e-mail.
func TestQueueSearchEmail(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	o := sampleOrder("O-2")
	o.Email = "Élise.Ünal@Example.com"
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1))); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"élise.ünal@example.com": 1, "ÉLISE.ÜNAL@EXAMPLE.COM": 1, "elise.unal@example.com": 0} {
		rows, _, err := s.Queue(ctx, QueueFilter{Search: q})
		if err != nil || len(rows) != want {
			t.Errorf("%q: %d rows, %v; want %d", q, len(rows), err, want)
		}
	}
	o.Email = "new@example.com"
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if rows, _, err := s.Queue(ctx, QueueFilter{Search: "NEW@example.com"}); err != nil || len(rows) != 1 {
		t.Errorf("after the update: %d rows, %v", len(rows), err)
	}
}

// TestStatusWritesCount: every function of the package that inserts a
// return or sets a return's status also calls countStatus, so that a new
// status change cannot forget the counts per status.
func TestStatusWritesCount(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	writes := regexp.MustCompile(`(?is)insert\s+into\s+returns\s*\(|update\s+returns\s+set\s[^` + "`" + `]*\bstatus\s*=`)
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			var writesStatus, counts bool
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if n.Kind == token.STRING && writes.MatchString(n.Value) {
						writesStatus = true
					}
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "countStatus" {
						counts = true
					}
				}
				return true
			})
			if writesStatus {
				found++
				if !counts {
					t.Errorf("%s: %s writes a return's status without countStatus", fset.Position(fn.Pos()), fn.Name.Name)
				}
			}
		}
	}
	// CreateReturn inserts; every status change goes through moveStatus.
	// Fewer than those two means the scan itself is broken.
	if found < 2 {
		t.Errorf("found %d functions that write a status, want CreateReturn and moveStatus at least", found)
	}
}

// TestQueueHub: a return keeps the hub of its own policy version for its
// destination (a later policy does not move it), the queue filters by it,
// and Migrate fills the hub of returns stored without one.
func TestQueueHub(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	pt := sampleOrder("O-PT")
	us := sampleOrder("O-US")
	us.ShippingAddress.Country, us.ShippingAddress.Region = "US", "NY"
	for _, o := range []returns.Order{pt, us} {
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	create := func(order string) string {
		t.Helper()
		r, err := s.CreateReturn(ctx, order, "shopper", build(item("L1", 1)))
		if err != nil {
			t.Fatal(err)
		}
		return r.RMA
	}
	ptOld, usOld := create("O-PT"), create("O-US")
	// Version 2 sends US parcels to a hub of their own.
	p := samplePolicy(30)
	p.Regions[0].Rules.Hub = ptr("us-nj")
	p.Hubs = append(p.Hubs, returns.Hub{Code: "us-nj", Name: "New Jersey", Address: returns.HubAddress{City: "Newark", Country: "US"}})
	if _, err := s.SavePolicy(ctx, p, "test"); err != nil {
		t.Fatal(err)
	}
	usNew := create("O-US")
	check := func(step string) {
		t.Helper()
		for hub, want := range map[string][]string{"eu-berlin": {ptOld, usOld}, "us-nj": {usNew}, "nowhere": nil} {
			rows, _, err := s.Queue(ctx, QueueFilter{Hub: hub, Sort: SortOldest})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.RMA)
				if r.Hub == nil || *r.Hub != hub {
					t.Errorf("%s: %s has hub %v", step, r.RMA, r.Hub)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: hub %s: %v, want %v", step, hub, got, want)
			}
		}
	}
	check("created")
	// Returns stored before migration 00005 have no hub: Migrate computes
	// it under each return's own policy version.
	if _, err := exec(ctx, s.w, `UPDATE returns SET hub = NULL`); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check("backfilled")
}
