package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The merchant's site settings: name, logo and accent colour of the
// shopper's portal, the storefront origins that may frame /embed, and the
// staff area's time zone. They live in the settings table and are edited
// at /admin/settings; the --embed-origins flag only seeds the origins on
// the first start (SeedEmbedOrigins). Requests read them through a short
// cache that a save on this instance clears at once; other instances on
// the same database follow within siteCacheTTL.

// Keys of the site settings in the settings table.
const (
	SettingMerchantName = "merchant_name"
	SettingLogoURL      = "logo_url"
	SettingAccentColor  = "accent_color"
	// SettingEmbedOrigins holds the origins comma-separated, as
	// ParseEmbedOrigins normalises them; "" means no storefront.
	SettingEmbedOrigins = "embed_origins"
	// SettingTimezone is the staff area's time zone: an IANA name, ""
	// for the default hub's (StaffZone).
	SettingTimezone = "timezone"
)

var siteKeys = []string{SettingMerchantName, SettingLogoURL, SettingAccentColor, SettingEmbedOrigins, SettingTimezone}

// siteCacheTTL bounds how long another instance's save takes to show.
const siteCacheTTL = 5 * time.Second

// Limits of the settings form.
const (
	maxMerchantName = 100
	maxLogoURL      = 2048
	// maxTimezone bounds the time zone's name (the longest IANA names have
	// about 30 characters).
	maxTimezone = 64
)

// Site is the site settings in force, valid.
type Site struct {
	MerchantName string
	LogoURL      string
	// LogoOrigin is the logo's origin, for the CSP's img-src.
	LogoOrigin   string
	Accent       string // #rrggbb or ""
	EmbedOrigins []string
	// Timezone is the staff area's time zone setting: its IANA name and
	// the zone ("" and nil when unset: StaffZone).
	Timezone string
	Location *time.Location
}

// siteCache keeps the last settings read.
type siteCache struct {
	mu  sync.Mutex
	v   Site
	at  time.Time
	set bool
}

// Site returns the settings in force. When the store fails, the last value
// read (or the configuration) is used and the failure logged: a settings
// read must not take the portal down.
func (s *Service) Site(ctx context.Context) Site {
	s.site.mu.Lock()
	defer s.site.mu.Unlock()
	now := s.now()
	if s.site.set && now.Sub(s.site.at) < siteCacheTTL && !now.Before(s.site.at) {
		return s.site.v
	}
	m, err := s.st.Settings(ctx, siteKeys...)
	if err != nil {
		s.log.Error("site settings", "err", err)
		if s.site.set {
			return s.site.v
		}
		return Site{EmbedOrigins: s.embedOrigins}
	}
	v := s.siteFrom(m)
	s.site.v, s.site.at, s.site.set = v, now, true
	return v
}

// siteFrom turns stored values into settings; a value that no longer
// validates (edited by hand in the database) is ignored and logged.
func (s *Service) siteFrom(m map[string]string) Site {
	v := Site{MerchantName: m[SettingMerchantName], EmbedOrigins: s.embedOrigins}
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
	if c := m[SettingAccentColor]; AccentColor(c) {
		v.Accent = c
	}
	if tz := m[SettingTimezone]; tz != "" {
		if loc, err := ParseTimezone(tz); err == nil {
			v.Timezone, v.Location = tz, loc
		} else {
			s.log.Error("stored time zone is invalid; UTC used", "timezone", tz)
		}
	}
	return v
}

// SiteForm is the settings form, as typed or as stored.
type SiteForm struct {
	MerchantName, LogoURL, Accent, EmbedOrigins, Timezone string
}

