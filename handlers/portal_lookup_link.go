package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The lookup link (service.RequestLookupLink): a shopper locked out of the
// lookup by someone else's attempts at her order number (the per-order
// limit) asks for a link that opens the order, sent to the order's e-mail
// address. The page answers the same whatever happens, as the JSON API
// does (202 and one body).

// lookupLinkPage is GET /link: the form.
func (s *Server) lookupLinkPage(c echo.Context) error {
	p := s.portal(c)
	return p.view(http.StatusOK, views.LookupLink(p.lookupLinkProps(c.QueryParam("order_number"), "")))
}

func (p *portal) lookupLinkProps(number, email string) views.LookupLinkProps {
	return views.LookupLinkProps{Page: p.page("portal.link.title", &url.URL{Path: "/link"}), Lang: p.explicit(),
		OrderNumber: number, Email: email, BackURL: p.link("/", nil)}
}

// lookupLinkSubmit is POST /link: the request is taken, and the page says
// so in the same words whether or not the order and e-mail matched.
func (s *Server) lookupLinkSubmit(c echo.Context) error {
	number := strings.TrimSpace(c.FormValue("order_number"))
	email := strings.TrimSpace(c.FormValue("email"))
	p := s.portal(c)
	props := p.lookupLinkProps(number, email)
	if number == "" || email == "" || len(number) > 64 || len(email) > 254 {
		props.Error = p.fieldErr("link", "portal.lookup.missing")
		return p.view(http.StatusUnprocessableEntity, views.LookupLink(props))
	}
	if err := s.svc.RequestLookupLink(c.Request().Context(), service.LookupLinkRequest{OrderNumber: number,
		Email: email, ClientIP: c.RealIP(), Locale: p.explicit()}); err != nil {
		return err
	}
	props.Sent, props.OrderNumber, props.Email = true, "", ""
	return p.view(http.StatusAccepted, views.LookupLink(props))
}

// apiLookupLink is POST /api/v1/returns/lookup-link
// {"order_number","email"}: always 202 with the same body.
func (s *Server) apiLookupLink(c echo.Context) error {
	var in lookupInput
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	if err := s.svc.RequestLookupLink(c.Request().Context(), service.LookupLinkRequest{OrderNumber: in.OrderNumber,
		Email: in.Email, ClientIP: c.RealIP(), Locale: explicitLang(c)}); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "accepted"})
}
