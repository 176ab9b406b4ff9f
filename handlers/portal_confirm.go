package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// confirm makes the return through the same service as the JSON API, then
// redirects (POST-redirect-GET) to its status page with the return's own
// token. A form that has gone stale (units taken meanwhile) comes back with
// its messages.
func (s *Server) confirm(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	cl, err := s.orderFromToken(c, f.token)
	if err != nil {
		return err
	}
	o, err := s.cfg.Store.GetOrder(c.Request().Context(), cl.Order)
	if err != nil {
		return err
	}
	in, errs := f.input(o)
	if len(errs) > 0 {
		return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, errs)
	}
	r, err := s.submitReturn(c.Request().Context(), cl, in)
	if err != nil {
		if fe, ok := fieldErrors(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		return err
	}
	return seeOther(c, s.portal(c).link("/r/"+r.RMA, url.Values{"t": {s.tokens.returnToken(r.RMA)}}))
}
