package handlers

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// exportCSV downloads the queue's CSV export with the query and returns
// the answer and its records by RMA (the header row checked).
func exportCSV(t *testing.T, s *staffClient, query string) (page, []map[string]string) {
	t.Helper()
	res := s.get("/admin/returns.csv?" + query)
	if res.res.Code != http.StatusOK {
		t.Fatalf("export %s: %d %s", query, res.res.Code, res.res.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(res.res.Body.String())).ReadAll()
	if err != nil {
		t.Fatalf("export %s: %v", query, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], exportHeader) {
		t.Fatalf("export %s: header %v", query, recs)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range exportHeader {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return res, out
}

func byRMA(recs []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range recs {
		out[r["rma"]] = r
	}
	return out
}

func TestAdminExportCSV(t *testing.T) {
	a := newStaffApp(t)
	de := a.newReturn("DE-1001", "L1", 1, "original_payment")
	us := a.newReturn("US-1005", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleViewer)

	res, recs := exportCSV(t, s, "")
	h := res.res.Header()
	if h.Get("Content-Type") != "text/csv; charset=utf-8" || h.Get("Cache-Control") != "no-store" ||
		h.Get("Content-Disposition") != `attachment; filename="returns-`+a.now().UTC().Format("20060102")+`.csv"` {
		t.Errorf("headers %v", h)
	}
	rows := byRMA(recs)
	d, u := rows[de], rows[us]
	if d == nil || u == nil {
		t.Fatalf("export lacks the returns: %v", recs)
	}
	r, err := a.st.GetReturn(context.Background(), de)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"status": string(r.Status), "order_number": "DE-1001", "country": "DE", "hub": "eu-berlin",
		"reasons": "wrong_size", "refund_method": "original_payment", "currency": "EUR",
		"quote_total": majorUnits(r.Quote.Total, "EUR"), "quote_total_minor": fmt.Sprint(r.Quote.Total),
		"overdue": "false", "goodwill": "false",
		"created_at": r.CreatedAt.In(berlin(t)).Format(time.RFC3339)} // the default hub's zone
	for k, v := range want {
		if d[k] != v {
			t.Errorf("DE %s = %q, want %q", k, d[k], v)
		}
	}
	if !strings.Contains(d["quote_total"], ".") || d["email"] == "" {
		t.Errorf("DE row %v", d)
	}
	// EU: a legal refund deadline; US: none, another hub.
	if _, err := time.Parse("2006-01-02", d["refund_deadline"]); err != nil {
		t.Errorf("DE deadline %q", d["refund_deadline"])
	}
	if u["refund_deadline"] != "" || u["hub"] != "us-newark" || u["currency"] != "USD" {
		t.Errorf("US row %v", u)
	}

	// The queue's filters select the same returns.
	for _, c := range []struct {
		query    string
		want     []string
		not      []string
		wantNone bool
	}{
		{query: "country=us", want: []string{us}, not: []string{de}},
		{query: "hub=eu-berlin", want: []string{de}, not: []string{us}},
		{query: "hub=us-newark&sort=oldest", want: []string{us}, not: []string{de}},
		{query: "q=" + url.QueryEscape(strings.ToLower(de)), want: []string{de}, not: []string{us}},
		{query: "status=received", wantNone: true},
		{query: "reason=wrong_size", want: []string{de, us}},
		{query: "from=2000-01-01&to=2000-01-02", wantNone: true},
	} {
		_, recs := exportCSV(t, s, c.query)
		got := byRMA(recs)
		for _, w := range c.want {
			if got[w] == nil {
				t.Errorf("%s: %s missing", c.query, w)
			}
		}
		for _, n := range c.not {
			if got[n] != nil {
				t.Errorf("%s: %s exported", c.query, n)
			}
		}
		if c.wantNone && len(recs) != 0 {
			t.Errorf("%s: %d rows", c.query, len(recs))
		}
		// The page shows the same set as the export (one page here).
		var onPage []string
		for _, r := range s.get("/admin/returns?" + c.query).all("queue-row") {
			onPage = append(onPage, attr(r, "data-rma"))
		}
		var exported []string
		for _, r := range recs {
			exported = append(exported, r["rma"])
		}
		if !slices.Equal(onPage, exported) {
			t.Errorf("%s: page %v, export %v", c.query, onPage, exported)
		}
	}
	// A filter the page would drop is refused, not widened to everything.
	for _, q := range []string{"status=nope", "from=yesterday", "cursor=bogus"} {
		if res := s.get("/admin/returns.csv?" + q); res.res.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, res.res.Code)
		}
	}
	// The queue links to the export with its filters, without the cursor.
	q := s.get("/admin/returns?country=us&hub=us-newark&overdue=1&cursor=abc")
	href, err := url.Parse(attr(q.one("export-csv"), "href"))
	if err != nil || href.Path != "/admin/returns.csv" {
		t.Fatalf("export link %v", href)
	}
	if v := href.Query(); v.Get("country") != "US" && v.Get("country") != "us" || v.Get("hub") != "us-newark" ||
		v.Get("overdue") != "1" || v.Has("cursor") {
		t.Errorf("export link %s", href)
	}
	// The hub filter on the page offers the policy's hubs.
	if !s.get("/admin/returns").has("filter-hub") {
		t.Error("no hub filter")
	}
}

