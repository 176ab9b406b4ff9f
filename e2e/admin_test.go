package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/returns-portal/returns/demo"
)

// newReturn makes a shopper's return of the featured demo order through the
// JSON API of a running portal, as a storefront would; it is approved at
// once by the demo policy. It answers the RMA.
func newReturn(t *testing.T, p *portal) string {
	t.Helper()
	lk := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email})
	var line string
	for _, l := range lk["lines"].([]any) {
		if lm := l.(map[string]any); lm["eligible"] == true {
			line = lm["line_id"].(string)
			break
		}
	}
	r := p.postJSON(t, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": line, "quantity": 1, "reason": "wrong_size"}}})
	if r["status"] != "approved" {
		t.Fatalf("the return is %v, want approved", r["status"])
	}
	return r["rma"].(string)
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

// TestBrowserAdminReceiveInspectRefund: against the portal exactly as
// `make run` starts it (default base URL from the listen address, demo
// data), the demo admin logs in through the real form with the password the
// server printed, scans a parcel at the receiving bench twice (the second
// scan says it is already received, and the input is ready again each
// time), inspects it, refunds it, reads the audit trail, saves the
// settings and logs out.
func TestBrowserAdminReceiveInspectRefund(t *testing.T) {
	p := startPortal(t)
	rma := newReturn(t, p)
	ctx, cons := privateTab(t, 40*time.Second)
	base := p.URL
	wait := chromedp.WaitVisible[chromedp.CSS]

	login(t, ctx, p, base)
	must(t, ctx, "queue", wait(chromedp.CSS(`[data-testid="queue-row"][data-rma="`+rma+`"]`)))
	shot(t, ctx, "admin-1-queue")

	must(t, ctx, "receive page", chromedp.Navigate(base+"/admin/receive"), wait(testID("scan-input")))
	scan(t, ctx, rma, "received")
	shot(t, ctx, "admin-2-received")
	scan(t, ctx, rma, "already_received")
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
		wait(testID("refund-dialog")),
		chromedp.Click(testID("refund-confirm")),
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
	want := []string{"approved", "received", "inspected", "refund_claimed", "refunded"}
	if len(trail) != len(want) {
		t.Fatalf("audit trail %q", trail)
	}
	for i, w := range want {
		if !strings.HasPrefix(trail[i], w+" ") {
			t.Errorf("event %d: %q, want %s", i, trail[i], w)
		}
		if i > 0 && !strings.Contains(trail[i], "staff:"+p.AdminEmail) {
			t.Errorf("event %d without the admin: %q", i, trail[i])
		}
	}
	must(t, ctx, "show the trail", chromedp.ScrollIntoView(testID("events")))
	shot(t, ctx, "admin-5-refunded")

	// Settings: a change is saved and shown again.
	must(t, ctx, "settings page", chromedp.Navigate(base+"/admin/settings"), wait(testID("settings-form")))
	must(t, ctx, "save settings",
		chromedp.SetValue(testID("in-merchant_name"), "Browser Test Shop"),
		chromedp.Click(testID("settings-save")),
		wait(testID("settings-saved")))
	if v, err := chromedp.Run(ctx, chromedp.Value(testID("in-merchant_name"))); err != nil || v != "Browser Test Shop" {
		t.Errorf("merchant name after saving: %q %v", v, err)
	}
	logout(t, ctx, base)
	noViolations(t, cons)
}

// login opens the staff area at base (the address the browser uses) and
// logs in as the demo admin through the real form; the queue follows.
func login(t *testing.T, ctx context.Context, p *portal, base string) {
	t.Helper()
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "login page", chromedp.Navigate(base+"/admin"), wait(testID("login-form")))
	must(t, ctx, "log in",
		chromedp.SendKeys(testID("login-email"), p.AdminEmail),
		chromedp.SendKeys(testID("login-password"), p.AdminPassword),
		chromedp.Click(testID("login-submit")),
		wait(testID("who")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasPrefix(loc, base+"/admin/returns") {
		t.Errorf("after the login the browser is at %s, want %s/admin/returns", loc, base)
	}
}

// logout clicks "Log out"; the staff area then asks for a login again.
func logout(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "log out", chromedp.Click(testID("logout")), wait(testID("login-form")))
	must(t, ctx, "staff area after logout", chromedp.Navigate(base+"/admin/returns"), wait(testID("login-form")))
}

// scan types the RMA and Enter into the focused scan input, as a handheld
// scanner does, and waits for the result.
func scan(t *testing.T, ctx context.Context, rma, result string) {
	t.Helper()
	must(t, ctx, "scan "+result,
		// A scan typed before the page finished loading would submit the
		// form without htmx (a new page, which forgets the tones heard) or
		// before autofocus: wait as a person at the bench would.
		chromedp.Poll[chromedp.Void](`document.readyState === "complete"`),
		chromedp.SendKeys(testID("scan-input"), strings.ToLower(rma)+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="scan-result"][data-result="`+result+`"]`)))
	// A browser applies autofocus at its next rendering update after the
	// page loaded (no script: a new page per scan), so the focus may arrive
	// a moment after the result is visible.
	_, _ = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.getAttribute("data-testid") === "scan-input"`,
		chromedp.WithPollingTimeout(5*time.Second)))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement && document.activeElement.getAttribute("data-testid") || ""`))
	if err != nil || focused != "scan-input" {
		t.Errorf("after the %s scan the focus is on %q (%v), want the scan input", result, focused, err)
	}
}
