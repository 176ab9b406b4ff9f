package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The withdrawal function (EU Consumer Rights Directive Art. 11a): the start
// page always links it (the shopper's country is unknown before the lookup);
// the lookup is the return flow's own (same rate limits, same errors), then
// withdrawPage confirms what to withdraw from, and withdrawSubmit makes the
// withdrawal a return (service.Withdraw) and shows its timestamped
// acknowledgement.

// withdrawPage is the confirmation step after the lookup: GET
// /withdraw/order?t=TOKEN.
func (s *Server) withdrawPage(c echo.Context) error {
	token := c.QueryParam("t")
	_, o, err := s.openOrder(c, token)
	if err != nil {
		return err
	}
	return s.renderWithdraw(c, http.StatusOK, o, token, nil, views.FieldError{})
}

// renderWithdraw shows the withdrawal form; chosen are the lines ticked (nil:
// all of them, the whole order).
func (s *Server) renderWithdraw(c echo.Context, status int, o returns.Order, token string, chosen map[string]bool,
	problem views.FieldError) error {
	w, err := s.svc.WithdrawalOffer(c.Request().Context(), o)
	if err != nil {
		return err
	}
	p := s.portal(c)
	here := &url.URL{Path: "/withdraw/order", RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.WithdrawProps{
		Page: p.page("portal.withdraw.title", here), Token: token, Lang: p.explicit(),
		OrderNumber: o.Number, Placed: p.date(returns.DateOf(o.PlacedAt, zoneOf(o))),
		Applicable: w.Applicable, Error: problem, ReturnURL: p.link("/order", url.Values{"t": {token}}),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
	}
	props.Page.Progress = views.ProgressChoose
	for i, line := range o.Lines {
		e := w.Lines[i]
		wl := views.WithdrawLine{ID: line.ID, Index: strconv.Itoa(i), Name: line.Name, Variant: line.Variant,
			Quantity: line.Quantity, Checked: chosen == nil || chosen[line.ID]}
		wl.Status, _ = p.eligibilityText(e, line)
		if n, yes := w.Quantities[line.ID]; yes {
			wl.Quantity = n
			props.Lines = append(props.Lines, wl)
		} else {
			props.Others = append(props.Others, wl)
		}
	}
	return p.view(status, views.Withdraw(props))
}

// withdrawSubmit withdraws from the ticked lines (service.Withdraw: every
// unit still returnable), then redirects to the acknowledgement
// (POST-redirect-GET).
func (s *Server) withdrawSubmit(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	a, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, id := range c.Request().PostForm["line"] {
		chosen[id] = true
	}
	p := s.portal(c)
	created, err := s.svc.Withdraw(c.Request().Context(), a, chosen)
	var de *returns.Error
	switch {
	case errors.Is(err, service.ErrNoWithdrawalFunction):
		return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, views.FieldError{})
	case errors.As(err, &de) && de.Code == returns.CodeNoItems:
		return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, p.fieldErr("withdraw", "portal.withdraw.choose"))
	case errors.As(err, &de):
		return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, p.fieldErr("withdraw", "error."+de.Code))
	case err != nil:
		return err
	}
	// The withdrawal's confirmation page is the shopper's own: the manage
	// token.
	return seeOther(c, p.link("/r/"+created.Return.RMA+"/withdrawal", url.Values{"t": {created.Token}}))
}

// withdrawalAck is the acknowledgement of a withdrawal, GET
// /r/:rma/withdrawal?t=...: when it was received (date and time in the
// shopper's language, in her region's zone or her capital's, named, and in
// UTC), what it covers, the RMA.
func (s *Server) withdrawalAck(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	r := a.Return
	if !r.IsWithdrawal() {
		return errNotFound
	}
	d, err := s.svc.Status(c.Request().Context(), r)
	if err != nil {
		return err
	}
	c.Set(ctxOrderLocale, d.Order.Locale)
	p := s.portal(c)
	token := returnTokenParam(c)
	loc, zone := returns.ShopperZone(d.Order.ShippingAddress.Country, d.Order.ShippingAddress.Region)
	at := r.CreatedAt.In(loc)
	here := &url.URL{Path: "/r/" + r.RMA + "/withdrawal", RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.WithdrawalAckProps{
		Page: p.page("portal.withdraw.ack_title", here), RMA: r.RMA, OrderNumber: r.OrderNumber,
		ReceivedAt:  p.TData("portal.withdraw.received", p.dateTime(at, zone)),
		ReceivedISO: at.Format(time.RFC3339),
		NextSteps:   p.nextSteps(r, d.Timeline),
		Quote:       p.quoteProps(d.Order, r.Quote, r.RefundMethod, s.reasonText(c, d.Policy)),
		StatusURL:   p.link("/r/"+r.RMA, url.Values{"t": {token}}),
	}
	for _, l := range r.Quote.Lines {
		name := l.LineID
		if line, ok := d.Order.Line(l.LineID); ok {
			name = line.Name
		}
		props.Items = append(props.Items, p.TData("portal.quote.line", map[string]any{"Name": name, "Quantity": l.Quantity}))
	}
	props.Page.Progress = views.ProgressDone
	// The link to keep: the shopper's own (manage) link where this page was
	// opened with the right to manage the return, else the view link it was
	// opened with; documents carry the view token.
	keep := s.svc.ViewToken(r.RMA)
	if a.May.Cancel {
		keep = s.svc.ManageToken(r.RMA)
	}
	props.KeepURL = p.absoluteLink("/r/"+r.RMA, url.Values{"t": {keep}})
	if a.May.Documents {
		props.Labels, props.Customs = p.documentLinks(r, d, s.svc.ViewToken(r.RMA))
	}
	return p.view(http.StatusOK, views.WithdrawalAck(props))
}
