package returns

import (
	"net/url"
	"strings"
)

// Validation codes of an order line's image URL.
const (
	// FieldHTTPSRequired: the URL is not https (a page served over https
	// must not load a picture over plain http, nor from a data: or
	// javascript: URL).
	FieldHTTPSRequired = "https_required"
	// FieldImageHost: the URL's host is not one the portal's settings
	// allow images from.
	FieldImageHost = "image_host"
)

// imageHost is the host of an image URL (lower case, with its port when
// it has one), or the code of what is wrong with the URL: it must be an
// absolute https URL with a host and no user name or password.
func imageHost(raw string) (string, string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Opaque != "":
		return "", FieldInvalid
	case !strings.EqualFold(u.Scheme, "https"):
		return "", FieldHTTPSRequired
	case u.Host == "" || u.User != nil || u.Hostname() == "":
		return "", FieldInvalid
	}
	return strings.ToLower(u.Host), ""
}

// CheckImageHosts checks that every image URL of an order's lines
// (ValidateOrder has checked their form) is on one of the allowed hosts
// (lower case, "host" or "host:port", as the settings hold them), so that
// the pages' CSP (img-src) can name them all. Without allowed hosts no
// line may carry an image.
func CheckImageHosts(o Order, allowed []string) FieldErrors {
	var fe FieldErrors
	for i, l := range o.Lines {
		if l.ImageURL == "" {
			continue
		}
		host, code := imageHost(l.ImageURL)
		if code == "" && !containsFold(allowed, host) {
			code = FieldImageHost
		}
		if code != "" {
			fe.add(fieldPath("lines", i, "image_url"), code)
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// ImageHost names an allowed image host as the settings keep it: "host"
// or "host:port", lower case, from a host name, a host:port or an https
// origin; false when it is none of these.
func ImageHost(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(u.Host, "*; '\"") {
		return "", false
	}
	return strings.ToLower(u.Host), true
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