// StoredSite is the settings form with the stored values: the embed
// origins one per line (the configured ones until some are stored), the
// time zone empty when unset (StaffZone then follows the default hub).
func (s *Service) StoredSite(ctx context.Context) (SiteForm, error) {
	m, err := s.st.Settings(ctx, siteKeys...)
	if err != nil {
		return SiteForm{}, err
	}
	origins := strings.Join(s.Site(ctx).EmbedOrigins, "\n")
	if raw, ok := m[SettingEmbedOrigins]; ok {
		origins = strings.ReplaceAll(raw, ",", "\n")
	}
	tz := m[SettingTimezone]
	return SiteForm{MerchantName: m[SettingMerchantName], LogoURL: m[SettingLogoURL],
		Accent: m[SettingAccentColor], EmbedOrigins: origins, Timezone: tz}, nil
}

// SaveSite validates the settings form (field errors by input name, with
// the codes name, logo, accent, accent_contrast, origins, timezone),
// stores it, and clears the cache so that the portal and the embed CSP
// follow at once.
func (s *Service) SaveSite(ctx context.Context, f SiteForm) error {
	values, errs := validateSite(f)
	if len(errs) > 0 {
		return errs
	}
	for _, k := range siteKeys {
		if err := s.st.SetSetting(ctx, k, values[k]); err != nil {
			return err
		}
	}
	s.site.mu.Lock()
	s.site.set = false
	s.site.mu.Unlock()
	return nil
}

// validateSite checks the settings form and returns the values to store
// by setting key, or the invalid fields.
func validateSite(f SiteForm) (map[string]string, returns.FieldErrors) {
	var errs returns.FieldErrors
	out := map[string]string{}
	name := strings.TrimSpace(f.MerchantName)
	if utf8.RuneCountInString(name) > maxMerchantName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		errs = append(errs, returns.FieldError{Path: "merchant_name", Code: "name"})
	}
	out[SettingMerchantName] = name
	logo := strings.TrimSpace(f.LogoURL)
	if logo != "" {
		if _, err := logoOrigin(logo); err != nil {
			errs = append(errs, returns.FieldError{Path: "logo_url", Code: "logo"})
		}
	}
	out[SettingLogoURL] = logo
	accent := strings.ToLower(strings.TrimSpace(f.Accent))
	switch {
	case accent != "" && !AccentColor(accent):
		errs = append(errs, returns.FieldError{Path: "accent_color", Code: "accent"})
	case accent != "" && contrastOnWhite(accent) < 4.5:
		// The accent is link text on white and the background of white
		// button text: below 4.5:1 (WCAG AA) shoppers cannot read either.
		errs = append(errs, returns.FieldError{Path: "accent_color", Code: "accent_contrast"})
	}
	out[SettingAccentColor] = accent
	origins, err := ParseEmbedOrigins(strings.FieldsFunc(f.EmbedOrigins, func(r rune) bool {
		return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	}))
	if err != nil {
		errs = append(errs, returns.FieldError{Path: "embed_origins", Code: "origins"})
	}
	out[SettingEmbedOrigins] = strings.Join(origins, ",")
	tz := strings.TrimSpace(f.Timezone)
	if strings.EqualFold(tz, "UTC") {
		tz = ""
	}
	if _, err := ParseTimezone(tz); err != nil {
		errs = append(errs, returns.FieldError{Path: "timezone", Code: "timezone"})
	}
	out[SettingTimezone] = tz
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// SeedEmbedOrigins stores the configured origins as the embed origins
// setting when there is none yet (the first start) and returns the origins
// in force: afterwards the setting, edited in the staff area, wins over the
// flag. seeded reports whether the flag's value was stored now.
func SeedEmbedOrigins(ctx context.Context, st *store.Store, configured []string) (origins []string, seeded bool, err error) {
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

// AccentColor reports whether s is an accent colour as stored: #rrggbb in
// lower case.
func AccentColor(s string) bool { return accentRE.MatchString(s) }

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
	return ParseOrigin("https://" + u.Host)
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

var errBadTimezone = errors.New("unknown time zone")

// ParseTimezone checks an IANA time zone name for the staff area: "" is
// UTC; "Local" (the server's own zone, which differs between machines) is
// refused.
func ParseTimezone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if name == "Local" || len(name) > maxTimezone {
		return nil, errBadTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errBadTimezone
	}
	return loc, nil
}
