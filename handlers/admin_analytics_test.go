package handlers

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/service"
)

// analyticsApp is a staff app with returns of three demo orders in three
// currencies, and a viewer logged in.
func analyticsApp(t *testing.T) (*testApp, *staffClient, []string) {
	t.Helper()
	a := newStaffApp(t)
	rmas := []string{
		a.newReturn("DE-1001", "L1", 1, "original_payment"),
		a.newReturn("JP-1006", "L2", 2, "store_credit"),
		a.newReturn("KW-1007", "L2", 1, "original_payment"),
	}
	return a, a.staff().login("viewer"), rmas
}

// TestAnalyticsPages: every report renders for a viewer with its tab
// current, its sections and tables, each table with its CSV link; the
// overview counts the three returns and the demo's own (ES-1008); the
// Arabic page is right to left.
func TestAnalyticsPages(t *testing.T) {
	_, s, _ := analyticsApp(t)
	sections := map[string][]string{
		"overview":  {"overview-rows", "overview-states", "overview-value-rates"},
		"products":  {"products-rows", "products-categories"},
		"reasons":   {"reasons-rows", "reasons-by-category"},
		"countries": {"countries-rows", "countries-regions", "countries-hubs"},
		"money":     {"money-rows"},
		"speed":     {"speed-rows", "speed-distribution", "speed-overdue"},
		"customers": {"customers-rows"},
	}
	for _, r := range service.Reports {
		p := s.get("/admin/analytics/" + r)
		if p.res.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", r, p.res.Code, p.res.Body)
		}
		if attr(p.one("tab-"+r), "aria-current") != "page" {
			t.Errorf("%s: its tab is not current", r)
		}
		for _, sec := range sections[r] {
			if !p.has("section-" + sec) {
				t.Errorf("%s: no section %s", r, sec)
			}
		}
		if csp := p.res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") {
			t.Errorf("%s: CSP %q", r, csp)
		}
		if strings.Contains(p.res.Body.String(), "style=") {
			t.Errorf("%s: an inline style the CSP would block", r)
		}
	}
	o := s.get("/admin/analytics")
	if got := text(o.one("kpi-returns")); !strings.HasSuffix(got, "4") {
		t.Errorf("overview returns: %q", got)
	}
	if len(o.all("row-overview-rows")) == 0 || !o.has("chart-chart-trend") {
		t.Error("overview: no trend")
	}
	ar := s.get("/admin/analytics/reasons?lang=ar")
	if !strings.Contains(ar.res.Body.String(), `<html lang="ar" dir="rtl">`) {
		t.Error("the Arabic page is not right to left")
	}
	// The reason in the page's words, not its code.
	if got := text(ar.one("table-reasons-rows")); strings.Contains(got, "wrong_size") {
		t.Errorf("Arabic reasons table shows a code: %q", got)
	}
}

// TestAnalyticsBadFilters: a filter that cannot be read is a 422 naming
// it, on the page (next to the field) and in the API (its path).
func TestAnalyticsBadFilters(t *testing.T) {
	a, s, _ := analyticsApp(t)
	for _, c := range []struct{ query, field, code string }{
		{"from=2026-13-01", "from", "invalid"},
		{"to=yesterday", "to", "invalid"},
		{"from=2026-03-10&to=2026-03-01", "to", "out_of_range"},
		{"from=2020-01-01&to=2026-01-01", "from", "out_of_range"},
		{"country=DEU", "country", "invalid"},
		{"region=CA%2FX", "region", "invalid"},
		{"method=cash", "method", "unknown_method"},
		{"reason=" + strings.Repeat("x", 65), "reason", "too_long"},
		{"category=%2A", "category", "invalid"},
	} {
		p := s.get("/admin/analytics/overview?" + c.query)
		if p.res.Code != http.StatusUnprocessableEntity || !p.has("error-"+c.field) {
			t.Errorf("page %s: %d, error shown %v", c.query, p.res.Code, p.has("error-"+c.field))
		}
		code, m := a.doJSON(request{method: "GET", path: "/api/v1/analytics/reasons?" + c.query, header: a.auth()})
		if code != http.StatusUnprocessableEntity || errorFields(m)[c.field] != c.code {
			t.Errorf("API %s: %d %v", c.query, code, m)
		}
		csv := s.get("/admin/analytics/reasons.csv?" + c.query)
		if csv.res.Code != http.StatusUnprocessableEntity {
			t.Errorf("CSV %s: %d", c.query, csv.res.Code)
		}
	}
}

