package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/platforms"
)

// The credentials the connectors test types: found nowhere afterwards.
const (
	e2eSecretsKey   = "e2e secrets key, longer than thirty-two characters"
	e2eStripeKey    = "sk_test_E2E_PLAINTEXT_stripe"
	e2eShopifyToken = "shpat_E2E_PLAINTEXT_token"
	e2eShopifyHook  = "E2E_PLAINTEXT_webhook_secret"
)

// TestBrowserAdminConnectors: with RETURNS_SECRETS_KEY in the server's
// environment, the demo admin saves the connectors form in a real browser
// (a Stripe key, a Shopify shop with its token, webhook secret and a
// mapping row); the page then shows the credentials as "set" and never
// their values, the database files hold none of them in plain text, and
// the saved webhook secret is in force: Shopify's documented sample order,
// signed with it, arrives and can be looked up.
func TestBrowserAdminConnectors(t *testing.T) {
	p := startPortalEnv(t, []string{"RETURNS_SECRETS_KEY=" + e2eSecretsKey})
	ctx, cons := privateTab(t, 45*time.Second)
	base := p.URL
	wait := chromedp.WaitVisible[chromedp.CSS]
	login(t, ctx, p, base)
	must(t, ctx, "settings page", chromedp.Navigate(base+"/admin/settings"), wait(testID("connectors-form")))
	if st := dataState(t, ctx, "state-connector.stripe.key"); st != "unset" {
		t.Fatalf("Stripe key before saving: %q", st)
	}
	must(t, ctx, "fill and save the connectors",
		chromedp.ScrollIntoView(testID("connectors-form")),
		chromedp.SendKeys(testID("in-connector.stripe.key"), e2eStripeKey),
		chromedp.SendKeys(testID("in-connector.shopify.shop"), "returns-test.myshopify.com"),
		chromedp.SendKeys(testID("in-connector.shopify.token"), e2eShopifyToken),
		chromedp.SendKeys(testID("in-connector.shopify.webhook_secret"), e2eShopifyHook),
		chromedp.SetValue(testID("map-shopify-0-kind"), "tag"),
		chromedp.SendKeys(testID("map-shopify-0-value"), "tag2"),
		chromedp.Click(testID("map-shopify-0-final_sale")),
		chromedp.Click(testID("connectors-save")),
		wait(testID("connectors-saved")))
	for _, id := range []string{"state-connector.stripe.key", "state-connector.shopify.token", "state-connector.shopify.webhook_secret"} {
		if st := dataState(t, ctx, id); st != "set" {
			t.Errorf("%s after saving: %q", id, st)
		}
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(testID("in-connector.stripe.key"))); err != nil || v != "" {
		t.Errorf("the Stripe key input holds %q (%v)", v, err)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(testID("map-shopify-0-value"))); err != nil || v != "tag2" {
		t.Errorf("mapping row after saving: %q (%v)", v, err)
	}
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{e2eStripeKey, e2eShopifyToken, e2eShopifyHook} {
		if strings.Contains(html, secret) {
			t.Errorf("the settings page shows %q", secret)
		}
	}
	must(t, ctx, "show the connectors", chromedp.ScrollIntoView(testID("connectors")))
	shot(t, ctx, "connectors-1-saved")
	noAxeViolations(t, ctx, "settings with connectors")

	// At rest: sealed. The server runs in WAL mode; read both files.
	var files []byte
	for _, f := range []string{p.DB, p.DB + "-wal"} {
		if b, err := os.ReadFile(f); err == nil {
			files = append(files, b...)
		}
	}
	if len(files) == 0 {
		t.Fatal("no database file to read")
	}
	for _, secret := range []string{e2eStripeKey, e2eShopifyToken, e2eShopifyHook} {
		if bytes.Contains(files, []byte(secret)) {
			t.Errorf("the database files hold %q in plain text", secret)
		}
	}

	// In force: a delivery signed with the saved secret, from the saved shop.
	sample, err := os.ReadFile("../platforms/testdata/shopify-orders-create.json")
	if err != nil {
		t.Fatal(err)
	}
	deliver := func(shop, secret string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+p.Addr+"/webhooks/shopify", bytes.NewReader(sample))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Shopify-Topic", "orders/create")
		req.Header.Set("X-Shopify-Webhook-Id", "e2e-"+shop+secret[:3])
		req.Header.Set("X-Shopify-Shop-Domain", shop)
		req.Header.Set("X-Shopify-Hmac-Sha256", platforms.Sign(sample, secret))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := deliver("returns-test.myshopify.com", "wrong secret"); code != http.StatusUnauthorized {
		t.Errorf("a delivery with another secret: %d", code)
	}
	if code, _ := deliver("other-shop.myshopify.com", e2eShopifyHook); code != http.StatusUnauthorized {
		t.Errorf("a delivery from another shop: %d", code)
	}
	if code, body := deliver("returns-test.myshopify.com", e2eShopifyHook); code != http.StatusOK || !strings.Contains(body, `"applied"`) {
		t.Fatalf("Shopify's sample signed with the saved secret: %d %s", code, body)
	}
	lk := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": "9999", "email": "jon@example.com"})
	if lines, _ := lk["lines"].([]any); len(lines) != 2 {
		t.Errorf("the sample order's lines: %v", lk["lines"])
	}
	for _, secret := range []string{e2eStripeKey, e2eShopifyToken, e2eShopifyHook} {
		if strings.Contains(p.log.String(), secret) {
			t.Errorf("the server's log holds %q", secret)
		}
	}
	noViolations(t, cons)
}

