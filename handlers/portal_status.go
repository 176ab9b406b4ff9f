package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// statusPage is a return's confirmation and status page, GET /r/:rma?t=...:
// the RMA, what to do next, the steps done and estimated, the label link
// and, while it is possible and the link allows it, a cancel button. What
// the link's token allows (service.OpenReturn) decides what the page shows:
// through the view link of the label's QR code, neither the shopper's
// details nor the cancel button.
func (s *Server) statusPage(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	return s.renderStatus(c, http.StatusOK, a, views.FieldError{})
}

func (s *Server) renderStatus(c echo.Context, status int, a service.ReturnAccess, problem views.FieldError) error {
	r := a.Return
	d, err := s.svc.ShopperStatus(c.Request().Context(), a)
	if err != nil {
		return err
	}
	c.Set(ctxOrderLocale, d.Order.Locale)
	p := s.portal(c)
	token := returnTokenParam(c)
	here := &url.URL{Path: "/r/" + r.RMA, RawQuery: url.Values{"t": {token}}.Encode()}
	props := views.StatusProps{
		Page: p.page("portal.status.title", here), RMA: r.RMA, OrderNumber: r.OrderNumber,
		StatusCode: string(r.Status), Status: p.T("status." + string(r.Status)),
		NextSteps: p.nextSteps(r, d.Timeline), Lang: p.explicit(), Error: problem,
		Quote: p.quoteProps(d.Order, r.Quote, r.RefundMethod, s.reasonText(c, d.Policy)),
	}
	p.addGoodwill(&props.Quote, r) // the amount only, never the reason
	p.markExchanges(&props.Quote, r.Quote, returnExchangeTitles(r))
	props.Quote.HidePrices = r.Gift // a gift's recipient sees no price
	props.Exchanges = p.exchangeStates(d.Order, r)
	props.Page.Progress = views.ProgressDone
	// The return's link to keep: the shopper's own (manage) link where
	// this page was opened with a right to manage it, else the view link
	// it was opened with. Document links carry the view token: a download
	// link is no place for the manage token.
	viewToken := s.svc.ViewToken(r.RMA)
	keep := viewToken
	if a.May.Cancel {
		keep = s.svc.ManageToken(r.RMA)
	}
	props.StatusURL = p.absoluteLink("/r/"+r.RMA, url.Values{"t": {keep}})
	if a.May.Documents {
		props.Labels, props.CustomsURL = p.documentLinks(r, d, viewToken)
	}
	// A carrier's label and the parcel's scans (portal_shipment.go).
	if err := s.addCarrierLabel(p, &props, r, d.Order, viewToken, a.May.Documents); err != nil {
		return err
	}
	if r.Status.Cancellable() {
		if a.May.Cancel {
			props.CancelURL = p.link("/r/"+r.RMA+"/cancel", url.Values{"t": {token}})
			props.CancelAction = cancelAction(p, r.RMA, token)
		} else {
			props.ViewOnly = true
		}
	}
	if a.May.Personal && !r.Gift { // a gift's recipient never sees the buyer's details
		props.Shopper = p.shopperDetails(d.Order, r)
	}
	props.Steps = p.statusSteps(r, d)
	return p.view(status, views.Status(props))
}

// documentLinks are a return's label on each paper size, the one of the
// shopper's country first (returns.DefaultPaper), and its customs
// declaration where the parcel crosses a customs border; none while it has
// no label (returns.CheckLabel).
func (p *portal) documentLinks(r returns.Return, d service.ReturnStatus, token string) ([]views.LabelLink, string) {
	if returns.CheckReturnLabel(r) != nil { // none yet, none any more, or no parcel (kept items)
		return nil, ""
	}
	def := returns.DefaultPaper(d.Order.ShippingAddress.Country)
	sizes := []string{returns.PaperA4, returns.PaperLetter, returns.PaperThermal}
	slices.SortStableFunc(sizes, func(a, b string) int {
		switch {
		case a == def:
			return -1
		case b == def:
			return 1
		}
		return 0
	})
	var out []views.LabelLink
	for _, size := range sizes {
		out = append(out, views.LabelLink{Size: size, Label: p.T(paperLabels[size]), Default: size == def,
			URL: "/r/" + r.RMA + "/label.pdf?" + url.Values{"t": {token}, "size": {size}}.Encode()})
	}
	customs := ""
	if d.Customs {
		customs = "/r/" + r.RMA + "/customs.pdf?" + url.Values{"t": {token}}.Encode()
	}
	return out, customs
}

