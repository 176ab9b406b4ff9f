package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// The merchant's site settings: name, logo and accent colour of the
// shopper's portal, and the storefront origins that may frame /embed. They
// live in the settings table and are edited at /admin/settings; the
// --embed-origins flag (RETURNS_EMBED_ORIGINS) only seeds the origins on
// the first start (SeedEmbedOrigins). Requests read them through a short
// cache that a save on this instance clears at once; other instances on the
// same database follow within siteCacheTTL.

// Keys of the site settings in the settings table.
const (
	SettingMerchantName = "merchant_name"
	SettingLogoURL      = "logo_url"
	SettingAccentColor  = "accent_color"
	// SettingEmbedOrigins holds the origins comma-separated, as
	// ParseEmbedOrigins normalises them; "" means no storefront.
	SettingEmbedOrigins = "embed_origins"
)

var siteKeys = []string{SettingMerchantName, SettingLogoURL, SettingAccentColor, SettingEmbedOrigins, SettingTimezone}

// siteCacheTTL bounds how long another instance's save takes to show.
const siteCacheTTL = 5 * time.Second

// Limits of the settings form.
const (
	maxMerchantName = 100
	maxLogoURL      = 2048
)

// SettingsStore reads and writes settings; *store.Store satisfies it. A
// Config.Store without it serves the configured embed origins and no
// branding.
type SettingsStore interface {
	Settings(ctx context.Context, keys ...string) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// siteSettings are the current settings, validated.
type siteSettings struct {
	MerchantName string
	LogoURL      string
	// LogoOrigin is the logo's origin, allowed in the CSP's img-src.
	LogoOrigin   string
	Accent       string // #rrggbb or ""
	EmbedOrigins []string
	// Timezone is the staff area's time zone (admin_time.go): its IANA
	// name ("" for UTC) and the zone.
	Timezone string
	Location *time.Location
}

// siteCache keeps the last read settings.
type siteCache struct {
	mu  sync.Mutex
	v   siteSettings
	at  time.Time
	set bool
}

// site returns the current settings. When the store fails, the last value
// read (or the configuration) is used and the failure logged: a settings
// read must not take the portal down.
func (s *Server) site(ctx context.Context) siteSettings {
	st, ok := s.cfg.Store.(SettingsStore)
	if !ok {
		return siteSettings{EmbedOrigins: s.embedOrigins}
	}
	s.siteCache.mu.Lock()
	defer s.siteCache.mu.Unlock()
	if s.siteCache.set && time.Since(s.siteCache.at) < siteCacheTTL {
		return s.siteCache.v
	}
	m, err := st.Settings(ctx, siteKeys...)
	if err != nil {
		s.log.Error("site settings", "err", err)
		if s.siteCache.set {
			return s.siteCache.v
		}
		return siteSettings{EmbedOrigins: s.embedOrigins}
	}
	v := s.siteFrom(m)
	s.siteCache.v, s.siteCache.at, s.siteCache.set = v, time.Now(), true
	return v
}

// invalidateSite makes the next request read the settings again.
func (s *Server) invalidateSite() {
	s.siteCache.mu.Lock()
	s.siteCache.set = false
	s.siteCache.mu.Unlock()
}

// siteFrom turns stored values into settings; a value that no longer
// validates (edited by hand in the database) is ignored and logged.
func (s *Server) siteFrom(m map[string]string) siteSettings {
	v := siteSettings{MerchantName: m[SettingMerchantName], EmbedOrigins: s.embedOrigins}
	if raw, ok := m[SettingEmbedOrigins]; ok {
		origins, err := ParseEmbedOrigins(strings.Split(raw, ","))
		if err != nil {
			s.log.Error("stored embed origins are invalid; none allowed", "err", err)
			origins = nil
		}
		v.EmbedOrigins = origins
	}
	if logo := m[SettingLogoURL]; logo != "" {
		if origin, err := logoOrigin(logo); err == nil {
			v.LogoURL, v.LogoOrigin = logo, origin
		} else {
			s.log.Error("stored logo URL is invalid; ignored", "err", err)
		}
	}
	if c := m[SettingAccentColor]; accentRE.MatchString(c) {
		v.Accent = c
	}
	if tz := m[SettingTimezone]; tz != "" {
		if loc, err := parseTimezone(tz); err == nil {
			v.Timezone, v.Location = tz, loc
		} else {
			s.log.Error("stored time zone is invalid; UTC used", "timezone", tz)
		}
	}
	return v
}

// SeedEmbedOrigins stores the configured origins as the embed origins
// setting when there is none yet (the first start) and returns the origins
// in force: afterwards the setting, edited in the staff area, wins over the
// flag. seeded reports whether the flag's value was stored now.
func SeedEmbedOrigins(ctx context.Context, st interface {
	SettingOrInit(ctx context.Context, key string, gen func() (string, error)) (string, error)
}, configured []string) (origins []string, seeded bool, err error) {
	configured, err = ParseEmbedOrigins(configured)
	if err != nil {
		return nil, false, err
	}
	v, err := st.SettingOrInit(ctx, SettingEmbedOrigins, func() (string, error) {
		seeded = true
		return strings.Join(configured, ","), nil
	})
	if err != nil {
		return nil, false, err
	}
	origins, err = ParseEmbedOrigins(strings.Split(v, ","))
	if err != nil {
		return nil, false, fmt.Errorf("stored embed origins: %w", err)
	}
	return origins, seeded && v == strings.Join(configured, ","), nil
}

var accentRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// logoOrigin checks a logo URL (https only, a host, no user info, no
// characters that could break out of an attribute or a CSP source) and
// returns its origin.
func logoOrigin(raw string) (string, error) {
	if len(raw) > maxLogoURL {
		return "", fmt.Errorf("too long")
	}
	if strings.ContainsAny(raw, " \t\r\n'\"<>\\`") {
		return "", fmt.Errorf("not a URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", fmt.Errorf("want an https URL")
	}
	return parseOrigin("https://" + u.Host)
}

// siteForm is the settings form as typed.
type siteForm struct {
	MerchantName, LogoURL, Accent, EmbedOrigins, Timezone string
}

// validateSiteForm checks the settings form and returns the values to
// store by setting key, or the translated-message IDs of the invalid fields
// by field name.
func validateSiteForm(f siteForm) (map[string]string, map[string]string) {
	errs := map[string]string{}
	out := map[string]string{}
	name := strings.TrimSpace(f.MerchantName)
	switch {
	case utf8.RuneCountInString(name) > maxMerchantName:
		errs["merchant_name"] = "admin.settings.error.name"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs["merchant_name"] = "admin.settings.error.name"
	}
	out[SettingMerchantName] = name
	logo := strings.TrimSpace(f.LogoURL)
	if logo != "" {
		if _, err := logoOrigin(logo); err != nil {
			errs["logo_url"] = "admin.settings.error.logo"
		}
	}
	out[SettingLogoURL] = logo
	accent := strings.ToLower(strings.TrimSpace(f.Accent))
	switch {
	case accent != "" && !accentRE.MatchString(accent):
		errs["accent_color"] = "admin.settings.error.accent"
	case accent != "" && contrastOnWhite(accent) < 4.5:
		// The accent is link text on white and the background of white
		// button text: below 4.5:1 (WCAG AA) shoppers cannot read either.
		errs["accent_color"] = "admin.settings.error.accent_contrast"
	}
	out[SettingAccentColor] = accent
	origins, err := ParseEmbedOrigins(strings.FieldsFunc(f.EmbedOrigins, func(r rune) bool {
		return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	}))
	if err != nil {
		errs["embed_origins"] = "admin.settings.error.origins"
	}
	out[SettingEmbedOrigins] = strings.Join(origins, ",")
	tz := strings.TrimSpace(f.Timezone)
	if strings.EqualFold(tz, "UTC") {
		tz = ""
	}
	if _, err := parseTimezone(tz); err != nil {
		errs["timezone"] = "admin.settings.error.timezone"
	}
	out[SettingTimezone] = tz
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// themeCSS is the stylesheet of the merchant's accent colour: custom
// properties only, served as a file so that the CSP keeps style-src 'self'
// (no inline style).
func themeCSS(accent string) string {
	if !accentRE.MatchString(accent) {
		return "/* no accent colour set */\n"
	}
	return fmt.Sprintf(":root { --accent: %s; --accent-dark: %s; }\n", accent, darken(accent))
}

// contrastOnWhite is the WCAG 2 contrast ratio of a #rrggbb colour
// against white (1 to 21).
func contrastOnWhite(hex6 string) float64 {
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		n, _ := strconv.ParseUint(hex6[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += weight * c
	}
	return 1.05 / (l + 0.05)
}

// darken returns the colour at three quarters of its brightness (hover).
func darken(hex6 string) string {
	var b strings.Builder
	b.WriteByte('#')
	for i := 1; i < 7; i += 2 {
		n, _ := strconv.ParseUint(hex6[i:i+2], 16, 8)
		fmt.Fprintf(&b, "%02x", n*3/4)
	}
	return b.String()
}

// themeStylesheet is GET /static/theme.css: the accent colour, revalidated
// by ETag (a save changes it at once).
func (s *Server) themeStylesheet(c echo.Context) error {
	body := themeCSS(s.site(c.Request().Context()).Accent)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", etag)
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", []byte(body))
}
