package returns

import (
	"reflect"
	"testing"
)

func TestValidatePolicyExchangesAndRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Policy)
		want   FieldErrors
	}{
		{"exchanges on", func(p *Policy) {
			p.Default.Exchanges = &ExchangePolicy{Enabled: true, SamePriceOnly: vPtr(true), FreeReturnShipping: true}
		}, nil},
		{"exchanges with price differences: not yet", func(p *Policy) {
			p.Regions[1].Exchanges = &ExchangePolicy{Enabled: true, SamePriceOnly: vPtr(false)}
		}, FieldErrors{{"regions[1].exchanges.same_price_only", FieldNotSupported}}},
		{"returnless", func(p *Policy) {
			p.Returnless = []ReturnlessRule{{MaxItemValue: map[string]int64{"EUR": 1500, "USD": 1700}, Categories: []string{"socks"},
				Reasons: []string{"wrong_size", "arrived_late"}}}
		}, nil},
		{"returnless without limit", func(p *Policy) { p.Returnless = []ReturnlessRule{{}} },
			FieldErrors{{"returnless[0].max_item_value", FieldRequired}}},
		{"returnless: bad currency, negative amount, empty category, unknown reason", func(p *Policy) {
			p.Returnless = []ReturnlessRule{{MaxItemValue: map[string]int64{"EURO": 1, "EUR": -1}, Categories: []string{""},
				Reasons: []string{"bored"}}}
		}, FieldErrors{{"returnless[0].max_item_value.EUR", FieldNegative}, {"returnless[0].max_item_value.EURO", FieldUnknownCurrency},
			{"returnless[0].categories[0]", FieldRequired}, {"returnless[0].reasons[0]", FieldInvalid}}},
		{"review rules of every kind", func(p *Policy) {
			p.ReviewRules = []ReviewRule{{Rule: RuleReturnsByEmail, MoreThan: 3, Days: 30}, {Rule: RuleOrderValue, Above: map[string]int64{"EUR": 50000}},
				{Rule: RuleReason, Reasons: []string{"not_as_described"}}, {Rule: RuleCountry, Countries: []string{"EU", "US"}},
				{Rule: RuleBlockList, Emails: []string{"eve@example.com"}, Addresses: []BlockedAddress{{Line1: "1 Main St", Country: "US"}}}}
		}, nil},
		{"review rules, each wrong", func(p *Policy) {
			p.ReviewRules = []ReviewRule{{Rule: RuleReturnsByEmail, MoreThan: -1}, {Rule: RuleOrderValue},
				{Rule: RuleReason}, {Rule: RuleCountry, Countries: []string{"XX"}},
				{Rule: RuleBlockList, Emails: []string{"eve"}, Addresses: []BlockedAddress{{Line1: " .", Country: "ZZ"}}},
				{Rule: RuleBlockList}, {}, {Rule: "moon_phase"}}
		}, FieldErrors{{"review_rules[0].more_than", FieldNegative}, {"review_rules[0].days", FieldRequired},
			{"review_rules[1].above", FieldRequired}, {"review_rules[2].reasons", FieldRequired},
			{"review_rules[3].countries[0]", FieldUnknownCountry}, {"review_rules[4].emails[0]", FieldInvalid},
			{"review_rules[4].addresses[0].line1", FieldRequired}, {"review_rules[4].addresses[0].country", FieldUnknownCountry},
			{"review_rules[5].emails", FieldRequired}, {"review_rules[6].rule", FieldRequired}, {"review_rules[7].rule", FieldInvalid}}},
		{"a period over ten years", func(p *Policy) { p.ReviewRules = []ReviewRule{{Rule: RuleReturnsByEmail, Days: 3651}} },
			FieldErrors{{"review_rules[0].days", FieldOutOfRange}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valPolicy(t)
			tt.mutate(&p)
			if got := ValidatePolicy(p, LoadLegal()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}
