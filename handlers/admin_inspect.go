package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// inspectSubmit is the inspection form: per item accepted.<line>,
// condition.<line> and notes.<line> (service.Inspect records them and
// re-quotes the return).
func (a *admin) inspectSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := a.svc.Return(ctx, rma)
	if err != nil {
		return err
	}
	var items []returns.InspectedItem
	for _, it := range r.Items {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("accepted." + it.LineID)))
		if err != nil {
			n = -1 // refused by returns.CheckInspection
		}
		items = append(items, returns.InspectedItem{LineID: it.LineID, Accepted: n,
			Condition: c.FormValue("condition." + it.LineID), Notes: strings.TrimSpace(c.FormValue("notes." + it.LineID))})
	}
	if _, err := a.svc.Inspect(ctx, rma, staffActor(c), items); err != nil {
		var de *returns.Error
		switch {
		case errors.As(err, &de):
			return a.renderReturn(c, http.StatusUnprocessableEntity, rma, a.portal(c).T("error."+de.Code))
		case errors.Is(err, returns.ErrTransition):
			return a.renderReturn(c, http.StatusConflict, rma, a.portal(c).T("admin.error.transition"))
		}
		return err
	}
	return seeOther(c, "/admin/returns/"+rma)
}
