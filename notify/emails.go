package notify

import (
	"fmt"
	"net/url"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// email is one e-mail being written: what each event tells the shopper.
type email struct {
	rd    *Renderer
	w     *words
	m     store.OutboxMessage
	ec    service.EmailContext
	facts emailFacts
	p     *views.EmailProps
}

func (e *email) write() error {
	if e.m.Event == returns.MailLookupLink {
		e.lookupLink()
		return nil
	}
	if !e.ec.HasReturn {
		return fmt.Errorf("notify: %s %s names no return", e.m.Event, e.m.PublicID)
	}
	switch e.m.Event {
	case returns.EventReturnCreated:
		e.created()
	case returns.EventWithdrawalReceived:
		e.withdrawal()
	case returns.EventReturnApproved:
		e.approved()
	case returns.EventReturnRejected:
		e.rejected()
	case returns.EventReturnCancelled:
		e.cancelled()
	case returns.EventReturnReceived:
		e.received()
	case returns.EventReturnInspected:
		e.inspected()
	case returns.EventReturnRefunded:
		return e.refunded()
	case returns.MailDropOffReminder:
		e.reminder()
	case returns.EventExchangeCreated:
		e.exchanged()
	default:
		return fmt.Errorf("notify: no e-mail for event %q", e.m.Event)
	}
	return nil
}

// rmaData is the data every return's message may name.
func (e *email) rmaData() map[string]any {
	return map[string]any{"RMA": e.w.iso(e.ec.Return.RMA), "Order": e.w.iso(e.ec.Order.Number)}
}

// heading sets the subject line (with the RMA and the order) and the
// heading.
func (e *email) heading(subjectID, headingID string) {
	e.p.Subject = e.w.TData(subjectID, e.rmaData())
	e.p.Heading = e.w.T(headingID)
}

func (e *email) para(text string) { e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Text: text}) }
func (e *email) note(text string) {
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Text: text, Note: true})
}
func (e *email) button(label, url string) {
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Link: &views.EmailLink{Label: label, URL: url}})
}

// basics are the return's number and order, and its status.
func (e *email) basics() []views.EmailFact {
	r := e.ec.Return
	return []views.EmailFact{
		{Label: e.w.T("portal.status.rma"), Value: r.RMA},
		{Label: e.w.T("portal.status.order"), Value: r.OrderNumber},
	}
}

// table shows the return's basics and more facts.
func (e *email) table(extra ...views.EmailFact) {
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Facts: append(e.basics(), extra...)})
}

// items lists the return's items ("2 × T-shirt").
func (e *email) items(intro string) {
	var items []string
	for _, l := range e.ec.Return.Quote.Lines {
		name := l.LineID
		if line, ok := e.ec.Order.Line(l.LineID); ok {
			name = line.Name
		}
		items = append(items, e.w.TData("portal.quote.line", map[string]any{"Name": name, "Quantity": l.Quantity}))
	}
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Text: intro, Items: items})
}

// refundFact is the quote's total: what the shopper gets back.
func (e *email) refundFact() views.EmailFact {
	q := e.ec.Return.Quote
	label := "email.fact.refund"
	if e.ec.Return.RefundMethod == returns.MethodStoreCredit {
		label = "portal.quote.total_credit"
	}
	return views.EmailFact{Label: e.w.T(label), Value: e.w.amount(q.Total, q.Currency)}
}

func (e *email) dropOffFact() views.EmailFact {
	return views.EmailFact{Label: e.w.T("portal.timeline.drop_off"), Value: e.w.date(e.ec.Timeline.DropOffBy)}
}

// documents are the links of the return: its status page, and its label
// and customs declaration once there are any.
func (e *email) documents() {
	r, lang := e.ec.Return, e.w.lang
	view := url.Values{"t": {e.ec.ViewToken}}
	if e.ec.LabelReady {
		e.button(e.w.T("portal.status.label"), e.rd.link("/r/"+r.RMA+"/label.pdf", view, lang))
		if e.ec.Customs {
			e.button(e.w.T("email.link.customs"), e.rd.link("/r/"+r.RMA+"/customs.pdf", view, lang))
		}
	}
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+r.RMA, url.Values{"t": {e.ec.ManageToken}}, lang))
}

func (e *email) created() {
	e.heading("email.created.subject", "email.created.heading")
	if e.facts.Status == returns.StatusRequested {
		e.para(e.w.T("email.created.review"))
	} else {
		e.para(e.w.T("email.created.approved"))
	}
	e.table(e.refundFact(), e.dropOffFact())
	e.items(e.w.T("email.items"))
	if e.facts.Status != returns.StatusRequested {
		e.para(e.w.TData("portal.next.approved", map[string]any{"Date": e.w.date(e.ec.Timeline.DropOffBy)}))
	}
	e.documents()
}

