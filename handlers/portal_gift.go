package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The gift lookup in the portal ("I received it as a gift"): the order
// number and the shipping postal code instead of the buyer's e-mail
// (service.GiftLookup: the same limits and the same answer for every miss
// as the lookup). It leads to the same order form with a gift token, on
// which the form shows no price and offers store credit to an address the
// recipient gives, or exchanges (returnForm.gift).

// giftLookupPage is GET /gift.
func (s *Server) giftLookupPage(c echo.Context) error {
	p := s.portal(c)
	return p.view(http.StatusOK, views.Lookup(p.giftLookupProps("", "")))
}

func (p *portal) giftLookupProps(number, postal string) views.LookupProps {
	props := p.lookupProps(number, "", false)
	props.Page = p.page("portal.gift.title", &url.URL{Path: "/gift"})
	props.Page.Progress = views.ProgressFind
	props.Gift, props.PostalCode = true, postal
	return props
}

// giftLookupSubmit is POST /gift: found, the recipient goes on to the
// order form with a gift token; whatever fails reads the same.
func (s *Server) giftLookupSubmit(c echo.Context) error {
	number := strings.TrimSpace(c.FormValue("order_number"))
	postal := strings.TrimSpace(c.FormValue("postal_code"))
	p := s.portal(c)
	props := p.giftLookupProps(number, postal)
	if number == "" || postal == "" || len(number) > 64 || len(postal) > 32 {
		props.Error = p.fieldErr("lookup", "portal.gift.missing")
		return p.view(http.StatusUnprocessableEntity, views.Lookup(props))
	}
	l, err := s.svc.GiftLookup(c.Request().Context(), service.GiftLookupRequest{OrderNumber: number, PostalCode: postal,
		ClientIP: c.RealIP(), Locale: p.explicit()})
	if errors.Is(err, service.ErrOrderNotFound) || errors.As(err, new(*service.RateLimitedError)) {
		ae, _ := asAPIError(err)
		props.Error = views.FieldError{ID: "err-lookup", Message: s.errorMessage(p.loc, ae)}
		if ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
		}
		return p.view(ae.Status, views.Lookup(props))
	}
	if err != nil {
		return err
	}
	return seeOther(c, p.link("/order", url.Values{"t": {l.Token}}))
}
