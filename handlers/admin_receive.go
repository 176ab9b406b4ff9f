package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// Results of a scan at the receiving bench.
const (
	scanReceived        = "received"
	scanUnknown         = "unknown"
	scanAlreadyReceived = "already_received"
	scanCancelled       = "cancelled"
	scanNotApproved     = "not_approved"
	scanClosed          = "closed"
)

// receivePage is GET /admin/receive: the scan input, focused.
func (a *admin) receivePage(c echo.Context) error {
	p := a.portal(c)
	return p.view(http.StatusOK, views.AdminReceive(views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive")}))
}

// receiveScan is POST /admin/receive: what a scanner typed, ending in
// Enter. The answer is the #scan fragment for htmx (the page without
// JavaScript) with a large coloured result and a fresh, focused input.
func (a *admin) receiveScan(c echo.Context) error {
	p := a.portal(c)
	props := views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive"), Fragment: isHX(c)}
	rma, ok := returns.NormalizeRMA(c.FormValue("rma"))
	if !ok {
		props.Result = scanUnknown
	} else {
		props.RMA, props.Href = rma, "/admin/returns/"+rma
		res, err := a.receive(c, rma)
		if err != nil {
			return err
		}
		props.Result = res
		if res == scanUnknown {
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
	res, err := a.receive(c, rma)
	if err != nil {
		return err
	}
	if res != scanReceived {
		return &apiError{Status: http.StatusConflict, Code: res}
	}
	return seeOther(c, "/admin/returns/"+rma)
}

// receive marks a parcel as arrived and says how it went: received, or why
// not (a scan result). Unexpected errors are returned.
func (a *admin) receive(c echo.Context, rma string) (string, error) {
	r, err := a.st.Receive(c.Request().Context(), rma, a.actor(c))
	switch {
	case err == nil:
		return scanReceived, nil
	case errors.Is(err, store.ErrNotFound):
		return scanUnknown, nil
	case errors.Is(err, returns.ErrTransition):
		return receiveRefusal(r.Status), nil
	}
	return "", err
}

// receiveRefusal says why a return in status st cannot be received.
func receiveRefusal(st returns.Status) string {
	switch st {
	case returns.StatusCancelled:
		return scanCancelled
	case returns.StatusRequested:
		return scanNotApproved
	case returns.StatusReceived, returns.StatusInspected, returns.StatusRefunded, returns.StatusCredited,
		returns.StatusExchanged, returns.StatusClosed:
		return scanAlreadyReceived
	}
	return scanClosed
}

// actor names who acts: the staff member, or the API key.
func (a *admin) actor(c echo.Context) string {
	if session(c).Email != "" {
		return staffActor(c)
	}
	return apiActor(c)
}
