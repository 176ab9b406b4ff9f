package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// orderPage is the form after a lookup: GET /order?t=TOKEN shows it empty,
// POST /order (the review's "change" button) with the shopper's choices.
func (s *Server) orderPage(c echo.Context) error {
	f := returnForm{token: c.QueryParam("t")}
	if c.Request().Method == http.MethodPost {
		var err error
		if f, err = readReturnForm(c); err != nil {
			return err
		}
	}
	_, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	return s.renderOrder(c, http.StatusOK, o, f, nil)
}

// renderOrder renders the form with the shopper's values and the problems
// found in them.
func (s *Server) renderOrder(c echo.Context, status int, o returns.Order, f returnForm, errs formErrors) error {
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	p := s.portal(c)
	ferr := func(field string) views.FieldError {
		if id, ok := errs[field]; ok {
			return p.fieldErr(sanitizeID(field), id)
		}
		return views.FieldError{}
	}
	here := &url.URL{Path: "/order", RawQuery: url.Values{"t": {f.token}}.Encode()}
	props := views.OrderProps{
		Page: p.page("portal.order.title", here), Token: f.token, Lang: p.explicit(),
		OrderNumber: o.Number, Placed: p.date(returns.DateOf(o.PlacedAt, zoneOf(o))),
		Consent: f.consent, Comment: f.comment, IBAN: f.iban, Holder: f.holder,
		ConsentError: ferr("consent"), IBANError: ferr("iban"), HolderError: ferr("holder"),
		CommentError: ferr("comment"), MethodError: ferr("method"), FormError: ferr("form"),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
		LiveQuote: views.QuoteProps{Hint: p.T("portal.quote.hint")},
	}
	for _, r := range of.reasons {
		label := r.Label
		if r.PhotoRequired {
			label = p.TData("portal.order.reason_photo", map[string]any{"Reason": r.Label})
		}
		props.Reasons = append(props.Reasons, views.Option{Value: r.Code, Label: label})
	}
	for i, l := range of.lines {
		line, _ := o.Line(l.LineID)
		lp := views.LineProps{Index: strconv.Itoa(i), QtyName: "qty." + l.LineID, Reason: f.reason[l.LineID],
			Name: l.Name, Variant: l.Variant, Price: p.money(l.Paid, o.Currency), Quantity: l.Quantity,
			Eligible: l.Eligible, Max: l.ReturnableQuantity, Qty: f.qty[l.LineID], Code: l.Code,
			QtyError: ferr("qty." + l.LineID), ReasonError: ferr("reason." + l.LineID)}
		if lp.Qty == "" {
			lp.Qty = "0"
		}
		lp.Status, lp.Note = p.eligibilityText(l.LineEligibility, line)
		props.Lines = append(props.Lines, lp)
		props.AnyEligible = props.AnyEligible || l.Eligible
	}
	method := f.method
	if method == "" && len(of.methods) > 0 {
		method = of.methods[0].Code
	}
	for _, m := range of.methods {
		mp := views.MethodProps{Code: m.Code, Label: p.T("method." + m.Code), Checked: m.Code == method}
		if m.BonusPercent > 0 {
			mp.Note = p.TData("portal.method.bonus", map[string]any{"Percent": views.Isolate(strconv.Itoa(m.BonusPercent))})
		}
		props.ConsentNeeded = props.ConsentNeeded || m.ConsentRequired
		props.BankOffered = props.BankOffered || m.Code == returns.MethodBankTransfer
		props.Methods = append(props.Methods, mp)
	}
	if status == http.StatusOK && len(f.qty) > 0 {
		f.method = method
		props.LiveQuote = s.liveQuote(c, p, o, f, of.methods)
		for i := range props.Methods {
			props.Methods[i].Amount = methodAmount(props.LiveQuote.Methods, props.Methods[i].Code)
		}
	}
	return p.view(status, views.Order(props))
}

// eligibilityText says in words whether and until when a line can be
// returned, and what else the shopper must know about it.
func (p *portal) eligibilityText(e returns.LineEligibility, l returns.Line) (status, note string) {
	date := func(id string, d *returns.Date, without string) string {
		if d == nil {
			return p.T(without)
		}
		return p.TData(id, map[string]any{"Date": p.date(*d)})
	}
	switch e.Code {
	case returns.CodeOK:
		status = date("eligibility.ok", e.Deadline, "eligibility.ok_undated")
		if e.SealedOnly {
			note = p.T("eligibility.sealed_only")
		}
	case returns.CodeFaultyOnly:
		status = p.T("eligibility.faulty_only")
		note = p.blockedText(e.BlockedBy, l, nil)
	case returns.CodeWindowClosed:
		status = date("eligibility.window_closed", e.Deadline, "eligibility.window_closed_undated")
	case returns.CodeNotDelivered:
		status = p.T("eligibility.not_delivered")
	case returns.CodeFullyReturned:
		status = p.T("eligibility.fully_returned")
	default:
		status = p.blockedText(e.Code, l, e.Deadline)
	}
	return status, note
}

// blockedText is why a line can't be returned without a fault.
func (p *portal) blockedText(code string, l returns.Line, deadline *returns.Date) string {
	switch code {
	case returns.CodeExemptByLaw:
		if l.Exemption != "" {
			return translate(p.loc, "class."+l.Exemption, p.T("eligibility.exempt_by_law"))
		}
		return p.T("eligibility.exempt_by_law")
	case returns.CodeExcludedCategory:
		return p.T("eligibility.excluded_category")
	case returns.CodeFinalSale:
		return p.T("eligibility.final_sale")
	case returns.CodeWindowClosed:
		if deadline != nil {
			return p.TData("eligibility.window_closed", map[string]any{"Date": p.date(*deadline)})
		}
		return p.T("eligibility.window_closed_undated")
	}
	return p.T("eligibility.not_returnable")
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
