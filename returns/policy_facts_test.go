package returns

import (
	"reflect"
	"testing"
)

func TestFactsFor(t *testing.T) {
	legal := LoadLegal()
	all := []MethodOffer{{Code: MethodOriginalPayment}, {Code: MethodStoreCredit, BonusPercent: 10},
		{Code: MethodBankTransfer}}
	eu := []MethodOffer{{Code: MethodOriginalPayment}, {Code: MethodStoreCredit, BonusPercent: 10, ConsentRequired: true},
		{Code: MethodBankTransfer, ConsentRequired: true}}
	euFees := []Fee{{"EUR", 495}}
	euExempt := legal.For("DE", "").ExemptClasses
	tests := []struct {
		name  string
		mods  []func(*Policy)
		scope PolicyScope
		want  PolicyFacts
	}{
		{"general rules: every fee, bank transfer kept, no law", nil, PolicyScope{},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, ExcludedCategories: []string{"gift_card"},
				FinalSaleExcluded: true, ShippingFees: []Fee{{"EUR", 495}, {"GBP", 395}, {"USD", 595}},
				Methods: all, DropOffDays: 14, ProcessingDays: 6}},
		{"DE: 14 calendar days, the country's currency, same means, no fees by law", nil, PolicyScope{Country: "DE"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 14, End: PeriodEndWeekendsAndHolidays},
				FaultyClaimMonths: 24, ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ExemptClasses: euExempt, ShippingFees: euFees, NoFeesWithinStatutory: true, Methods: eu, SameMeansRequired: true,
				DropOffDays: 14, ProcessingDays: 6, RefundDeadline: &StatutoryPeriod{Days: 14}}},
		{"MX: 5 business days; MXN unpriced, so every fee", nil, PolicyScope{Country: "MX"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 5, BusinessDays: true},
				ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ShippingFees: []Fee{{"EUR", 495}, {"GBP", 395}, {"USD", 595}},
				Methods:      all[:2], DropOffDays: 14, ProcessingDays: 6}},
		{"MX order paid in MXN: return shipping free", nil, PolicyScope{Country: "MX", Currency: "MXN"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 5, BusinessDays: true},
				ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true, ShippingFees: []Fee{},
				Methods: all[:2], DropOffDays: 14, ProcessingDays: 6}},
		{"MX order paid in USD: the USD fee", nil, PolicyScope{Country: "MX", Currency: "USD"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 5, BusinessDays: true},
				ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true, ShippingFees: []Fee{{"USD", 595}},
				Methods: all[:2], DropOffDays: 14, ProcessingDays: 6}},
		{"KR: refund deadline in business days, exempt classes", nil, PolicyScope{Country: "KR"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 7},
				ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ExemptClasses: []string{"personalised", "media_sealed", "digital"},
				ShippingFees:  []Fee{{"EUR", 495}, {"GBP", 395}, {"USD", 595}}, NoFeesWithinStatutory: true,
				Methods: all[:2], DropOffDays: 14, ProcessingDays: 6,
				RefundDeadline: &StatutoryPeriod{Days: 3, BusinessDays: true}}},
		{"US region: free shipping, restocking, no law", []func(*Policy){withRestocking(10)}, PolicyScope{Country: "US", Region: "CA"},
			PolicyFacts{WindowDays: 60, WindowStarts: StartDelivery, ExcludedCategories: []string{"gift_card"},
				FinalSaleExcluded: true, RestockingFeePercent: 10, ShippingFees: []Fee{}, Methods: all[:2],
				DropOffDays: 14, ProcessingDays: 6}},
		{"JP: the 8-day right does not apply on a portal with a policy; the region's methods", nil, PolicyScope{Country: "JP"},
			PolicyFacts{WindowDays: 14, WindowStarts: StartDelivery, ExcludedCategories: []string{"gift_card"},
				FinalSaleExcluded: true, ShippingFees: []Fee{{"EUR", 495}, {"GBP", 395}, {"USD", 595}},
				Methods: all[:2], DropOffDays: 14, ProcessingDays: 6}},
		{"statutory right puts the original payment first", []func(*Policy){withMethods(MethodStoreCredit, MethodBankTransfer)},
			PolicyScope{Country: "DE"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 14, End: PeriodEndWeekendsAndHolidays},
				FaultyClaimMonths: 24, ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ExemptClasses: euExempt, ShippingFees: euFees, NoFeesWithinStatutory: true, Methods: eu, SameMeansRequired: true,
				DropOffDays: 14, ProcessingDays: 6, RefundDeadline: &StatutoryPeriod{Days: 14}}},
		{"a fee of 0 is no fee; exchange never offered", []func(*Policy){
			func(p *Policy) { p.Default.ReturnShippingFee = &map[string]int64{"EUR": 0, "USD": 100} },
			withMethods(MethodExchange, MethodStoreCredit, MethodStoreCredit)}, PolicyScope{Country: "DE", Currency: "EUR"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, Statutory: &StatutoryPeriod{Days: 14, End: PeriodEndWeekendsAndHolidays},
				FaultyClaimMonths: 24, ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ExemptClasses: euExempt, ShippingFees: []Fee{}, NoFeesWithinStatutory: true, Methods: eu[:2], SameMeansRequired: true,
				DropOffDays: 14, ProcessingDays: 6, RefundDeadline: &StatutoryPeriod{Days: 14}}},
		{"PT: weekends move the period's end, holidays not in the calendar; a merchant window that runs on",
			[]func(*Policy){func(p *Policy) { rule := PeriodEndNextWorkingDay; p.Default.WindowEndRule = &rule }},
			PolicyScope{Country: "PT", Currency: "EUR"},
			PolicyFacts{WindowDays: 30, WindowStarts: StartDelivery, WindowEnd: PeriodEndWeekendsOnly,
				Statutory:         &StatutoryPeriod{Days: 14, End: PeriodEndWeekendsOnly},
				FaultyClaimMonths: legal.For("PT", "").FaultyClaimMonths, ExcludedCategories: []string{"gift_card"}, FinalSaleExcluded: true,
				ExemptClasses: legal.For("PT", "").ExemptClasses, ShippingFees: euFees, NoFeesWithinStatutory: true, Methods: eu,
				SameMeansRequired: true, DropOffDays: 14, ProcessingDays: 6, RefundDeadline: &StatutoryPeriod{Days: 14}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Country = tt.scope.Country // the facts say where they are for
			if tt.want.WindowDays > 0 {
				// The fixture's extension: orders placed 15 Nov-31 Dec
				// may be returned until 31 Jan.
				tt.want.HolidaySeason = &HolidaySeason{From: MonthDay{11, 15}, To: MonthDay{12, 31}, Until: MonthDay{1, 31}}
			}
			got := FactsFor(engPolicy(t, tt.mods...), legal, tt.scope)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestFactsHolidaySeason: the policy pages explain the holiday extension
// only where there is one and a window for it to extend; malformed dates
// disable it, as they do in the decisions.
func TestFactsHolidaySeason(t *testing.T) {
	noWindow := func(p *Policy) { p.Default.WindowDays = engPtr(0) }
	bad := withHoliday("11-15", "12-31", "02-30")
	tests := []struct {
		name string
		mods []func(*Policy)
		want *HolidaySeason
	}{
		{"the fixture's season", nil, &HolidaySeason{From: MonthDay{11, 15}, To: MonthDay{12, 31}, Until: MonthDay{1, 31}}},
		{"a season across the year end", []func(*Policy){withHoliday("12-01", "01-15", "02-15")},
			&HolidaySeason{From: MonthDay{12, 1}, To: MonthDay{1, 15}, Until: MonthDay{2, 15}}},
		{"no extension", []func(*Policy){withoutHoliday}, nil},
		{"no window to extend", []func(*Policy){noWindow}, nil},
		{"malformed dates", []func(*Policy){bad}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FactsFor(engPolicy(t, tt.mods...), LoadLegal(), PolicyScope{}).HolidaySeason
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
