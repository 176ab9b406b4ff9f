package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The refund asks first: "Refund now" on a return's page opens a
// confirmation (a dialog with JavaScript, GET /admin/returns/:rma/refund
// without) that shows the amount, the method, where the money goes and what
// follows; only its button posts the refund form (admin_refund.go), with
// the idempotency key of the page that showed it.

// refundConfirmPage is GET /admin/returns/:rma/refund: the confirmation
// as a page, with a fresh idempotency key.
func (a *admin) refundConfirmPage(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	sr, err := a.svc.StaffReturn(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	p := a.portal(c)
	if !sr.Can.Refund {
		// Refunded meanwhile, or not inspected yet: the return's page
		// says why, as a refused refund does.
		code := returns.CodeNotInspected
		if sr.Extras.Refund != nil {
			code = service.CodeAlreadyRefunded
		}
		return a.renderReturn(c, http.StatusConflict, rma, a.errorMessage(a.localizer(c),
			&apiError{Status: http.StatusConflict, Code: code}))
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return err
	}
	props := refundConfirm(p, sr, key)
	props.Page = a.page(c, p, "admin.refund.confirm.title", "queue")
	return p.view(http.StatusOK, views.AdminRefundConfirm(props))
}

// refundConfirm is what paying the return now does, as the domain decides
// it (returns.DecideRefund, which the refund itself runs): the total and
// its parts, the method, the destination and the consequences.
func refundConfirm(p *portal, sr service.StaffReturn, key string) views.RefundConfirmProps {
	r, o := sr.Return, sr.Order
	props := views.RefundConfirmProps{RMA: r.RMA, IdempotencyKey: key, BackHref: "/admin/returns/" + r.RMA,
		Method: p.T("admin.method." + r.RefundMethod)}
	d, err := returns.DecideRefund(r)
	if err == nil {
		// Without the order's earlier refunds: a refusal here is certain;
		// one that only they cause is said when the refund is posted.
		err = returns.CheckRefundCap(o, 0, d)
	}
	if err != nil {
		var de *returns.Error
		code := "invalid_transition"
		if errors.As(err, &de) {
			code = de.Code
		}
		props.Problem = translate(p.loc, "error."+code, p.T("admin.error.transition"))
		return props
	}
	money := func(v int64) string { return p.money(v, d.Currency) }
	props.Total, props.Currency = money(d.Total()), d.Currency
	if d.Bonus > 0 || d.Goodwill > 0 {
		props.Parts = append(props.Parts, views.AdminOption{Label: p.T("admin.refund.confirm.quote"), Value: money(d.Amount)})
		if d.Bonus > 0 {
			props.Parts = append(props.Parts, views.AdminOption{Label: p.T("admin.refund.bonus"), Value: money(d.Bonus)})
		}
		if d.Goodwill > 0 {
			props.Parts = append(props.Parts, views.AdminOption{Label: p.T("admin.goodwill.title"), Value: money(d.Goodwill)})
		}
	}
	switch d.Method {
	case returns.MethodStoreCredit:
		props.Destination = p.T("admin.refund.confirm.to_credit")
	case returns.MethodBankTransfer:
		props.Destination = p.TData("admin.refund.confirm.to_bank", map[string]any{"IBAN": views.Isolate(maskIBAN(r.BankIBAN)),
			"Holder": views.Isolate(r.BankHolder)})
	default:
		props.Destination = p.TData("admin.refund.confirm.to_payment", map[string]any{
			"Provider": views.Isolate(o.Payment.Provider), "Reference": views.Isolate(o.Payment.Reference)})
	}
	props.Consequences = []string{
		p.TData("admin.refund.confirm.status", map[string]any{"Status": p.T("status." + string(d.Status))}),
		p.T("admin.refund.confirm.once"),
		p.T("admin.refund.confirm.final"),
	}
	return props
}

// maskIBAN shows an IBAN's country and last four characters only: enough
// to compare with the shopper's, not enough to copy.
func maskIBAN(iban string) string {
	if len(iban) <= 6 {
		return iban
	}
	return iban[:2] + "…" + iban[len(iban)-4:]
}
