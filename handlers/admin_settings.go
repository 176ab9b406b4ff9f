package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The settings page, /admin/settings (admins only): the shopper portal's
// branding (merchant name, logo, accent colour), the storefront origins
// that may frame /embed, the shop and payment connectors
// (admin_connectors.go), and the API keys (list, create, revoke). The
// values live in the settings table (service.Site); a save takes effect on
// this instance at once.

// commonTimezones are offered in the time zone field (any IANA name is
// accepted).
var commonTimezones = []string{"UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Helsinki",
	"Europe/Istanbul", "Asia/Dubai", "Asia/Riyadh", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai",
	"Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo", "America/New_York",
	"America/Chicago", "America/Denver", "America/Los_Angeles", "America/Mexico_City", "America/Toronto"}

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

func (a *admin) settingsProps(c echo.Context, p *portal, f service.SiteForm) (views.SettingsProps, error) {
	props := views.SettingsProps{Page: a.page(c, p, "admin.settings.title", "settings"),
		MerchantName: f.MerchantName, LogoURL: f.LogoURL, AccentColor: f.Accent, EmbedOrigs: f.EmbedOrigins,
		Timezone: f.Timezone, Timezones: commonTimezones, Errors: map[string]string{}, Scopes: service.APIScopes}
	var err error
	if props.Connectors, err = a.connectorsProps(c, p, nil, nil); err != nil {
		return props, err
	}
	loc := a.staffLoc(c)
	def, _ := a.svc.DefaultStaffZone(c.Request().Context())
	props.TimezoneDefault = def.String()
	keys, err := a.svc.APIKeys(c.Request().Context())
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

// settingsSubmit is POST /admin/settings: validated and stored
// (service.SaveSite), in force at once for the portal and the embed CSP.
func (a *admin) settingsSubmit(c echo.Context) error {
	f := service.SiteForm{MerchantName: c.FormValue("merchant_name"), LogoURL: c.FormValue("logo_url"),
		Accent: c.FormValue("accent_color"), EmbedOrigins: c.FormValue("embed_origins"),
		Timezone: c.FormValue("timezone")}
	err := a.svc.SaveSite(c.Request().Context(), f)
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		p := a.portal(c)
		props, err := a.settingsProps(c, p, f)
		if err != nil {
			return err
		}
		for _, e := range fe {
			props.Errors[e.Path] = p.T("admin.settings.error." + e.Code)
		}
		return p.view(http.StatusUnprocessableEntity, views.AdminSettings(props))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/settings?saved=1")
}

// apiKeyCreate is POST /admin/settings/keys: a new key, shown this once
// (the answer is the page itself, never a redirect that could be replayed
// from history; staff pages are no-store).
func (a *admin) apiKeyCreate(c echo.Context) error {
	params, _ := c.FormParams()
	key, err := a.svc.CreateAPIKey(c.Request().Context(), c.FormValue("name"), params["scopes"])
	var fe returns.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return err
	}
	p := a.portal(c)
	props, err := a.settingsFromStore(c, p)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		props.KeyError = p.T("admin.keys.invalid")
		return p.view(http.StatusUnprocessableEntity, views.AdminSettings(props))
	}
	props.NewKey, props.NewKeyName = key, strings.TrimSpace(c.FormValue("name"))
	return p.view(http.StatusOK, views.AdminSettings(props))
}

// apiKeyRevoke is POST /admin/settings/keys/revoke with the key's id.
func (a *admin) apiKeyRevoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := a.svc.RevokeAPIKey(c.Request().Context(), id); err != nil {
		return err
	}
	return seeOther(c, "/admin/settings#keys")
}

// settingsFromStore is the settings page's props with the stored values.
func (a *admin) settingsFromStore(c echo.Context, p *portal) (views.SettingsProps, error) {
	f, err := a.svc.StoredSite(c.Request().Context())
	if err != nil {
		return views.SettingsProps{}, err
	}
	return a.settingsProps(c, p, f)
}
