package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// cancelSubmit cancels a return for its shopper (the same service as the
// JSON API), then shows the status page again (POST-redirect-GET). Too late
// to cancel: the status page with the message (409).
func (s *Server) cancelSubmit(c echo.Context) error {
	r, err := s.openReturn(c)
	if err != nil {
		return err
	}
	if _, err := s.withdrawReturn(c.Request().Context(), r); err != nil {
		if errors.Is(err, errNotCancelable) {
			p := s.portal(c)
			return s.renderStatus(c, http.StatusConflict, r, p.fieldErr("cancel", "error.not_cancellable"))
		}
		return err
	}
	t := returnTokenParam(c)
	return seeOther(c, s.portal(c).link("/r/"+r.RMA, url.Values{"t": {t}}))
}
