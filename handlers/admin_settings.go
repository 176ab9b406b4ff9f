package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The settings page, /admin/settings (admins only): the shopper portal's
// branding (merchant name, logo, accent colour), the storefront origins
// that may frame /embed, and the API keys (list, create, revoke). The
// values live in the settings table (site.go); a save takes effect on this
// instance at once.

// apiScopes are the scopes a key may be narrowed to (none: full access).
var apiScopes = []string{"orders:write", "policy:read", "policy:write", "returns:read", "returns:write"}

// commonTimezones are offered in the time zone field (any IANA name is
// accepted).
var commonTimezones = []string{"UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Helsinki",
	"Europe/Istanbul", "Asia/Dubai", "Asia/Riyadh", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai",
	"Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo", "America/New_York",
	"America/Chicago", "America/Denver", "America/Los_Angeles", "America/Mexico_City", "America/Toronto"}

// maxKeyName bounds an API key's name.
const maxKeyName = 100

// settingsPage is GET /admin/settings.
func (a *admin) settingsPage(c echo.Context) error {
	p := a.portal(c)
	props, err := a.settingsFromStore(c, p)
	if err != nil {
		return err
	}
	props.Saved = c.QueryParam("saved") == "1"
	return p.view(http.StatusOK, views.AdminSettings(props))
}

func (a *admin) settingsProps(c echo.Context, p *portal, f siteForm) (views.SettingsProps, error) {
	cs, err := a.conf()
	if err != nil {
		return views.SettingsProps{}, err
	}
	props := views.SettingsProps{Page: a.page(c, p, "admin.settings.title", "settings"),
		MerchantName: f.MerchantName, LogoURL: f.LogoURL, AccentColor: f.Accent, EmbedOrigs: f.EmbedOrigins,
		Timezone: f.Timezone, Timezones: commonTimezones, Errors: map[string]string{}, Scopes: apiScopes}
	loc := a.staffLoc(c)
	keys, err := cs.ListAPIKeys(c.Request().Context())
	if err != nil {
		return props, err
	}
	for _, k := range keys {
		row := views.APIKeyRow{ID: strconv.FormatInt(k.ID, 10), Name: k.Name, Prefix: k.Prefix + "…",
			Scopes: strings.Join(k.Scopes, ", "), Created: staffTime(k.CreatedAt, loc), LastUsed: "—"}
		if len(k.Scopes) == 0 {
			row.Scopes = p.T("admin.keys.full_access")
		}
		if k.LastUsedAt != nil {
			row.LastUsed = staffTime(*k.LastUsedAt, loc)
		}
		props.Keys = append(props.Keys, row)
	}
	return props, nil
}

// settingsSubmit is POST /admin/settings: validated, stored, the cache
// cleared so that the portal and the embed CSP follow at once.
func (a *admin) settingsSubmit(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	f := siteForm{MerchantName: c.FormValue("merchant_name"), LogoURL: c.FormValue("logo_url"),
		Accent: c.FormValue("accent_color"), EmbedOrigins: c.FormValue("embed_origins"),
		Timezone: c.FormValue("timezone")}
	values, errs := validateSiteForm(f)
	p := a.portal(c)
	if errs != nil {
		props, err := a.settingsProps(c, p, f)
		if err != nil {
			return err
		}
		for field, id := range errs {
			props.Errors[field] = p.T(id)
		}
		return p.view(http.StatusUnprocessableEntity, views.AdminSettings(props))
	}
	ctx := c.Request().Context()
	for _, k := range siteKeys {
		if err := cs.SetSetting(ctx, k, values[k]); err != nil {
			return err
		}
	}
	a.invalidateSite()
	return seeOther(c, "/admin/settings?saved=1")
}

// apiKeyCreate is POST /admin/settings/keys: a new key, shown this once
// (the answer is the page itself, never a redirect that could be replayed
// from history; staff pages are no-store).
func (a *admin) apiKeyCreate(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	p := a.portal(c)
	name := strings.TrimSpace(c.FormValue("name"))
	var scopes []string
	params, _ := c.FormParams()
	for _, s := range params["scopes"] {
		if !slices.Contains(apiScopes, s) {
			name = "" // a scope that does not exist: refuse the form
			break
		}
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	ctx := c.Request().Context()
	status := http.StatusOK
	var key string
	if name == "" || utf8.RuneCountInString(name) > maxKeyName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		status = http.StatusUnprocessableEntity
	} else if key, err = cs.CreateAPIKey(ctx, name, scopes); err != nil {
		return err
	}
	props, err := a.settingsFromStore(c, p)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		props.KeyError = p.T("admin.keys.invalid")
	} else {
		props.NewKey, props.NewKeyName = key, name
	}
	return p.view(status, views.AdminSettings(props))
}

// apiKeyRevoke is POST /admin/settings/keys/revoke with the key's id.
func (a *admin) apiKeyRevoke(c echo.Context) error {
	cs, err := a.conf()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.FormValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := cs.RevokeAPIKey(c.Request().Context(), id); errors.Is(err, store.ErrNotFound) {
		return errNotFound
	} else if err != nil {
		return err
	}
	return seeOther(c, "/admin/settings#keys")
}

// settingsFromStore is the settings page's props with the stored values.
func (a *admin) settingsFromStore(c echo.Context, p *portal) (views.SettingsProps, error) {
	cs, err := a.conf()
	if err != nil {
		return views.SettingsProps{}, err
	}
	m, err := cs.Settings(c.Request().Context(), siteKeys...)
	if err != nil {
		return views.SettingsProps{}, err
	}
	origins := strings.Join(a.site(c.Request().Context()).EmbedOrigins, "\n")
	if raw, ok := m[SettingEmbedOrigins]; ok {
		origins = strings.ReplaceAll(raw, ",", "\n")
	}
	tz := m[SettingTimezone]
	if tz == "" {
		tz = "UTC"
	}
	return a.settingsProps(c, p, siteForm{MerchantName: m[SettingMerchantName], LogoURL: m[SettingLogoURL],
		Accent: m[SettingAccentColor], EmbedOrigins: origins, Timezone: tz})
}
