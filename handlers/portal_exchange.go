package handlers

import (
	"sort"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The exchange on the shopper's pages: the choice at each item of the
// order form (refund first and chosen by default, then the variants on
// offer), and the variant named beside an exchanged item in every quote.

// exchangeField is the resolution choice of an eligible line that has
// variants on offer; nil for a line without (refund only). chosen is the
// SKU the form carries ("": the refund); one no longer on offer (another
// return took the last unit) falls back to the refund.
func (p *portal) exchangeField(lineID, currency string, opts []returns.ExchangeOption, chosen string, e views.FieldError) *views.ExchangeFieldProps {
	if len(opts) == 0 {
		return nil
	}
	x := &views.ExchangeFieldProps{Name: "exchange." + lineID, Note: p.T("portal.exchange.same_price"), Error: e, RefundChecked: true}
	for _, o := range opts {
		c := views.ExchangeChoice{SKU: o.Variant.SKU, Label: p.TData("portal.exchange.for", map[string]any{
			"Variant": views.Isolate(variantTitle(o.Variant))}), Options: optionsText(o.Variant.Options),
			Difference: p.TData("portal.exchange.difference", map[string]any{"Amount": views.Isolate(p.money(o.Difference, currency))}),
			Checked:    o.Variant.SKU == chosen}
		x.RefundChecked = x.RefundChecked && !c.Checked
		x.Options = append(x.Options, c)
	}
	return x
}

// variantTitle is how a variant is named: its title, else its SKU.
func variantTitle(v returns.Variant) string {
	if v.Title != "" {
		return v.Title
	}
	return v.SKU
}

// optionsText lists a variant's options by name ("Color: Blue, Size: L"),
// in a fixed order. The names and values are the shop's, in its words.
func optionsText(opts map[string]string) string {
	names := make([]string, 0, len(opts))
	for k := range opts {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		parts = append(parts, k+": "+opts[k])
	}
	return strings.Join(parts, ", ")
}

// exchangeTitles names the variants of the offer's options by SKU, for
// the quotes of a return not yet made.
func exchangeTitles(of offer) map[string]string {
	out := map[string]string{}
	for _, opts := range of.exchanges {
		for _, o := range opts {
			out[o.Variant.SKU] = variantTitle(o.Variant)
		}
	}
	return out
}

// returnExchangeTitles names the variants of a return's exchange lines by
// SKU.
func returnExchangeTitles(r returns.Return) map[string]string {
	out := map[string]string{}
	for _, x := range r.Exchanges {
		out[x.SKU] = x.Title
		if x.Title == "" {
			out[x.SKU] = x.SKU
		}
	}
	return out
}

// markExchanges names, beside each exchanged item of a quote, the variant
// it is exchanged for (titles by SKU; the SKU where none is known).
func (p *portal) markExchanges(props *views.QuoteProps, q returns.Quote, titles map[string]string) {
	for i, l := range q.Lines {
		if l.Resolution != returns.ResolutionExchange || i >= len(props.Lines) {
			continue
		}
		title := titles[l.ExchangeSKU]
		if title == "" {
			title = l.ExchangeSKU
		}
		props.Lines[i].Exchange = p.TData("portal.exchange.for", map[string]any{"Variant": views.Isolate(title)})
	}
}

// exchangeStates are a return's exchange lines in words, for its status
// page and the staff's return page.
func (p *portal) exchangeStates(o returns.Order, r returns.Return) []views.ExchangeStatus {
	var out []views.ExchangeStatus
	for _, x := range r.Exchanges {
		name := x.LineID
		if l, ok := o.Line(x.LineID); ok {
			name = l.Name
		}
		title := x.Title
		if title == "" {
			title = x.SKU
		}
		out = append(out, views.ExchangeStatus{StateCode: x.State, State: p.T("portal.exchange.state." + x.State),
			Item: p.TData("portal.exchange.item", map[string]any{"Quantity": x.Quantity, "Name": views.Isolate(name),
				"Variant": views.Isolate(title)})})
	}
	return out
}

// reviewFlags are the review rules a return matched, in the staff's words
// (never shown to the shopper): which rule and what made it match.
func (p *portal) reviewFlags(ms []returns.ReviewMatch) []string {
	var out []string
	for _, m := range ms {
		data := map[string]any{"N": m.Index + 1, "Returns": m.Count, "Days": m.Days, "Limit": m.Limit,
			"Value": views.Isolate(m.Value)}
		if m.Currency != "" {
			data["Amount"] = views.Isolate(p.money(m.Amount, m.Currency))
			data["Threshold"] = views.Isolate(p.money(m.Threshold, m.Currency))
		}
		out = append(out, p.TData("admin.review."+m.Rule, data))
	}
	return out
}
