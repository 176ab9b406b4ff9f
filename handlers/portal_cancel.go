package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// cancelPage asks whether to cancel a return, GET /r/:rma/cancel?t=...: the
// status page's cancel link leads here without script (with one, the
// status page asks in a dialog and posts itself). It needs the same right
// as cancelling itself (the manage token, once the lead splits them).
func (s *Server) cancelPage(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	r := a.Return
	p := s.portal(c)
	token := returnTokenParam(c)
	if !r.Status.Cancellable() {
		return seeOther(c, p.link("/r/"+r.RMA, url.Values{"t": {token}}))
	}
	here := &url.URL{Path: "/r/" + r.RMA + "/cancel", RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.CancelProps{Page: p.page("portal.cancel.title", here), RMA: r.RMA, Lang: p.explicit(),
		Action: cancelAction(p, r.RMA, token), StatusURL: p.link("/r/"+r.RMA, url.Values{"t": {token}})}
	props.Page.Progress = views.ProgressDone
	return p.view(http.StatusOK, views.Cancel(props))
}

// cancelAction is the cancel form's action (the form carries the language
// and the storefront's origin itself).
func cancelAction(p *portal, rma, token string) string {
	return p.flow.Base + "/r/" + rma + "/cancel?" + url.Values{"t": {token}}.Encode()
}

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
