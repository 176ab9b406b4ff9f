package service

import (
	"context"
	"testing"

	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/returns"
)

var (
	shopifyPayment = returns.Payment{Provider: "shopify", Reference: "gid://shopify/Order/1"}
	stripePayment  = returns.Payment{Provider: "stripe", Reference: "pi_1"}
)

// TestConnectorsInForce: stored credentials are decrypted into the
// executors' configuration, the environment wins over them, and a
// connector switched off executes nothing (its refunds fall back to the
// default, then manual).
func TestConnectorsInForce(t *testing.T) {
	ctx := context.Background()
	box, err := secrets.New("a secrets key of more than thirty-two characters")
	if err != nil {
		t.Fatal(err)
	}
	form := ConnectorForm{Values: map[string]string{
		SettingRefundExecutor: payments.Stripe, SettingStripeEnabled: "true", SettingStripeKey: "sk_stored",
		SettingShopifyEnabled: "true", SettingShopifyShop: "a.myshopify.com", SettingShopifyToken: "shpat_stored",
		SettingWooEnabled: "true", SettingWooURL: "https://shop.example", SettingWooKey: "ck", SettingWooSecret: "cs"},
		Mappings: map[string][]platforms.Rule{platforms.Shopify: {{Match: "tag:final", FinalSale: true}}}}
	cases := []struct {
		name      string
		env       ConnectorEnv
		switchOff string
		check     func(t *testing.T, cfg payments.Config)
	}{
		{"stored", ConnectorEnv{}, "", func(t *testing.T, cfg payments.Config) {
			if cfg.Stripe.Key != "sk_stored" || cfg.Shopify.Token != "shpat_stored" || cfg.Default != payments.Stripe ||
				cfg.WooCommerce.Secret != "cs" {
				t.Errorf("config %+v", cfg)
			}
		}},
		{"the environment wins", ConnectorEnv{StripeKey: "sk_env", RefundExecutor: payments.Manual}, "", func(t *testing.T, cfg payments.Config) {
			if cfg.Stripe.Key != "sk_env" || cfg.Default != payments.Manual {
				t.Errorf("config %+v", cfg)
			}
		}},
		{"Shopify switched off", ConnectorEnv{}, SettingShopifyEnabled, func(t *testing.T, cfg payments.Config) {
			if cfg.Configured(payments.Shopify) || cfg.Choose("original_payment", shopifyPayment) != payments.Stripe {
				t.Errorf("a switched-off Shopify is used: %+v", cfg.Shopify)
			}
		}},
		{"Stripe switched off: Shopify orders still go to Shopify, others to manual", ConnectorEnv{}, SettingStripeEnabled,
			func(t *testing.T, cfg payments.Config) {
				if cfg.Configured(payments.Stripe) || cfg.Choose("original_payment", shopifyPayment) != payments.Shopify ||
					cfg.Choose("original_payment", stripePayment) != payments.Manual {
					t.Errorf("config %+v", cfg)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := refundService(t, c.env, nil)
			s.box = box
			f := ConnectorForm{Values: map[string]string{}, Mappings: form.Mappings}
			for k, v := range form.Values {
				f.Values[k] = v
			}
			if c.switchOff != "" {
				f.Values[c.switchOff] = "false"
			}
			if err := s.SaveConnectors(ctx, f); err != nil {
				t.Fatal(err)
			}
			cfg, err := s.PaymentsConfig(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg)
		})
	}
}
