package handlers

import (
	"reflect"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

func ptr[T any](v T) *T { return &v }

// TestPolicyFormRoundTrip: Policy → form → submitted values → form →
// Policy is the identity, for the demo policy and for the cases where
// "absent" and "empty" differ.
func TestPolicyFormRoundTrip(t *testing.T) {
	langs := []string{"en", "de", "fr", "es", "ja", "ar"}
	custom := demo.Policy()
	custom.Regions = append(custom.Regions,
		returns.Region{Countries: []string{"CH"}, Rules: returns.Rules{
			RefundMethods: &[]string{}, ReturnShippingFee: &map[string]int64{"CHF": 0, "EUR": 1}, ExcludedCategories: &[]string{},
			FinalSaleReturnable: ptr(true), AutoApprove: ptr(false), WindowStarts: ptr(returns.StartOrder), DropOffDays: ptr(0),
			WindowEndRule: ptr(returns.PeriodEndNextWorkingDay), ReceiveOnDelivery: ptr(true),
			RefundTrigger: ptr(returns.RefundOnFirstScan), RefundTriggerMax: &map[string]int64{"CHF": 10000, "JPY": 5000}}},
		returns.Region{Countries: []string{"EU", "NO"}, Rules: returns.Rules{RefundTriggerMax: &map[string]int64{}}})
	custom.Default.RefundTrigger = ptr(returns.RefundOnReceived)
	custom.Default.ReceiveOnDelivery = ptr(false)
	custom.Hubs[1].LabelProvider, custom.Hubs[1].Service = returns.LabelProviderSendcloud, "ups:standard/return"
	custom.Hubs[2].LabelProvider = returns.LabelProviderEasyPost
	custom.Hubs[3].PostagePaid, custom.Hubs[3].AccountNote = true, "Yamato account 123"
	custom.Reasons = append(custom.Reasons, returns.Reason{Code: "gift_return", Labels: map[string]string{"en": "A gift", "de": "Ein Geschenk", "pt": "Um presente"}})
	custom.HolidayExtension = nil
	custom.Hubs[0].Address.Line2 = "Hof 3"
	cases := map[string]returns.Policy{"demo": demo.Policy(), "custom": custom, "empty": {}}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			f := policyToForm(want, langs)
			back := parsePolicyForm(policyFormValues(f), langs)
			got, fe := formToPolicy(back)
			if len(fe) > 0 {
				t.Fatalf("errors %v", fe)
			}
			if name == "empty" {
				// An empty form is an empty document, apart from the
				// defaults' refund methods, which a form always sets.
				want.Default.RefundMethods = &[]string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %s\nwant %s", exportJSON(got), exportJSON(want))
			}
		})
	}
}