// withdrawal is the acknowledgement of a withdrawal on a durable medium
// (Consumer Rights Directive Art. 11a): what was withdrawn from, when the
// withdrawal was received (in the shopper's zone, named, and in UTC, by
// the portal's one rule: returns.ShopperZone), the RMA and the next steps.
func (e *email) withdrawal() {
	r, o := e.ec.Return, e.ec.Order
	e.p.Subject = e.w.TData("email.withdrawal.subject", e.rmaData())
	e.p.Heading = e.w.T("portal.withdraw.ack_title")
	e.para(e.w.T("email.withdrawal.intro"))
	loc, zone := returns.ShopperZone(o.ShippingAddress.Country, o.ShippingAddress.Region)
	at := r.CreatedAt.In(loc)
	e.para(e.w.TData("portal.withdraw.received", e.w.dateTime(at, zone)))
	dt := e.w.dateTime(at, zone)
	e.table(
		views.EmailFact{Label: e.w.T("email.fact.received_local"), Value: fmt.Sprint(dt["Date"], " ", dt["Time"], " (", dt["City"], ", ", dt["Zone"], ")")},
		views.EmailFact{Label: e.w.T("email.fact.received_utc"), Value: r.CreatedAt.UTC().Format("2006-01-02 15:04:05") + " UTC"},
		e.refundFact(),
	)
	if wholeOrder(r, o) {
		e.para(e.w.T("email.withdrawal.whole_order"))
	}
	e.items(e.w.T("portal.withdraw.ack_items"))
	e.para(e.w.TData("email.withdrawal.next", map[string]any{"Date": e.w.date(e.ec.Timeline.DropOffBy)}))
	e.note(e.w.T("email.withdrawal.refund"))
	e.documents()
}

// wholeOrder reports whether a return covers every unit of its order.
func wholeOrder(r returns.Return, o returns.Order) bool {
	held := map[string]int{}
	for _, it := range r.Items {
		held[it.LineID] += it.Quantity
	}
	for _, l := range o.Lines {
		if held[l.ID] < l.Quantity {
			return false
		}
	}
	return len(o.Lines) > 0
}

func (e *email) approved() {
	e.heading("email.approved.subject", "email.approved.heading")
	e.para(e.w.TData("portal.next.approved", map[string]any{"Date": e.w.date(e.ec.Timeline.DropOffBy)}))
	e.table(e.refundFact(), e.dropOffFact())
	e.documents()
}

func (e *email) rejected() {
	e.heading("email.rejected.subject", "email.rejected.heading")
	e.para(e.w.T("email.rejected.intro"))
	if e.facts.Reason != "" {
		e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Facts: []views.EmailFact{
			{Label: e.w.T("email.fact.reason"), Value: e.facts.Reason}}})
	}
	e.table()
	e.para(e.w.T("portal.next.rejected"))
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+e.ec.Return.RMA, url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
}

func (e *email) cancelled() {
	e.heading("email.cancelled.subject", "email.cancelled.heading")
	e.para(e.w.T("email.cancelled.intro"))
	e.table()
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+e.ec.Return.RMA, url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
}

func (e *email) received() {
	e.heading("email.received.subject", "email.received.heading")
	at := e.ec.Return.UpdatedAt
	if e.facts.ReceivedAt != nil {
		at = *e.facts.ReceivedAt
	}
	a := e.ec.Order.ShippingAddress
	loc, _ := returns.ShopperZone(a.Country, a.Region)
	e.para(e.w.TData("email.received.intro", map[string]any{"Date": e.w.date(returns.DateOf(at, loc))}))
	e.table(e.refundFact())
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+e.ec.Return.RMA, url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
}

// showsExtras reports whether the e-mail for event shows a return's
// extras (its inspections, its refund): the worker reads them for these
// alone, five queries the others do without.
func showsExtras(event string) bool {
	return event == returns.EventReturnInspected || event == returns.EventReturnRefunded
}

// inspected tells the shopper that the inspection changed her refund: the
// amount before and after, and why, item by item.
func (e *email) inspected() {
	e.heading("email.inspected.subject", "email.inspected.heading")
	cur := e.facts.Currency
	e.para(e.w.TData("email.inspected.intro", map[string]any{
		"Old": e.w.amount(e.facts.Before, cur), "New": e.w.amount(e.facts.After, cur)}))
	e.table(
		views.EmailFact{Label: e.w.T("email.fact.refund_before"), Value: e.w.amount(e.facts.Before, cur)},
		views.EmailFact{Label: e.w.T("email.fact.refund_after"), Value: e.w.amount(e.facts.After, cur)},
	)
	var why []string
	for _, in := range e.ec.Extras.Inspections {
		name, qty := in.LineID, 0
		if line, ok := e.ec.Order.Line(in.LineID); ok {
			name = line.Name
		}
		for _, it := range e.ec.Return.Items {
			if it.LineID == in.LineID {
				qty += it.Quantity
			}
		}
		why = append(why, e.w.TData("email.inspected.item", map[string]any{"Name": name, "Accepted": in.Accepted,
			"Quantity": qty, "Condition": e.w.T("admin.condition." + in.Condition)}))
	}
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Text: e.w.T("email.inspected.why"), Items: why})
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+e.ec.Return.RMA, url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
}

