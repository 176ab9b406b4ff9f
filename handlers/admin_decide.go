package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// approveSubmit approves a return that waits for manual review.
func (a *admin) approveSubmit(c echo.Context) error {
	return a.decideSubmit(c, returns.StatusApproved, "")
}

// rejectSubmit rejects a return, with a mandatory reason for the record.
func (a *admin) rejectSubmit(c echo.Context) error {
	reason := strings.TrimSpace(c.FormValue("reason"))
	if reason == "" || len(reason) > returns.MaxNotes {
		rma, err := rmaParam(c)
		if err != nil {
			return err
		}
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, a.portal(c).T("admin.reject.reason_required"))
	}
	return a.decideSubmit(c, returns.StatusRejected, reason)
}

func (a *admin) decideSubmit(c echo.Context, to returns.Status, note string) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	if _, err := a.cfg.Store.Transition(c.Request().Context(), rma, to, a.actor(c), note); err != nil {
		if errors.Is(err, returns.ErrTransition) {
			return a.renderReturn(c, http.StatusConflict, rma, a.portal(c).T("admin.error.transition"))
		}
		return err
	}
	return seeOther(c, "/admin/returns/"+rma)
}

// noteSubmit adds a note between staff to a return.
func (a *admin) noteSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	body := strings.TrimSpace(c.FormValue("body"))
	if body == "" || len(body) > returns.MaxNotes {
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, a.portal(c).T("admin.notes.invalid"))
	}
	if err := a.st.AddNote(c.Request().Context(), rma, a.actor(c), body); err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#notes-h")
}

// transitionAPI is the API's approve and reject: 200 with the status, 409
// when the status machine refuses.
func (a *admin) transitionAPI(c echo.Context, to returns.Status, note string) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	r, err := a.cfg.Store.Transition(c.Request().Context(), rma, to, a.actor(c), note)
	if errors.Is(err, returns.ErrTransition) {
		return &apiError{Status: http.StatusConflict, Code: "invalid_transition"}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status})
}

// apiApprove is POST /api/v1/returns/:rma/approve (manual review).
func (a *admin) apiApprove(c echo.Context) error {
	var in struct{}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	return a.transitionAPI(c, returns.StatusApproved, "")
}

// apiReject is POST /api/v1/returns/:rma/reject {"reason": "..."}.
func (a *admin) apiReject(c echo.Context) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || len(in.Reason) > returns.MaxNotes {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
			Fields: returns.FieldErrors{{Path: "reason", Code: "required"}}}
	}
	return a.transitionAPI(c, returns.StatusRejected, in.Reason)
}

// decodeOptionalJSON decodes a body that may be empty.
func decodeOptionalJSON(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return decodeJSON(c, v, "invalid_request")
}
