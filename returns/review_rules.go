package returns

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Kinds of review rule (ReviewRule.Rule).
const (
	// RuleReturnsByEmail: more than MoreThan returns by the order's e-mail
	// address in the last Days days, this one included.
	RuleReturnsByEmail = "returns_by_email"
	// RuleOrderValue: the order's value (lines paid plus shipping) above
	// Above in its currency.
	RuleOrderValue = "order_value"
	// RuleReason: an item returned for one of Reasons.
	RuleReason = "reason"
	// RuleCountry: shipped to one of Countries (codes or groups such as EU).
	RuleCountry = "country"
	// RuleBlockList: the order's e-mail among Emails, or its shipping
	// address among Addresses (the merchant's block list).
	RuleBlockList = "block_list"
)

// ReviewRuleKinds are the kinds in the order the policy editor offers them.
var ReviewRuleKinds = []string{RuleReturnsByEmail, RuleOrderValue, RuleReason, RuleCountry, RuleBlockList}

// ReviewRule is one entry of the policy's "review_rules": a return that
// matches it waits for staff (manual review) instead of being approved at
// once. Which fields count depends on Rule.
type ReviewRule struct {
	Rule      string           `json:"rule"`
	MoreThan  int              `json:"more_than,omitempty"`
	Days      int              `json:"days,omitempty"`
	Above     map[string]int64 `json:"above,omitempty"`
	Reasons   []string         `json:"reasons,omitempty"`
	Countries []string         `json:"countries,omitempty"`
	Emails    []string         `json:"emails,omitempty"`
	Addresses []BlockedAddress `json:"addresses,omitempty"`
}

// BlockedAddress is an address on the merchant's block list: it matches a
// shipping address with the same country, postal code and first line,
// compared without case, spaces and punctuation.
type BlockedAddress struct {
	Line1      string `json:"line1"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// ReviewInput is what the review rules look at: the order, the items of
// the return, and when the order's e-mail address made its other returns
// (not cancelled) — as far back as the longest returns_by_email rule
// reaches (ReviewLookback).
type ReviewInput struct {
	Order  Order
	Items  []QuoteItem
	Recent []time.Time
	Now    time.Time
}

// ReviewMatch is a rule a return matched, for staff: which rule (its
// index in review_rules and kind) and what made it match. The shopper is
// never shown it.
type ReviewMatch struct {
	Index int    `json:"index"`
	Rule  string `json:"rule"`
	// Count and Days: the e-mail's returns in the period (returns_by_email),
	// Limit its more_than.
	Count int `json:"count,omitempty"`
	Days  int `json:"days,omitempty"`
	Limit int `json:"limit,omitempty"`
	// Amount and Currency: the order's value (order_value), Threshold the
	// rule's.
	Amount    int64  `json:"amount,omitempty"`
	Threshold int64  `json:"threshold,omitempty"`
	Currency  string `json:"currency,omitempty"`
	// Value: the reason, country, e-mail or "address" that matched.
	Value string `json:"value,omitempty"`
}

// ReviewLookback is how far back ReviewReasons needs the e-mail's returns:
// the longest period of the policy's returns_by_email rules (0: none).
func ReviewLookback(p Policy) time.Duration {
	days := 0
	for _, r := range p.ReviewRules {
		if r.Rule == RuleReturnsByEmail {
			days = max(days, r.Days)
		}
	}
	return time.Duration(days) * 24 * time.Hour
}

// ReviewReasons decides which of the policy's review rules a return
// matches, in the policy's order; none: nothing sends it to review.
func ReviewReasons(p Policy, legal *Legal, in ReviewInput) []ReviewMatch {
	var out []ReviewMatch
	o := in.Order
	for i, r := range p.ReviewRules {
		m := ReviewMatch{Index: i, Rule: r.Rule}
		switch r.Rule {
		case RuleReturnsByEmail:
			since := in.Now.Add(-time.Duration(r.Days) * 24 * time.Hour)
			n := 1 // this one
			for _, t := range in.Recent {
				if !t.Before(since) {
					n++
				}
			}
			if r.Days <= 0 || n <= r.MoreThan {
				continue
			}
			m.Count, m.Days, m.Limit = n, r.Days, r.MoreThan
		case RuleOrderValue:
			limit, ok := r.Above[o.Currency]
			value := OrderValue(o)
			if !ok || value <= limit {
				continue
			}
			m.Amount, m.Threshold, m.Currency = value, limit, o.Currency
		case RuleReason:
			i := slices.IndexFunc(in.Items, func(it QuoteItem) bool { return slices.Contains(r.Reasons, it.Reason) })
			if i < 0 {
				continue
			}
			m.Value = in.Items[i].Reason
		case RuleCountry:
			c := o.ShippingAddress.Country
			if !slices.ContainsFunc(r.Countries, func(x string) bool { return x == c || legal.InGroup(c, x) }) {
				continue
			}
			m.Value = c
		case RuleBlockList:
			email := strings.ToLower(strings.TrimSpace(o.Email))
			switch {
			case slices.ContainsFunc(r.Emails, func(e string) bool { return strings.ToLower(strings.TrimSpace(e)) == email }):
				m.Value = o.Email
			case slices.ContainsFunc(r.Addresses, func(a BlockedAddress) bool { return a.matches(o.ShippingAddress) }):
				m.Value = "address"
			default:
				continue
			}
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// OrderValue is what the shopper paid for an order: its lines and the
// outbound shipping.
func OrderValue(o Order) int64 {
	v := o.Shipping.Amount
	for _, l := range o.Lines {
		v += l.Paid()
	}
	return v
}

func (b BlockedAddress) matches(a Address) bool {
	return strings.EqualFold(b.Country, a.Country) && b.Line1 != "" &&
		addressKey(b.PostalCode) == addressKey(a.PostalCode) && addressKey(b.Line1) == addressKey(a.Line1)
}

// addressKey is a line of an address without case, spaces and punctuation,
// so that "Demo Street 1" and "demo-street  1." compare equal.
func addressKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
