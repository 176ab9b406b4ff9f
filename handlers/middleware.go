package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/labstack/echo/v4"
)

// ctxNonce is where securityHeaders keeps the response's CSP nonce.
const ctxNonce = "csp-nonce"

// newNonce is a fresh CSP nonce: 16 random bytes, base64.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// cspNonce is the current response's CSP nonce.
func cspNonce(c echo.Context) string {
	n, _ := c.Get(ctxNonce).(string)
	return n
}

// securityHeaders sets the headers every response carries, error pages
// included. Echo's Secure() sets too little (echo#2799), so they are set here.
// Scripts run only with the response's nonce (the vendored htmx); styles come
// only from our own stylesheet. Nothing may frame a page, except the
// embedded flow (/embed...), which the configured storefronts may frame.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		nonce := newNonce()
		c.Set(ctxNonce, nonce)
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", referrerPolicy(c.Request().URL.Path))
		// The settings (service.Site, cached) say which storefronts may
		// frame /embed and where the merchant's logo comes from.
		site := s.svc.Site(c.Request().Context())
		var img []string
		if site.LogoOrigin != "" {
			img = []string{site.LogoOrigin}
		}
		// Order lines' pictures come only from the configured hosts.
		img = append(img, s.svc.ImageOrigins()...)
		if isEmbedPath(c.Request().URL.Path) {
			h.Set("Content-Security-Policy", strings.ReplaceAll(cspWith(embedFrameAncestors(site.EmbedOrigins), img...), "{nonce}", nonce))
		} else {
			h.Set("X-Frame-Options", "DENY")
			h.Set("Content-Security-Policy", strings.ReplaceAll(cspWith("'none'", img...), "{nonce}", nonce))
		}
		if trustworthyOrigin(c) {
			// Browsers ignore COOP elsewhere, and say so on the console.
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
		}
		if c.Scheme() == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// trustworthyOrigin reports whether the browser sees the page on a
// potentially trustworthy origin (W3C Secure Contexts): https, or a
// loopback host. Plain http on a LAN name or address is not one. Behind a
// proxy the browser's host is X-Forwarded-Host (and its scheme
// X-Forwarded-Proto, which c.Scheme reads); believing a forged one only
// changes whether this response carries COOP.
func trustworthyOrigin(c echo.Context) bool {
	if c.Scheme() == "https" {
		return true
	}
	host := c.Request().Header.Get("X-Forwarded-Host")
	if host == "" {
		host = c.Request().Host
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// referrerPolicy keeps shopper pages from telling anyone where a visitor
// came from: their URLs carry order tokens. Staff pages send "same-origin"
// instead: under "no-referrer" browsers send "Origin: null" on form posts,
// and the cross-origin check (admin.sameOrigin) needs the real origin
// where a browser sends no Fetch metadata (plain-http LAN addresses).
func referrerPolicy(path string) string {
	if path == "/admin" || strings.HasPrefix(path, "/admin/") {
		return "same-origin"
	}
	return "no-referrer"
}

// cspWith is the Content-Security-Policy with a frame-ancestors source list
// and a {nonce} placeholder; images may also come from the img origins (the
// merchant's logo, the hosts of order lines' pictures).
func cspWith(frameAncestors string, img ...string) string {
	imgSrc := "'self'"
	for _, o := range img {
		imgSrc += " " + o
	}
	return "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; " +
		"img-src " + imgSrc + "; connect-src 'self'; form-action 'self'; frame-ancestors " + frameAncestors +
		"; base-uri 'none'; object-src 'none'"
}

// recoverPanics turns a panic into a logged 500 without a stack trace on the
// wire.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()),
					"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// limitBody caps request bodies with http.MaxBytesReader, which stops reading
// at the limit (Echo's BodyLimit can over-read, echo#3071).
func limitBody(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return errPayloadTooLarge
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			return next(c)
		}
	}
}

// ipExtractor decides where the client address comes from. Echo's default
// trusts any X-Forwarded-For, which lets a client escape per-IP rate limits
// by forging it; here only configured proxies are believed.
func ipExtractor(trusted []string) (echo.IPExtractor, error) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", cidr, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}
