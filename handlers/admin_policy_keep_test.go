package handlers

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestAdminPolicyKeepSection: the "keep the sale" section shows the demo's
// exchanges and rules, refuses a list that is not JSON of its rules or a
// rule the policy refuses (next to its text area, nothing saved), and
// saves exactly its fields.
func TestAdminPolicyKeepSection(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	admin := a.staff().login(store.RoleAdmin)
	pg := admin.get("/admin/policy")
	f := sectionForm(t, pg, "keep")
	if f.Get("exchanges.enabled") != "true" || f.Get("returnless") == "" || f.Get("review_rules") == "" {
		t.Fatalf("the section does not show the demo's rules: %v", f)
	}
	for name, bad := range map[string][2]string{
		"not JSON":      {"returnless", "[{"},
		"unknown field": {"review_rules", `[{"rule": "country", "countriez": ["DE"]}]`},
		"refused rule":  {"review_rules", `[{"rule": "returns_by_email", "more_than": 0, "days": 0}]`},
	} {
		g := sectionForm(t, pg, "keep")
		g.Set(bad[0], bad[1])
		res := admin.post("/admin/policy", g)
		if res.res.Code != http.StatusUnprocessableEntity || !res.has("err-"+bad[0]) {
			t.Errorf("%s: %d", name, res.res.Code)
		}
	}
	g := sectionForm(t, pg, "keep")
	g.Del("exchanges.enabled")
	g.Set("review_rules", `[{"rule": "reason", "reasons": ["damaged"]}]`)
	if res := admin.post("/admin/policy", g); res.res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.res.Code, res.res.Body)
	}
	_, got, err := a.st.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := demo.Policy()
	want.Default.Exchanges.Enabled = false
	want.ReviewRules = []returns.ReviewRule{{Rule: returns.RuleReason, Reasons: []string{"damaged"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("saved:\n%s\nwant\n%s", exportJSON(got), exportJSON(want))
	}
}
