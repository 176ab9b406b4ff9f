package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// A gift's recipient in the shopper's JSON API: the lookup by order number
// and shipping postal code (service.GiftLookup: the same limits and the
// same 404 for every miss as the lookup by e-mail) opens the order with a
// gift token; with it the recipient makes a return settled in store
// credit to an address she gives, or in exchanges. No answer to a gift
// token shows a price, the buyer's e-mail or the payment; the quote
// endpoint refuses gift tokens (it is all prices).

// giftLineView is an order line as a gift's recipient sees it: what she
// may return and exchange it for, without its price.
type giftLineView struct {
	returns.LineEligibility
	Reasons         []string             `json:"reasons"`
	InReturns       int                  `json:"in_returns"`
	SKU             string               `json:"sku"`
	Name            string               `json:"name"`
	Variant         string               `json:"variant,omitempty"`
	Quantity        int                  `json:"quantity"`
	ExchangeOptions []exchangeOptionView `json:"exchange_options,omitempty"`
}

// giftLookup answers POST /api/v1/returns/lookup with a postal code.
func (s *Server) giftLookup(c echo.Context, in lookupInput) error {
	l, err := s.svc.GiftLookup(c.Request().Context(), service.GiftLookupRequest{OrderNumber: in.OrderNumber,
		PostalCode: in.PostalCode, ClientIP: c.RealIP(), Locale: explicitLang(c)})
	if err != nil {
		return err
	}
	c.Set(ctxLang, l.Locale)
	o := l.Facts.Order
	of, err := s.offerFrom(c, l.Facts)
	if err != nil {
		return err
	}
	lines := make([]giftLineView, 0, len(of.lines))
	for _, lv := range of.lines {
		lines = append(lines, giftLineView{LineEligibility: lv.LineEligibility, Reasons: lv.Reasons, InReturns: lv.InReturns,
			SKU: lv.SKU, Name: lv.Name, Variant: lv.Variant, Quantity: lv.Quantity, ExchangeOptions: lv.ExchangeOptions})
	}
	var methods []methodView
	for _, m := range of.methods {
		if m.Code == returns.MethodStoreCredit {
			methods = append(methods, methodView{Code: m.Code, ConsentRequired: m.ConsentRequired})
		}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"token":      l.Token,
		"expires_at": l.Expires.UTC(),
		"gift":       true,
		"order": map[string]any{"number": o.Number, "country": o.ShippingAddress.Country, "locale": o.Locale,
			"placed_at": o.PlacedAt, "delivered_at": o.DeliveredAt},
		"lines":          lines,
		"reasons":        of.reasons,
		"refund_methods": methods,
	})
}

// shopperAccess opens an order for a lookup token or a gift lookup's
// token (service.VerifyShopperToken), for the use cases that keep a
// gift's prices hidden.
func (s *Server) shopperAccess(c echo.Context, token string) (service.OrderAccess, error) {
	a, err := s.svc.VerifyShopperToken(token)
	if err != nil {
		return service.OrderAccess{}, err
	}
	c.Set(ctxLang, a.Locale)
	return a, nil
}

// giftItemView is an item of a gift's return without its refund.
type giftItemView struct {
	LineID      string `json:"line_id"`
	Quantity    int    `json:"quantity"`
	Reason      string `json:"reason"`
	Resolution  string `json:"resolution"`
	ExchangeSKU string `json:"exchange_sku,omitempty"`
}

func giftItems(q returns.Quote) []giftItemView {
	out := []giftItemView{}
	for _, l := range q.Lines {
		res := l.Resolution
		if res == "" {
			res = returns.ResolutionRefund
		}
		out = append(out, giftItemView{LineID: l.LineID, Quantity: l.Quantity, Reason: l.Reason, Resolution: res, ExchangeSKU: l.ExchangeSKU})
	}
	return out
}

// giftCreated is the answer to a gift's return: its links and what the
// recipient gets, without an amount.
func giftCreated(s *Server, created service.Created) map[string]any {
	r := created.Return
	return map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "gift": true,
		"refund_method": r.RefundMethod, "items": giftItems(r.Quote), "exchanges": exchangeLineViews(r.Exchanges),
		"status_url":   s.returnURL(r.RMA, "", created.Token),
		"tracking_url": s.returnURL(r.RMA, "", created.ViewToken),
		"label_url":    s.returnURL(r.RMA, "/label.pdf", created.ViewToken),
	}
}

// giftReturnView is a gift's return for the holder of one of its tokens:
// its course, items and exchanges, without an amount.
func giftReturnView(a service.ReturnAccess, timeline returns.Timeline, history any) map[string]any {
	r := a.Return
	return map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "order_number": r.OrderNumber, "gift": true,
		"refund_method": r.RefundMethod, "items": giftItems(r.Quote), "exchanges": exchangeLineViews(r.Exchanges),
		"created_at": r.CreatedAt, "updated_at": r.UpdatedAt,
		"timeline":     map[string]any{"estimated": timeline, "events": history},
		"capabilities": capabilities(a.May),
	}
}
