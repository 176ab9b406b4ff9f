package handlers

import "github.com/returns-portal/returns/returns"

// The exchanges as the JSON APIs show them: the variants a line may be
// exchanged for (the lookup's lines), and a return's exchange lines with
// their state (reserved → issued, or released).

// exchangeOptionView is a variant on offer for an exchange: what the
// shopper picks by (its options) and the units available now.
type exchangeOptionView struct {
	SKU       string            `json:"sku"`
	Title     string            `json:"title"`
	Options   map[string]string `json:"options"`
	Available int               `json:"available"`
}

func exchangeOptionViews(opts []returns.ExchangeOption) []exchangeOptionView {
	var out []exchangeOptionView
	for _, o := range opts {
		out = append(out, exchangeOptionView{SKU: o.Variant.SKU, Title: o.Variant.Title, Options: o.Variant.Options,
			Available: o.Available})
	}
	return out
}

// exchangeLineView is one exchanged item of a return: the order line sent
// back, the variant sent instead and its state.
type exchangeLineView struct {
	Resolution string            `json:"resolution"`
	LineID     string            `json:"line_id"`
	SKU        string            `json:"sku"`
	Title      string            `json:"title"`
	Options    map[string]string `json:"options"`
	Quantity   int               `json:"quantity"`
	State      string            `json:"state"`
}

// exchangeLineViews lists a return's exchange lines; never null, so that
// clients may range over it.
func exchangeLineViews(xs []returns.ExchangeLine) []exchangeLineView {
	out := []exchangeLineView{}
	for _, x := range xs {
		out = append(out, exchangeLineView{Resolution: returns.ResolutionExchange, LineID: x.LineID, SKU: x.SKU,
			Title: x.Title, Options: x.Options, Quantity: x.Quantity, State: x.State})
	}
	return out
}
