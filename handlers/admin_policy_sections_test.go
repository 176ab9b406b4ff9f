package handlers

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// sectionFields are the parts of a policy each section saves, to compare.
var sectionFields = map[string]func(p returns.Policy) any{
	"general": func(p returns.Policy) any {
		d := p.Default
		return []any{d.Hub, d.TransitDays, d.InspectionDays, d.DropOffDays, d.FinalSaleReturnable, d.AutoApprove,
			d.DropOffReminder, d.ExcludedCategories, p.HolidayExtension}
	},
	"windows": func(p returns.Policy) any {
		return []any{p.Default.WindowDays, p.Default.WindowStarts, p.Default.WindowEndRule}
	},
	"fees": func(p returns.Policy) any {
		d := p.Default
		return []any{d.StoreCreditBonusPercent, d.RestockingFeePercent, d.ReturnShippingFee}
	},
	"methods": func(p returns.Policy) any { return p.Default.RefundMethods },
	"parcel": func(p returns.Policy) any {
		d := p.Default
		return []any{d.ReceiveOnDelivery, d.RefundTrigger, d.RefundTriggerMax}
	},
	"reasons": func(p returns.Policy) any { return p.Reasons },
	"regions": func(p returns.Policy) any { return p.Regions },
	"hubs":    func(p returns.Policy) any { return p.Hubs },
	"keep":    func(p returns.Policy) any { return []any{p.Default.Exchanges, p.Returnless, p.ReviewRules} },
}

// otherPolicy differs from the demo policy in every field.
func otherPolicy() returns.Policy {
	return returns.Policy{
		Default: returns.Rules{WindowDays: ptr(99), WindowStarts: ptr(returns.StartOrder),
			WindowEndRule: ptr(returns.PeriodEndNextWorkingDay), RefundMethods: &[]string{returns.MethodBankTransfer},
			StoreCreditBonusPercent: ptr(7), RestockingFeePercent: ptr(3), ReturnShippingFee: &map[string]int64{"CHF": 700},
			ExcludedCategories: &[]string{"other"}, FinalSaleReturnable: ptr(true), Hub: ptr("x"), TransitDays: ptr(9),
			InspectionDays: ptr(8), DropOffDays: ptr(6), AutoApprove: ptr(false), DropOffReminder: ptr(false), ReceiveOnDelivery: ptr(true),
			RefundTrigger: ptr(returns.RefundOnFirstScan), RefundTriggerMax: &map[string]int64{"EUR": 5000},
			Exchanges: &returns.ExchangePolicy{Enabled: false, SamePriceOnly: ptr(true)}},
		Returnless:       []returns.ReturnlessRule{{Reasons: []string{"mine"}}},
		ReviewRules:      []returns.ReviewRule{{Rule: returns.RuleCountry, Countries: []string{"CH"}}},
		Regions:          []returns.Region{{Countries: []string{"CH"}, Rules: returns.Rules{WindowEndRule: ptr(returns.PeriodEndAsCounted)}}},
		Reasons:          []returns.Reason{{Code: "mine", Labels: map[string]string{"en": "Mine"}}},
		Hubs:             []returns.Hub{{Code: "x", Name: "X"}},
		HolidayExtension: &returns.HolidayExtension{From: "12-01", To: "12-02", Until: "12-03"},
	}
}

// TestApplySection: saving a section takes exactly its fields from the
// form's document and keeps every other field of the current version; all
// sections together cover the whole document (no field is in none).
func TestApplySection(t *testing.T) {
	cur, sub := demo.Policy(), otherPolicy()
	cur.Default.WindowEndRule = ptr(returns.PeriodEndAsCounted)
	cur.Regions[0].WindowEndRule = ptr(returns.PeriodEndNextWorkingDay)
	if len(sectionFields) != len(policySections) {
		t.Fatalf("%d sections compared, %d in the editor", len(sectionFields), len(policySections))
	}
	all := cur
	for _, sec := range policySections {
		got := applySection(cur, sub, sec.ID)
		for id, part := range sectionFields {
			want := part(cur)
			if id == sec.ID {
				want = part(sub)
			}
			if !reflect.DeepEqual(part(got), want) {
				t.Errorf("saving %s: %s is %v, want %v", sec.ID, id, part(got), want)
			}
		}
		all = applySection(all, sub, sec.ID)
	}
	if !reflect.DeepEqual(all, sub) {
		t.Errorf("every section saved is not the whole document:\n%s\nwant\n%s", exportJSON(all), exportJSON(sub))
	}
	// The current version is not changed in place.
	if !reflect.DeepEqual(cur.Regions[0].WindowEndRule, ptr(returns.PeriodEndNextWorkingDay)) || *cur.Default.WindowDays == 99 {
		t.Error("applySection changed the current version")
	}
	if got := applySection(cur, sub, "nonsense"); !reflect.DeepEqual(got, cur) {
		t.Error("an unknown section changed the document")
	}
}

