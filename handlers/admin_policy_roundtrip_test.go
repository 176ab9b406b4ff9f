package handlers

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// everyFieldPolicy is the demo policy with every overridable field set in
// the defaults and in one region (GB), and a region's exchanges switched
// off (JP): a form that lacks a field would drop it on a save.
func everyFieldPolicy() returns.Policy {
	p := demo.Policy()
	d := &p.Default
	d.WindowEndRule, d.DropOffReminder = ptr(returns.PeriodEndAsCounted), ptr(false)
	d.ReceiveOnDelivery, d.RefundTrigger = ptr(false), ptr(returns.RefundOnInspected)
	d.RefundTriggerMax = &map[string]int64{"EUR": 10000}
	p.Regions[2].Rules = returns.Rules{WindowDays: ptr(35), WindowStarts: ptr(returns.StartShipment),
		RefundMethods: &[]string{returns.MethodOriginalPayment}, StoreCreditBonusPercent: ptr(5),
		RestockingFeePercent: ptr(0), ReturnShippingFee: &map[string]int64{"GBP": 295},
		ExcludedCategories: &[]string{"gift_card", "food"}, FinalSaleReturnable: ptr(false), Hub: ptr("gb-london"),
		TransitDays: ptr(3), InspectionDays: ptr(1), DropOffDays: ptr(10), AutoApprove: ptr(false),
		DropOffReminder: ptr(false), WindowEndRule: ptr(returns.PeriodEndNextWorkingDay),
		Exchanges:         &returns.ExchangePolicy{Enabled: true, SamePriceOnly: ptr(true), FreeReturnShipping: false},
		ReceiveOnDelivery: ptr(true), RefundTrigger: ptr(returns.RefundOnReceived),
		RefundTriggerMax: &map[string]int64{"GBP": 5000}}
	p.Regions[1].Exchanges = &returns.ExchangePolicy{Enabled: false}
	return p
}

// TestEveryFieldPolicySetsEveryField keeps the fixture honest: a field
// added to returns.Rules must be set in it (and so be carried by the
// editor), or the round trip below would not see it dropped.
func TestEveryFieldPolicySetsEveryField(t *testing.T) {
	for name, r := range map[string]returns.Rules{"default": everyFieldPolicy().Default, "region": everyFieldPolicy().Regions[2].Rules} {
		v := reflect.ValueOf(r)
		for i := range v.NumField() {
			if name == "default" && v.Type().Field(i).Name == "Exchanges" {
				continue // set by the demo policy
			}
			if v.Field(i).IsNil() {
				t.Errorf("%s: %s is not set", name, v.Type().Field(i).Name)
			}
		}
	}
	if everyFieldPolicy().Default.Exchanges == nil || everyFieldPolicy().Returnless == nil || everyFieldPolicy().ReviewRules == nil {
		t.Error("the demo policy no longer sets the keep section")
	}
}

// TestPolicySectionFormRoundTrip: each section's form, as the editor renders it
// and the browser submits it, saves the document unchanged (pure: form
// values → document → applySection).
func TestPolicySectionFormRoundTrip(t *testing.T) {
	pol := everyFieldPolicy()
	for _, sec := range policySections {
		t.Run(sec.ID, func(t *testing.T) {
			saved := policyToForm(pol, labelLangs())
			typed := parsePolicyForm(policyFormValues(saved), labelLangs())
			doc, fe := formToPolicy(mergeSectionForm(saved, typed, sec.ID))
			if len(fe) > 0 {
				t.Fatalf("field errors %v", fe)
			}
			if got := applySection(pol, doc, sec.ID); !reflect.DeepEqual(got, pol) {
				t.Errorf("saving %s unchanged changed the policy:\n%s\nwant\n%s", sec.ID, exportJSON(got), exportJSON(pol))
			}
		})
	}
}

// TestAdminPolicyRoundTrip: through the handler, every section saved with
// the values its page shows leaves the stored policy as it was, including
// the regions' exchanges, drop-off reminders, receive on delivery, refund
// triggers and their limits.
func TestAdminPolicyRoundTrip(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	admin := a.staff().login("admin")
	pol := everyFieldPolicy()
	if _, err := a.st.SavePolicy(ctx, pol, "test"); err != nil {
		t.Fatal(err)
	}
	for _, sec := range policySections {
		res := admin.post("/admin/policy", sectionForm(t, admin.get("/admin/policy"), sec.ID))
		if res.res.Code != http.StatusSeeOther {
			t.Fatalf("save %s unchanged: %d\n%s", sec.ID, res.res.Code, res.res.Body)
		}
		if _, got, _ := a.st.CurrentPolicy(ctx); !reflect.DeepEqual(got, pol) {
			t.Fatalf("saving %s unchanged changed the policy:\n%s\nwant\n%s", sec.ID, exportJSON(got), exportJSON(pol))
		}
	}
}

// TestAdminPolicyRegionExchanges: a region's exchanges entry is editable:
// switched on with free return shipping, back to inheriting, and a value
// that is neither is a translated mistake at its field, not a save.
func TestAdminPolicyRegionExchanges(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	admin := a.staff().login("admin")
	steps := []struct {
		name, enabled, free string
		want                *returns.ExchangePolicy
	}{
		{"off", "false", "", &returns.ExchangePolicy{Enabled: false}},
		{"on, free shipping", "true", "true", &returns.ExchangePolicy{Enabled: true, FreeReturnShipping: true}},
		{"on", "true", "", &returns.ExchangePolicy{Enabled: true}},
		{"inherit", "", "true", nil},
	}
	for _, s := range steps {
		f := sectionForm(t, admin.get("/admin/policy"), "regions")
		f.Set("regions[1].exchanges.enabled", s.enabled)
		f.Del("regions[1].exchanges.free_return_shipping")
		if s.free != "" {
			f.Set("regions[1].exchanges.free_return_shipping", s.free)
		}
		if res := admin.post("/admin/policy", f); res.res.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", s.name, res.res.Code, res.res.Body)
		}
		_, got, _ := a.st.CurrentPolicy(ctx)
		if !reflect.DeepEqual(got.Regions[1].Exchanges, s.want) {
			t.Errorf("%s: region exchanges %+v, want %+v", s.name, got.Regions[1].Exchanges, s.want)
		}
		if got.Regions[0].Exchanges != nil || got.Default.Exchanges == nil || !got.Default.Exchanges.Enabled {
			t.Errorf("%s: another region's or the defaults' exchanges changed", s.name)
		}
	}
	// The page shows the region's entry as saved.
	f := sectionForm(t, admin.get("/admin/policy"), "regions")
	f.Set("regions[1].exchanges.enabled", "true")
	admin.post("/admin/policy", f)
	if v := sectionForm(t, admin.get("/admin/policy"), "regions").Get("regions[1].exchanges.enabled"); v != "true" {
		t.Errorf("the region's exchanges show %q", v)
	}

	version, _, _ := a.st.CurrentPolicy(ctx)
	bad := sectionForm(t, admin.get("/admin/policy"), "regions")
	bad.Set("regions[1].exchanges.enabled", "maybe")
	res := admin.post("/admin/policy", bad)
	if res.res.Code != http.StatusUnprocessableEntity || !res.has("err-regions-1-exchanges-enabled") {
		t.Errorf("a value that is not one: %d", res.res.Code)
	}
	if n, _, _ := a.st.CurrentPolicy(ctx); n != version {
		t.Error("a mistake was saved")
	}
}
