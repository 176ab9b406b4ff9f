package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
)

// The merchant's site settings (service.Site) as the pages use them: the
// theme stylesheet of the accent colour. The settings are edited at
// /admin/settings (admin_settings.go).

// themeCSS is the stylesheet of the merchant's accent colour: custom
// properties only, served as a file so that the CSP keeps style-src 'self'
// (no inline style).
func themeCSS(accent string) string {
	if !service.AccentColor(accent) {
		return "/* no accent colour set */\n"
	}
	return fmt.Sprintf(":root { --accent: %s; --accent-dark: %s; }\n", accent, darken(accent))
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
	body := themeCSS(s.svc.Site(c.Request().Context()).Accent)
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
