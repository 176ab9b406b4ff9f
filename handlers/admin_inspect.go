package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// inspect records an inspection and re-quotes the return for the accepted
// units through the rules engine (returns.RequoteAccepted).
func (a *admin) inspect(c echo.Context, rma string, items []returns.InspectedItem) (returns.Return, error) {
	return a.st.Inspect(c.Request().Context(), rma, a.actor(c), items,
		func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, accepted map[string]int) (returns.Quote, error) {
			return returns.RequoteAccepted(o, p, a.legal, h, r, accepted)
		})
}

// inspectSubmit is the inspection form: per item accepted.<line>,
// condition.<line> and notes.<line>.
func (a *admin) inspectSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	r, err := a.cfg.Store.GetReturn(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	var items []returns.InspectedItem
	for _, it := range r.Items {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("accepted." + it.LineID)))
		if err != nil {
			n = -1 // refused by CheckInspection
		}
		items = append(items, returns.InspectedItem{LineID: it.LineID, Accepted: n,
			Condition: c.FormValue("condition." + it.LineID), Notes: strings.TrimSpace(c.FormValue("notes." + it.LineID))})
	}
	if _, err := a.inspect(c, rma, items); err != nil {
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

// apiInspect is POST /api/v1/returns/:rma/inspect
// {"items":[{"line_id","accepted_quantity","condition","notes"}]}: 200 with
// the status and the recomputed quote.
func (a *admin) apiInspect(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Items []returns.InspectedItem `json:"items"`
	}
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	r, err := a.inspect(c, rma, in.Items)
	if errors.Is(err, returns.ErrTransition) {
		return &apiError{Status: http.StatusConflict, Code: "invalid_transition"}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status, "quote": r.Quote})
}