// TestPolicyFormValues: what the form's inputs mean, and the mistakes
// that are reported before ValidatePolicy sees the document.
func TestPolicyFormValues(t *testing.T) {
	base := func() views.PolicyForm {
		return views.PolicyForm{Default: views.RulesForm{WindowDays: "30", MethodsSet: true, Methods: []string{"store_credit"}},
			Regions: []views.RegionForm{{Countries: "us, ca", Rules: views.RulesForm{}}}}
	}
	cases := []struct {
		name   string
		edit   func(f *views.PolicyForm)
		check  func(p returns.Policy) bool
		errors returns.FieldErrors
	}{
		{"region inherits everything", func(f *views.PolicyForm) {}, func(p returns.Policy) bool {
			r := p.Regions[0]
			return reflect.DeepEqual(r.Countries, []string{"US", "CA"}) && r.Rules == returns.Rules{}
		}, nil},
		{"override with nothing: free shipping, no methods, nothing excluded", func(f *views.PolicyForm) {
			f.Regions[0].Rules.FeesSet, f.Regions[0].Rules.MethodsSet, f.Regions[0].Rules.ExcludedSet = true, true, true
		}, func(p returns.Policy) bool {
			r := p.Regions[0].Rules
			return r.ReturnShippingFee != nil && len(*r.ReturnShippingFee) == 0 && r.RefundMethods != nil &&
				len(*r.RefundMethods) == 0 && r.ExcludedCategories != nil && len(*r.ExcludedCategories) == 0
		}, nil},
		{"fee rows in major units", func(f *views.PolicyForm) {
			f.Default.FeesSet = true
			f.Default.Fees = []views.FeeRow{{Currency: "EUR", Amount: "4,95"}, {Currency: "JPY", Amount: "800"}, {Currency: "KWD", Amount: "1.5"}}
		}, func(p returns.Policy) bool {
			return reflect.DeepEqual(*p.Default.ReturnShippingFee, map[string]int64{"EUR": 495, "JPY": 800, "KWD": 1500})
		}, nil},
		{"zero is not empty", func(f *views.PolicyForm) { f.Regions[0].Rules.WindowDays = "0" }, func(p returns.Policy) bool {
			return p.Regions[0].Rules.WindowDays != nil && *p.Regions[0].Rules.WindowDays == 0
		}, nil},
		{"not numbers", func(f *views.PolicyForm) {
			f.Default.WindowDays, f.Regions[0].Rules.Restocking = "thirty", "5%"
		}, nil, returns.FieldErrors{{Path: "default.window_days", Code: "invalid"}, {Path: "regions[0].restocking_fee_percent", Code: "invalid"}}},
		{"bad fee rows", func(f *views.PolicyForm) {
			f.Default.FeesSet = true
			f.Default.Fees = []views.FeeRow{{Currency: "EUR", Amount: "4.955"}, {Currency: "XXY", Amount: "1"}, {Currency: "", Amount: "2"},
				{Currency: "GBP", Amount: ""}, {Currency: "USD", Amount: "1"}, {Currency: "USD", Amount: "2"}}
		}, nil, returns.FieldErrors{{Path: "default.return_shipping_fee.EUR", Code: "invalid"},
			{Path: "default.return_shipping_fee.XXY", Code: "unknown_currency"}, {Path: "default.return_shipping_fee", Code: "required"},
			{Path: "default.return_shipping_fee.GBP", Code: "required"}, {Path: "default.return_shipping_fee.USD", Code: "duplicate"}}},
		{"a boolean that is neither", func(f *views.PolicyForm) { f.Regions[0].Rules.AutoApprove = "maybe" }, nil,
			returns.FieldErrors{{Path: "regions[0].auto_approve", Code: "invalid"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base()
			c.edit(&f)
			p, fe := formToPolicy(f)
			if !reflect.DeepEqual(fe, c.errors) {
				t.Errorf("errors %v, want %v", fe, c.errors)
			}
			if c.check != nil && !c.check(p) {
				t.Errorf("policy %s", exportJSON(p))
			}
		})
	}
}

func TestFormKey(t *testing.T) {
	for path, want := range map[string]string{
		"default.window_days":                "default.window_days",
		"regions[0].countries[2]":            "regions[0].countries",
		"default.refund_methods[1]":          "default.refund_methods",
		"regions[3].return_shipping_fee.EUR": "regions[3].return_shipping_fee",
		"default.return_shipping_fee":        "default.return_shipping_fee",
		"reasons[1].labels.en":               "reasons[1].labels.en",
		"hubs[0].address.country":            "hubs[0].address.country",
		"reasons":                            "reasons",
		"default.excluded_categories[0]":     "default.excluded_categories",
	} {
		if got := formKey(path); got != want {
			t.Errorf("formKey(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestPolicyFormRows: huge indexes do not allocate rows; rows are counted
// from the highest index.
func TestPolicyFormRows(t *testing.T) {
	v := policyFormValues(views.PolicyForm{})
	v.Set("regions[99999].countries", "DE")
	v.Set("hubs[2].code", "x")
	f := parsePolicyForm(v, nil)
	if len(f.Regions) != 0 || len(f.Hubs) != 3 || f.Hubs[2].Code != "x" {
		t.Errorf("rows: %d regions, %d hubs", len(f.Regions), len(f.Hubs))
	}
}