// TestAdminExportFormulaInjection: cells that a spreadsheet would run as a
// formula are defused with a leading quote.
func TestAdminExportFormulaInjection(t *testing.T) {
	for in, want := range map[string]string{"=1+2": "'=1+2", "+1": "'+1", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "R-ABCD": "R-ABCD", "": "", "a=b": "a=b", "12.50": "12.50"} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
	a := newStaffApp(t)
	ctx := context.Background()
	o, err := a.st.GetOrder(ctx, "US-1005")
	if err != nil {
		t.Fatal(err)
	}
	o.Number, o.Email = "=HYPERLINK(\"https://evil.example\")", "@evil@example.com"
	if _, err := a.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	r, err := a.st.CreateReturn(ctx, o.Number, "test", bulkBuild("-cmd|' /C calc'!A0"))
	if err != nil {
		t.Fatal(err)
	}
	s := a.staff().login(store.RoleViewer)
	res, recs := exportCSV(t, s, "country=US")
	row := byRMA(recs)[r.RMA]
	if row == nil {
		t.Fatalf("return missing: %s", res.res.Body)
	}
	if row["order_number"] != "'"+o.Number || row["email"] != "'"+o.Email || row["reasons"] != "'-cmd|' /C calc'!A0" {
		t.Errorf("not defused: %v", row)
	}
	for _, line := range strings.Split(res.res.Body.String(), "\n") {
		for _, cell := range strings.Split(line, ",") {
			cell = strings.TrimPrefix(cell, `"`)
			if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
				t.Errorf("live formula cell %q", cell)
			}
		}
	}
}

// bulkBuild decides a return of one unit of L1 for reason, priced 1250.
func bulkBuild(reason string) store.BuildFunc {
	return func(o returns.Order, _ returns.History, _ int64, _ returns.Policy) (returns.Return, error) {
		return returns.Return{RefundMethod: returns.MethodOriginalPayment,
			Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: reason}},
			Quote: returns.Quote{Currency: o.Currency, Basis: returns.BasisPolicy, Total: 1250,
				Lines: []returns.QuoteLine{{LineID: "L1", Quantity: 1, Reason: reason, Refund: 1250}}}}, nil
	}
}

// TestAdminExportLarge: an export holds every matching return, across
// many batches of the keyset query, each once, in the queue's order.
func TestAdminExportLarge(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	o, err := a.st.GetOrder(ctx, "US-1005")
	if err != nil {
		t.Fatal(err)
	}
	o.Number = "BULK-1"
	o.Lines[0].Quantity = 3000
	if _, err := a.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	const n = 2500 // five batches of exportBatch
	for i := 0; i < n; i++ {
		if _, err := a.st.CreateReturn(ctx, "BULK-1", "test", bulkBuild("wrong_size")); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := a.st.StatusCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	s := a.staff().login(store.RoleViewer)
	res, recs := exportCSV(t, s, "")
	if len(recs) != total || total < n {
		t.Fatalf("%d rows, want %d", len(recs), total)
	}
	if !res.res.Flushed {
		t.Error("the export was not streamed")
	}
	seen := map[string]bool{}
	bulk := 0
	for i, r := range recs {
		if seen[r["rma"]] {
			t.Fatalf("%s twice", r["rma"])
		}
		seen[r["rma"]] = true
		if i > 0 && r["created_at"] > recs[i-1]["created_at"] {
			t.Fatalf("row %d out of order", i)
		}
		if r["order_number"] == "BULK-1" {
			bulk++
			if r["quote_total"] != "12.50" || r["quote_total_minor"] != "1250" || r["hub"] != "us-newark" {
				t.Fatalf("bulk row %v", r)
			}
		}
	}
	if bulk != n {
		t.Errorf("%d bulk rows, want %d", bulk, n)
	}
	// A filtered export pages through its own index alike.
	if _, recs := exportCSV(t, s, "hub=us-newark&sort=oldest"); len(recs) < n {
		t.Errorf("hub filter: %d rows", len(recs))
	}
}

func TestMajorUnits(t *testing.T) {
	for _, c := range []struct {
		minor int64
		cur   string
		want  string
	}{{1250, "EUR", "12.50"}, {1235, "JPY", "1235"}, {1500, "KWD", "1.500"}, {5, "USD", "0.05"}, {0, "EUR", "0.00"}} {
		if got := majorUnits(c.minor, c.cur); got != c.want {
			t.Errorf("majorUnits(%d, %s) = %q, want %q", c.minor, c.cur, got, c.want)
		}
	}
}

// berlin is the demo's staff zone: its default hub's, in Berlin.
func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
