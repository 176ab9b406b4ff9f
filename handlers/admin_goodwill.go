package handlers

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/bojanz/currency"
	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// GoodwillStore is the part of the store that records goodwill overrides;
// *store.Store satisfies it.
type GoodwillStore interface {
	AddGoodwill(ctx context.Context, rma, actor string, g returns.GoodwillRequest, check store.GoodwillFunc) (returns.Goodwill, error)
}

// goodwillSubmit is POST /admin/returns/:rma/goodwill (role admin): money
// on top of the quote, for an item of the order that the rules refused
// (line) or above the quote (no line), with a mandatory reason. It is
// validated by the domain (returns.CheckGoodwill) inside the transaction
// that records it with its audit event, and paid with the refund.
func (a *admin) goodwillSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	gs, ok := a.st.(GoodwillStore)
	if !ok {
		return errNotFound
	}
	ctx := c.Request().Context()
	r, err := a.cfg.Store.GetReturn(ctx, rma)
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
	if _, err := gs.AddGoodwill(ctx, rma, a.actor(c), g, func(o returns.Order, r returns.Return) error {
		return returns.CheckGoodwill(o, r, g)
	}); err != nil {
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

// goodwillView is a goodwill line in the merchant API's answer.
type goodwillView struct {
	LineID   string `json:"line_id,omitempty"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	Actor    string `json:"actor"`
	At       string `json:"at"`
	Override bool   `json:"override"`
}

func goodwillViews(gs []returns.Goodwill) []goodwillView {
	out := make([]goodwillView, 0, len(gs))
	for _, g := range gs {
		out = append(out, goodwillView{LineID: g.LineID, Amount: g.Amount, Currency: g.Currency, Reason: g.Reason,
			Actor: g.Actor, At: g.At.UTC().Format("2006-01-02T15:04:05.999999Z07:00"), Override: true})
	}
	return out
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

// overrideStore reports which returns carry goodwill; *store.Store
// satisfies it.
type overrideStore interface {
	GoodwillReturns(ctx context.Context, ids []int64) (map[int64]bool, error)
}

// markOverrides sets the override badge of the queue's rows (one query for
// the page, by the rows' ids).
func (a *admin) markOverrides(ctx context.Context, rows []store.QueueRow, props []views.QueueRowProps) error {
	os, ok := a.st.(overrideStore)
	if !ok || len(rows) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	with, err := os.GoodwillReturns(ctx, ids)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if i < len(props) {
			props[i].Override = with[r.ID]
		}
	}
	return nil
}