// paperLabels name the label's link on each paper size.
var paperLabels = map[string]string{
	returns.PaperA4:      "portal.status.label_a4",
	returns.PaperLetter:  "portal.status.label_letter",
	returns.PaperThermal: "portal.status.label_4x6",
}

// shopperDetails are the shopper's own data as her status page lists them:
// her name, e-mail, the address the parcel comes from, and the bank
// account a transfer goes to (masked: a screen is seen by others too).
func (p *portal) shopperDetails(o returns.Order, r returns.Return) *views.ShopperDetails {
	a := o.ShippingAddress
	d := &views.ShopperDetails{Name: o.CustomerName, Email: o.Email}
	if d.Name == "" {
		d.Name = a.Name
	}
	for _, l := range []string{a.Line1, a.Line2, strings.TrimSpace(a.PostalCode + " " + a.City), p.countryName(a.Country)} {
		if l != "" {
			d.Address = append(d.Address, l)
		}
	}
	if r.BankIBAN != "" {
		d.RefundAccount = returns.MaskIBAN(r.BankIBAN)
		if r.BankHolder != "" {
			d.RefundAccount += " · " + r.BankHolder
		}
	}
	return d
}

// countryName is a country in the page's language (its code when unknown).
func (p *portal) countryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(p.tag).Name(r); name != "" {
		return name
	}
	return code
}

// nextSteps says what the shopper does now.
func (p *portal) nextSteps(r returns.Return, t returns.Timeline) string {
	switch r.Status {
	case returns.StatusRequested:
		return p.T("portal.next.requested")
	case returns.StatusApproved:
		return p.TData("portal.next.approved", map[string]any{"Date": p.date(t.DropOffBy)})
	case returns.StatusReceived, returns.StatusInspected:
		return p.T("portal.next.received")
	case returns.StatusCancelled:
		return p.T("portal.next.cancelled")
	case returns.StatusRejected:
		return p.T("portal.next.rejected")
	case returns.StatusExpired:
		return p.T("portal.next.expired")
	}
	return p.T("portal.next.done")
}

// statusSteps is the course of a return: the steps done with their dates,
// then the estimated ones.
func (p *portal) statusSteps(r returns.Return, d service.ReturnStatus) []views.Step {
	loc := zoneOf(d.Order)
	steps := []views.Step{{Label: p.T("portal.timeline.requested"), Date: p.date(returns.DateOf(r.CreatedAt, loc)),
		Done: true, TestID: "step-requested"}}
	reached := map[string]returns.Date{}
	for _, e := range d.Events {
		if e.To != "" && e.To != string(returns.StatusRequested) {
			reached[e.To] = returns.DateOf(e.At, loc)
			if e.To == string(returns.StatusApproved) || e.To == string(returns.StatusCancelled) ||
				e.To == string(returns.StatusRejected) {
				steps = append(steps, views.Step{Label: p.T("status." + e.To), Date: p.date(returns.DateOf(e.At, loc)),
					Done: true, TestID: "step-" + e.To})
			}
		}
	}
	if !r.Status.Active() || r.Status == returns.StatusExpired {
		return steps
	}
	est := p.timelineSteps(d.Timeline)
	done := map[string]string{"step-drop-off": string(returns.StatusReceived), "step-arrives": string(returns.StatusReceived),
		"step-inspected": string(returns.StatusInspected), "step-refund": string(r.Status)}
	for _, st := range est {
		if date, ok := reached[done[st.TestID]]; ok && (st.TestID != "step-refund" || r.Status.Ended()) {
			st.Done, st.Date = true, p.date(date)
		} else {
			st.Date = p.TData("portal.timeline.estimated", map[string]any{"Date": st.Date})
		}
		steps = append(steps, st)
	}
	return steps
}
