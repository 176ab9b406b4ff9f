package payments

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Config is the executors' credentials, from the environment and the
// settings (decrypted by the service). An executor with no credentials is
// not configured and never chosen.
type Config struct {
	// Default is the executor of refunds to the original payment whose
	// order names no configured provider: RETURNS_REFUND_EXECUTOR, manual
	// when unset.
	Default     string
	Stripe      StripeConfig
	Shopify     ShopifyConfig
	WooCommerce WooCommerceConfig
	// HTTPClient calls the providers; nil is a client with CallTimeout.
	HTTPClient *http.Client
}

// CallTimeout bounds one provider call; after it the outcome is unknown and
// the refund stays pending for the resume worker.
const CallTimeout = 30 * time.Second

// StripeConfig: the secret (or restricted) key; APIURL replaces
// https://api.stripe.com (tests point it at stripe-mock).
type StripeConfig struct {
	Key    string
	APIURL string
}

// ShopifyConfig: the shop's myshopify domain and an Admin API access token
// (scopes write_orders, read_orders); LocationID is where resellable items
// are restocked (none: no restock); APIURL replaces https://<shop> (tests).
type ShopifyConfig struct {
	Shop       string
	Token      string
	LocationID string
	APIURL     string
}

// WooCommerceConfig: the store's URL and a REST API key pair with
// read/write permission.
type WooCommerceConfig struct {
	URL    string
	Key    string
	Secret string
}

// Configured reports whether an executor can be used: manual and store
// credit always, the others with their credentials.
func (c Config) Configured(name string) bool {
	switch name {
	case Manual, StoreCredit:
		return true
	case Stripe:
		return c.Stripe.Key != ""
	case Shopify:
		return c.Shopify.Token != "" && (c.Shopify.Shop != "" || c.Shopify.APIURL != "")
	case WooCommerce:
		return c.WooCommerce.URL != "" && c.WooCommerce.Key != "" && c.WooCommerce.Secret != ""
	}
	return false
}

// Choose names the executor of a refund: store credit stays the portal's,
// a bank transfer is paid by the merchant (manual, exported for the bank);
// a refund to the original payment goes to the order's payment provider
// when that executor is configured, else to the default when configured,
// else manual. A missing configuration never makes a refund fail.
func (c Config) Choose(method string, p returns.Payment) string {
	switch method {
	case returns.MethodStoreCredit:
		return StoreCredit
	case returns.MethodBankTransfer:
		return Manual
	}
	provider := strings.ToLower(strings.TrimSpace(p.Provider))
	if provider != Manual && slices.Contains(DefaultExecutors, provider) && c.Configured(provider) {
		return provider
	}
	if slices.Contains(DefaultExecutors, c.Default) && c.Configured(c.Default) {
		return c.Default
	}
	return Manual
}

// Executor returns the named executor, or ErrNotConfigured.
func (c Config) Executor(name string) (Executor, error) {
	if !c.Configured(name) {
		return nil, ErrNotConfigured
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: CallTimeout}
	}
	switch name {
	case Manual:
		return manual{}, nil
	case StoreCredit:
		return credit{}, nil
	case Stripe:
		return newStripe(c.Stripe, hc), nil
	case Shopify:
		return &shopify{cfg: c.Shopify, hc: hc}, nil
	case WooCommerce:
		return &woocommerce{cfg: c.WooCommerce, hc: hc}, nil
	}
	return nil, ErrNotConfigured
}

// DashboardURL links a provider's refund (or the order it belongs to) in
// the provider's own dashboard, for staff; "" when there is nothing to
// link.
func (c Config) DashboardURL(executor, providerRefundID string, p returns.Payment) string {
	if providerRefundID == "" {
		return ""
	}
	switch executor {
	case Stripe:
		// Test-mode objects live under /test/ in Stripe's dashboard.
		base := "https://dashboard.stripe.com/"
		if strings.HasPrefix(c.Stripe.Key, "sk_test_") || strings.HasPrefix(c.Stripe.Key, "rk_test_") {
			base += "test/"
		}
		if strings.HasPrefix(providerRefundID, "re_") || strings.HasPrefix(providerRefundID, "pyr_") {
			return base + "refunds/" + url.PathEscape(providerRefundID)
		}
		// Stripe's dashboard opens a payment by its intent or charge id.
		if ref := strings.TrimSpace(p.Reference); strings.HasPrefix(ref, "pi_") || strings.HasPrefix(ref, "ch_") ||
			strings.HasPrefix(ref, "py_") {
			return base + "payments/" + url.PathEscape(ref)
		}
	case Shopify:
		shop := strings.TrimSuffix(c.Shopify.Shop, ".myshopify.com")
		if id := numericID(p.Reference); shop != "" && id != "" {
			return "https://admin.shopify.com/store/" + url.PathEscape(shop) + "/orders/" + id
		}
	case WooCommerce:
		if id := numericID(p.Reference); c.WooCommerce.URL != "" && id != "" {
			return strings.TrimRight(c.WooCommerce.URL, "/") + "/wp-admin/post.php?post=" + id + "&action=edit"
		}
	}
	return ""
}

// numericID is the numeric id at the end of a Shopify gid
// ("gid://shopify/Order/123" → "123") or a plain number; "" otherwise.
func numericID(ref string) string {
	ref = strings.TrimSpace(ref)
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		ref = ref[i+1:]
	}
	if ref == "" || strings.Trim(ref, "0123456789") != "" {
		return ""
	}
	return ref
}
