package handlers

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// shopifyDelivery posts a signed Shopify webhook and returns the outcome.
func shopifyDelivery(t *testing.T, a *testApp, id, topic string, body []byte) string {
	t.Helper()
	code, m := a.doJSON(request{method: "POST", path: "/webhooks/shopify", body: body, header: map[string]string{
		"X-Shopify-Hmac-Sha256": platforms.Sign(body, "hush"), "X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": id}})
	if code != http.StatusOK {
		t.Fatalf("delivery %s: %d %v", id, code, m)
	}
	out, _ := m["outcome"].(string)
	return out
}

// TestAdminUnmappedWebhooks: the deliveries the portal kept but could not
// apply are listed for admins, newest first, with the reason and time; the
// payload is the sender's text, shown escaped and cut to a few kilobytes;
// applied deliveries are not listed.
func TestAdminUnmappedWebhooks(t *testing.T) {
	a := newStaffApp(t, withConnectors(service.ConnectorEnv{ShopifyWebhookSecret: "hush"}, "", nil))
	admin := a.staff().login(store.RoleAdmin)
	if res := admin.get("/admin/settings/shop-webhooks"); res.res.Code != http.StatusOK || !res.has("webhooks-empty") {
		t.Fatalf("empty list: %d", res.res.Code)
	}
	sample, err := os.ReadFile("../platforms/testdata/shopify-orders-create.json")
	if err != nil {
		t.Fatal(err)
	}
	if out := shopifyDelivery(t, a, "applied-1", platforms.TopicOrdersCreate, sample); out != store.WebhookApplied {
		t.Fatalf("the documented sample: %s", out)
	}
	hostile := []byte(`{"name":"#<script>alert(1)</script>","presentment_currency":"EUR","created_at":"2026-01-02T10:00:00Z",` +
		`"shipping_address":{"country_code":"DE"}}`)
	if out := shopifyDelivery(t, a, "bad-name", platforms.TopicOrdersCreate, hostile); out != store.WebhookUnmapped {
		t.Fatalf("hostile name: %s", out)
	}
	big := []byte(`{"name":"#ok 1","note":"` + strings.Repeat("x", 10000) + `"}`)
	if out := shopifyDelivery(t, a, "big", platforms.TopicOrdersUpdated, big); out != store.WebhookUnmapped {
		t.Fatalf("big payload: %s", out)
	}
	page := admin.get("/admin/settings/shop-webhooks")
	rows := page.all("webhook-row")
	if len(rows) != 2 || attr(rows[0], "data-delivery") != "big" || attr(rows[1], "data-delivery") != "bad-name" {
		t.Fatalf("rows %d, want the two unmapped deliveries, newest first", len(rows))
	}
	body := page.res.Body.String()
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the payload is not shown escaped")
	}
	reasons := page.all("webhook-reason")
	if !strings.Contains(text(reasons[1]), "not a valid order number") || text(page.all("webhook-received")[1]) == "" {
		t.Errorf("reason %q", text(reasons[1]))
	}
	payloads := page.all("webhook-payload")
	if got := len([]rune(rawText(payloads[0]))); got != service.UnmappedPayloadShown {
		t.Errorf("big payload shown with %d characters, want %d", got, service.UnmappedPayloadShown)
	}
	if !strings.Contains(text(page.one("webhook-cut")), strconv.Itoa(len(big))) {
		t.Errorf("cut note %q", text(page.one("webhook-cut")))
	}
	if strings.Contains(body, "applied-1") {
		t.Error("an applied delivery is listed")
	}
	if res := a.staff().login(store.RoleAgent).get("/admin/settings/shop-webhooks"); res.res.Code != http.StatusForbidden {
		t.Errorf("agent: %d", res.res.Code)
	}
}
