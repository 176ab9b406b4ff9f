package service

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/returns-portal/returns/returns"
)

// countriesCacheTTL is how long the list of countries orders go to is
// kept: the policy page asks for it on every view; a new destination may
// take this long to appear there.
const countriesCacheTTL = time.Minute

// countriesCache keeps the last list of order countries read.
type countriesCache struct {
	mu  sync.Mutex
	v   []string
	at  time.Time
	set bool
}

// ShopperCountries are the countries the shopper's policy page offers:
// those the policy or the law's data name (PolicyCountries) and every
// country the merchant has shipped an order to, even where neither the
// policy nor the law says anything of its own (Kuwait in the demo).
func (s *Service) ShopperCountries(ctx context.Context, p returns.Policy) ([]string, error) {
	shipped, err := s.orderCountries(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range s.PolicyCountries(p) {
		seen[c] = true
	}
	for _, c := range shipped {
		if returns.ValidCountry(c) {
			seen[c] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

func (s *Service) orderCountries(ctx context.Context) ([]string, error) {
	s.countries.mu.Lock()
	defer s.countries.mu.Unlock()
	now := s.now()
	if s.countries.set && now.Sub(s.countries.at) < countriesCacheTTL && !now.Before(s.countries.at) {
		return s.countries.v, nil
	}
	v, err := s.st.OrderCountries(ctx)
	if err != nil {
		return nil, err
	}
	s.countries.v, s.countries.at, s.countries.set = v, now, true
	return v, nil
}
