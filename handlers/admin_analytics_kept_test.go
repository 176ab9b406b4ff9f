package handlers

import (
	"net/http"
	"strings"
	"testing"
)

// TestAnalyticsKept: a keep-the-item return (DE-1022's socks, kept under
// the demo's returnless rule and refunded at once) is counted in the
// overview: the page's figure with what was paid back, the API's summary
// and its "kept" table; the other returns are not.
func TestAnalyticsKept(t *testing.T) {
	a, s, _ := analyticsApp(t)
	a.newReturn("DE-1022", "L1", 1, "original_payment")
	o := s.get("/admin/analytics")
	if got := text(o.one("kpi-kept")); !strings.Contains(got, "1") || !strings.Contains(got, "9.00") {
		t.Errorf("kept figure %q", got)
	}
	code, m := a.doJSON(request{method: "GET", path: "/api/v1/analytics/overview", header: a.auth()})
	if code != http.StatusOK {
		t.Fatalf("overview: %d %v", code, m)
	}
	if m["kept"].(float64) != 1 {
		t.Errorf("kept %v", m["kept"])
	}
	if paid := m["kept_refunded"].(map[string]any); len(paid) != 1 || paid["EUR"].(float64) != 900 {
		t.Errorf("kept_refunded %v", paid)
	}
	rows, _ := m["kept_by_currency"].([]any)
	if len(rows) != 1 {
		t.Fatalf("kept_by_currency %v", m["kept_by_currency"])
	}
	if row := rows[0].(map[string]any); row["currency"] != "EUR" || row["returns"].(float64) != 1 || row["refunded"].(float64) != 900 {
		t.Errorf("kept row %v", row)
	}
}
