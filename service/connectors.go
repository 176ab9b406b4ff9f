package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/returns"
)

// The shop and payment connectors' configuration. Every value can be given
// in the environment (ConnectorEnv, from RETURNS_* variables and serve's
// flags), which wins; otherwise admins enter it at /admin/settings
// and it is kept in the settings table, credentials sealed with
// RETURNS_SECRETS_KEY (internal/secrets). Without that key no credential
// is stored: they come from the environment only. Credentials are never
// shown again, logged or exported.

// ConnectorEnv is the connectors' configuration given in the environment;
// an empty field is not set there.
type ConnectorEnv struct {
	RefundExecutor       string
	StripeKey            string
	StripeAPIURL         string
	ShopifyWebhookSecret string
	ShopifyShop          string
	ShopifyToken         string
	ShopifyLocationID    string
	ShopifyAPIURL        string
	WooWebhookSecret     string
	WooURL               string
	WooKey               string
	WooSecret            string
}

func (e ConnectorEnv) validate() error {
	if e.RefundExecutor != "" && !slices.Contains(payments.DefaultExecutors, e.RefundExecutor) {
		return fmt.Errorf("RETURNS_REFUND_EXECUTOR must be one of %s", strings.Join(payments.DefaultExecutors, ", "))
	}
	for name, f := range connectorFields {
		if v := *f.env(&e); v != "" && f.check != nil {
			if code := f.check(v); code != "" {
				return fmt.Errorf("connector setting %s: %s", name, code)
			}
		}
	}
	return nil
}

// connectorField is one connector setting: where the environment gives it,
// whether it is a credential (sealed, write-only) and how it is checked.
type connectorField struct {
	env    func(*ConnectorEnv) *string
	secret bool
	// check returns the code of what is wrong with a value, "" when fine.
	check func(string) string
}

// The connector settings, by their key in the settings table.
const (
	SettingRefundExecutor  = "connector.refund_executor"
	SettingStripeKey       = "connector.stripe.key"
	SettingStripeEnabled   = "connector.stripe.enabled"
	SettingShopifyWebhook  = "connector.shopify.webhook_secret"
	SettingShopifyShop     = "connector.shopify.shop"
	SettingShopifyToken    = "connector.shopify.token"
	SettingShopifyLocation = "connector.shopify.location_id"
	SettingShopifyEnabled  = "connector.shopify.enabled"
	SettingShopifyMapping  = "connector.shopify.mapping"
	SettingWooWebhook      = "connector.woocommerce.webhook_secret"
	SettingWooURL          = "connector.woocommerce.url"
	SettingWooKey          = "connector.woocommerce.key"
	SettingWooSecret       = "connector.woocommerce.secret"
	SettingWooEnabled      = "connector.woocommerce.enabled"
	SettingWooMapping      = "connector.woocommerce.mapping"
	settingStripeAPIURL    = "env.stripe.api_url"
	settingShopifyAPIURL   = "env.shopify.api_url"
	maxConnectorValue      = 4096
	// maxMappingRules bounds a shop's mapping (each rule is tried on every
	// line of every order the shop sends).
	maxMappingRules = 100
)

