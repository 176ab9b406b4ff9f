package platforms

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/returns-portal/returns/returns"
)

// Mapping turns a shop's products into the portal's categories, final-sale
// flags and exemption classes, per connector (settings). Rules are tried
// in order and every matching rule applies (a later category wins).
//
//	{"rules": [
//	  {"match": "tag:final-sale", "final_sale": true},
//	  {"match": "product_type:Gift Cards", "category": "gift_card"},
//	  {"match": "gift_card", "category": "gift_card"},
//	  {"match": "tag:personalised", "exemption": "personalised"}
//	]}
//
// A match is "tag:<order tag>" (Shopify's order tags), "product_type:<t>",
// "vendor:<v>", "sku:<prefix>" (a SKU that starts with it) or "gift_card"
// (Shopify's gift-card lines); values compare case-insensitively.
type Mapping struct {
	Rules []Rule `json:"rules"`
}

// Rule is one line of a Mapping.
type Rule struct {
	Match     string `json:"match"`
	Category  string `json:"category,omitempty"`
	FinalSale bool   `json:"final_sale,omitempty"`
	Exemption string `json:"exemption,omitempty"`
}

// ParseMapping reads a mapping's JSON, refusing unknown fields and rules
// that match nothing (Rule.Problem).
func ParseMapping(raw []byte) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, err
	}
	for i, r := range m.Rules {
		if code := r.matchProblem(); code != "" {
			return Mapping{}, fmt.Errorf("rule %d: %q: %s", i, r.Match, code)
		}
	}
	return m, nil
}

// Codes of what is wrong with a rule (Rule.Problem).
const (
	// RuleMatch: the match is not one of MatchKinds with a value (or
	// gift_card without one).
	RuleMatch = "mapping_match"
	// RuleEffect: the rule sets nothing (no category, final sale or
	// exemption).
	RuleEffect = "mapping_effect"
	// RuleExemption: the exemption class is not one the law's data knows.
	RuleExemption = "mapping_exemption"
	// RuleCategory: the category is longer than MaxCategory or not one
	// plain line.
	RuleCategory = "mapping_category"
)

// MaxCategory bounds a category a rule sets and a value it matches.
const MaxCategory = 100

// MatchKinds are the kinds of match each platform's payload can satisfy:
// Shopify's orders carry order tags, product types, vendors, SKUs and
// gift-card lines; WooCommerce's order lines carry only the SKU.
var MatchKinds = map[string][]string{
	Shopify:     {"tag", "product_type", "vendor", "sku", "gift_card"},
	WooCommerce: {"sku"},
}

// Problem is the code of what is wrong with a rule, "" when it is fine.
func (r Rule) Problem(legal *returns.Legal) string {
	if code := r.matchProblem(); code != "" {
		return code
	}
	switch {
	case r.Category == "" && !r.FinalSale && r.Exemption == "":
		return RuleEffect
	case len(r.Category) > MaxCategory || !plainLine(r.Category):
		return RuleCategory
	case r.Exemption != "" && !knownClass(legal, r.Exemption):
		return RuleExemption
	}
	return ""
}

func (r Rule) matchProblem() string {
	kind, value, hasValue := strings.Cut(r.Match, ":")
	switch kind {
	case "tag", "product_type", "vendor", "sku":
		if !hasValue || strings.TrimSpace(value) == "" || len(value) > MaxCategory || !plainLine(value) {
			return RuleMatch
		}
	case "gift_card":
		if hasValue {
			return RuleMatch
		}
	default:
		return RuleMatch
	}
	return ""
}

// Check refuses rules with a problem, the exemption classes the law's
// data does not know included.
func (m Mapping) Check(legal *returns.Legal) error {
	for i, r := range m.Rules {
		if code := r.Problem(legal); code != "" {
			return errors.New("rule " + fmt.Sprint(i) + ": " + code)
		}
	}
	return nil
}

// item is what a rule can match on a line.
type item struct {
	Tags        []string
	ProductType string
	Vendor      string
	SKU         string
	GiftCard    bool
}

// apply sets a line's category, final sale and exemption from the rules
// that match it; a gift-card line without a rule is category "gift_card".
func (m Mapping) apply(l *returns.Line, it item) {
	if it.GiftCard {
		l.Category = "gift_card"
	}
	for _, r := range m.Rules {
		if !r.matches(it) {
			continue
		}
		if r.Category != "" {
			l.Category = r.Category
		}
		if r.FinalSale {
			l.FinalSale = true
		}
		if r.Exemption != "" {
			l.Exemption = r.Exemption
		}
	}
}

func (r Rule) matches(it item) bool {
	kind, value, _ := strings.Cut(r.Match, ":")
	value = strings.TrimSpace(value)
	switch kind {
	case "gift_card":
		return it.GiftCard
	case "tag":
		for _, t := range it.Tags {
			if strings.EqualFold(strings.TrimSpace(t), value) {
				return true
			}
		}
	case "product_type":
		return it.ProductType != "" && strings.EqualFold(it.ProductType, value)
	case "vendor":
		return it.Vendor != "" && strings.EqualFold(it.Vendor, value)
	case "sku":
		return it.SKU != "" && strings.HasPrefix(strings.ToLower(it.SKU), strings.ToLower(value))
	}
	return false
}

func knownClass(legal *returns.Legal, class string) bool {
	_, ok := legal.Classes[class]
	return ok
}

// plainLine reports whether s is one line of text without control or
// Unicode direction characters: the order API refuses those in a line's
// category, so a rule that set one would make every matching order
// unmappable.
func plainLine(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' || r == utf8.RuneError {
			return false
		}
	}
	return true
}
