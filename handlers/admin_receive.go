package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// receivePage is GET /admin/receive: the scan input, focused.
func (a *admin) receivePage(c echo.Context) error {
	p := a.portal(c)
	return p.view(http.StatusOK, views.AdminReceive(views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive")}))
}

// receiveScan is POST /admin/receive: what a scanner typed, ending in
// Enter. The answer is the #scan fragment for htmx (the page without
// JavaScript) with a large coloured result (service.Receive's) and a
// fresh, focused input.
func (a *admin) receiveScan(c echo.Context) error {
	p := a.portal(c)
	props := views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive"), Fragment: isHX(c)}
	rma, ok := returns.NormalizeRMA(c.FormValue("rma"))
	if !ok {
		props.Result = service.UnknownReturn
	} else {
		props.RMA, props.Href = rma, "/admin/returns/"+rma
		rc, err := a.svc.Receive(c.Request().Context(), rma, staffActor(c))
		if err != nil {
			return err
		}
		props.Result = rc.Result
		if rc.Result == service.UnknownReturn {
			props.Href = ""
		}
	}
	props.Message = p.T("admin.scan." + props.Result)
	return p.view(http.StatusOK, views.AdminReceive(props))
}

// receiveOne is the receive button of a return's page.
func (a *admin) receiveOne(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	rc, err := a.svc.Receive(c.Request().Context(), rma, staffActor(c))
	if err != nil {
		return err
	}
	if rc.Result != service.Received {
		return &apiError{Status: http.StatusConflict, Code: rc.Result}
	}
	return seeOther(c, "/admin/returns/"+rma)
}
