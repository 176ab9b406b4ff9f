package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/returns-portal/returns/internal/pgtest"
	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// lockedBuffer is a log destination the test reads while the app writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const testSecretsKey = "a secrets key of more than thirty-two characters"

// withConnectors configures the connectors given in the environment and,
// with a key, the encryption of stored credentials; the app's log goes to
// logs.
func withConnectors(env service.ConnectorEnv, secretsKey string, logs *lockedBuffer) appOption {
	return func(c *service.Config) {
		c.Connectors = env
		if secretsKey != "" {
			box, err := secrets.New(secretsKey)
			if err != nil {
				panic(err)
			}
			c.Secrets = box
		}
		if logs != nil {
			c.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
	}
}

// connectorKeys are every connector setting the form can store.
var connectorKeys = []string{service.SettingRefundExecutor, service.SettingStripeKey, service.SettingStripeEnabled,
	service.SettingShopifyShop, service.SettingShopifyToken, service.SettingShopifyWebhook, service.SettingShopifyLocation,
	service.SettingShopifyEnabled, service.SettingShopifyMapping, service.SettingWooURL, service.SettingWooKey,
	service.SettingWooSecret, service.SettingWooWebhook, service.SettingWooEnabled, service.SettingWooMapping}

// The credentials the tests type, to be found nowhere afterwards.
const (
	plainStripeKey   = "sk_test_PLAINTEXT_stripe_51HxQ"
	plainShopifyTok  = "shpat_PLAINTEXT_shopify_token"
	plainShopifyHook = "PLAINTEXT_shopify_webhook_secret"
	plainWooKey      = "ck_PLAINTEXT_woo_consumer_key"
	plainWooSecret   = "cs_PLAINTEXT_woo_consumer_secret"
)

var plaintexts = []string{plainStripeKey, plainShopifyTok, plainShopifyHook, plainWooKey, plainWooSecret}

// fullConnectorsForm fills every connector, with a mapping for each shop.
func fullConnectorsForm() url.Values {
	return url.Values{
		service.SettingRefundExecutor:  {"stripe"},
		service.SettingStripeEnabled:   {"true"},
		service.SettingStripeKey:       {plainStripeKey},
		service.SettingShopifyEnabled:  {"true"},
		service.SettingShopifyShop:     {"returns-test.myshopify.com"},
		service.SettingShopifyToken:    {plainShopifyTok},
		service.SettingShopifyWebhook:  {plainShopifyHook},
		service.SettingShopifyLocation: {"655441491"},
		service.SettingWooEnabled:      {"true"},
		service.SettingWooURL:          {"https://shop.example"},
		service.SettingWooKey:          {plainWooKey},
		service.SettingWooSecret:       {plainWooSecret},
		service.SettingWooWebhook:      {"PLAINTEXT_woo_webhook"},
		// Shopify: a final-sale tag and a product type; a blank row between.
		"connector.shopify.mapping[0].kind":       {"tag"},
		"connector.shopify.mapping[0].value":      {"final-sale"},
		"connector.shopify.mapping[0].final_sale": {"true"},
		"connector.shopify.mapping[2].kind":       {"product_type"},
		"connector.shopify.mapping[2].value":      {"Gift Cards"},
		"connector.shopify.mapping[2].category":   {"gift_card"},
		// WooCommerce: personalised SKUs are exempt by law.
		"connector.woocommerce.mapping[0].kind":      {"sku"},
		"connector.woocommerce.mapping[0].value":     {"PERS-"},
		"connector.woocommerce.mapping[0].exemption": {"personalised"},
	}
}

// dbFileBytes is everything SQLite wrote for the app's database: the file
// and its write-ahead log.
func dbFileBytes(t *testing.T, a *testApp) []byte {
	t.Helper()
	if pgtest.Engine() == pgtest.Postgres {
		return pgtest.Dump(t, a.dsn) // what a backup of the database holds
	}
	var out []byte
	files, _ := filepath.Glob(filepath.Join(a.dir, "returns.db*"))
	if len(files) == 0 {
		t.Fatal("no database file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// TestAdminConnectorsSave: an admin saves every connector; credentials are
// stored sealed (the database holds none of them in plain text, in the
// settings rows or anywhere in its files), the page shows only "set", the
// stored values are in force at once (a Shopify webhook signed with the
// saved secret is taken), and no export, API answer or log line carries a
// credential. An empty credential keeps the stored one; "forget" clears it.
func TestAdminConnectorsSave(t *testing.T) {
	logs := &lockedBuffer{}
	a := newStaffApp(t, withConnectors(service.ConnectorEnv{}, testSecretsKey, logs))
	admin := a.staff().login(store.RoleAdmin)
	ctx := context.Background()

	page := admin.get("/admin/settings")
	if page.res.Code != http.StatusOK || page.has("connectors-no-key") || attr(page.one("state-connector.stripe.key"), "data-state") != "unset" {
		t.Fatalf("settings page: %d", page.res.Code)
	}
	if attr(page.one("shop-webhooks-link"), "href") != "/admin/settings/shop-webhooks" {
		t.Error("no link to the unapplied deliveries")
	}
	res := admin.post("/admin/settings/connectors", fullConnectorsForm())
	if res.res.Code != http.StatusSeeOther || res.res.Header().Get("Location") != "/admin/settings?connectors=saved#connectors" {
		t.Fatalf("save: %d %s\n%s", res.res.Code, res.res.Header().Get("Location"), res.res.Body)
	}

	// At rest: sealed values only.
	stored, err := a.st.Settings(ctx, connectorKeys...)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{service.SettingStripeKey, service.SettingShopifyToken, service.SettingShopifyWebhook,
		service.SettingWooKey, service.SettingWooSecret, service.SettingWooWebhook} {
		if !secrets.IsSealed(stored[k]) {
			t.Errorf("%s stored as %q, want a sealed value", k, stored[k])
		}
	}
	if stored[service.SettingShopifyShop] != "returns-test.myshopify.com" || stored[service.SettingRefundExecutor] != "stripe" ||
		stored[service.SettingShopifyEnabled] != "true" {
		t.Errorf("plain settings %v", stored)
	}
	if _, err := platforms.ParseMapping([]byte(stored[service.SettingWooMapping])); err != nil ||
		!strings.Contains(stored[service.SettingWooMapping], `"exemption":"personalised"`) {
		t.Errorf("WooCommerce mapping %q: %v", stored[service.SettingWooMapping], err)
	}
	db := dbFileBytes(t, a)
	for _, p := range plaintexts {
		if bytes.Contains(db, []byte(p)) {
			t.Errorf("the database files hold %q in plain text", p)
		}
	}

	// Shown: set, never the value; the mapping as rows.
	page = admin.get("/admin/settings?connectors=saved")
	if !page.has("connectors-saved") {
		t.Error("no saved message")
	}
	for _, k := range []string{service.SettingStripeKey, service.SettingShopifyToken, service.SettingWooSecret} {
		if st := attr(page.one("state-"+k), "data-state"); st != "set" {
			t.Errorf("%s shows %q", k, st)
		}
		if v := attr(page.one("in-"+k), "value"); v != "" || attr(page.one("in-"+k), "type") != "password" {
			t.Errorf("%s input shows %q", k, v)
		}
	}
	for _, p := range plaintexts {
		if strings.Contains(page.res.Body.String(), p) {
			t.Errorf("the settings page shows %q", p)
		}
	}
	if attr(page.one("map-shopify-1-value"), "value") != "Gift Cards" || attr(page.one("map-woocommerce-0-value"), "value") != "PERS-" ||
		!hasAttr(page.one("map-shopify-0-final_sale"), "checked") {
		t.Error("mapping rows not shown as saved")
	}
	if n := len(page.all("mapping-shopify-row")); n != 2+mappingBlankRows {
		t.Errorf("%d Shopify mapping rows, want the 2 rules and %d blank", n, mappingBlankRows)
	}

	// In force at once: the saved webhook secret authenticates Shopify.
	body := []byte(`{"id":1,"order_id":2,"status":"success","shipment_status":"in_transit","created_at":"2026-01-02T10:00:00Z"}`)
	hook := a.do(request{method: "POST", path: "/webhooks/shopify", body: body, header: map[string]string{
		"X-Shopify-Hmac-Sha256": platforms.Sign(body, plainShopifyHook), "X-Shopify-Topic": "fulfillments/create",
		"X-Shopify-Webhook-Id": "w-1", "X-Shopify-Shop-Domain": "returns-test.myshopify.com"}})
	if hook.Code != http.StatusOK {
		t.Errorf("webhook signed with the saved secret: %d %s", hook.Code, hook.Body)
	}

	// Never exported, never in the API.
	for _, path := range []string{"/admin/returns.csv", "/admin/policy/export"} {
		if res := admin.get(path); res.res.Code != http.StatusOK {
			t.Errorf("%s: %d", path, res.res.Code)
		} else {
			for _, p := range plaintexts {
				if strings.Contains(res.res.Body.String(), p) {
					t.Errorf("%s holds %q", path, p)
				}
			}
		}
	}

	// An empty credential keeps the stored one; forgetting clears it.
	again := fullConnectorsForm()
	again.Set(service.SettingStripeKey, "")
	if res := admin.post("/admin/settings/connectors", again); res.res.Code != http.StatusSeeOther {
		t.Fatalf("save again: %d", res.res.Code)
	}
	if v, _ := a.st.Settings(ctx, service.SettingStripeKey); v[service.SettingStripeKey] != stored[service.SettingStripeKey] {
		t.Error("an empty credential changed the stored one")
	}
	again.Set("clear", service.SettingStripeKey)
	admin.post("/admin/settings/connectors", again)
	if attr(admin.get("/admin/settings").one("state-connector.stripe.key"), "data-state") != "unset" {
		t.Error("the forgotten key is still set")
	}

	// Never logged.
	for _, p := range plaintexts {
		if strings.Contains(logs.String(), p) {
			t.Errorf("the log holds %q", p)
		}
	}
	// Cross-site or token-less posts change nothing.
	if res := admin.post("/admin/settings/connectors", url.Values{"csrf": {"x"}, service.SettingShopifyShop: {"evil.myshopify.com"}}); res.res.Code != http.StatusForbidden {
		t.Errorf("forged save: %d", res.res.Code)
	}
}

// TestAdminConnectorsWithoutKey: without RETURNS_SECRETS_KEY the page says
// why no credential can be stored, its credential inputs are disabled, and
// a posted credential is refused with a translated message; plain settings
// still save.
func TestAdminConnectorsWithoutKey(t *testing.T) {
	a := newStaffApp(t)
	admin := a.staff().login(store.RoleAdmin)
	page := admin.get("/admin/settings?lang=de")
	if !strings.Contains(text(page.one("connectors-no-key")), "RETURNS_SECRETS_KEY") {
		t.Error("the page does not say why credentials cannot be stored")
	}
	if !hasAttr(page.one("in-connector.stripe.key"), "disabled") || hasAttr(page.one("in-connector.shopify.shop"), "disabled") {
		t.Error("credential inputs enabled, or plain inputs disabled")
	}
	form := url.Values{service.SettingShopifyShop: {"returns-test.myshopify.com"}, service.SettingStripeKey: {plainStripeKey}}
	res := admin.post("/admin/settings/connectors?lang=de", form)
	if res.res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("credential without a key: %d", res.res.Code)
	}
	if msg := text(res.one("err-connector.stripe.key")); !strings.Contains(msg, "Nicht gespeichert") {
		t.Errorf("error %q, want the German message", msg)
	}
	if strings.Contains(res.res.Body.String(), plainStripeKey) {
		t.Error("the refused credential is echoed")
	}
	if attr(res.one("in-connector.shopify.shop"), "value") != "returns-test.myshopify.com" {
		t.Error("the typed shop domain is lost")
	}
	if v, _ := a.st.Settings(context.Background(), connectorKeys...); len(v) != 0 {
		t.Errorf("stored %v after a refused save", v)
	}
	form.Del(service.SettingStripeKey)
	if res := admin.post("/admin/settings/connectors", form); res.res.Code != http.StatusSeeOther {
		t.Errorf("plain settings without a key: %d", res.res.Code)
	}
}

// TestAdminConnectorsFromEnvironment: values the environment sets are
// shown read-only ("set by the environment", a credential without its
// value) and a post does not change them.
func TestAdminConnectorsFromEnvironment(t *testing.T) {
	env := service.ConnectorEnv{StripeKey: "sk_env_PLAINTEXT", ShopifyShop: "env-shop.myshopify.com", RefundExecutor: "stripe"}
	a := newStaffApp(t, withConnectors(env, testSecretsKey, nil))
	admin := a.staff().login(store.RoleAdmin)
	page := admin.get("/admin/settings")
	if attr(page.one("state-connector.stripe.key"), "data-state") != "env" || page.has("in-connector.stripe.key") {
		t.Error("the environment's Stripe key is editable or not marked")
	}
	if text(page.one("value-connector.shopify.shop")) != "env-shop.myshopify.com" || page.has("in-connector.shopify.shop") ||
		attr(page.one("state-connector.refund_executor"), "data-state") != "env" {
		t.Error("the environment's plain values are not shown read-only")
	}
	if strings.Contains(page.res.Body.String(), "sk_env_PLAINTEXT") {
		t.Error("the environment's key is shown")
	}
	res := admin.post("/admin/settings/connectors", url.Values{service.SettingStripeKey: {plainStripeKey},
		service.SettingShopifyShop: {"other.myshopify.com"}, service.SettingRefundExecutor: {"manual"}})
	if res.res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", res.res.Code)
	}
	stored, _ := a.st.Settings(context.Background(), service.SettingStripeKey, service.SettingShopifyShop, service.SettingRefundExecutor)
	if len(stored) != 0 {
		t.Errorf("settings the environment gives were stored: %v", stored)
	}
}

// TestAdminConnectorsInvalid: every mistake is shown next to its field,
// translated, the typed values kept (credentials blank), nothing stored.
func TestAdminConnectorsInvalid(t *testing.T) {
	a := newStaffApp(t, withConnectors(service.ConnectorEnv{}, testSecretsKey, nil))
	admin := a.staff().login(store.RoleAdmin)
	admin.get("/admin/settings")
	form := fullConnectorsForm()
	form.Set(service.SettingShopifyShop, "shop.example.com")
	form.Set(service.SettingWooURL, "ftp://shop.example")
	form.Set(service.SettingShopifyLocation, "warehouse 1")
	form.Set(service.SettingRefundExecutor, "paypal")
	form.Set("connector.shopify.mapping[3].kind", "vendor") // no effect
	form.Set("connector.shopify.mapping[3].value", "Acme")
	form.Set("connector.shopify.mapping[4].category", "boards") // no match
	form.Set("connector.woocommerce.mapping[1].kind", "tag")    // WooCommerce lines carry no tags
	form.Set("connector.woocommerce.mapping[1].value", "x")
	form.Set("connector.woocommerce.mapping[1].final_sale", "true")
	form.Set("connector.woocommerce.mapping[2].kind", "sku")
	form.Set("connector.woocommerce.mapping[2].value", "X")
	form.Set("connector.woocommerce.mapping[2].exemption", "haunted")
	res := admin.post("/admin/settings/connectors", form)
	if res.res.Code != http.StatusUnprocessableEntity || !res.has("connectors-problem") {
		t.Fatalf("invalid save: %d", res.res.Code)
	}
	for id, want := range map[string]string{
		"err-connector.shopify.shop":        "myshopify.com",
		"err-connector.woocommerce.url":     "https://shop.example",
		"err-connector.shopify.location_id": "not valid",
		"err-connector.refund_executor":     "not valid",
		"err-shopify-mapping-2":             "category, final sale or an exemption",
		"err-shopify-mapping-3":             "Choose what to match",
		"err-woocommerce-mapping-1":         "Choose what to match",
		"err-woocommerce-mapping-2":         "Unknown exemption",
	} {
		if got := text(res.one(id)); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if res.has("err-shopify-mapping-0") || res.has("err-shopify-mapping-1") || res.has("err-woocommerce-mapping-0") {
		t.Error("a valid mapping row is marked")
	}
	if attr(res.one("in-connector.shopify.shop"), "value") != "shop.example.com" || attr(res.one("map-shopify-2-value"), "value") != "Acme" {
		t.Error("typed values lost")
	}
	for _, p := range plaintexts {
		if strings.Contains(res.res.Body.String(), p) {
			t.Errorf("the refused form echoes %q", p)
		}
	}
	if v, _ := a.st.Settings(context.Background(), connectorKeys...); len(v) != 0 {
		t.Errorf("stored %v after a refused save", v)
	}
}
