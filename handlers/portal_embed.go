package handlers

import (
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
)

// The embedded flow: /embed and every portal path under /embed/ render the
// same handlers and components in the embed layout, for the storefront's
// iframe: the shopper's flow keeps no cookie (third-party cookies are
// blocked in iframes by Safari and Firefox; the signed tokens carry the
// state), and opens no top-level navigation of its own (the address bar
// belongs to the storefront). Only these responses may be framed, and only
// by the configured storefront origins; the page inside reports its height
// to the storefront (static/embed-frame.js → static/embed.js).

// embedBase prefixes the embedded flow's paths.
const embedBase = "/embed"

// isEmbedPath reports whether a request path belongs to the embedded flow.
func isEmbedPath(path string) bool {
	return path == embedBase || strings.HasPrefix(path, embedBase+"/")
}

// embedFrameAncestors is the frame-ancestors source list of the embedded
// flow: the portal itself and the storefronts, or nobody when none is
// configured.
func embedFrameAncestors(origins []string) string {
	if len(origins) == 0 {
		return "'none'"
	}
	return "'self' " + strings.Join(origins, " ")
}

// embedParent is the storefront origin an embedded page reports its height
// to: the parent parameter of the URL or form, else the origin of the
// Referer (the iframe's first request), else the only configured origin —
// always one of the configured origins, or "" (no report).
func (s *Server) embedParent(c echo.Context) string {
	cands := []string{c.QueryParam("parent")}
	if isForm(c) {
		cands = append(cands, c.FormValue("parent"))
	}
	if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host != "" {
		cands = append(cands, ref.Scheme+"://"+ref.Host)
	}
	origins := s.svc.Site(c.Request().Context()).EmbedOrigins
	for _, o := range cands {
		if o == "" {
			continue
		}
		if n, err := service.ParseOrigin(o); err == nil && slices.Contains(origins, n) {
			return n
		}
	}
	if len(origins) == 1 {
		return origins[0]
	}
	return ""
}
