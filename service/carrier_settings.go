package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The carrier platforms' credentials are settings seeded from the
// environment (RETURNS_EASYPOST_KEY, ...), as the embed origins are: a
// value given at start is stored, credentials sealed with
// RETURNS_SECRETS_KEY (internal/secrets) and never shown again, so that an
// instance started without them still has them; the environment's value
// wins when it is given. Without the secrets key no credential is stored:
// they come from the environment only.

// CarrierEnv is the carrier platforms' configuration as given in the
// environment (or serve's flags); an empty field is not given.
type CarrierEnv struct {
	EasyPostKey, EasyPostAPIURL, EasyPostWebhookSecret                     string
	SendcloudKey, SendcloudSecret, SendcloudAPIURL, SendcloudWebhookSecret string
}

// carrierSetting is one carrier setting: its key in the settings table,
// whether it is a credential (sealed), and its field.
type carrierSetting struct {
	key    string
	secret bool
	field  func(*CarrierEnv) *string
}

var carrierSettings = []carrierSetting{
	{"carrier.easypost.key", true, func(e *CarrierEnv) *string { return &e.EasyPostKey }},
	{"carrier.easypost.api_url", false, func(e *CarrierEnv) *string { return &e.EasyPostAPIURL }},
	{"carrier.easypost.webhook_secret", true, func(e *CarrierEnv) *string { return &e.EasyPostWebhookSecret }},
	{"carrier.sendcloud.key", true, func(e *CarrierEnv) *string { return &e.SendcloudKey }},
	{"carrier.sendcloud.secret", true, func(e *CarrierEnv) *string { return &e.SendcloudSecret }},
	{"carrier.sendcloud.api_url", false, func(e *CarrierEnv) *string { return &e.SendcloudAPIURL }},
	{"carrier.sendcloud.webhook_secret", true, func(e *CarrierEnv) *string { return &e.SendcloudWebhookSecret }},
}

// SeedCarrierSettings stores the carrier settings the environment gives
// (credentials sealed by box; with no box, credentials are not stored) and
// returns the configuration in force: the environment's value where it is
// given, else the stored one. A stored credential that box cannot open is
// left out and logged by name only.
func SeedCarrierSettings(ctx context.Context, st *store.Store, box *secrets.Box, env CarrierEnv, log *slog.Logger) (CarrierEnv, error) {
	if log == nil {
		log = slog.Default()
	}
	keys := make([]string, len(carrierSettings))
	for i, c := range carrierSettings {
		keys[i] = c.key
	}
	stored, err := st.Settings(ctx, keys...)
	if err != nil {
		return CarrierEnv{}, err
	}
	var out CarrierEnv
	for _, c := range carrierSettings {
		given := *c.field(&env)
		switch {
		case given != "" && !c.secret:
			if stored[c.key] != given {
				if err := st.SetSetting(ctx, c.key, given); err != nil {
					return CarrierEnv{}, err
				}
			}
		case given != "" && box != nil:
			// Sealed anew only when it changed (each seal differs).
			if old, err := box.Open(c.key, stored[c.key]); err != nil || old != given {
				sealed, err := box.Seal(c.key, given)
				if err != nil {
					return CarrierEnv{}, err
				}
				if err := st.SetSetting(ctx, c.key, sealed); err != nil {
					return CarrierEnv{}, err
				}
			}
		case given == "" && stored[c.key] != "":
			v := stored[c.key]
			if c.secret {
				if box == nil {
					log.Warn("a stored carrier credential cannot be used without RETURNS_SECRETS_KEY", "setting", c.key)
					continue
				}
				if v, err = box.Open(c.key, v); err != nil {
					log.Error("a stored carrier credential cannot be decrypted with RETURNS_SECRETS_KEY", "setting", c.key)
					continue
				}
			}
			given = v
		}
		*c.field(&out) = given
	}
	return out, nil
}

// NewCarrierProviders makes the carrier platforms a configuration allows:
// EasyPost with its key, Sendcloud with its key and secret. A platform
// configured halfway is an error (a secret without a key would never be
// used).
func NewCarrierProviders(c CarrierEnv) (map[string]carriers.Provider, error) {
	out := map[string]carriers.Provider{}
	if c.EasyPostKey != "" {
		p, err := carriers.NewEasyPost(c.EasyPostKey, c.EasyPostAPIURL, c.EasyPostWebhookSecret)
		if err != nil {
			return nil, err
		}
		out[returns.LabelProviderEasyPost] = p
	} else if c.EasyPostWebhookSecret != "" || c.EasyPostAPIURL != "" {
		return nil, errors.New("carriers: EasyPost is configured without its API key (RETURNS_EASYPOST_KEY)")
	}
	switch {
	case c.SendcloudKey != "" && c.SendcloudSecret != "":
		p, err := carriers.NewSendcloud(c.SendcloudKey, c.SendcloudSecret, c.SendcloudAPIURL, c.SendcloudWebhookSecret)
		if err != nil {
			return nil, err
		}
		out[returns.LabelProviderSendcloud] = p
	case c.SendcloudKey != "" || c.SendcloudSecret != "" || c.SendcloudWebhookSecret != "" || c.SendcloudAPIURL != "":
		return nil, fmt.Errorf("carriers: Sendcloud needs both its API key and secret (RETURNS_SENDCLOUD_KEY, RETURNS_SENDCLOUD_SECRET)")
	}
	return out, nil
}
