package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// returnPage is GET /admin/returns/:rma: a return with everything staff
// need to work it, and the actions the member's role allows now.
func (a *admin) returnPage(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	return a.renderReturn(c, http.StatusOK, rma, "")
}

// renderReturn renders a return's page, with a problem to show (a refused
// action) when not empty.
func (a *admin) renderReturn(c echo.Context, status int, rma, problem string) error {
	sr, err := a.svc.StaffReturn(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	r, x, o := sr.Return, sr.Extras, sr.Order
	p, loc := a.portal(c), a.staffLoc(c)
	reason := a.reasonText(c, sr.Policy)
	props := views.ReturnProps{
		Page: a.page(c, p, "admin.return.title", "queue"), RMA: r.RMA, StatusCode: string(r.Status),
		Status: p.T("status." + string(r.Status)), Basis: p.T("admin.basis." + r.Basis),
		Method: p.T("admin.method." + r.RefundMethod), PolicyVersion: strconv.FormatInt(r.PolicyVersion, 10),
		OrderNumber: o.Number, Email: o.Email, Customer: o.CustomerName, Country: o.ShippingAddress.Country,
		Address: addressLines(o.ShippingAddress), Comment: r.Comment,
		Created: staffTime(r.CreatedAt, loc), Error: problem, TimeZone: loc.String(),
		Quote: p.quoteProps(o, r.Quote, r.RefundMethod, reason),
		Items: returnItems(p, sr, reason), Refund: refundProps(p, x.Refund, sr.RefundLink, loc),
	}
	if x.ReceivedAt != nil {
		props.Received = staffTime(*x.ReceivedAt, loc)
	}
	if x.RefundDue != nil {
		props.Due = x.RefundDue.String()
		props.Overdue = sr.Overdue
	}
	p.addGoodwill(&props.Quote, r)
	p.markExchanges(&props.Quote, r.Quote, returnExchangeTitles(r))
	props.Exchanges, props.Returnless, props.GiftEmail = p.exchangeStates(o, r), r.Returnless(), r.GiftEmail
	props.ReviewFlags = p.reviewFlags(x.ReviewFlags)
	if x.OriginalQuote != nil {
		oq := p.quoteProps(o, *x.OriginalQuote, r.RefundMethod, reason)
		props.OriginalQuote = &oq
	}
	for i, ph := range sr.Photos {
		item := lineName(o, ph.LineID)
		props.Photos = append(props.Photos, views.PhotoProps{Href: "/admin/returns/" + r.RMA + "/photos/" + ph.ID,
			Item: item, Alt: p.TData("admin.photos.alt", map[string]any{"Item": views.Isolate(item), "N": i + 1})})
	}
	for _, e := range sr.Events {
		ev := views.EventProps{At: staffTime(e.At, loc), Actor: e.Actor, Action: e.Action, From: e.From, To: e.To, Note: e.Note}
		if e.From != "" {
			ev.FromLabel = p.T("status." + e.From)
		}
		if e.To != "" {
			ev.ToLabel = p.T("status." + e.To)
		}
		props.Events = append(props.Events, ev)
	}
	for _, n := range x.Notes {
		props.Notes = append(props.Notes, views.NoteProps{At: staffTime(n.At, loc), Actor: n.Actor, Body: n.Body})
	}
	if props.Shipment, err = a.shipmentProps(c, p, r.RMA, loc); err != nil { // admin_shipment.go
		return err
	}
	goodwillProps(p, &props, sr, store.RoleAtLeast(session(c).Role, store.RoleAdmin), loc)
	notifyProps(&props, sr, store.RoleAtLeast(session(c).Role, store.RoleAgent), loc) // admin_return_notify.go
	if store.RoleAtLeast(session(c).Role, store.RoleAgent) {
		if err := actionProps(p, &props, sr); err != nil {
			return err
		}
	}
	return p.view(status, views.AdminReturn(props))
}

// lineName is an order line's name, or its id when the order lacks it.
func lineName(o returns.Order, id string) string {
	if l, ok := o.Line(id); ok {
		return l.Name
	}
	return id
}

// returnItems are a return's items with their refund and inspection.
func returnItems(p *portal, sr service.StaffReturn, reason func(string) string) []views.ReturnItemProps {
	r, o := sr.Return, sr.Order
	inspected := map[string]store.Inspection{}
	for _, in := range sr.Extras.Inspections {
		inspected[in.LineID] = in
	}
	refunds := map[string]int64{}
	for _, l := range r.Quote.Lines {
		refunds[l.LineID] += l.Refund
	}
	var out []views.ReturnItemProps
	for _, it := range r.Items {
		ip := views.ReturnItemProps{LineID: it.LineID, Quantity: it.Quantity, Reason: reason(it.Reason),
			Refund: p.money(refunds[it.LineID], r.Quote.Currency)}
		if l, ok := o.Line(it.LineID); ok {
			ip.Name, ip.SKU, ip.CustomsDescription = l.Name, l.SKU, l.CustomsDescription
		}
		if in, ok := inspected[it.LineID]; ok {
			ip.Inspected, ip.Accepted, ip.Notes = true, in.Accepted, in.Notes
			ip.Condition = p.T("admin.condition." + in.Condition)
		}
		out = append(out, ip)
	}
	return out
}

// refundProps is a return's refund as the page shows it (nil: none yet).
func refundProps(p *portal, f *store.Refund, link string, loc *time.Location) *views.RefundProps {
	if f == nil {
		return nil
	}
	rp := &views.RefundProps{ID: f.ID, Amount: p.money(f.Amount, f.Currency),
		Method: p.T("admin.method." + f.Method), Actor: f.Actor, At: staffTime(f.At, loc),
		Executor: p.T("admin.refund.executor." + f.Executor), State: p.T("admin.refund.state." + f.State),
		StateCode: f.State, ProviderID: f.ProviderRefundID, ProviderURL: link,
		ErrorCode: f.ErrorCode, ErrorMessage: f.ErrorMessage}
	if f.Bonus > 0 {
		rp.Bonus = p.money(f.Bonus, f.Currency)
	}
	if f.Goodwill > 0 {
		rp.Goodwill = p.money(f.Goodwill, f.Currency)
	}
	if f.CreditCode != nil {
		rp.CreditCode = *f.CreditCode
	}
	switch f.State {
	case store.RefundPending:
		rp.PendingHint = p.T("admin.refund.pending_hint")
	case store.RefundFailed:
		// The provider's own message is shown as it came; a code staff
		// meet often gets a word on what to do.
		rp.Explanation = translate(p.loc, "admin.refund.code."+f.ErrorCode, "")
	}
	return rp
}

// goodwillProps shows a return's goodwill lines and, to an admin while the
// domain allows it, the form to grant more.
func goodwillProps(p *portal, props *views.ReturnProps, sr service.StaffReturn, isAdmin bool, loc *time.Location) {
	r, o := sr.Return, sr.Order
	for _, g := range r.Goodwill {
		gp := views.GoodwillProps{Amount: p.money(g.Amount, g.Currency), Reason: g.Reason, Actor: g.Actor, At: staffTime(g.At, loc),
			Item: p.T("admin.goodwill.above_quote")}
		if g.LineID != "" {
			gp.Item = lineName(o, g.LineID)
		}
		props.Goodwill = append(props.Goodwill, gp)
	}
	props.Override = len(r.Goodwill) > 0
	if !isAdmin || !sr.GoodwillPossible {
		return
	}
	props.CanGoodwill, props.GoodwillCurrency = true, r.Quote.Currency
	props.GoodwillLines = append(props.GoodwillLines, views.AdminOption{Value: "", Label: p.T("admin.goodwill.above_quote")})
	for _, l := range o.Lines {
		props.GoodwillLines = append(props.GoodwillLines, views.AdminOption{Value: l.ID,
			Label: views.Isolate(l.Name) + " (" + views.Isolate(l.SKU) + ") · " + p.money(l.Paid(), o.Currency)})
	}
}

// actionProps are an agent's actions on the return, as its state allows
// them (service.StaffReturn.Can).
func actionProps(p *portal, props *views.ReturnProps, sr service.StaffReturn) error {
	props.CanNote = true
	props.CanApprove, props.CanReceive = sr.Can.Approve, sr.Can.Receive
	props.CanInspect, props.CanReject, props.CanRefund = sr.Can.Inspect, sr.Can.Reject, sr.Can.Refund
	if props.Refund != nil {
		props.Refund.CanRetry = sr.Can.RetryRefund
	}
	if props.CanRefund {
		// One key per rendered page: a double click or a resubmitted form
		// replays it and gets the same refund.
		key, err := newIdempotencyKey()
		if err != nil {
			return err
		}
		props.IdempotencyKey = key
		rc := refundConfirm(p, sr, key)
		rc.Page = props.Page
		props.RefundConfirm = &rc
	}
	for _, cond := range returns.Conditions {
		props.Conditions = append(props.Conditions, views.AdminOption{Value: cond, Label: p.T("admin.condition." + cond)})
	}
	return nil
}

// addressLines are the non-empty lines of a shipping address as the shopper
// gave it, then those of its Latin form when there is one.
func addressLines(a returns.Address) []string {
	var out []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			out = append(out, strings.Join(kept, " "))
		}
	}
	add(a.Name)
	add(a.Line1)
	add(a.Line2)
	add(a.PostalCode, a.City, a.Region)
	add(a.Country)
	add(a.Phone)
	if l := a.Latin; l != nil {
		add(l.Name)
		add(l.Line1)
		add(l.Line2)
		add(l.City)
	}
	return out
}
