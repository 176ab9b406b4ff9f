package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// orderPage is the form after a lookup: GET /order?t=TOKEN shows it empty,
// or with the choices its address carries (stateQuery: a reload, Back);
// POST /order (the review's "change" button) with the shopper's choices.
func (s *Server) orderPage(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	_, facts, err := s.openFormOrder(c, &f)
	if err != nil {
		return err
	}
	if redirectToAddress(c, f) {
		return seeOther(c, s.portal(c).link("/order", f.stateQuery()))
	}
	of, err := s.offerFrom(c, facts)
	if err != nil {
		return err
	}
	return s.renderOrderOffer(c, http.StatusOK, facts.Order, of, facts.AnyReturns, f, nil)
}

// renderOrder renders the form with the shopper's values and the problems
// found in them, on the offer as it is now (read again: a refusal may
// stem from a return made meanwhile).
func (s *Server) renderOrder(c echo.Context, status int, o returns.Order, f returnForm, errs formErrors) error {
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	return s.renderOrderOffer(c, status, o, of, true, f, errs)
}

// renderOrderOffer renders the order form on an offer; anyReturns false
// says the order has no return to list (none is looked for).
func (s *Server) renderOrderOffer(c echo.Context, status int, o returns.Order, of offer, anyReturns bool, f returnForm, errs formErrors) error {
	var err error
	p := s.portal(c)
	ferr := func(field string) views.FieldError {
		if id, ok := errs[field]; ok {
			return p.fieldErr(sanitizeID(field), id)
		}
		return views.FieldError{}
	}
	here := &url.URL{Path: "/order", RawQuery: f.stateQuery().Encode()}
	props := views.OrderProps{
		Page: p.page("portal.order.title", here), Token: f.token, Lang: p.explicit(),
		OrderNumber: o.Number, Placed: p.date(returns.DateOf(o.PlacedAt, zoneOf(o))),
		Consent: f.consent, Comment: f.comment, IBAN: f.iban, Holder: f.holder,
		ConsentError: ferr("consent"), IBANError: ferr("iban"), HolderError: ferr("holder"),
		CommentError: ferr("comment"), MethodError: ferr("method"), FormError: ferr("form"),
		Gift: f.gift, GiftEmail: f.giftEmail, GiftEmailError: ferr("gift_email"),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
		LiveQuote: views.QuoteProps{Hint: p.T("portal.quote.hint")},
	}
	props.Page.Progress = views.ProgressChoose
	if anyReturns {
		if props.Returns, err = s.existingReturns(c, p, o); err != nil {
			return err
		}
	}
	for i, l := range of.lines {
		line, _ := o.Line(l.LineID)
		lp := views.LineProps{ID: l.LineID, Index: strconv.Itoa(i), QtyName: "qty." + l.LineID, Reason: f.reason[l.LineID],
			Name: l.Name, Variant: l.Variant, ImageURL: line.ImageURL, Price: p.money(l.Paid, o.Currency),
			Quantity: l.Quantity, Eligible: l.Eligible, Max: l.ReturnableQuantity, Qty: f.qty[l.LineID], Code: l.Code,
			Limited:  l.Code == returns.CodeFaultyOnly,
			QtyError: ferr("qty." + l.LineID), ReasonError: ferr("reason." + l.LineID)}
		if lp.Qty == "" {
			lp.Qty = "0"
		}
		if f.gift { // a gift's recipient sees no price
			lp.Price = ""
		}
		lp.Status, lp.Note = p.eligibilityText(l.LineEligibility, line)
		if n := of.inReturns[l.LineID]; n > 0 && l.Code != returns.CodeFullyReturned {
			lp.InReturns = p.TData("portal.order.in_returns", map[string]any{"Count": n})
		}
		photo := false
		for _, r := range of.reasons {
			if slices.Contains(l.Reasons, r.Code) {
				label := r.Label
				if r.PhotoRequired {
					label = p.TData("portal.order.reason_photo", map[string]any{"Reason": r.Label})
				}
				lp.Reasons = append(lp.Reasons, views.Option{Value: r.Code, Label: label, Photo: r.PhotoRequired})
				photo = photo || r.PhotoRequired
			}
		}
		if photo {
			lp.Photos = p.photoField(l.LineID, i, f.staged[l.LineID], ferr("photos."+l.LineID))
		}
		lp.Exchange = p.exchangeField(l.LineID, o.Currency, of.exchanges[l.LineID], f.exchange[l.LineID], ferr("exchange."+l.LineID))
		if lp.Exchange != nil && f.gift {
			for i := range lp.Exchange.Options {
				lp.Exchange.Options[i].Difference = ""
			}
		}
		props.Lines = append(props.Lines, lp)
		props.AnyEligible = props.AnyEligible || l.Eligible
	}
	if f.gift {
		of = of.forGift()
	}
	method := f.method
	if method == "" && len(of.methods) > 0 {
		method = of.methods[0].Code
	}
	for _, m := range of.methods {
		mp := views.MethodProps{Code: m.Code, Label: p.T("method." + m.Code), Checked: m.Code == method,
			Consent: m.ConsentRequired}
		if m.BonusPercent > 0 && !f.gift {
			mp.Note = p.TData("portal.method.bonus", map[string]any{"Percent": views.Isolate(strconv.Itoa(m.BonusPercent))})
		}
		props.ConsentNeeded = props.ConsentNeeded || m.ConsentRequired
		props.BankOffered = props.BankOffered || m.Code == returns.MethodBankTransfer
		props.Methods = append(props.Methods, mp)
	}
	if status == http.StatusOK && len(f.qty) > 0 {
		f.method = method
		props.LiveQuote = s.liveQuote(c, p, o, f, of)
		for i := range props.Methods {
			props.Methods[i].Amount = methodAmount(props.LiveQuote.Methods, props.Methods[i].Code)
		}
	}
	return p.view(status, views.Order(props))
}

