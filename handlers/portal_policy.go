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
	_, pol, err := s.svc.Policy(c.Request().Context())
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
	countries, err := s.svc.ShopperCountries(c.Request().Context(), pol)
	if err != nil {
		return err
	}
	for _, code := range countries {
		props.Countries = append(props.Countries, views.Option{Value: code, Label: regionName(code), Selected: code == country})
	}
	sort.Slice(props.Countries, func(i, j int) bool { return props.Countries[i].Label < props.Countries[j].Label })
	if country != "" {
		props.CountryName = regionName(country)
	}
	props.Sections = p.policyText(s.svc.Facts(pol, returns.PolicyScope{Country: country})).sections(p)
	return p.view(http.StatusOK, views.Policy(props))
}
