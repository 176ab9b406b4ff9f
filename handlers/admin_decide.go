package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// approveSubmit approves a return that waits for manual review.
func (a *admin) approveSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	_, err = a.svc.Approve(c.Request().Context(), rma, staffActor(c))
	return a.afterDecision(c, rma, err)
}

// rejectSubmit rejects a return, with a mandatory reason for the record.
func (a *admin) rejectSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	_, err = a.svc.Reject(c.Request().Context(), rma, staffActor(c), c.FormValue("reason"))
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, a.portal(c).T("admin.reject.reason_required"))
	}
	return a.afterDecision(c, rma, err)
}

// afterDecision shows the return again: with the status machine's refusal
// (409), or after the change (POST-redirect-GET).
func (a *admin) afterDecision(c echo.Context, rma string, err error) error {
	if errors.Is(err, returns.ErrTransition) {
		return a.renderReturn(c, http.StatusConflict, rma, a.portal(c).T("admin.error.transition"))
	}
	if err != nil {
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
	err = a.svc.AddNote(c.Request().Context(), rma, staffActor(c), c.FormValue("body"))
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, a.portal(c).T("admin.notes.invalid"))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#notes-h")
}
