package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// keyed calls the merchant API of a running portal with its demo key.
func (p *portal) keyed(t *testing.T, method, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, "http://"+p.Addr+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", path)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v %v", method, path, res.StatusCode, m, err)
	}
	return m
}

// analyticsReturns makes returns of several demo orders in several
// currencies through the APIs, and takes some of them to the refund.
func analyticsReturns(t *testing.T, p *portal) {
	t.Helper()
	for _, r := range []struct {
		order, line, reason, method string
		qty                         int
		refund                      bool
	}{
		{demo.FeaturedOrder, "L1", "wrong_size", "original_payment", 2, true},
		{"JP-1006", "L2", "wrong_size", "store_credit", 2, true},
		{"KW-1007", "L2", "not_as_described", "original_payment", 1, true},
		{"US-1005", "L1", "changed_mind", "original_payment", 1, false},
		{"GB-1012", "L1", "wrong_item", "original_payment", 1, false},
		{"CH-1011", "L1", "changed_mind", "original_payment", 1, true},
	} {
		lk := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": r.order, "email": demo.Email})
		c := p.postJSON(t, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": r.method,
			"items": []any{map[string]any{"line_id": r.line, "quantity": r.qty, "reason": r.reason}}})
		rma := c["rma"].(string)
		if !r.refund {
			continue
		}
		p.keyed(t, "POST", "/api/v1/returns/"+rma+"/receive", map[string]any{})
		p.keyed(t, "POST", "/api/v1/returns/"+rma+"/inspect", map[string]any{"items": []any{
			map[string]any{"line_id": r.line, "accepted_quantity": r.qty, "condition": "resellable"}}})
		p.keyed(t, "POST", "/api/v1/returns/"+rma+"/refund", map[string]any{})
	}
}

// TestBrowserAnalytics: the demo admin opens every report in English and
// Arabic in the portal as `make run` starts it, after returns were made and
// refunded through the APIs: each shows its figures and charts, axe finds
// no violation, the browser's console stays clean (the CSP blocks nothing),
// and the Arabic charts are drawn right to left; screenshots of each.
func TestBrowserAnalytics(t *testing.T) {
	p := startPortal(t)
	analyticsReturns(t, p)
	ctx, cons := privateTab(t, 3*time.Minute)
	base := p.URL
	wait := chromedp.WaitVisible[chromedp.CSS]
	login(t, ctx, p, base)
	must(t, ctx, "analytics from the menu", chromedp.Click(testID("nav-analytics")), wait(testID("kpis")))
	if got := text(t, ctx, "kpi-returns"); !strings.Contains(got, "7") { // six here, one of the demo's
		t.Errorf("returns on the overview: %q", got)
	}
	reports := []string{"overview", "products", "reasons", "countries", "money", "speed", "customers"}
	for _, lang := range []string{"en", "ar"} {
		for _, r := range reports {
			must(t, ctx, r+" "+lang, chromedp.Navigate(base+"/admin/analytics/"+r+"?lang="+lang),
				wait(chromedp.CSS(`[data-testid="tab-`+r+`"][aria-current="page"]`)), wait(chromedp.CSS(`table.report`)))
			shot(t, ctx, "analytics-"+r+"-"+lang)
			noAxeViolations(t, ctx, "analytics "+r+" "+lang)
		}
	}
	// The reasons chart: in English each label ends left of its bar, in
	// Arabic it starts right of it (the bars grow from the right), as laid
	// out by the browser.
	for lang, js := range map[string]string{
		"en": `t.x + t.width <= +r.getAttribute('x') + 1`,
		"ar": `t.x >= +r.getAttribute('x') + +r.getAttribute('width') - 1`,
	} {
		must(t, ctx, "reasons chart "+lang, chromedp.Navigate(base+"/admin/analytics/reasons?lang="+lang), wait(testID("chart-chart-reasons")))
		beside, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](
			`Array.from(document.querySelectorAll('[data-testid="chart-chart-reasons"] svg > g')).map(g => {
				const t = g.querySelector('text').getBBox(), r = g.querySelector('rect'); return `+js+`; })`))
		if err != nil || len(beside) == 0 {
			t.Fatalf("reasons chart %s: %v %v", lang, beside, err)
		}
		for i, ok := range beside {
			if !ok {
				t.Errorf("reasons chart %s: label %d overlaps its bar", lang, i)
			}
		}
	}
	// A filter narrows the figures; a bad one is explained next to its field.
	must(t, ctx, "filter by country", chromedp.Navigate(base+"/admin/analytics/overview?country=JP"), wait(testID("kpis")))
	if got := text(t, ctx, "kpi-returns"); !strings.HasSuffix(strings.TrimSpace(got), "1") {
		t.Errorf("returns to Japan: %q", got)
	}
	noViolations(t, cons)
	// The browser logs the 422 itself as an error: from here on only the
	// CSP is watched.
	must(t, ctx, "bad filter", chromedp.Navigate(base+"/admin/analytics/overview?from=2026-02-30"), wait(testID("error-from")))
	shot(t, ctx, "analytics-bad-filter-en")
	noAxeViolations(t, ctx, "analytics bad filter")
	if v := cons.violations(); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}
