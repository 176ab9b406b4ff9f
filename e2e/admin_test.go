package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/handlers"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/store"
)

const (
	agentEmail    = "agent@example.com"
	agentPassword = "a long passphrase for the packing bench"
)

// staffSite is the portal with the demo data, an agent account and one
// approved return; it returns the portal's URL and the return's RMA.
func staffSite(t *testing.T) (string, string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "returns.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateStaff(ctx, agentEmail, agentPassword, store.RoleAgent); err != nil {
		t.Fatal(err)
	}
	bundle, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	e, err := handlers.New(handlers.Config{Store: st, Bundle: bundle, Secret: bytes.Repeat([]byte("s"), 32),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	// The shopper's return, made through the JSON API.
	post := func(path string, body any) map[string]any {
		b, _ := json.Marshal(body)
		res, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode >= 300 {
			t.Fatalf("%s: %d %v %v", path, res.StatusCode, m, err)
		}
		return m
	}
	lk := post("/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email})
	var line string
	for _, l := range lk["lines"].([]any) {
		if lm := l.(map[string]any); lm["eligible"] == true {
			line = lm["line_id"].(string)
			break
		}
	}
	r := post("/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": line, "quantity": 1, "reason": "wrong_size"}}})
	if r["status"] != "approved" {
		t.Fatalf("the return is %v, want approved", r["status"])
	}
	return srv.URL, r["rma"].(string)
}

// privateTab is tab in a browser context of its own: the staff session
// cookie (host 127.0.0.1, any port) must not reach the shopper tests, which
// check that the portal works without any cookie.
func privateTab(t *testing.T, limit time.Duration) (context.Context, *console) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancel() })
	return ctx, watch(t, ctx, "page")
}

// TestBrowserAdminReceiveInspectRefund: an agent logs in, scans a parcel at
// the receiving bench twice (the second scan says it is already received,
// and the input is ready again each time), inspects it, refunds it, and
// reads the audit trail on the return's page.
func TestBrowserAdminReceiveInspectRefund(t *testing.T) {
	base, rma := staffSite(t)
	ctx, cons := privateTab(t, 25*time.Second)
	wait := chromedp.WaitVisible[chromedp.CSS]

	must(t, ctx, "login page", chromedp.Navigate(base+"/admin/login"), wait(testID("login-form")))
	must(t, ctx, "log in",
		chromedp.SendKeys(testID("login-email"), agentEmail),
		chromedp.SendKeys(testID("login-password"), agentPassword),
		chromedp.Click(testID("login-submit")),
		wait(chromedp.CSS(`[data-testid="queue-row"][data-rma="`+rma+`"]`)))
	shot(t, ctx, "admin-1-queue")

	// The scanner types the RMA and Enter into the focused input.
	scan := func(result string) {
		t.Helper()
		must(t, ctx, "scan "+result,
			chromedp.SendKeys(testID("scan-input"), strings.ToLower(rma)+kb.Enter),
			wait(chromedp.CSS(`[data-testid="scan-result"][data-result="`+result+`"]`)))
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement && document.activeElement.getAttribute("data-testid") || ""`))
		if err != nil || focused != "scan-input" {
			t.Errorf("after the %s scan the focus is on %q (%v), want the scan input", result, focused, err)
		}
	}
	must(t, ctx, "receive page", chromedp.Navigate(base+"/admin/receive"), wait(testID("scan-input")))
	scan("received")
	shot(t, ctx, "admin-2-received")
	scan("already_received")
	if got := text(t, ctx, "scan-result"); !strings.Contains(strings.ToLower(got), "already received") {
		t.Errorf("second scan says %q", got)
	}
	shot(t, ctx, "admin-3-already-received")

	must(t, ctx, "return page", chromedp.Navigate(base+"/admin/returns/"+rma), wait(testID("inspect-form")))
	must(t, ctx, "inspect",
		chromedp.SetValue(testID("inspect-condition"), "resellable"),
		chromedp.Click(testID("inspect-submit")),
		wait(chromedp.CSS(`[data-testid="status"][data-status="inspected"]`)),
		wait(testID("refund-form")))
	shot(t, ctx, "admin-4-inspected")
	must(t, ctx, "refund",
		chromedp.Click(testID("refund-submit")),
		wait(testID("refund-id")),
		wait(chromedp.CSS(`[data-testid="status"][data-status="refunded"]`)))
	if id := text(t, ctx, "refund-id"); !strings.HasPrefix(id, "rf_") {
		t.Errorf("refund id %q", id)
	}
	// The audit trail: every step, by whom.
	trail, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid="event"]')).map(e => (e.dataset.to || e.dataset.action) + " " + e.textContent.replace(/\s+/g, " "))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"approved", "received", "inspected", "refunded"}
	if len(trail) != len(want) {
		t.Fatalf("audit trail %q", trail)
	}
	for i, w := range want {
		if !strings.HasPrefix(trail[i], w+" ") {
			t.Errorf("event %d: %q, want %s", i, trail[i], w)
		}
		if i > 0 && !strings.Contains(trail[i], "staff:"+agentEmail) {
			t.Errorf("event %d without the agent: %q", i, trail[i])
		}
	}
	must(t, ctx, "show the trail", chromedp.ScrollIntoView(testID("events")))
	shot(t, ctx, "admin-5-refunded")
	noViolations(t, cons)
}
