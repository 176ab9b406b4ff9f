package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// quoteFragment is the live total on the form: htmx posts the form here
// whenever a quantity, reason or method changes. It always answers 200 with
// the total, or a hint of what is missing.
func (s *Server) quoteFragment(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	cl, err := s.orderFromToken(c, f.token)
	if err != nil {
		return err
	}
	o, err := s.cfg.Store.GetOrder(c.Request().Context(), cl.Order)
	if err != nil {
		return err
	}
	p := s.portal(c)
	return p.view(http.StatusOK, views.LiveQuote(s.liveQuote(c, p, o, f)))
}

// liveQuote prices the form as it stands, through the same service as the
// JSON API's quote.
func (s *Server) liveQuote(c echo.Context, p *portal, o returns.Order, f returnForm) views.QuoteProps {
	in, errs := f.input(o)
	if len(errs) > 0 {
		if errs["form"] == "error.no_items" {
			return views.QuoteProps{Hint: p.T("portal.quote.hint")}
		}
		return views.QuoteProps{Hint: p.T(errs.first())}
	}
	_, q, err := s.priceReturn(c.Request().Context(), o.Number, in.request())
	if err != nil {
		if fe, ok := fieldErrors(err, in); ok {
			return views.QuoteProps{Hint: p.T(fe.first())}
		}
		return views.QuoteProps{Hint: p.T("portal.quote.hint")}
	}
	return p.quoteProps(o, q, in.RefundMethod, func(string) string { return "" })
}