// photoField is the photo picker of a line some of whose reasons ask for a
// photo: open when it has photos or a photo error, else shown as soon as
// such a reason is chosen (portal.css).
func (p *portal) photoField(lineID string, index int, staged []string, e views.FieldError) *views.PhotoFieldProps {
	ph := &views.PhotoFieldProps{Name: "photos." + lineID, ID: "photos-" + strconv.Itoa(index),
		StagedName: "photo." + lineID, Staged: staged, Error: e, Open: len(staged) > 0 || e.Message != ""}
	if len(staged) > 0 {
		ph.StagedText = p.TData("portal.photos.staged", map[string]any{"Count": len(staged)})
	}
	return ph
}

// existingReturns are the order's returns so far, newest first, each with
// the link of its status page.
func (s *Server) existingReturns(c echo.Context, p *portal, o returns.Order) ([]views.ExistingReturn, error) {
	rs, err := s.svc.OrderReturns(c.Request().Context(), service.OrderAccess{Number: o.Number})
	if err != nil {
		return nil, err
	}
	var out []views.ExistingReturn
	for _, r := range rs {
		out = append(out, views.ExistingReturn{RMA: r.RMA, StatusCode: string(r.Status), Status: p.T("status." + string(r.Status)),
			Date: p.date(returns.DateOf(r.CreatedAt, zoneOf(o))),
			// The status link of an earlier return, for the shopper who
			// looked the order up: her own (manage) link.
			URL: p.link("/r/"+r.RMA, url.Values{"t": {s.svc.ManageToken(r.RMA)}})})
	}
	return out, nil
}

// eligibilityText says in words whether and until when a line can be
// returned, and otherwise why not in the words of its case
// (returns.LimitationOf): the window that closed and when, a final sale,
// an excluded category, an exemption by law; note adds what else the
// shopper must know (only while sealed, still if faulty).
func (p *portal) eligibilityText(e returns.LineEligibility, l returns.Line) (status, note string) {
	if e.Code == returns.CodeOK {
		switch {
		case e.Deadline == nil:
			status = p.T("eligibility.ok_undated")
		case e.HolidayExtension:
			status = p.TData("eligibility.ok_holiday", map[string]any{"Date": views.Isolate(p.date(*e.Deadline))})
		case e.Basis == returns.BasisStatutory && e.StatutoryDeadline != nil && *e.Deadline == *e.StatutoryDeadline:
			// The law's period, not the shop's: say so (a final-sale item
			// returnable anyway, a shop window that has closed).
			status = p.TData("eligibility.ok_statutory", map[string]any{"Date": views.Isolate(p.date(*e.Deadline))})
		default:
			status = p.TData("eligibility.ok", map[string]any{"Date": views.Isolate(p.date(*e.Deadline))})
		}
		if e.SealedOnly {
			note = p.T("eligibility.sealed_only")
		}
		return status, note
	}
	lim := returns.LimitationOf(e, l)
	switch lim.Code {
	case returns.CodeWindowClosed:
		status = p.T("eligibility.window_closed_undated")
		if lim.ClosedOn != nil {
			status = p.TData("eligibility.window_closed", map[string]any{"Date": views.Isolate(p.date(*lim.ClosedOn))})
		}
	case returns.CodeExemptByLaw:
		status = p.T("eligibility.exempt_by_law")
		if lim.Class != "" {
			status = translate(p.loc, "class."+lim.Class, status)
		}
	case returns.CodeExcludedCategory:
		status = p.T("eligibility.excluded_category")
	case returns.CodeFinalSale:
		status = p.T("eligibility.final_sale")
	case returns.CodeNotDelivered:
		status = p.T("eligibility.not_delivered")
	case returns.CodeFullyReturned:
		status = p.T("eligibility.fully_returned")
	default:
		status = p.T("eligibility.not_returnable")
	}
	if lim.FaultyOnly {
		note = p.T("eligibility.faulty_still")
	}
	return status, note
}

// zoneOf is the time zone an order's dates are shown in.
func zoneOf(o returns.Order) *time.Location {
	loc, _ := returns.ZoneFor(o.ShippingAddress.Country, o.ShippingAddress.Region)
	return loc
}

// sanitizeID makes a form field name usable in an element id.
func sanitizeID(field string) string {
	b := []byte(field)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

// policyURL links the policy page for a country in a language.
func policyURL(country, lang string) string {
	q := url.Values{}
	if country != "" {
		q.Set("country", country)
	}
	if lang != "" {
		q.Set("lang", lang)
	}
	return "/policy?" + q.Encode()
}
