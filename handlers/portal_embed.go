package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// The embedded flow: /embed and every portal path under /embed/ render the
// same handlers and components in the embed layout, for the storefront's
// iframe (DESIGN.md §4). Only these responses may be framed, and only by the
// configured storefront origins; the page inside reports its height to the
// storefront (static/embed-frame.js → static/embed.js).

// embedBase prefixes the embedded flow's paths.
const embedBase = "/embed"

// isEmbedPath reports whether a request path belongs to the embedded flow.
func isEmbedPath(path string) bool {
	return path == embedBase || strings.HasPrefix(path, embedBase+"/")
}

// ParseEmbedOrigins checks storefront origins as configured: each exactly
// scheme://host[:port] with scheme http or https, no path, query, fragment
// or user. They are returned as browsers serialise origins (lower case,
// default port dropped), duplicates removed.
func ParseEmbedOrigins(list []string) ([]string, error) {
	var out []string
	for _, raw := range list {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		o, err := parseOrigin(raw)
		if err != nil {
			return nil, fmt.Errorf("embed origin %q: %w", raw, err)
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, nil
}

func parseOrigin(raw string) (string, error) {
	if strings.ContainsAny(raw, " \t\r\n;,'\"") {
		return "", fmt.Errorf("not an origin")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("scheme must be http or https")
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
		strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#") {
		return "", fmt.Errorf("want scheme://host[:port] only")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || strings.Contains(host, "*") {
		return "", fmt.Errorf("host missing")
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("bad port")
		}
		if (scheme == "http" && n == 80) || (scheme == "https" && n == 443) {
			port = ""
		}
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
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
	origins := s.site(c.Request().Context()).EmbedOrigins
	for _, o := range cands {
		if o == "" {
			continue
		}
		if n, err := parseOrigin(o); err == nil && slices.Contains(origins, n) {
			return n
		}
	}
	if len(origins) == 1 {
		return origins[0]
	}
	return ""
}
