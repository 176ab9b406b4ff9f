package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// quoteFragment is the live total on the form: htmx posts the form here
// whenever a quantity, reason or method changes. It always answers 200 with
// the total, or a hint of what is missing, and, out of band, the amount
// beside each refund method.
func (s *Server) quoteFragment(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	_, facts, err := s.openFormOrder(c, &f)
	if err != nil {
		return err
	}
	o := facts.Order
	of, err := s.offerFrom(c, facts)
	if err != nil {
		return err
	}
	if f.gift {
		of = of.forGift()
	}
	p := s.portal(c)
	// The order form's address follows the choices (replaced, not pushed),
	// so that Back from the review returns to them.
	p.address = &url.URL{Path: "/order", RawQuery: f.stateQuery().Encode()}
	codes := make([]string, 0, len(of.methods))
	for _, m := range of.methods {
		codes = append(codes, m.Code)
	}
	return p.view(http.StatusOK, views.QuoteFragment(s.liveQuote(c, p, o, f, of), codes))
}

// liveQuote prices the form as it stands, through the same service as the
// JSON API's quote, and the same items with each method on offer.
func (s *Server) liveQuote(c echo.Context, p *portal, o returns.Order, f returnForm, of offer) views.QuoteProps {
	methods := of.methods
	if f.gift { // no price for a gift's recipient
		return views.QuoteProps{Hint: p.T("portal.gift.no_prices")}
	}
	in, errs := f.input(o)
	if len(errs) > 0 {
		if errs["form"] == "error.no_items" {
			return views.QuoteProps{Hint: p.T("portal.quote.hint")}
		}
		return views.QuoteProps{Hint: p.T(errs.first())}
	}
	var props views.QuoteProps
	_, q, err := s.svc.Quote(c.Request().Context(), o.Number, in.request().QuoteRequest)
	switch fe, ok := fieldErrors(err, in); {
	case err == nil:
		props = p.quoteProps(o, q, in.RefundMethod, func(string) string { return "" })
		p.markExchanges(&props, q, exchangeTitles(of))
	case ok:
		// The chosen method may still lack the shopper's consent: the
		// other methods' amounts help the choice.
		props = views.QuoteProps{Hint: p.T(fe.first())}
	default:
		return views.QuoteProps{Hint: p.T("portal.quote.hint")}
	}
	if props.Methods, err = s.methodAmounts(c.Request().Context(), p, o, in, methods); err != nil {
		c.Logger().Error(err)
	}
	return props
}

// methodAmounts prices the same items with each refund method on offer
// (service.QuoteByMethod), so that the shopper sees what each one brings
// back ("€27.50 as store credit, €25.00 to your card"); only when there
// are two or more to compare.
func (s *Server) methodAmounts(ctx context.Context, p *portal, o returns.Order, in returnInput, methods []methodView) ([]views.MethodAmount, error) {
	if len(methods) < 2 || len(in.Items) == 0 {
		return nil, nil
	}
	codes := make([]string, 0, len(methods))
	for _, m := range methods {
		codes = append(codes, m.Code)
	}
	mqs, err := s.svc.QuoteByMethod(ctx, o, in.Items, codes)
	if err != nil {
		return nil, err
	}
	var out []views.MethodAmount
	for _, mq := range mqs {
		q := mq.Quote
		ma := views.MethodAmount{Code: mq.Method, Label: p.T("method." + mq.Method),
			Amount: p.money(q.Total, q.Currency), Chosen: mq.Method == in.RefundMethod}
		if q.StoreCreditBonus > 0 {
			ma.Note = p.TData("portal.quote.bonus_included", map[string]any{"Amount": views.Isolate(p.money(q.StoreCreditBonus, q.Currency))})
		}
		out = append(out, ma)
	}
	if len(out) < 2 {
		return nil, nil
	}
	return out, nil
}

// methodAmount is the formatted amount of a method among the compared ones.
func methodAmount(ms []views.MethodAmount, code string) string {
	for _, m := range ms {
		if m.Code == code {
			return m.Amount
		}
	}
	return ""
}

// ibanCheck is the IBAN field checked as the shopper leaves it (htmx posts
// the form here on change): the field again, with the translated mistake or
// the note that it is valid. Without JavaScript the review checks it.
func (s *Server) ibanCheck(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	if _, err := s.orderAccess(c, f.token); err != nil {
		return err
	}
	p := s.portal(c)
	return p.view(http.StatusOK, views.IBANField(p.ibanField(f.iban, true)))
}

// ibanField is the IBAN input's state: empty, valid or with its mistake.
func (p *portal) ibanField(value string, live bool) views.IBANFieldProps {
	props := views.IBANFieldProps{Value: value, Live: live}
	if strings.TrimSpace(value) == "" {
		return props
	}
	if _, ok := returns.NormalizeIBAN(value); ok {
		props.OK = p.T("portal.order.iban_ok")
	} else {
		props.Error = p.fieldErr("iban", "error.invalid_iban")
	}
	return props
}
