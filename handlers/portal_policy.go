package handlers

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// policyPage is the return policy for a country, GET /policy?country=XX:
// written from the same policy and legal floors the engine decides with, so
// it can't disagree with a decision.
func (s *Server) policyPage(c echo.Context) error {
	p := s.portal(c)
	country := strings.ToUpper(strings.TrimSpace(c.QueryParam("country")))
	if _, err := language.ParseRegion(country); country != "" && (err != nil || len(country) != 2) {
		country = ""
	}
	_, pol, err := s.cfg.Store.CurrentPolicy(c.Request().Context())
	if err != nil {
		return err
	}
	names := display.Regions(p.tag)
	regionName := func(code string) string {
		r, err := language.ParseRegion(code)
		if err != nil {
			return code
		}
		if n := names.Name(r); n != "" {
			return n
		}
		return code
	}
	here := &url.URL{Path: "/policy"}
	if country != "" {
		here.RawQuery = url.Values{"country": {country}}.Encode()
	}
	props := views.PolicyProps{Page: p.page("portal.policy.title", here), Lang: p.explicit()}
	for _, code := range s.policyCountries(pol) {
		props.Countries = append(props.Countries, views.Option{Value: code, Label: regionName(code), Selected: code == country})
	}
	sort.Slice(props.Countries, func(i, j int) bool { return props.Countries[i].Label < props.Countries[j].Label })
	if country != "" {
		props.CountryName = regionName(country)
	}
	props.Sections = p.policySections(pol, s.legal, country)
	return p.view(http.StatusOK, views.Policy(props))
}

// policyCountries are the countries the policy or the legal data name.
func (s *Server) policyCountries(pol returns.Policy) []string {
	seen := map[string]bool{}
	add := func(c string) {
		if _, group := s.legal.Groups[c]; len(c) == 2 && !group {
			seen[c] = true
		}
	}
	for _, m := range s.legal.Markets {
		add(m.Code)
	}
	for _, g := range s.legal.Groups {
		for _, c := range g {
			add(c)
		}
	}
	for _, r := range pol.Regions {
		for _, c := range r.Countries {
			add(c)
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// policySections writes the effective policy for a country ("" for the
// merchant's defaults) in the shopper's language.
func (p *portal) policySections(pol returns.Policy, legal *returns.Legal, country string) []views.PolicySection {
	return p.policyText(returns.FactsFor(pol, legal, returns.PolicyScope{Country: country})).sections(p)
}
