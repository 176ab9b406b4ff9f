package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/bojanz/currency"
	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// goodwillSubmit is POST /admin/returns/:rma/goodwill (role admin): money
// on top of the quote, for an item of the order that the rules refused
// (line) or above the quote (no line), with a mandatory reason. The domain
// validates it in the transaction that records it with its audit event
// (service.Goodwill); the refund pays it.
func (a *admin) goodwillSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := a.svc.Return(ctx, rma)
	if err != nil {
		return err
	}
	p := a.portal(c)
	amount, ok := parseMinor(c.FormValue("amount"), r.Quote.Currency)
	if !ok {
		return a.renderReturn(c, http.StatusUnprocessableEntity, rma, p.T("error."+returns.CodeGoodwillInvalidAmount))
	}
	g := returns.GoodwillRequest{LineID: strings.TrimSpace(c.FormValue("line")), Amount: amount,
		Reason: strings.TrimSpace(c.FormValue("reason"))}
	if _, err := a.svc.Goodwill(ctx, rma, staffActor(c), g); err != nil {
		var de *returns.Error
		if errors.As(err, &de) {
			status := http.StatusUnprocessableEntity
			if de.Code == returns.CodeGoodwillNotAllowed {
				status = http.StatusConflict
			}
			return a.renderReturn(c, status, rma, p.T("error."+de.Code))
		}
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#goodwill-h")
}

// parseMinor reads a decimal amount typed in a currency's major units
// ("12.50" EUR = 1250, a comma accepted as the separator); more decimals
// than the currency has are refused, not rounded.
var plainAmountRE = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,3})?$`)

func parseMinor(s, cur string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if !plainAmountRE.MatchString(s) { // no sign, exponent, NaN or Inf
		return 0, false
	}
	a, err := currency.NewAmount(s, cur)
	if err != nil || !a.Round().Equal(a) {
		return 0, false
	}
	n, err := a.Int64()
	return n, err == nil
}

// addGoodwill shows a return's goodwill in a formatted quote: one row (the
// amount only, no reason: the shopper sees it too) and the total with it.
func (p *portal) addGoodwill(q *views.QuoteProps, r returns.Return) {
	gw := r.GoodwillTotal()
	if gw <= 0 {
		return
	}
	cur := r.Quote.Currency
	q.Rows = append(q.Rows, views.AmountRow{Label: p.T("portal.quote.goodwill"), Amount: p.money(gw, cur),
		TestID: "quote-goodwill"})
	q.Total.Amount = p.money(r.Quote.Total+gw, cur)
}
