package handlers

import (
	"bytes"
	"encoding/json"
	"net/url"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The policy editor's "keep the sale" section: exchanges in the defaults
// (two boxes), and the keep-the-item (returnless) and review rules as the
// JSON lists the policy document holds, in a text area each: lists of
// rules whose fields depend on their kind, checked by ValidatePolicy
// (returns.validate_policy_rules.go) with the paths of the document.

// Form fields of the section.
const (
	keepExchanges          = "exchanges.enabled"
	keepExchangesFree      = "exchanges.free_return_shipping"
	keepExchangesSamePrice = "exchanges.same_price_only"
	keepReturnless         = "returnless"
	keepReviewRules        = "review_rules"
)

func keepToForm(f *views.PolicyForm, p returns.Policy) {
	if x := p.Default.Exchanges; x != nil {
		f.Exchanges, f.ExchangesFreeShipping = x.Enabled, x.FreeReturnShipping
		f.ExchangesSamePrice = x.SamePriceOnly != nil && *x.SamePriceOnly
	}
	f.Returnless, f.ReviewRules = rulesJSON(p.Returnless), rulesJSON(p.ReviewRules)
}

// rulesJSON is a list of rules as the text area shows it: indented JSON,
// "" for none.
func rulesJSON[T any](rules []T) string {
	if rules == nil {
		return ""
	}
	b, err := json.MarshalIndent(rules, "", "  ")
	if err != nil { // plain structs of strings, numbers and maps: cannot fail
		return ""
	}
	return string(b)
}

func keepValues(v url.Values, f views.PolicyForm) {
	for name, on := range map[string]bool{keepExchanges: f.Exchanges, keepExchangesFree: f.ExchangesFreeShipping,
		keepExchangesSamePrice: f.ExchangesSamePrice} {
		if on {
			v.Set(name, "true")
		}
	}
	v.Set(keepReturnless, f.Returnless)
	v.Set(keepReviewRules, f.ReviewRules)
}

func parseKeep(f *views.PolicyForm, get func(string) string) {
	f.Exchanges, f.ExchangesFreeShipping = get(keepExchanges) == "true", get(keepExchangesFree) == "true"
	f.ExchangesSamePrice = get(keepExchangesSamePrice) == "true"
	f.Returnless, f.ReviewRules = get(keepReturnless), get(keepReviewRules)
}

// formToKeep writes the section into the policy; a list that is not JSON
// of its rules is an invalid field.
func formToKeep(fe *returns.FieldErrors, p *returns.Policy, f views.PolicyForm) {
	if f.Exchanges || f.ExchangesFreeShipping || f.ExchangesSamePrice {
		x := &returns.ExchangePolicy{Enabled: f.Exchanges, FreeReturnShipping: f.ExchangesFreeShipping}
		if f.ExchangesSamePrice {
			x.SamePriceOnly = ptrTo(true)
		}
		p.Default.Exchanges = x
	}
	if !decodeRules(f.Returnless, &p.Returnless) {
		*fe = append(*fe, returns.FieldError{Path: keepReturnless, Code: returns.FieldInvalid})
	}
	if !decodeRules(f.ReviewRules, &p.ReviewRules) {
		*fe = append(*fe, returns.FieldError{Path: keepReviewRules, Code: returns.FieldInvalid})
	}
}

// decodeRules reads a text area's JSON list into rules ("" : none);
// unknown fields are refused, as in the policy document.
func decodeRules[T any](text string, rules *[]T) bool {
	if text == "" {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	var out []T
	if err := dec.Decode(&out); err != nil || dec.More() {
		return false
	}
	*rules = out
	return true
}

func ptrTo[T any](v T) *T { return &v }