// refunded says how much went back, how, and when it should arrive; a
// store credit names its code. It asks how the return went.
func (e *email) refunded() error {
	r := e.ec.Return
	f := e.ec.Extras.Refund
	if f == nil { // written in the refund's transaction: cannot be
		return fmt.Errorf("notify: %s: return %s has no refund", e.m.PublicID, r.RMA)
	}
	total := f.Amount + f.Bonus + f.Goodwill
	if f.CreditCode != nil {
		e.heading("email.credited.subject", "email.credited.heading")
		e.para(e.w.TData("email.credited.intro", map[string]any{"Amount": e.w.amount(total, f.Currency)}))
		e.table(
			views.EmailFact{Label: e.w.T("portal.quote.total_credit"), Value: e.w.amount(total, f.Currency)},
			views.EmailFact{Label: e.w.T("email.fact.credit_code"), Value: *f.CreditCode},
		)
	} else {
		e.heading("email.refunded.subject", "email.refunded.heading")
		e.para(e.w.TData("email.refunded.amount", map[string]any{"Amount": e.w.amount(total, f.Currency)}))
		e.table(
			views.EmailFact{Label: e.w.T("email.fact.refunded"), Value: e.w.amount(total, f.Currency)},
			views.EmailFact{Label: e.w.T("email.fact.method"), Value: e.w.T("method." + f.Method)},
		)
		e.para(e.w.T("email.refunded.arrives." + arrival(f.Method)))
	}
	e.para(e.w.T("email.feedback.ask"))
	e.button(e.w.T("email.link.feedback"), e.rd.link("/r/"+r.RMA+"/feedback", url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
	return nil
}

// arrival names how long a refund by a method takes to arrive.
func arrival(method string) string {
	if method == returns.MethodBankTransfer {
		return "bank_transfer"
	}
	return "original_payment"
}

// exchanged tells the shopper which items the shop now sends her instead
// of the ones she returned (the exchange lines issued at inspection).
func (e *email) exchanged() {
	e.heading("email.exchange.subject", "email.exchange.heading")
	e.para(e.w.T("email.exchange.intro"))
	e.table()
	var items []string
	for _, x := range e.ec.Return.Exchanges {
		if x.State != returns.ExchangeIssued {
			continue
		}
		name, title := x.LineID, x.Title
		if line, ok := e.ec.Order.Line(x.LineID); ok {
			name = line.Name
		}
		if title == "" {
			title = x.SKU
		}
		items = append(items, e.w.TData("portal.exchange.item", map[string]any{"Quantity": x.Quantity, "Name": name, "Variant": title}))
	}
	e.p.Blocks = append(e.p.Blocks, views.EmailBlock{Text: e.w.T("email.exchange.items"), Items: items})
	e.note(e.w.T("email.exchange.ship_to"))
	e.button(e.w.T("email.link.status"), e.rd.link("/r/"+e.ec.Return.RMA, url.Values{"t": {e.ec.ManageToken}}, e.w.lang))
}

func (e *email) reminder() {
	d := e.ec.Timeline.DropOffBy
	if e.facts.DropOffBy != nil {
		d = *e.facts.DropOffBy
	}
	data := e.rmaData()
	data["Date"] = e.w.date(d)
	e.p.Subject = e.w.TData("email.reminder.subject", data)
	e.p.Heading = e.w.T("email.reminder.heading")
	e.para(e.w.TData("email.reminder.intro", map[string]any{"Date": e.w.date(d)}))
	e.table(views.EmailFact{Label: e.w.T("portal.timeline.drop_off"), Value: e.w.date(d)})
	e.note(e.w.T("email.reminder.already"))
	e.documents()
}

// lookupLink is the link that opens an order, asked for by its shopper.
func (e *email) lookupLink() {
	o := e.ec.Order
	data := map[string]any{"Order": e.w.iso(o.Number)}
	e.p.Subject = e.w.TData("email.lookup.subject", data)
	e.p.Heading = e.w.T("email.lookup.heading")
	e.para(e.w.TData("email.lookup.intro", data))
	e.button(e.w.TData("email.link.order", data), e.rd.link("/order", url.Values{"t": {e.ec.OrderToken}}, e.w.lang))
	e.note(e.w.T("email.lookup.ignore"))
}
