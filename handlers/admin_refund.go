package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// refundSubmit is the refund button: its form carries the page's
// idempotency key, so a double click or two agents on the same page make
// one refund (service.Refund), and the database refuses a second one in
// any case.
func (a *admin) refundSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	hash, err := requestHash(rma, nil)
	if err != nil {
		return err
	}
	key := c.FormValue("idempotency_key")
	err = checkIdempotencyKey(key)
	if err == nil {
		_, err = a.svc.Refund(c.Request().Context(), service.RefundRequest{RMA: rma, Key: key, RequestHash: hash,
			Actor: staffActor(c)})
	}
	if refusedRefund(err) {
		ae, _ := asAPIError(err)
		return a.renderReturn(c, ae.Status, rma, a.errorMessage(a.localizer(c), ae))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#refund-h")
}

// refusedRefund reports whether a refund was refused for a reason the
// return's page says (no key, a key reused, a state that cannot be paid),
// rather than failing.
func refusedRefund(err error) bool {
	var ae *apiError
	var ce *service.ConflictError
	return errors.As(err, &ae) || errors.As(err, &ce) || errors.Is(err, service.ErrIdempotencyKeyReused)
}

// newIdempotencyKey is the refund form's key, fresh on every render.
func newIdempotencyKey() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "form_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// refundRetry is POST /admin/returns/:rma/refund/retry: a failed refund is
// sent to its provider again with the same idempotency key.
func (a *admin) refundRetry(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	_, err = a.svc.RetryRefund(c.Request().Context(), rma, staffActor(c))
	if refusedRefund(err) {
		ae, _ := asAPIError(err)
		return a.renderReturn(c, ae.Status, rma, a.errorMessage(a.localizer(c), ae))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#refund-h")
}

// refundManual is POST /admin/returns/:rma/refund/manual with the
// payment's reference: a failed refund recorded as paid by hand.
func (a *admin) refundManual(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	err = a.svc.RecordManualRefund(c.Request().Context(), rma, staffActor(c), c.FormValue("reference"))
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		p := a.portal(c)
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, p.T("admin.refund.manual_reference_required"))
	}
	if refusedRefund(err) {
		ae, _ := asAPIError(err)
		return a.renderReturn(c, ae.Status, rma, a.errorMessage(a.localizer(c), ae))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#refund-h")
}
