package service

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

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
		o, err := ParseOrigin(raw)
		if err != nil {
			return nil, fmt.Errorf("embed origin %q: %w", raw, err)
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, nil
}

// ParseOrigin checks one origin, scheme://host[:port], and serialises it
// as browsers do.
func ParseOrigin(raw string) (string, error) {
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