var (
	shopDomainRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$`)
	numericRE    = regexp.MustCompile(`^[0-9]{1,20}$`)
)

var connectorFields = map[string]connectorField{
	SettingRefundExecutor: {env: func(e *ConnectorEnv) *string { return &e.RefundExecutor }, check: func(v string) string {
		if !slices.Contains(payments.DefaultExecutors, v) {
			return "invalid"
		}
		return ""
	}},
	SettingStripeKey:      {env: func(e *ConnectorEnv) *string { return &e.StripeKey }, secret: true},
	settingStripeAPIURL:   {env: func(e *ConnectorEnv) *string { return &e.StripeAPIURL }, check: checkURL},
	SettingShopifyWebhook: {env: func(e *ConnectorEnv) *string { return &e.ShopifyWebhookSecret }, secret: true},
	SettingShopifyShop: {env: func(e *ConnectorEnv) *string { return &e.ShopifyShop }, check: func(v string) string {
		if !shopDomainRE.MatchString(v) {
			return "shop_domain"
		}
		return ""
	}},
	SettingShopifyToken: {env: func(e *ConnectorEnv) *string { return &e.ShopifyToken }, secret: true},
	SettingShopifyLocation: {env: func(e *ConnectorEnv) *string { return &e.ShopifyLocationID }, check: func(v string) string {
		if !numericRE.MatchString(v) && !strings.HasPrefix(v, "gid://shopify/Location/") {
			return "invalid"
		}
		return ""
	}},
	settingShopifyAPIURL: {env: func(e *ConnectorEnv) *string { return &e.ShopifyAPIURL }, check: checkURL},
	SettingWooWebhook:    {env: func(e *ConnectorEnv) *string { return &e.WooWebhookSecret }, secret: true},
	SettingWooURL:        {env: func(e *ConnectorEnv) *string { return &e.WooURL }, check: checkURL},
	SettingWooKey:        {env: func(e *ConnectorEnv) *string { return &e.WooKey }, secret: true},
	SettingWooSecret:     {env: func(e *ConnectorEnv) *string { return &e.WooSecret }, secret: true},
}

// connectorOnly are the settings without an environment variable: whether
// a connector is in use (its webhooks taken, its refunds executed), and
// the shops' mappings.
var connectorOnly = []string{SettingStripeEnabled, SettingShopifyEnabled, SettingShopifyMapping, SettingWooEnabled,
	SettingWooMapping}

// connectorSwitches are the connectors' enabled settings; a connector
// without one stored is enabled (its credentials alone turn it on).
var connectorSwitches = []string{SettingStripeEnabled, SettingShopifyEnabled, SettingWooEnabled}

// connectorMappings are the settings holding a shop's mapping, by platform.
var connectorMappings = map[string]string{platforms.Shopify: SettingShopifyMapping, platforms.WooCommerce: SettingWooMapping}

// checkURL accepts an absolute http or https URL without credentials.
func checkURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "url"
	}
	return ""
}

// connectorValues are the connector settings in force, decrypted: the
// environment's where it sets them, else the stored ones.
type connectorValues map[string]string

// loadConnectors reads the connector settings. A stored credential that
// cannot be decrypted (no key, or another key) is left out and logged by
// name only.
func (s *Service) loadConnectors(ctx context.Context) (connectorValues, error) {
	keys := append(slices.Sorted(mapsKeys(connectorFields)), connectorOnly...)
	stored, err := s.st.Settings(ctx, keys...)
	if err != nil {
		return nil, err
	}
	out := connectorValues{}
	for _, k := range connectorOnly {
		out[k] = stored[k]
	}
	env := s.connectors
	for k, f := range connectorFields {
		if v := *f.env(&env); v != "" {
			out[k] = v
			continue
		}
		v, ok := stored[k]
		if !ok || strings.HasPrefix(k, "env.") {
			continue
		}
		if f.secret {
			if s.box == nil {
				s.log.Warn("a stored connector credential cannot be used without RETURNS_SECRETS_KEY", "setting", k)
				continue
			}
			if v, err = s.box.Open(k, v); err != nil {
				s.log.Error("a stored connector credential cannot be decrypted with RETURNS_SECRETS_KEY", "setting", k)
				continue
			}
		}
		out[k] = v
	}
	return out, nil
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// PaymentsConfig is the refund executors' configuration in force.
func (s *Service) PaymentsConfig(ctx context.Context) (payments.Config, error) {
	v, err := s.loadConnectors(ctx)
	if err != nil {
		return payments.Config{}, err
	}
	def := v[SettingRefundExecutor]
	if def == "" {
		def = payments.Manual
	}
	cfg := payments.Config{Default: def}
	// A connector switched off at /admin/settings executes no refund:
	// without its credentials it is not configured, and its refunds go to
	// the default or stay manual.
	if v[SettingStripeEnabled] != "false" {
		cfg.Stripe = payments.StripeConfig{Key: v[SettingStripeKey], APIURL: v[settingStripeAPIURL]}
	}
	if v[SettingShopifyEnabled] != "false" {
		cfg.Shopify = payments.ShopifyConfig{Shop: v[SettingShopifyShop], Token: v[SettingShopifyToken],
			LocationID: v[SettingShopifyLocation], APIURL: v[settingShopifyAPIURL]}
	}
	if v[SettingWooEnabled] != "false" {
		cfg.WooCommerce = payments.WooCommerceConfig{URL: v[SettingWooURL], Key: v[SettingWooKey], Secret: v[SettingWooSecret]}
	}
	return cfg, nil
}

// executorFor builds a refund's executor.
func (s *Service) executorFor(cfg payments.Config, name string) (payments.Executor, error) {
	if s.executors != nil {
		return s.executors(cfg, name)
	}
	return cfg.Executor(name)
}

// platformConfig is one shop platform's inbound webhook configuration: a
// configured secret enables it (unless staff switched it off), the mapping
// turns its products into our categories.
type platformConfig struct {
	Secret  string
	Shop    string // Shopify: the only shop whose deliveries are taken ("" any)
	Mapping platforms.Mapping
}

// platform returns a platform's webhook configuration, or ok false when
// its connector is not enabled.
func (s *Service) platform(ctx context.Context, name string) (platformConfig, bool, error) {
	v, err := s.loadConnectors(ctx)
	if err != nil {
		return platformConfig{}, false, err
	}
	secretKey, enabledKey, mappingKey := SettingShopifyWebhook, SettingShopifyEnabled, SettingShopifyMapping
	if name == platforms.WooCommerce {
		secretKey, enabledKey, mappingKey = SettingWooWebhook, SettingWooEnabled, SettingWooMapping
	}
	pc := platformConfig{Secret: v[secretKey]}
	if name == platforms.Shopify {
		// The shop domain, from the environment or the settings: set, a
		// delivery naming another shop is refused.
		pc.Shop = v[SettingShopifyShop]
	}
	if pc.Secret == "" || v[enabledKey] == "false" {
		return pc, false, nil
	}
	if raw := v[mappingKey]; raw != "" {
		if pc.Mapping, err = platforms.ParseMapping([]byte(raw)); err != nil {
			s.log.Error("stored connector mapping is invalid; none used", "platform", name, "err", err)
			pc.Mapping = platforms.Mapping{}
		}
	}
	return pc, true, nil
}

// ConnectorField is one connector setting as the settings page shows it: a
// credential's value never leaves the service (Set says whether one is in
// force).
type ConnectorField struct {
	Key     string
	Secret  bool
	FromEnv bool
	Set     bool
	Value   string // "" for credentials
}

// ConnectorSettings is the settings page's view of the connectors.
type ConnectorSettings struct {
	Fields map[string]ConnectorField
	// CanStoreSecrets: RETURNS_SECRETS_KEY is configured.
	CanStoreSecrets bool
	// Mappings are the shops' stored mappings, by platform (an invalid
	// stored one is empty).
	Mappings map[string]platforms.Mapping
	// Classes are the exemption classes a mapping may name (the law's
	// data), sorted.
	Classes []string
}

// Connectors is the connectors' configuration for the settings page.
func (s *Service) Connectors(ctx context.Context) (ConnectorSettings, error) {
	v, err := s.loadConnectors(ctx)
	if err != nil {
		return ConnectorSettings{}, err
	}
	out := ConnectorSettings{Fields: map[string]ConnectorField{}, CanStoreSecrets: s.box != nil}
	env := s.connectors
	for k, f := range connectorFields {
		if strings.HasPrefix(k, "env.") {
			continue
		}
		cf := ConnectorField{Key: k, Secret: f.secret, FromEnv: *f.env(&env) != "", Set: v[k] != ""}
		if !f.secret {
			cf.Value = v[k]
		}
		out.Fields[k] = cf
	}
	for _, k := range connectorOnly {
		out.Fields[k] = ConnectorField{Key: k, Set: v[k] != "", Value: v[k]}
	}
	out.Mappings = map[string]platforms.Mapping{}
	for platform, k := range connectorMappings {
		if raw := v[k]; raw != "" {
			if m, err := platforms.ParseMapping([]byte(raw)); err == nil {
				out.Mappings[platform] = m
			}
		}
	}
	out.Classes = slices.Sorted(mapsKeys(s.legal.Classes))
	return out, nil
}

// ConnectorForm is the connectors' form: a value per setting key (an empty
// credential keeps the stored one; the enabled switches are "true" when
// on), the credentials to clear, and each shop's mapping rules by
// platform (none: no mapping).
type ConnectorForm struct {
	Values   map[string]string
	Clear    []string
	Mappings map[string][]platforms.Rule
}

// ErrNoSecretsKey: credentials were entered but RETURNS_SECRETS_KEY is not
// configured, so they cannot be stored.
var ErrNoSecretsKey = errors.New("no RETURNS_SECRETS_KEY: credentials come from the environment only")

// SaveConnectors validates and stores the connectors' form: plain values as
// they are, credentials sealed. A setting the environment gives is not
// changed (the environment wins). Problems are field errors on the setting
// keys (a mapping rule's on "<key>[i]", with platforms' Rule* codes); a
// credential without RETURNS_SECRETS_KEY is the code secrets_key_missing.
func (s *Service) SaveConnectors(ctx context.Context, f ConnectorForm) error {
	env := s.connectors
	var fe returns.FieldErrors
	set := map[string]string{}
	var clear []string
	for k, f2 := range connectorFields {
		if strings.HasPrefix(k, "env.") || *f2.env(&env) != "" {
			continue
		}
		v := strings.TrimSpace(f.Values[k])
		if slices.Contains(f.Clear, k) {
			clear = append(clear, k)
			continue
		}
		if f2.secret && v == "" {
			continue // write-only: empty keeps what is stored
		}
		switch {
		case len(v) > maxConnectorValue || !plainLine(v):
			fe = append(fe, returns.FieldError{Path: k, Code: returns.FieldInvalid})
			continue
		case v != "" && f2.check != nil:
			if code := f2.check(v); code != "" {
				fe = append(fe, returns.FieldError{Path: k, Code: code})
				continue
			}
		}
		if f2.secret {
			if s.box == nil {
				fe = append(fe, returns.FieldError{Path: k, Code: "secrets_key_missing"})
				continue
			}
			sealed, err := s.box.Seal(k, v)
			if err != nil {
				return err
			}
			v = sealed
		}
		if v == "" {
			clear = append(clear, k)
			continue
		}
		set[k] = v
	}
	for _, k := range connectorSwitches {
		if f.Values[k] == "true" {
			set[k] = "true"
		} else {
			set[k] = "false"
		}
	}
	for _, platform := range slices.Sorted(mapsKeys(connectorMappings)) {
		k := connectorMappings[platform]
		rules := f.Mappings[platform]
		if len(rules) == 0 {
			clear = append(clear, k)
			continue
		}
		if len(rules) > maxMappingRules {
			fe = append(fe, returns.FieldError{Path: k, Code: returns.FieldInvalid})
			continue
		}
		ok := true
		for i, r := range rules {
			code := r.Problem(s.legal)
			if kind, _, _ := strings.Cut(r.Match, ":"); code == "" && !slices.Contains(platforms.MatchKinds[platform], kind) {
				code = platforms.RuleMatch
			}
			if code != "" {
				fe = append(fe, returns.FieldError{Path: k + "[" + strconv.Itoa(i) + "]", Code: code})
				ok = false
			}
		}
		if !ok {
			continue
		}
		raw, err := json.Marshal(platforms.Mapping{Rules: rules})
		if err != nil {
			return err
		}
		set[k] = string(raw)
	}
	if len(fe) > 0 {
		return fe
	}
	return s.st.SaveSettings(ctx, set, clear)
}

// SecretsKeyConfigured reports whether credentials can be stored.
func (s *Service) SecretsKeyConfigured() bool { return s.box != nil }

// SecretsBox builds the encryption of stored credentials from
// RETURNS_SECRETS_KEY; nil without a key.
func SecretsBox(key string) (*secrets.Box, error) {
	if key == "" {
		return nil, nil
	}
	return secrets.New(key)
}
