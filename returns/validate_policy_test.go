package returns

import (
	"encoding/json"
	"strings"
	"testing"
)

// valExamplePolicy is the example policy of the foundation issue as written
// (engPolicyJSON). It names a hub "us-newark" that its hub list lacks;
// valPolicy adds it.
func valExamplePolicy(t *testing.T) Policy {
	t.Helper()
	var p Policy
	if err := json.Unmarshal([]byte(engPolicyJSON), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func valPolicy(t *testing.T) Policy {
	t.Helper()
	p := valExamplePolicy(t)
	p.Hubs = append(p.Hubs, Hub{Code: "us-newark", Name: "Returns Newark",
		Address: HubAddress{Line1: "1 Port St", City: "Newark", PostalCode: "07114", Region: "NJ", Country: "US"}})
	return p
}

func TestValidatePolicyExample(t *testing.T) {
	got := ValidatePolicy(valExamplePolicy(t), LoadLegal())
	want := FieldErrors{{"regions[0].hub", "unknown_hub"}}
	if len(got) != 1 || got[0] != want[0] {
		t.Fatalf("example: got %v, want %v", got, want)
	}
	if fe := ValidatePolicy(valPolicy(t), LoadLegal()); fe != nil {
		t.Fatalf("valid policy: %v", fe)
	}
}

func TestValidatePolicy(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Policy)
		want   []FieldError // exactly these, in order; nil = valid
	}{
		{"valid", func(p *Policy) {}, nil},
		{"empty document", func(p *Policy) { *p = Policy{} }, []FieldError{
			{"default.window_days", "required"}, {"default.refund_methods", "required"},
			{"default.hub", "required"}, {"reasons", "required"}}},
		{"no window", func(p *Policy) { p.Default.WindowDays = nil }, []FieldError{{"default.window_days", "required"}}},
		{"window 0 ok", func(p *Policy) { p.Default.WindowDays = vPtr(0) }, nil},
		{"window 3650 ok", func(p *Policy) { p.Default.WindowDays = vPtr(3650) }, nil},
		{"window 3651", func(p *Policy) { p.Default.WindowDays = vPtr(3651) }, []FieldError{{"default.window_days", "out_of_range"}}},
		{"negative window", func(p *Policy) { p.Default.WindowDays = vPtr(-1) }, []FieldError{{"default.window_days", "negative"}}},
		{"negative region window", func(p *Policy) { p.Regions[1].WindowDays = vPtr(-14) }, []FieldError{{"regions[1].window_days", "negative"}}},
		{"window starts shipment ok", func(p *Policy) { p.Default.WindowStarts = vPtr("shipment") }, nil},
		{"window starts order ok", func(p *Policy) { p.Regions[0].WindowStarts = vPtr("order") }, nil},
		{"window starts bad", func(p *Policy) { p.Regions[0].WindowStarts = vPtr("payment") }, []FieldError{{"regions[0].window_starts", "invalid"}}},
		{"window end rule: next working day", func(p *Policy) { p.Default.WindowEndRule = vPtr(PeriodEndNextWorkingDay) }, nil},
		{"window end rule: as counted", func(p *Policy) { p.Regions[0].WindowEndRule = vPtr(PeriodEndAsCounted) }, nil},
		{"window end rule bad", func(p *Policy) { p.Regions[0].WindowEndRule = vPtr("next_business_day") }, []FieldError{{"regions[0].window_end_rule", "invalid"}}},
		{"window end rule empty", func(p *Policy) { p.Default.WindowEndRule = vPtr("") }, []FieldError{{"default.window_end_rule", "invalid"}}},
		{"no methods", func(p *Policy) { p.Default.RefundMethods = nil }, []FieldError{{"default.refund_methods", "required"}}},
		{"empty methods", func(p *Policy) { p.Default.RefundMethods = &[]string{} }, []FieldError{{"default.refund_methods", "required"}}},
		{"empty region methods", func(p *Policy) { p.Regions[1].RefundMethods = &[]string{} }, []FieldError{{"regions[1].refund_methods", "required"}}},
		{"exchange", func(p *Policy) { p.Default.RefundMethods = &[]string{"original_payment", "exchange"} },
			[]FieldError{{"default.refund_methods[1]", "not_supported"}}},
		{"unknown method", func(p *Policy) { p.Regions[1].RefundMethods = &[]string{"cash"} },
			[]FieldError{{"regions[1].refund_methods[0]", "unknown_method"}}},
		{"duplicate method", func(p *Policy) { p.Default.RefundMethods = &[]string{"store_credit", "store_credit"} },
			[]FieldError{{"default.refund_methods[1]", "duplicate"}}},
		{"negative bonus", func(p *Policy) { p.Default.StoreCreditBonusPercent = vPtr(-10) },
			[]FieldError{{"default.store_credit_bonus_percent", "negative"}}},
		{"bonus 101", func(p *Policy) { p.Default.StoreCreditBonusPercent = vPtr(101) },
			[]FieldError{{"default.store_credit_bonus_percent", "out_of_range"}}},
		{"restocking 100 ok", func(p *Policy) { p.Default.RestockingFeePercent = vPtr(100) }, nil},
		{"restocking 101", func(p *Policy) { p.Regions[0].RestockingFeePercent = vPtr(101) },
			[]FieldError{{"regions[0].restocking_fee_percent", "out_of_range"}}},
		{"negative restocking", func(p *Policy) { p.Default.RestockingFeePercent = vPtr(-1) },
			[]FieldError{{"default.restocking_fee_percent", "negative"}}},
		{"fee unknown currency", func(p *Policy) { p.Default.ReturnShippingFee = &map[string]int64{"EUR": 1, "XYZ": 2, "gbp": 3} },
			[]FieldError{{"default.return_shipping_fee.XYZ", "unknown_currency"}, {"default.return_shipping_fee.gbp", "unknown_currency"}}},
		{"fee negative", func(p *Policy) { p.Regions[1].ReturnShippingFee = &map[string]int64{"JPY": -500} },
			[]FieldError{{"regions[1].return_shipping_fee.JPY", "negative"}}},
		{"fee empty currency", func(p *Policy) { p.Default.ReturnShippingFee = &map[string]int64{"": 5} },
			[]FieldError{{"default.return_shipping_fee.", "unknown_currency"}}},
		{"empty fee map ok", func(p *Policy) { p.Default.ReturnShippingFee = &map[string]int64{} }, nil},
		{"empty category", func(p *Policy) { p.Default.ExcludedCategories = &[]string{"gift_card", ""} },
			[]FieldError{{"default.excluded_categories[1]", "required"}}},
		{"no hub", func(p *Policy) { p.Default.Hub = nil }, []FieldError{{"default.hub", "required"}}},
		{"empty hub", func(p *Policy) { p.Default.Hub = vPtr("") }, []FieldError{{"default.hub", "required"}}},
		{"unknown default hub", func(p *Policy) { p.Default.Hub = vPtr("eu-paris") }, []FieldError{{"default.hub", "unknown_hub"}}},
		{"unknown region hub", func(p *Policy) { p.Regions[1].Hub = vPtr("jp-tokyo") }, []FieldError{{"regions[1].hub", "unknown_hub"}}},
		{"negative days", func(p *Policy) {
			p.Default.TransitDays = vPtr(-1)
			p.Default.InspectionDays = vPtr(-2)
			p.Regions[0].DropOffDays = vPtr(-3)
		}, []FieldError{{"default.transit_days", "negative"}, {"default.inspection_days", "negative"}, {"regions[0].drop_off_days", "negative"}}},
		{"region without countries", func(p *Policy) { p.Regions[1].Countries = nil }, []FieldError{{"regions[1].countries", "required"}}},
		{"region unknown country", func(p *Policy) { p.Regions[0].Countries = []string{"US", "XX", ""} },
			[]FieldError{{"regions[0].countries[1]", "unknown_country"}, {"regions[0].countries[2]", "required"}}},
		{"region group names ok", func(p *Policy) {
			p.Regions = append(p.Regions, Region{Countries: []string{"EU", "EEA_EFTA", "GB"}, Rules: Rules{WindowDays: vPtr(30)}})
		}, nil},
		{"region unknown group", func(p *Policy) { p.Regions[0].Countries = []string{"EEA"} },
			[]FieldError{{"regions[0].countries[0]", "unknown_country"}}},
		{"country in two regions ok", func(p *Policy) {
			p.Regions = append(p.Regions, Region{Countries: []string{"US"}, Rules: Rules{WindowDays: vPtr(10)}})
		}, nil},
		{"empty region ok", func(p *Policy) { p.Regions = nil }, nil},
		{"no reasons", func(p *Policy) { p.Reasons = nil }, []FieldError{{"reasons", "required"}}},
		{"reason without code", func(p *Policy) { p.Reasons[0].Code = "" }, []FieldError{{"reasons[0].code", "required"}}},
		{"duplicate reason", func(p *Policy) { p.Reasons[3].Code = "damaged" }, []FieldError{{"reasons[3].code", "duplicate"}}},
		{"reason code upper case", func(p *Policy) {
			p.Reasons[2] = Reason{Code: "Damaged", Labels: map[string]string{"en": "Damaged"}}
		}, []FieldError{{"reasons[2].code", "invalid"}}},
		{"reason code starting with digit", func(p *Policy) {
			p.Reasons[2] = Reason{Code: "1st", Labels: map[string]string{"en": "First"}}
		}, []FieldError{{"reasons[2].code", "invalid"}}},
		{"reason code 41 chars ok", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "a" + strings.Repeat("b", 40), Labels: map[string]string{"en": "Long"}})
		}, nil},
		{"reason code 42 chars", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "a" + strings.Repeat("b", 41), Labels: map[string]string{"en": "Long"}})
		}, []FieldError{{"reasons[6].code", "invalid"}}},
		{"custom reason with label ok", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big", Labels: map[string]string{"en": "Too big", "de": "Zu groß"}})
		}, nil},
		{"custom reason without english", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big", Labels: map[string]string{"de": "Zu groß"}})
		}, []FieldError{{"reasons[6].labels.en", "label_required"}}},
		{"custom reason blank english", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big", Labels: map[string]string{"en": "  "}})
		}, []FieldError{{"reasons[6].labels.en", "label_required"}}},
		{"custom reason no labels", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big"})
		}, []FieldError{{"reasons[6].labels.en", "label_required"}}},
		{"builtin arrived_late and other ok", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "arrived_late", MerchantFault: true}, Reason{Code: "other"})
		}, nil},
		{"label bad language", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big", Labels: map[string]string{"en": "Too big", "not a tag": "x"}})
		}, []FieldError{{"reasons[6].labels.not a tag", "invalid"}}},
		{"label newline", func(p *Policy) {
			p.Reasons = append(p.Reasons, Reason{Code: "too_big", Labels: map[string]string{"en": "Too\nbig"}})
		}, []FieldError{{"reasons[6].labels.en", "invalid"}}},
		{"hub without code", func(p *Policy) { p.Hubs[1].Code = "" }, []FieldError{
			{"regions[0].hub", "unknown_hub"}, {"hubs[1].code", "required"}}},
		{"duplicate hub", func(p *Policy) { p.Hubs[1].Code = "eu-berlin" }, []FieldError{
			{"regions[0].hub", "unknown_hub"}, {"hubs[1].code", "duplicate"}}},
		{"hub code with slash", func(p *Policy) { p.Hubs[1].Code = "us/newark"; p.Regions[0].Hub = vPtr("us/newark") },
			[]FieldError{{"hubs[1].code", "invalid"}}},
		{"hub without name", func(p *Policy) { p.Hubs[0].Name = "" }, []FieldError{{"hubs[0].name", "required"}}},
		{"hub without address", func(p *Policy) { p.Hubs[0].Address = HubAddress{} }, []FieldError{
			{"hubs[0].address.line1", "required"}, {"hubs[0].address.city", "required"}, {"hubs[0].address.country", "required"}}},
		{"hub unknown country", func(p *Policy) { p.Hubs[0].Address.Country = "EU" }, []FieldError{{"hubs[0].address.country", "unknown_country"}}},
		{"hub bad region", func(p *Policy) { p.Hubs[1].Address.Region = "US-NJ" }, []FieldError{{"hubs[1].address.region", "invalid"}}},
		{"hub label provider easypost ok", func(p *Policy) { p.Hubs[0].LabelProvider = LabelProviderEasyPost }, nil},
		{"hub label provider own ok", func(p *Policy) { p.Hubs[0].LabelProvider = LabelProviderOwn }, nil},
		{"hub label provider unknown", func(p *Policy) { p.Hubs[1].LabelProvider = "dhl" },
			[]FieldError{{"hubs[1].label_provider", "invalid"}}},
		{"sendcloud hub needs its shipping option", func(p *Policy) {
			p.Hubs[0].LabelProvider, p.Hubs[0].Service = LabelProviderSendcloud, " "
		}, []FieldError{{"hubs[0].service", "required"}}},
		{"sendcloud hub with its shipping option ok", func(p *Policy) {
			p.Hubs[0].LabelProvider, p.Hubs[0].Service = LabelProviderSendcloud, "dpd:return/return"
		}, nil},
		{"postage paid names the account", func(p *Policy) { p.Hubs[0].PostagePaid, p.Hubs[0].AccountNote = true, "" },
			[]FieldError{{"hubs[0].account_note", "required"}}},
		{"postage paid with the account ok", func(p *Policy) {
			p.Hubs[0].PostagePaid, p.Hubs[0].AccountNote = true, "DHL Retoure account 2222222222"
		}, nil},
		{"postage paid on a carrier hub: the platform pays anyway", func(p *Policy) {
			p.Hubs[0].PostagePaid, p.Hubs[0].AccountNote, p.Hubs[0].LabelProvider = true, "", LabelProviderEasyPost
		}, nil},
		{"refund trigger first scan ok", func(p *Policy) { p.Default.RefundTrigger = vPtr(RefundOnFirstScan) }, nil},
		{"refund trigger received in a region ok", func(p *Policy) { p.Regions[0].RefundTrigger = vPtr(RefundOnReceived) }, nil},
		{"refund trigger unknown", func(p *Policy) { p.Default.RefundTrigger = vPtr("delivered") },
			[]FieldError{{"default.refund_trigger", "invalid"}}},
		{"refund trigger limits ok", func(p *Policy) {
			p.Default.RefundTriggerMax = &map[string]int64{"EUR": 10000, "JPY": 15000, "KWD": 30000}
		}, nil},
		{"refund trigger limits bad", func(p *Policy) {
			p.Regions[1].RefundTriggerMax = &map[string]int64{"EUR": 0, "XXY": 100, "USD": -5, "": 7}
		}, []FieldError{{"regions[1].refund_trigger_max.", "unknown_currency"}, {"regions[1].refund_trigger_max.EUR", "out_of_range"},
			{"regions[1].refund_trigger_max.USD", "negative"}, {"regions[1].refund_trigger_max.XXY", "unknown_currency"}}},
		{"receive on delivery ok", func(p *Policy) { p.Default.ReceiveOnDelivery = vPtr(true) }, nil},
		{"no holiday extension ok", func(p *Policy) { p.HolidayExtension = nil }, nil},
		{"holiday 02-29 ok", func(p *Policy) { p.HolidayExtension.Until = "02-29" }, nil},
		{"holiday bad dates", func(p *Policy) {
			p.HolidayExtension = &HolidayExtension{From: "11-31", To: "13-01", Until: "1-31"}
		}, []FieldError{{"holiday_extension.from", "invalid"}, {"holiday_extension.to", "invalid"}, {"holiday_extension.until", "invalid"}}},
		{"holiday missing", func(p *Policy) { p.HolidayExtension = &HolidayExtension{From: "11-15", To: "12-31"} },
			[]FieldError{{"holiday_extension.until", "required"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valPolicy(t)
			tt.mutate(&p)
			got := ValidatePolicy(p, LoadLegal())
			if tt.want == nil {
				if got != nil {
					t.Fatalf("want valid, got %v", got)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("[%d] got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestValidMonthDay(t *testing.T) {
	tests := map[string]bool{
		"01-01": true, "12-31": true, "02-29": true, "04-30": true,
		"02-30": false, "04-31": false, "00-10": false, "13-01": false, "01-00": false,
		"1-1": false, "01/01": false, "0101": false, "": false, "ab-cd": false, "01-011": false,
	}
	for in, want := range tests {
		if got := validMonthDay(in); got != want {
			t.Errorf("validMonthDay(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBuiltinReasons(t *testing.T) {
	for _, c := range BuiltinReasons {
		if !reasonCodeRE.MatchString(c) || !IsBuiltinReason(c) {
			t.Errorf("builtin %q", c)
		}
	}
	if IsBuiltinReason("merchant_fault") || IsBuiltinReason("") {
		t.Error("not builtin")
	}
}