// dataState is the data-state attribute of the element with a test id
// ("" when there is none).
func dataState(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		var n = document.querySelector(`+strconv.Quote(`[data-testid="`+id+`"]`)+`);
		return n ? (n.dataset.state || "") : "";
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeStripe is Stripe's POST /v1/refunds for the refund retry test: its
// first answer is a refusal in Stripe's error shape, then it refunds. It
// records each call's idempotency key and form.
type fakeStripe struct {
	mu    sync.Mutex
	keys  []string
	forms []url.Values
}

func (f *fakeStripe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/refunds" || r.Header.Get("Authorization") != "Bearer sk_test_e2e_refunds" {
		http.Error(w, `{"error":{"type":"invalid_request_error","message":"unexpected request"}}`, http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	f.mu.Lock()
	f.keys, f.forms = append(f.keys, r.Header.Get("Idempotency-Key")), append(f.forms, form)
	n := len(f.keys)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n == 1 {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"code":"balance_insufficient","doc_url":"https://stripe.com/docs/error-codes/balance-insufficient",`+
			`"message":"You have insufficient funds in your Stripe account for this refund.","type":"invalid_request_error"}}`)
		return
	}
	amount, _ := strconv.ParseInt(form.Get("amount"), 10, 64)
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "re_e2e_1", "object": "refund", "amount": amount,
		"currency": "eur", "payment_intent": form.Get("payment_intent"), "status": "succeeded", "created": 1764633600,
		"reason": "requested_by_customer", "metadata": map[string]string{"rma": form.Get("metadata[rma]")}})
}

// apiCall calls the portal's merchant API with the demo key.
func apiCall(t *testing.T, p *portal, method, path string, body any, idempotencyKey string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+p.Addr+path, rd)
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// TestBrowserRefundFailedRetried: the portal started with a Stripe key and
// RETURNS_STRIPE_API_URL pointing at a fake Stripe that refuses the first
// refund; the API's refund answers 502 with the failed refund, the return's
// page shows the failure with Stripe's code and message and a retry button;
// the agent retries, Stripe pays, and the page shows the refund succeeded
// with its Stripe id linked to Stripe's dashboard. Both calls carried the
// same idempotency key (the refund's id) and amount.
func TestBrowserRefundFailedRetried(t *testing.T) {
	stripe := &fakeStripe{}
	srv := httptest.NewServer(stripe)
	t.Cleanup(srv.Close)
	p := startPortalEnv(t, []string{"RETURNS_STRIPE_KEY=sk_test_e2e_refunds", "RETURNS_STRIPE_API_URL=" + srv.URL})
	rma := newReturn(t, p)
	code, r := apiCall(t, p, "GET", "/api/v1/returns/"+rma, nil, "")
	items, _ := r["items"].([]any)
	if code != http.StatusOK || len(items) != 1 {
		t.Fatalf("return %d %v", code, r)
	}
	line := items[0].(map[string]any)["line_id"]
	if code, m := apiCall(t, p, "POST", "/api/v1/returns/"+rma+"/receive", map[string]any{}, ""); code != http.StatusOK {
		t.Fatalf("receive %d %v", code, m)
	}
	if code, m := apiCall(t, p, "POST", "/api/v1/returns/"+rma+"/inspect", map[string]any{"items": []any{
		map[string]any{"line_id": line, "accepted_quantity": 1, "condition": "resellable", "notes": ""}}}, ""); code != http.StatusOK {
		t.Fatalf("inspect %d %v", code, m)
	}
	code, m := apiCall(t, p, "POST", "/api/v1/returns/"+rma+"/refund", map[string]any{}, "e2e-refund-1")
	refund, _ := m["refund"].(map[string]any)
	if code != http.StatusBadGateway || refund["state"] != "failed" || refund["error_code"] != "balance_insufficient" ||
		refund["executor"] != "stripe" {
		t.Fatalf("refund: %d %v", code, m)
	}

	ctx, cons := privateTab(t, 45*time.Second)
	base := p.URL
	wait := chromedp.WaitVisible[chromedp.CSS]
	login(t, ctx, p, base)
	must(t, ctx, "the failed refund", chromedp.Navigate(base+"/admin/returns/"+rma),
		wait(chromedp.CSS(`[data-testid="refund-state"][data-state="failed"]`)), wait(testID("refund-retry")))
	if got := text(t, ctx, "refund-error"); !strings.Contains(got, "balance_insufficient") || !strings.Contains(got, "insufficient funds") {
		t.Errorf("the provider's answer shows %q", got)
	}
	if got := text(t, ctx, "refund-explanation"); !strings.Contains(got, "balance") {
		t.Errorf("explanation %q", got)
	}
	must(t, ctx, "show the refund", chromedp.ScrollIntoView(testID("refund-retry")))
	shot(t, ctx, "refund-1-failed")
	noAxeViolations(t, ctx, "return with a failed refund")
	must(t, ctx, "retry",
		chromedp.Click(testID("refund-retry")),
		wait(chromedp.CSS(`[data-testid="refund-state"][data-state="succeeded"]`)),
		wait(chromedp.CSS(`[data-testid="status"][data-status="refunded"]`)))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="refund-provider-link"]').href`))
	if err != nil || href != "https://dashboard.stripe.com/test/refunds/re_e2e_1" {
		t.Errorf("provider link %q (%v)", href, err)
	}
	if got := text(t, ctx, "refund-executor"); got != "Stripe" {
		t.Errorf("executor %q", got)
	}
	must(t, ctx, "show the refund", chromedp.ScrollIntoView(testID("refund-provider-link")))
	shot(t, ctx, "refund-2-retried")
	// The audit trail names every step of the execution in words.
	trail, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="events"]').innerText`))
	if err != nil || strings.Contains(trail, "admin.event.") || !strings.Contains(trail, "Refund failed at the provider") ||
		!strings.Contains(trail, "Refund retried") {
		t.Errorf("audit trail %q (%v)", trail, err)
	}

	stripe.mu.Lock()
	defer stripe.mu.Unlock()
	if len(stripe.keys) != 2 || stripe.keys[0] != stripe.keys[1] || !strings.HasPrefix(stripe.keys[0], "rf_") ||
		stripe.forms[0].Get("amount") != stripe.forms[1].Get("amount") || stripe.forms[0].Get("amount") == "" ||
		stripe.forms[1].Get("metadata[rma]") != rma {
		t.Errorf("calls at Stripe: keys %v forms %v", stripe.keys, stripe.forms)
	}
	code, r = apiCall(t, p, "GET", "/api/v1/returns/"+rma, nil, "")
	refunds, _ := r["refunds"].([]any)
	if code != http.StatusOK || len(refunds) != 1 || fmt.Sprint(refunds[0].(map[string]any)["provider_refund_id"]) != "re_e2e_1" ||
		refunds[0].(map[string]any)["state"] != "succeeded" {
		t.Errorf("the API's refunds: %v", r["refunds"])
	}
	noViolations(t, cons)
}
