package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
)

// cancelSubmit cancels a return for its shopper (service.Cancel, as the
// JSON API does), then shows the status page again (POST-redirect-GET). Too late
// to cancel: the status page with the message (409).
func (s *Server) cancelSubmit(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.Cancel(c.Request().Context(), a); err != nil {
		var ce *service.ConflictError
		if errors.As(err, &ce) && ce.Code == service.CodeNotCancellable {
			p := s.portal(c)
			return s.renderStatus(c, http.StatusConflict, a, p.fieldErr("cancel", "error."+ce.Code))
		}
		return err
	}
	t := returnTokenParam(c)
	return seeOther(c, s.portal(c).link("/r/"+a.Return.RMA, url.Values{"t": {t}}))
}
