package service

import (
	"fmt"
	"slices"

	"github.com/returns-portal/returns/returns"
)

// ParseImageHosts checks the configured hosts order lines may take their
// pictures from (returns.ImageHost: "host" or "host:port", or an https
// origin) and returns them as the settings keep them.
func ParseImageHosts(list []string) ([]string, error) {
	var out []string
	for _, raw := range list {
		h, ok := returns.ImageHost(raw)
		if !ok {
			return nil, fmt.Errorf("image host %q: not a host name or https origin", raw)
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out, nil
}

// ImageOrigins are the origins of the allowed image hosts, for the pages'
// CSP (img-src).
func (s *Service) ImageOrigins() []string {
	out := make([]string, 0, len(s.imageHosts))
	for _, h := range s.imageHosts {
		out = append(out, "https://"+h)
	}
	return out
}
