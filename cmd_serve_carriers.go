package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// serveCarriers are the serve command's carrier platform flags; each also
// reads RETURNS_<NAME> (RETURNS_EASYPOST_KEY, ...). The credentials are
// settings seeded from them (service.SeedCarrierSettings): sealed with
// --secrets-key / RETURNS_SECRETS_KEY when it is given, from the
// environment only otherwise.
type serveCarriers struct {
	env service.CarrierEnv
}

func carrierFlags(fs *flag.FlagSet) *serveCarriers {
	c := &serveCarriers{}
	fs.StringVar(&c.env.EasyPostKey, "easypost-key", "", "EasyPost API key (labels of hubs whose label_provider is easypost)")
	fs.StringVar(&c.env.EasyPostAPIURL, "easypost-api-url", "", "EasyPost API base URL (default "+carriers.EasyPostAPIURL+"; tests)")
	fs.StringVar(&c.env.EasyPostWebhookSecret, "easypost-webhook-secret", "", "EasyPost webhook secret (signs POST /webhooks/easypost)")
	fs.StringVar(&c.env.SendcloudKey, "sendcloud-key", "", "Sendcloud API public key (labels of hubs whose label_provider is sendcloud)")
	fs.StringVar(&c.env.SendcloudSecret, "sendcloud-secret", "", "Sendcloud API secret key")
	fs.StringVar(&c.env.SendcloudAPIURL, "sendcloud-api-url", "", "Sendcloud API base URL (default "+carriers.SendcloudAPIURL+"; tests)")
	fs.StringVar(&c.env.SendcloudWebhookSecret, "sendcloud-webhook-secret", "", "Sendcloud webhook signature key (signs POST /webhooks/sendcloud)")
	return c
}

// providers seeds the carrier settings and makes the platforms they
// configure.
func (c *serveCarriers) providers(ctx context.Context, st *store.Store, box *secrets.Box, log *slog.Logger) (map[string]carriers.Provider, error) {
	cfg, err := service.SeedCarrierSettings(ctx, st, box, c.env, log)
	if err != nil {
		return nil, err
	}
	p, err := service.NewCarrierProviders(cfg)
	if err != nil {
		return nil, err
	}
	for name := range p {
		log.Info("carrier labels enabled", "provider", name)
	}
	return p, nil
}
