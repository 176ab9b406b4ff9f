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

// lookupPage is the start page: find your order.
func (s *Server) lookupPage(c echo.Context) error {
	p := s.portal(c)
	return p.view(http.StatusOK, views.Lookup(p.lookupProps("", "", false)))
}

// withdrawLookupPage is the start of the withdrawal function (EU Consumer
// Rights Directive Art. 11a): the same lookup, then the withdrawal instead
// of the return form (portal_withdraw.go).
func (s *Server) withdrawLookupPage(c echo.Context) error {
	p := s.portal(c)
	return p.view(http.StatusOK, views.Lookup(p.lookupProps("", "", true)))
}

func (p *portal) lookupProps(number, email string, withdraw bool) views.LookupProps {
	title, here := "portal.lookup.title", &url.URL{Path: "/"}
	if withdraw {
		title, here = "portal.withdraw.title", &url.URL{Path: "/withdraw"}
	}
	page := p.page(title, here)
	page.Progress = views.ProgressFind
	return views.LookupProps{Page: page, Lang: p.explicit(), Withdraw: withdraw,
		WithdrawURL: p.link("/withdraw", nil), ReturnURL: p.link("/", nil), LinkURL: p.link("/link", nil),
		GiftURL:     p.link("/gift", nil),
		OrderNumber: number, Email: email, PolicyURL: withLang("/policy", p.lang)}
}

// lookupSubmit finds the order (service.Lookup, as the JSON API does)
// and sends the shopper on to the form with a signed token. Whatever fails —
// unknown order or wrong e-mail — the page and its status are the same.
func (s *Server) lookupSubmit(c echo.Context) error {
	number := strings.TrimSpace(c.FormValue("order_number"))
	email := strings.TrimSpace(c.FormValue("email"))
	withdraw := c.FormValue("intent") == "withdraw"
	p := s.portal(c)
	props := p.lookupProps(number, email, withdraw)
	if number == "" || email == "" || len(number) > 64 || len(email) > 254 {
		props.Error = p.fieldErr("lookup", "portal.lookup.missing")
		return p.view(http.StatusUnprocessableEntity, views.Lookup(props))
	}
	l, err := s.svc.Lookup(c.Request().Context(), service.LookupRequest{OrderNumber: number, Email: email,
		ClientIP: c.RealIP(), Locale: p.explicit()})
	if errors.Is(err, service.ErrOrderNotFound) || errors.As(err, new(*service.RateLimitedError)) {
		ae, _ := asAPIError(err)
		props.Error = views.FieldError{ID: "err-lookup", Message: s.errorMessage(p.loc, ae)}
		var rl *service.RateLimitedError
		if errors.As(err, &rl) && rl.ByOrder { // a link by e-mail gets its owner in
			props.Locked = true
			props.LinkURL = p.link("/link", url.Values{"order_number": {number}})
		}
		if ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
		}
		return p.view(ae.Status, views.Lookup(props))
	}
	if err != nil {
		return err
	}
	next := "/order"
	if withdraw {
		next = "/withdraw/order"
	}
	return seeOther(c, p.link(next, url.Values{"t": {l.Token}}))
}