// TestAdminPolicySections: each section saves only its own fields (the
// window end rule of the defaults and of a region survive the other
// sections' saves), says which section was saved, shows a mistake next to
// its field with the other sections as saved, adds rows without saving,
// names regions by their countries, and sums up the legal floors, each
// linked to its field.
func TestAdminPolicySections(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	admin := a.staff().login(store.RoleAdmin)
	_, v1, err := a.st.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The windows: 45 days, to the next working day.
	pg := admin.get("/admin/policy")
	w := sectionForm(t, pg, "windows")
	w.Set("default.window_days", "45")
	w.Set("default.window_end_rule", returns.PeriodEndNextWorkingDay)
	res := admin.post("/admin/policy", w)
	if res.res.Code != http.StatusSeeOther || res.res.Header().Get("Location") != "/admin/policy?saved=2&section=windows#sec-windows" {
		t.Fatalf("save windows: %d %s", res.res.Code, res.res.Header().Get("Location"))
	}
	_, v2, _ := a.st.CurrentPolicy(ctx)
	want := v1
	want.Default.WindowDays, want.Default.WindowEndRule = ptr(45), ptr(returns.PeriodEndNextWorkingDay)
	if !reflect.DeepEqual(v2, want) {
		t.Fatalf("after the windows:\n%s", exportJSON(v2))
	}
	after := admin.get("/admin/policy?saved=2&section=windows")
	if got := text(after.one("policy-saved")); !strings.Contains(got, "Return windows") || !strings.Contains(got, "2") {
		t.Errorf("saved message %q", got)
	}

	// A region's own end rule, saved with the regions.
	r := sectionForm(t, after, "regions")
	r.Set("regions[1].window_end_rule", returns.PeriodEndAsCounted)
	if res := admin.post("/admin/policy", r); res.res.Code != http.StatusSeeOther {
		t.Fatalf("save regions: %d\n%s", res.res.Code, res.res.Body)
	}
	_, v3, _ := a.st.CurrentPolicy(ctx)
	want.Regions[1].WindowEndRule = ptr(returns.PeriodEndAsCounted)
	if !reflect.DeepEqual(v3, want) {
		t.Fatalf("after the regions:\n%s", exportJSON(v3))
	}

	// Every other section saved as shown changes nothing: the end rules
	// stay (a form that lacked them would have dropped them).
	for _, sec := range []string{"general", "fees", "methods", "reasons", "hubs", "windows", "regions"} {
		pg := admin.get("/admin/policy")
		if res := admin.post("/admin/policy", sectionForm(t, pg, sec)); res.res.Code != http.StatusSeeOther {
			t.Fatalf("save %s unchanged: %d\n%s", sec, res.res.Code, res.res.Body)
		}
		if _, got, _ := a.st.CurrentPolicy(ctx); !reflect.DeepEqual(got, want) {
			t.Fatalf("saving %s unchanged changed the policy:\n%s", sec, exportJSON(got))
		}
	}

	// A mistake in the fees: shown at its field, typed values kept, the
	// other sections as saved, nothing stored.
	version, _, _ := a.st.CurrentPolicy(ctx)
	pg = admin.get("/admin/policy")
	f := sectionForm(t, pg, "fees")
	f.Set("default.restocking_fee_percent", "-5")
	bad := admin.post("/admin/policy", f)
	if bad.res.Code != http.StatusUnprocessableEntity || !bad.has("err-default-restocking_fee_percent") {
		t.Fatalf("bad fees: %d", bad.res.Code)
	}
	if v := attr(bad.one("in-default-restocking_fee_percent"), "value"); v != "-5" {
		t.Errorf("typed value %q", v)
	}
	if v := attr(bad.one("in-default-window_days"), "value"); v != "45" {
		t.Errorf("the windows section shows %q, want the saved 45", v)
	}
	if n, _, _ := a.st.CurrentPolicy(ctx); n != version {
		t.Error("a mistake was saved")
	}

	// A row added in the regions' form: shown, not saved.
	add := sectionForm(t, pg, "regions")
	add.Set("op", "add_region")
	res = admin.post("/admin/policy", add)
	if res.res.Code != http.StatusOK || !res.has("region-5") || res.has("region-6") {
		t.Errorf("add region: %d", res.res.Code)
	}
	if n, _, _ := a.st.CurrentPolicy(ctx); n != version {
		t.Error("adding a row saved")
	}

	// An unknown section is a bad request, not a save of anything.
	x := sectionForm(t, pg, "fees")
	x.Set("section", "everything")
	if res := admin.post("/admin/policy", x); res.res.Code != http.StatusBadRequest {
		t.Errorf("unknown section: %d", res.res.Code)
	}

	// Regions are named by their countries, in the member's language.
	de := admin.get("/admin/policy?lang=de", "Accept-Language", "de")
	if got := text(de.one("region-title-1")); !strings.Contains(got, "Japan (JP)") {
		t.Errorf("region 1 is called %q", got)
	}
	if got := text(pg.one("region-title-4")); !strings.Contains(got, "Italy (IT)") {
		t.Errorf("region 4 is called %q", got)
	}
	// The law's summary: every floor note, each linking to its field.
	notes := pg.all("law-note")
	if len(notes) == 0 {
		t.Fatal("no summary of what the law raises")
	}
	var italy bool
	for _, n := range notes {
		link := all(n, func(h *html.Node) bool { return h.Type == html.ElementNode && h.Data == "a" })
		if len(link) != 1 {
			t.Fatalf("note without a link: %q", text(n))
		}
		id := strings.TrimPrefix(attr(link[0], "href"), "#")
		if len(all(pg.root, func(h *html.Node) bool { return attr(h, "id") == id })) != 1 {
			t.Errorf("note %q links to #%s, which is not one element", text(n), id)
		}
		italy = italy || (id == "regions-4-window_days" && strings.Contains(text(n), "14"))
	}
	if !italy {
		t.Error("the summary lacks Italy's 14 days")
	}
}
