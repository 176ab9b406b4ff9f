package returns

import (
	"reflect"
	"testing"
	"time"
)

func TestReviewReasons(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("A", qty(2), discount(500)), engLine("C"))
	// Order value: 4500 + 2500 lines + 495 shipping = 7495.
	now := engTime(t, day5)
	days := func(n ...int) []time.Time {
		var out []time.Time
		for _, d := range n {
			out = append(out, now.Add(-time.Duration(d)*24*time.Hour))
		}
		return out
	}
	frequent := ReviewRule{Rule: RuleReturnsByEmail, MoreThan: 2, Days: 30}
	tests := []struct {
		name   string
		rules  []ReviewRule
		order  func(*Order)
		items  []QuoteItem
		recent []time.Time
		want   []ReviewMatch
	}{
		{"no rules", nil, nil, nil, nil, nil},
		{"returns by e-mail: two before, this is the third: more than 2",
			[]ReviewRule{frequent}, nil, nil, days(1, 29), []ReviewMatch{{Index: 0, Rule: RuleReturnsByEmail, Count: 3, Days: 30, Limit: 2}}},
		{"returns by e-mail: one before: not more than 2", []ReviewRule{frequent}, nil, nil, days(3), nil},
		{"returns by e-mail: an older one does not count", []ReviewRule{frequent}, nil, nil, days(3, 31), nil},
		{"returns by e-mail: exactly the period's first moment counts", []ReviewRule{frequent}, nil, nil, days(2, 30),
			[]ReviewMatch{{Index: 0, Rule: RuleReturnsByEmail, Count: 3, Days: 30, Limit: 2}}},
		{"returns by e-mail: more_than 0 reviews every return", []ReviewRule{{Rule: RuleReturnsByEmail, Days: 1}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleReturnsByEmail, Count: 1, Days: 1}}},
		{"order value above", []ReviewRule{{Rule: RuleOrderValue, Above: map[string]int64{"EUR": 7494}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleOrderValue, Amount: 7495, Threshold: 7494, Currency: "EUR"}}},
		{"order value at the amount: not above", []ReviewRule{{Rule: RuleOrderValue, Above: map[string]int64{"EUR": 7495}}}, nil, nil, nil, nil},
		{"order value in another currency only", []ReviewRule{{Rule: RuleOrderValue, Above: map[string]int64{"USD": 1}}}, nil, nil, nil, nil},
		{"a reason", []ReviewRule{{Rule: RuleReason, Reasons: []string{"not_as_described"}}}, nil,
			[]QuoteItem{item("A", 1, "wrong_size"), item("C", 1, "not_as_described")}, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleReason, Value: "not_as_described"}}},
		{"no item with the reason", []ReviewRule{{Rule: RuleReason, Reasons: []string{"not_as_described"}}}, nil,
			[]QuoteItem{item("A", 1, "wrong_size")}, nil, nil},
		{"a country", []ReviewRule{{Rule: RuleCountry, Countries: []string{"FR", "DE"}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleCountry, Value: "DE"}}},
		{"a country group", []ReviewRule{{Rule: RuleCountry, Countries: []string{"EU"}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleCountry, Value: "DE"}}},
		{"another country", []ReviewRule{{Rule: RuleCountry, Countries: []string{"US"}}}, nil, nil, nil, nil},
		{"a blocked e-mail, any case", []ReviewRule{{Rule: RuleBlockList, Emails: []string{" ANA@example.com"}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleBlockList, Value: "ana@example.com"}}},
		{"a blocked address, written otherwise", []ReviewRule{{Rule: RuleBlockList,
			Addresses: []BlockedAddress{{Line1: "street-1.", PostalCode: "123 45", Country: "de"}}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 0, Rule: RuleBlockList, Value: "address"}}},
		{"a blocked address in another country", []ReviewRule{{Rule: RuleBlockList,
			Addresses: []BlockedAddress{{Line1: "Street 1", PostalCode: "12345", Country: "AT"}}}}, nil, nil, nil, nil},
		{"not on the block list", []ReviewRule{{Rule: RuleBlockList, Emails: []string{"eve@example.com"}}}, nil, nil, nil, nil},
		{"every match, in the policy's order", []ReviewRule{{Rule: RuleCountry, Countries: []string{"US"}}, {Rule: RuleCountry, Countries: []string{"DE"}},
			{Rule: RuleOrderValue, Above: map[string]int64{"EUR": 0}}}, nil, nil, nil,
			[]ReviewMatch{{Index: 1, Rule: RuleCountry, Value: "DE"}, {Index: 2, Rule: RuleOrderValue, Amount: 7495, Currency: "EUR"}}},
		{"an unknown kind matches nothing", []ReviewRule{{Rule: "moon_phase"}}, nil, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := engPolicy(t, func(p *Policy) { p.ReviewRules = tt.rules })
			oo := o
			if tt.order != nil {
				tt.order(&oo)
			}
			got := ReviewReasons(p, LoadLegal(), ReviewInput{Order: oo, Items: tt.items, Recent: tt.recent, Now: now})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReviewLookback(t *testing.T) {
	p := Policy{ReviewRules: []ReviewRule{{Rule: RuleReturnsByEmail, Days: 30}, {Rule: RuleCountry}, {Rule: RuleReturnsByEmail, Days: 90}}}
	if got := ReviewLookback(p); got != 90*24*time.Hour {
		t.Errorf("lookback %v", got)
	}
	if got := ReviewLookback(Policy{}); got != 0 {
		t.Errorf("lookback without rules %v", got)
	}
}
