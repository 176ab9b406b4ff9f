package handlers

import (
	"net/url"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// A region's own "exchanges" entry in the policy editor: a select (inherit,
// off, on) and the entry's free-shipping box; same_price_only can only be
// true (ValidatePolicy), so it is carried as it was. Without these fields a
// save of the regions section would drop a region's entry that the
// document (PUT /api/v1/policy) had set.

const (
	exchangesEnabled   = ".exchanges.enabled"
	exchangesFree      = ".exchanges.free_return_shipping"
	exchangesSamePrice = ".exchanges.same_price_only"
)

func regionExchangeValues(v url.Values, p string, r views.RulesForm) {
	v.Set(p+exchangesEnabled, r.Exchanges)
	if r.ExchangesFree {
		v.Set(p+exchangesFree, "true")
	}
	if r.ExchangesSamePrice {
		v.Set(p+exchangesSamePrice, "true")
	}
}

// parseRegionExchanges reads the fields; get takes the name after the
// region's prefix and its dot.
func parseRegionExchanges(r *views.RulesForm, get func(string) string) {
	r.Exchanges = get(exchangesEnabled[1:])
	r.ExchangesFree = get(exchangesFree[1:]) == "true"
	r.ExchangesSamePrice = get(exchangesSamePrice[1:]) == "true"
}

// formToRegionExchanges is the region's entry, nil where it inherits (and
// for the defaults, whose entry the keep section writes: formToKeep).
func formToRegionExchanges(fe *returns.FieldErrors, path string, f views.RulesForm) *returns.ExchangePolicy {
	if f.Exchanges == "" {
		return nil
	}
	if f.Exchanges != "true" && f.Exchanges != "false" {
		*fe = append(*fe, returns.FieldError{Path: path + exchangesEnabled, Code: returns.FieldInvalid})
		return nil
	}
	x := &returns.ExchangePolicy{Enabled: f.Exchanges == "true", FreeReturnShipping: f.ExchangesFree}
	if f.ExchangesSamePrice {
		x.SamePriceOnly = ptrTo(true)
	}
	return x
}
