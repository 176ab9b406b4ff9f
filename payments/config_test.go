package payments

import (
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestDashboardURL: staff get a link to the refund (Stripe) or to its
// order (Shopify's admin, WooCommerce's order edit screen), never a link
// built from a value that is not the provider's id.
func TestDashboardURL(t *testing.T) {
	cfg := Config{Shopify: ShopifyConfig{Shop: "returns-test.myshopify.com"},
		WooCommerce: WooCommerceConfig{URL: "https://shop.example/"}}
	pi := returns.Payment{Provider: Stripe, Reference: "pi_3MtwBwLkdIwHu7ix28a3tqPa"}
	cases := []struct {
		cfg      Config
		executor string
		id       string
		p        returns.Payment
		want     string
	}{
		{cfg, Stripe, "re_1Nispe2eZvKYlo2Cd31jOCgZ", pi, "https://dashboard.stripe.com/refunds/re_1Nispe2eZvKYlo2Cd31jOCgZ"},
		{cfg, Stripe, "pyr_1Nispe2eZvKYlo2C", pi, "https://dashboard.stripe.com/refunds/pyr_1Nispe2eZvKYlo2C"},
		{cfg, Stripe, "something", pi, "https://dashboard.stripe.com/payments/pi_3MtwBwLkdIwHu7ix28a3tqPa"},
		{cfg, Stripe, "something", returns.Payment{Reference: "ch_3MmlLrLkdIwHu7ix0snN0B15"}, "https://dashboard.stripe.com/payments/ch_3MmlLrLkdIwHu7ix0snN0B15"},
		{cfg, Stripe, "something", returns.Payment{Reference: "javascript:alert(1)"}, ""},
		{cfg, Stripe, "", pi, ""},
		{cfg, Shopify, "gid://shopify/Refund/1", returns.Payment{Reference: "gid://shopify/Order/820982911946154508"},
			"https://admin.shopify.com/store/returns-test/orders/820982911946154508"},
		{cfg, Shopify, "gid://shopify/Refund/1", returns.Payment{Reference: "gid://shopify/Order/82a"}, ""},
		{Config{}, Shopify, "gid://shopify/Refund/1", returns.Payment{Reference: "gid://shopify/Order/1"}, ""},
		{cfg, WooCommerce, "726", returns.Payment{Reference: "723"}, "https://shop.example/wp-admin/post.php?post=723&action=edit"},
		{cfg, WooCommerce, "726", returns.Payment{Reference: "723&x=1"}, ""},
		{Config{Stripe: StripeConfig{Key: "sk_test_x"}}, Stripe, "re_1", pi, "https://dashboard.stripe.com/test/refunds/re_1"},
		{Config{Stripe: StripeConfig{Key: "rk_test_x"}}, Stripe, "x", pi, "https://dashboard.stripe.com/test/payments/pi_3MtwBwLkdIwHu7ix28a3tqPa"},
		{Config{Stripe: StripeConfig{Key: "sk_live_x"}}, Stripe, "re_1", pi, "https://dashboard.stripe.com/refunds/re_1"},
		{cfg, Manual, "x", pi, ""},
		{cfg, StoreCredit, "x", pi, ""},
	}
	for i, c := range cases {
		if got := c.cfg.DashboardURL(c.executor, c.id, c.p); got != c.want {
			t.Errorf("case %d (%s %s): %q, want %q", i, c.executor, c.id, got, c.want)
		}
	}
}

// TestConfigured: an executor is chosen only with its credentials.
func TestConfigured(t *testing.T) {
	cases := []struct {
		cfg  Config
		name string
		want bool
	}{
		{Config{}, Manual, true},
		{Config{}, StoreCredit, true},
		{Config{}, Stripe, false},
		{Config{Stripe: StripeConfig{Key: "sk_test_x"}}, Stripe, true},
		{Config{Shopify: ShopifyConfig{Token: "shpat"}}, Shopify, false},
		{Config{Shopify: ShopifyConfig{Shop: "a.myshopify.com"}}, Shopify, false},
		{Config{Shopify: ShopifyConfig{Shop: "a.myshopify.com", Token: "shpat"}}, Shopify, true},
		{Config{WooCommerce: WooCommerceConfig{URL: "https://s.example", Key: "ck"}}, WooCommerce, false},
		{Config{WooCommerce: WooCommerceConfig{URL: "https://s.example", Key: "ck", Secret: "cs"}}, WooCommerce, true},
		{Config{}, "paypal", false},
	}
	for _, c := range cases {
		if got := c.cfg.Configured(c.name); got != c.want {
			t.Errorf("%+v %s: %v", c.cfg, c.name, got)
		}
		if _, err := c.cfg.Executor(c.name); (err == nil) != c.want {
			t.Errorf("%+v %s: executor error %v", c.cfg, c.name, err)
		}
	}
}
