package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The withdrawal function (EU Consumer Rights Directive Art. 11a): the start
// page always links it (the shopper's country is unknown before the lookup);
// the lookup is the return flow's own (same rate limits, same errors), then
// withdrawPage confirms what to withdraw from, and withdrawSubmit makes the
// withdrawal a return through the same service as the return form — reason
// "withdrawal", refund to the original means of payment — and shows its
// timestamped acknowledgement.

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
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	p := s.portal(c)
	here := &url.URL{Path: "/withdraw/order", RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.WithdrawProps{
		Page: p.page("portal.withdraw.title", here), Token: token, Lang: p.explicit(),
		OrderNumber: o.Number, Placed: p.date(returns.DateOf(o.PlacedAt, zoneOf(o))),
		Applicable: s.legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region).WithdrawalFunction(),
		Error:      problem, ReturnURL: p.link("/order", url.Values{"t": {token}}),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
	}
	ok := withdrawableQty(of)
	for i, l := range of.lines {
		line, _ := o.Line(l.LineID)
		wl := views.WithdrawLine{ID: l.LineID, Index: strconv.Itoa(i), Name: l.Name, Variant: l.Variant,
			Quantity: l.Quantity, Checked: chosen == nil || chosen[l.LineID]}
		wl.Status, _ = p.eligibilityText(l.LineEligibility, line)
		if n, yes := ok[l.LineID]; yes {
			wl.Quantity = n
			props.Lines = append(props.Lines, wl)
		} else {
			props.Others = append(props.Others, wl)
		}
	}
	return p.view(status, views.Withdraw(props))
}

// withdrawableQty maps the lines a withdrawal may cover now to their
// returnable quantity.
func withdrawableQty(of offer) map[string]int {
	elig := make([]returns.LineEligibility, len(of.lines))
	for i, l := range of.lines {
		elig[i] = l.LineEligibility
	}
	out := map[string]int{}
	for _, e := range returns.WithdrawableLines(elig) {
		out[e.LineID] = e.ReturnableQuantity
	}
	return out
}

// withdrawSubmit withdraws from the ticked lines (every unit still
// returnable), then redirects to the acknowledgement (POST-redirect-GET).
func (s *Server) withdrawSubmit(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	cl, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	chosen := map[string]bool{}
	for _, id := range c.Request().PostForm["line"] {
		chosen[id] = true
	}
	p := s.portal(c)
	if !s.legal.For(o.ShippingAddress.Country, o.ShippingAddress.Region).WithdrawalFunction() {
		return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, views.FieldError{})
	}
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	ok := withdrawableQty(of)
	in := returnInput{Token: f.token, RefundMethod: returns.MethodOriginalPayment}
	for _, l := range o.Lines { // in order: the items of the return follow the order
		if !chosen[l.ID] {
			continue
		}
		n, yes := ok[l.ID]
		if !yes {
			return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen,
				p.fieldErr("withdraw", "error."+returns.CodeWithdrawalNotStatutory))
		}
		in.Items = append(in.Items, returns.QuoteItem{LineID: l.ID, Quantity: n, Reason: returns.ReasonWithdrawal})
	}
	if len(in.Items) == 0 {
		return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, p.fieldErr("withdraw", "portal.withdraw.choose"))
	}
	r, err := s.submitReturn(ctx, cl, in, nil)
	if err != nil {
		var de *returns.Error
		if errors.As(err, &de) {
			return s.renderWithdraw(c, http.StatusUnprocessableEntity, o, f.token, chosen, p.fieldErr("withdraw", "error."+de.Code))
		}
		return err
	}
	return seeOther(c, p.link("/r/"+r.RMA+"/withdrawal", url.Values{"t": {s.tokens.returnToken(r.RMA)}}))
}

// withdrawalAck is the acknowledgement of a withdrawal, GET
// /r/:rma/withdrawal?t=...: when it was received (date and time in the
// shopper's language, in her region's zone or her capital's, named, and in
// UTC), what it covers, the RMA.
func (s *Server) withdrawalAck(c echo.Context) error {
	r, err := s.openReturn(c)
	if err != nil {
		return err
	}
	if !r.IsWithdrawal() {
		return errNotFound
	}
	d, err := s.returnStatus(c.Request().Context(), r)
	if err != nil {
		return err
	}
	c.Set(ctxOrderLocale, d.order.Locale)
	p := s.portal(c)
	token := returnTokenParam(c)
	loc, zone := returns.ShopperZone(d.order.ShippingAddress.Country, d.order.ShippingAddress.Region)
	at := r.CreatedAt.In(loc)
	here := &url.URL{Path: "/r/" + r.RMA + "/withdrawal", RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.WithdrawalAckProps{
		Page: p.page("portal.withdraw.ack_title", here), RMA: r.RMA, OrderNumber: r.OrderNumber,
		ReceivedAt:  p.TData("portal.withdraw.received", p.dateTime(at, zone)),
		ReceivedISO: at.Format(time.RFC3339),
		NextSteps:   p.nextSteps(r, d.timeline),
		Quote:       p.quoteProps(d.order, r.Quote, r.RefundMethod, s.reasonText(c, d.policy)),
		StatusURL:   p.link("/r/"+r.RMA, url.Values{"t": {token}}),
	}
	for _, l := range r.Quote.Lines {
		name := l.LineID
		if line, ok := d.order.Line(l.LineID); ok {
			name = line.Name
		}
		props.Items = append(props.Items, p.TData("portal.quote.line", map[string]any{"Name": name, "Quantity": l.Quantity}))
	}
	if r.Status == returns.StatusApproved {
		props.LabelURL = "/r/" + r.RMA + "/label.pdf?" + url.Values{"t": {token}}.Encode()
	}
	return p.view(http.StatusOK, views.WithdrawalAck(props))
}