// TestAnalyticsAPI: the answer's shape, the filters echoed, the scope, an
// unknown report.
func TestAnalyticsAPI(t *testing.T) {
	a, _, _ := analyticsApp(t)
	code, m := a.doJSON(request{method: "GET", path: "/api/v1/analytics/reasons?country=de", header: a.auth()})
	if code != http.StatusOK {
		t.Fatalf("reasons: %d %v", code, m)
	}
	for _, k := range []string{"from", "to", "filters", "rows"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %v", k, m)
		}
	}
	if f := m["filters"].(map[string]any); f["country"] != "DE" || f["from"] != m["from"] {
		t.Errorf("filters %v", f)
	}
	rows := m["rows"].([]any)
	if len(rows) != 1 {
		t.Fatalf("rows for DE: %v", rows)
	}
	row := rows[0].(map[string]any)
	if row["reason"] != "wrong_size" || row["returns"].(float64) != 1 || row["units"].(float64) != 1 {
		t.Errorf("row %v", row)
	}
	// DE-1001's T-shirt: 2 × 25.00 − 5.00 paid, one unit back.
	if amounts := row["refund_amounts"].(map[string]any); amounts["EUR"].(float64) != 2250 {
		t.Errorf("refund_amounts %v", amounts)
	}
	for _, r := range service.Reports {
		if code, m := a.doJSON(request{method: "GET", path: "/api/v1/analytics/" + r, header: a.auth()}); code != 200 || m["rows"] == nil {
			t.Errorf("%s: %d %v", r, code, m)
		}
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/analytics/nope", header: a.auth()}); code != http.StatusNotFound {
		t.Errorf("unknown report: %d", code)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/analytics/overview"}); code != http.StatusUnauthorized {
		t.Errorf("no key: %d", code)
	}
	key, err := a.st.CreateAPIKey(context.Background(), "orders only", []string{"orders:write"})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/analytics/overview",
		header: map[string]string{"Authorization": "Bearer " + key}}); code != http.StatusForbidden {
		t.Errorf("a key without returns:read: %d", code)
	}
}

// TestAnalyticsCSV: each table downloads as CSV with the page's filters;
// text a spreadsheet would run as a formula is defused; an unknown table
// is a 404.
func TestAnalyticsCSV(t *testing.T) {
	a, s, _ := analyticsApp(t)
	code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/F-1", header: a.auth(), body: map[string]any{
		"email": demo.Email, "currency": "EUR", "placed_at": a.clock.AddDate(0, 0, -10).Format("2006-01-02T15:04:05Z"),
		"delivered_at":     a.clock.AddDate(0, 0, -5).Format("2006-01-02T15:04:05Z"),
		"shipping_address": map[string]any{"name": "F", "line1": "1 A", "city": "Berlin", "postal_code": "10115", "country": "DE"},
		"payment":          map[string]any{"method": "card"},
		"lines": []any{map[string]any{"id": "L1", "sku": "=HYPERLINK(\"http://x\")", "name": "@SUM(1)", "quantity": 1,
			"unit_price": 1000, "category": "-apparel", "hs_code": "610910"}}}})
	if code != 201 {
		t.Fatalf("order: %d %v", code, m)
	}
	a.newReturn("F-1", "L1", 1, "original_payment")
	p := s.get("/admin/analytics/products.csv?country=DE")
	if p.res.Code != 200 || !strings.HasPrefix(p.res.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(p.res.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV: %d %v", p.res.Code, p.res.Header())
	}
	recs, err := csv.NewReader(strings.NewReader(p.res.Body.String())).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV %q: %v", p.res.Body, err)
	}
	if strings.Join(recs[0], ",") != "sku,name,category,units_sold,units_returned,return_rate,top_reason,inspected_units,not_resellable_units,not_resellable_share" {
		t.Errorf("header %v", recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		if strings.Contains(r[0], "HYPERLINK") {
			found = true
			if r[0][0] != '\'' || r[1][0] != '\'' || r[2][0] != '\'' {
				t.Errorf("formulas not defused: %v", r)
			}
		}
	}
	if !found {
		t.Errorf("the SKU is not in the export: %v", recs)
	}
	cats := s.get("/admin/analytics/products.csv?table=categories")
	if cats.res.Code != 200 || !strings.Contains(cats.res.Body.String(), "refund_amounts.EUR") {
		t.Errorf("categories CSV: %d %q", cats.res.Code, cats.res.Body)
	}
	if nope := s.get("/admin/analytics/products.csv?table=nope"); nope.res.Code != http.StatusNotFound {
		t.Errorf("unknown table: %d", nope.res.Code)
	}
	if nope := s.get("/admin/analytics/nope.csv"); nope.res.Code != http.StatusNotFound {
		t.Errorf("unknown report: %d", nope.res.Code)
	}
}
