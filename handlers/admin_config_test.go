package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// policyForm is the editor's form as a browser would submit it.
func policyForm(t *testing.T, p page) url.Values {
	t.Helper()
	v := url.Values{}
	for _, sec := range policySections {
		sv := formValues(p.one("section-form-" + sec.ID))
		if sv.Get("csrf") == "" || sv.Get("section") != sec.ID {
			t.Fatalf("section %s: form without CSRF token or section", sec.ID)
		}
		for k, vs := range sv {
			if k != "section" && k != "csrf" {
				v[k] = append(v[k], vs...)
			}
		}
		v.Set("csrf", sv.Get("csrf"))
	}
	return v
}

// sectionForm is the form of one section of the policy editor as a
// browser submits it.
func sectionForm(t *testing.T, p page, id string) url.Values {
	t.Helper()
	v := formValues(p.one("section-form-" + id))
	if v.Get("csrf") == "" || v.Get("section") != id {
		t.Fatalf("section %s: form without CSRF token or section", id)
	}
	return v
}

// noInlineStyle fails on style attributes and elements (the CSP allows
// neither).
func noInlineStyle(t *testing.T, name string, p page) {
	t.Helper()
	if n := all(p.root, func(n *html.Node) bool {
		return n.Type == html.ElementNode && (n.Data == "style" || hasAttr(n, "style"))
	}); len(n) > 0 {
		t.Errorf("%s: inline style %v", name, n[0].Attr)
	}
}

// TestAdminPolicyEditor: the form holds the current version exactly; a
// mistake is shown next to its field and saves nothing; a save is a new
// version, and a return made before keeps its own.
func TestAdminPolicyEditor(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	v1, _, err := a.st.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admin := a.staff().login(store.RoleAdmin)
	pg := admin.get("/admin/policy")
	if pg.res.Code != http.StatusOK || !pg.has("save-general") {
		t.Fatalf("editor: %d\n%s", pg.res.Code, pg.res.Body)
	}
	noInlineStyle(t, "editor", pg)
	if !strings.Contains(text(pg.one("policy-version")), "1") || !pg.has("version-1") {
		t.Errorf("version: %q", text(pg.one("policy-version")))
	}
	// Legal floors: Italy's region sets 10 days, the EU gives 14; the
	// defaults' fees and exclusions give way within the statutory window.
	if n := text(pg.one("floor-regions-4-window_days")); !strings.Contains(n, "14") || !strings.Contains(n, "IT") {
		t.Errorf("floor note %q", n)
	}
	if !pg.has("floor-default-excluded_categories") {
		t.Error("no floor note on the defaults' excluded categories")
	}
	// What a browser submits unchanged is the current document.
	form := policyForm(t, pg)
	got, fe := formToPolicy(parsePolicyForm(form, labelLangs()))
	if len(fe) > 0 || !reflect.DeepEqual(got, demo.Policy()) {
		t.Fatalf("the form does not hold the policy: %v\n%s", fe, exportJSON(got))
	}

	// Mistakes: messages next to the fields, translated; nothing saved.
	bad := policyForm(t, pg)
	bad.Set("default.window_days", "-3")
	bad.Set("regions[0].countries", "US, XX")
	bad.Set("reasons[0].code", "Changed Mind")
	bad.Set("hubs[1].address.country", "")
	bad.Set("regions[1].hub", "nowhere")
	de := admin.post("/admin/policy?lang=de", bad, "Accept-Language", "de")
	if de.res.Code != http.StatusUnprocessableEntity || !de.has("policy-problem") {
		t.Fatalf("invalid save: %d", de.res.Code)
	}
	for id, want := range map[string]string{
		"err-default-window_days":     "Geben Sie einen Wert ab 0 ein.",
		"err-regions-0-countries":     "Unbekannter Ländercode",
		"err-reasons-0-code":          "Dieser Wert ist ungültig.",
		"err-hubs-1-address-country":  "Dieses Feld ist erforderlich.",
		"err-regions-1-hub":           "Kein Lager hat diesen Code.",
		"floor-regions-4-window_days": "14",
	} {
		if got := text(de.one(id)); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if de.has("err-regions-1-window_days") {
		t.Error("a message on a valid field")
	}
	// The form comes back as typed.
	if v := attr(de.one("in-default-window_days"), "value"); v != "-3" {
		t.Errorf("typed value lost: %q", v)
	}
	if attr(de.one("in-default-window_days"), "aria-invalid") != "true" {
		t.Error("field not marked invalid")
	}
	if v, _, _ := a.st.CurrentPolicy(ctx); v != v1 {
		t.Errorf("an invalid form was saved as version %d", v)
	}

	// Rows: add a region without saving; remove one.
	add := policyForm(t, pg)
	add.Set("op", "add_region")
	res := admin.post("/admin/policy", add)
	if res.res.Code != http.StatusOK || !res.has("region-5") || res.has("region-6") {
		t.Errorf("add region: %d", res.res.Code)
	}
	rm := policyForm(t, pg)
	rm.Set("op", "remove_region:0")
	res = admin.post("/admin/policy", rm)
	if res.res.Code != http.StatusOK || res.has("region-4") || attr(res.one("in-regions-0-countries"), "value") != "JP" {
		t.Errorf("remove region: %d", res.res.Code)
	}
	if v, _, _ := a.st.CurrentPolicy(ctx); v != v1 {
		t.Error("adding or removing a row saved")
	}

	// A save: Japan's window 21 days, free shipping for Great Britain.
	good := policyForm(t, pg)
	good.Set("regions[1].window_days", "21")
	good.Set("regions[2].return_shipping_fee.set", "true")
	saved := admin.post("/admin/policy", good)
	if saved.res.Code != http.StatusSeeOther || saved.res.Header().Get("Location") != "/admin/policy?saved=2" {
		t.Fatalf("save: %d %s\n%s", saved.res.Code, saved.res.Header().Get("Location"), saved.res.Body)
	}
	v2, p2, err := a.st.CurrentPolicy(ctx)
	if err != nil || v2 != v1+1 {
		t.Fatalf("version %d %v", v2, err)
	}
	if *p2.Regions[1].WindowDays != 21 || p2.Regions[2].ReturnShippingFee == nil || len(*p2.Regions[2].ReturnShippingFee) != 0 ||
		p2.Regions[3].ReturnShippingFee != nil {
		t.Errorf("saved %s", exportJSON(p2))
	}
	after := admin.get("/admin/policy?saved=2")
	if !after.has("policy-saved") || !after.has("version-2") || !strings.Contains(text(after.one("version-2")), "staff:admin@example.com") {
		t.Errorf("history after save:\n%s", text(after.one("policy-history")))
	}
	// The return made before keeps version 1, on its page too.
	r, err := a.st.GetReturn(ctx, rma)
	if err != nil || r.PolicyVersion != v1 {
		t.Errorf("old return's version %d %v", r.PolicyVersion, err)
	}
	if got := text(admin.get("/admin/returns/" + rma).one("policy-version")); got != "1" {
		t.Errorf("return page shows version %q", got)
	}
	// A new return is decided under version 2.
	if r2, _ := a.st.GetReturn(ctx, a.newReturn("DE-1001", "L2", 1, "original_payment")); r2.PolicyVersion != v2 {
		t.Errorf("new return's version %d", r2.PolicyVersion)
	}

	// A viewer reads the form, without a save button, and may not save.
	viewer := a.staff().login(store.RoleViewer)
	vp := viewer.get("/admin/policy")
	if vp.res.Code != http.StatusOK || vp.has("save-general") || vp.has("import-form") {
		t.Errorf("viewer's editor: %d", vp.res.Code)
	}
	if res := viewer.post("/admin/policy", good); res.res.Code != http.StatusForbidden {
		t.Errorf("viewer save: %d", res.res.Code)
	}
	// CSRF: without the token, or from another site, nothing is saved.
	if res := admin.post("/admin/policy", url.Values{"csrf": {"forged"}}); res.res.Code != http.StatusForbidden {
		t.Errorf("forged token: %d", res.res.Code)
	}
	if res := admin.post("/admin/policy", good, "Sec-Fetch-Site", "cross-site"); res.res.Code != http.StatusForbidden {
		t.Errorf("cross-site: %d", res.res.Code)
	}
	if v, _, _ := a.st.CurrentPolicy(ctx); v != v2 {
		t.Errorf("version %d after refused saves", v)
	}
}

// TestAdminPolicyPreview: the rules an order delivered to a country gets,
// with the legal floors there, as an htmx fragment or a page.
func TestAdminPolicyPreview(t *testing.T) {
	a := newStaffApp(t)
	viewer := a.staff().login(store.RoleViewer)
	it := viewer.get("/admin/policy/preview?country=it", "HX-Request", "true")
	if it.res.Code != http.StatusOK || it.htmlElement() != nil && attr(it.htmlElement(), "lang") != "" {
		t.Fatalf("preview: %d", it.res.Code)
	}
	if attr(it.one("policy-preview"), "data-country") != "IT" || !strings.Contains(text(it.one("preview-window")), "10") {
		t.Errorf("IT preview window %q", text(it.one("preview-window")))
	}
	if f := text(it.one("preview-floors")); !strings.Contains(f, "14") {
		t.Errorf("IT floors %q", f)
	}
	if !it.has("preview-policy-windows") {
		t.Error("no shopper text in the preview")
	}
	us := viewer.get("/admin/policy/preview?country=US")
	if us.res.Code != http.StatusOK || !us.has("who") || us.has("preview-floors") {
		t.Errorf("US preview page: %d", us.res.Code)
	}
	if !strings.Contains(text(us.one("preview-region")), "US, CA") || !strings.Contains(text(us.one("preview-restocking")), "10 %") {
		t.Errorf("US preview: %q %q", text(us.one("preview-region")), text(us.one("preview-restocking")))
	}
	if fee := text(us.one("preview-fees")); fee != "Free" {
		t.Errorf("US fee %q", fee)
	}
	ch := viewer.get("/admin/policy/preview?country=CH")
	if !strings.Contains(text(ch.one("preview-region")), "defaults") || !strings.Contains(text(ch.one("preview-fees")), "4.95") {
		t.Errorf("CH preview: %q %q", text(ch.one("preview-region")), text(ch.one("preview-fees")))
	}
	if res := viewer.get("/admin/policy/preview?country=<x>"); res.res.Code != http.StatusOK || res.has("preview-window") {
		t.Errorf("bad country: %d", res.res.Code)
	}
	// The editor's preview form asks for the fragment.
	pf := viewer.get("/admin/policy?country=JP").one("preview-form")
	if attr(pf, "hx-get") != "/admin/policy/preview" || attr(pf, "hx-target") != "#policy-preview" {
		t.Errorf("preview form %v", pf.Attr)
	}
}

// TestAdminPolicyImportExport: the advanced JSON section.
func TestAdminPolicyImportExport(t *testing.T) {
	a := newStaffApp(t)
	admin := a.staff().login(store.RoleAdmin)
	exp := admin.get("/admin/policy/export")
	var doc returns.Policy
	if exp.res.Code != http.StatusOK || json.Unmarshal(exp.res.Body.Bytes(), &doc) != nil || !reflect.DeepEqual(doc, demo.Policy()) {
		t.Fatalf("export: %d %s", exp.res.Code, exp.res.Body)
	}
	if !strings.Contains(exp.res.Header().Get("Content-Disposition"), "policy-v1.json") {
		t.Errorf("disposition %q", exp.res.Header().Get("Content-Disposition"))
	}
	admin.get("/admin/policy")
	for name, body := range map[string]string{"not JSON": "{", "unknown field": `{"defaults":{}}`,
		"invalid": `{"default":{"window_days":-1},"reasons":[]}`} {
		res := admin.post("/admin/policy/import", url.Values{"document": {body}})
		if res.res.Code != http.StatusUnprocessableEntity || !res.has("import-errors") || text(res.one("import-json")) != body {
			t.Errorf("%s: %d", name, res.res.Code)
		}
	}
	doc.Default.WindowDays = ptr(40)
	b, _ := json.Marshal(doc)
	if res := admin.post("/admin/policy/import", url.Values{"document": {string(b)}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("import: %d %s", res.res.Code, res.res.Body)
	}
	v, p, _ := a.st.CurrentPolicy(context.Background())
	if v != 2 || *p.Default.WindowDays != 40 {
		t.Errorf("imported: version %d, window %d", v, *p.Default.WindowDays)
	}
}

// TestAdminSettings: branding and embed origins validated, stored, and
// followed at once by the portal, its CSP and the embed CSP.
func TestAdminSettings(t *testing.T) {
	a := newStaffApp(t, withEmbedOrigins("https://shop.example"))
	// Before any save the configured origins apply.
	if csp := a.get("/embed", false).res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://shop.example;") {
		t.Fatalf("embed CSP %q", csp)
	}
	admin := a.staff().login(store.RoleAdmin)
	sp := admin.get("/admin/settings")
	if sp.res.Code != http.StatusOK || attr(sp.one("in-merchant_name"), "value") != "" || text(sp.one("in-embed_origins")) != "https://shop.example" {
		t.Fatalf("settings page: %d", sp.res.Code)
	}
	noInlineStyle(t, "settings", sp)
	// Invalid values: messages, nothing stored.
	bad := admin.post("/admin/settings", url.Values{"merchant_name": {"Shop"}, "logo_url": {"http://cdn.example/logo.png"},
		"accent_color": {"blue"}, "embed_origins": {"https://ok.example\nhttps://shop.example/path"}})
	if bad.res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid settings: %d", bad.res.Code)
	}
	for _, id := range []string{"err-logo_url", "err-accent_color", "err-embed_origins"} {
		if !bad.has(id) {
			t.Errorf("no %s", id)
		}
	}
	if bad.has("err-merchant_name") || attr(bad.one("in-accent_color"), "value") != "blue" {
		t.Error("valid field flagged, or typed value lost")
	}
	if _, err := a.st.Setting(context.Background(), service.SettingMerchantName); err == nil {
		t.Error("invalid settings were stored")
	}
	for _, logo := range []string{"javascript:alert(1)", "https://user@cdn.example/x.png", `https://cdn.example/"onerror=x`, "https:///x.png", "data:image/png;base64,AAAA"} {
		if res := admin.post("/admin/settings", url.Values{"logo_url": {logo}}); !res.has("err-logo_url") {
			t.Errorf("logo %q accepted: %d", logo, res.res.Code)
		}
	}
	// A valid save.
	ok := admin.post("/admin/settings", url.Values{"merchant_name": {"  Fjord & Co  "}, "logo_url": {"https://cdn.example:8443/brand/logo.svg?v=2"},
		"accent_color": {"#A0522D"}, "embed_origins": {"https://new.example, HTTPS://Other.example:443\n"}})
	if ok.res.Code != http.StatusSeeOther || ok.res.Header().Get("Location") != "/admin/settings?saved=1" {
		t.Fatalf("save: %d\n%s", ok.res.Code, ok.res.Body)
	}
	if got := admin.get("/admin/settings?saved=1"); !got.has("settings-saved") || strings.Join(strings.Fields(rawText(got.one("in-embed_origins"))), " ") != "https://new.example https://other.example" {
		t.Errorf("after save: %q", text(got.one("in-embed_origins")))
	}
	// The embed CSP follows the setting at once.
	h := a.get("/embed", false).res.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://new.example https://other.example;") ||
		strings.Contains(csp, "shop.example") {
		t.Errorf("embed CSP after save %q", csp)
	}
	if got := embedConfigParent(t, a.get("/embed?parent=https://other.example", false)); got != `{"parent":"https://other.example"}` {
		t.Errorf("parent %s", got)
	}
	// The shopper portal: name, logo, accent colour from /static/theme.css;
	// img-src allows the logo's origin only; no inline style.
	home := a.get("/", false)
	if text(home.one("brand-name")) != "Fjord & Co" || attr(home.one("brand-logo"), "src") != "https://cdn.example:8443/brand/logo.svg?v=2" ||
		attr(home.one("theme-css"), "href") != "/static/theme.css" {
		t.Errorf("branding: %q %v", text(home.one("brand-name")), home.one("brand-logo").Attr)
	}
	noInlineStyle(t, "portal", home)
	csp := home.res.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' https://cdn.example:8443;") || !strings.Contains(csp, "style-src 'self';") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("portal CSP %q", csp)
	}
	theme := a.get("/static/theme.css", false)
	if theme.res.Code != http.StatusOK || !strings.HasPrefix(theme.res.Header().Get("Content-Type"), "text/css") ||
		!strings.Contains(theme.res.Body.String(), "--accent: #a0522d;") || !strings.Contains(theme.res.Body.String(), "--accent-dark: #783d21;") {
		t.Errorf("theme: %d %q", theme.res.Code, theme.res.Body)
	}
	if again := a.get("/static/theme.css", false, "If-None-Match", theme.res.Header().Get("ETag")); again.res.Code != http.StatusNotModified {
		t.Errorf("theme revalidation: %d", again.res.Code)
	}
	// Clearing the origins: nobody may frame the embed.
	admin.post("/admin/settings", url.Values{"merchant_name": {"Fjord & Co"}})
	if csp := a.get("/embed", false).res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("cleared origins: %q", csp)
	}
	if home := a.get("/", false); home.has("brand-logo") || home.has("theme-css") || strings.Contains(home.res.Header().Get("Content-Security-Policy"), "cdn.example") {
		t.Error("logo or theme left after clearing")
	}
	// CSRF.
	if res := admin.post("/admin/settings", url.Values{"csrf": {"x"}, "merchant_name": {"Evil"}}); res.res.Code != http.StatusForbidden {
		t.Errorf("forged settings: %d", res.res.Code)
	}
}

// TestAdminAPIKeys: a key is shown once, works, is listed with its use,
// and stops working when revoked.
func TestAdminAPIKeys(t *testing.T) {
	a := newStaffApp(t)
	admin := a.staff().login(store.RoleAdmin)
	admin.get("/admin/settings")
	if res := admin.post("/admin/settings/keys", url.Values{"name": {""}}); res.res.Code != http.StatusUnprocessableEntity || !res.has("key-error") {
		t.Errorf("nameless key: %d", res.res.Code)
	}
	if res := admin.post("/admin/settings/keys", url.Values{"name": {"x"}, "scopes": {"everything"}}); res.res.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown scope: %d", res.res.Code)
	}
	created := admin.post("/admin/settings/keys", url.Values{"name": {"ERP sync"}, "scopes": {"policy:read", "returns:read"}})
	key := text(created.one("new-key-value"))
	if created.res.Code != http.StatusOK || !strings.HasPrefix(key, "rp_") {
		t.Fatalf("create: %d %q", created.res.Code, key)
	}
	auth := map[string]string{"Authorization": "Bearer " + key}
	if res := a.do(request{method: "GET", path: "/api/v1/policy", header: auth}); res.Code != http.StatusOK {
		t.Errorf("new key: %d", res.Code)
	}
	if res := a.do(request{method: "PUT", path: "/api/v1/policy", header: auth, body: demo.Policy()}); res.Code != http.StatusForbidden {
		t.Errorf("scope not granted: %d", res.Code)
	}
	list := admin.get("/admin/settings")
	if list.has("new-key") || strings.Contains(list.res.Body.String(), key) {
		t.Error("the key is shown again")
	}
	var id string
	for _, row := range list.all("api-keys") {
		for _, tr := range all(row, func(n *html.Node) bool { return n.Data == "tr" && strings.Contains(text(n), "ERP sync") }) {
			id = strings.TrimPrefix(attr(tr, "data-testid"), "key-")
			if !strings.Contains(text(tr), "policy:read, returns:read") || !strings.Contains(text(tr), key[:8]) ||
				!strings.Contains(text(tr), " CE") { // CET or CEST: the default hub's zone
				t.Errorf("key row %q", text(tr))
			}
		}
	}
	if id == "" {
		t.Fatal("key not listed")
	}
	if res := admin.post("/admin/settings/keys/revoke", url.Values{"id": {id}}); res.res.Code != http.StatusSeeOther {
		t.Errorf("revoke: %d", res.res.Code)
	}
	if res := a.do(request{method: "GET", path: "/api/v1/policy", header: auth}); res.Code != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", res.Code)
	}
	if res := admin.post("/admin/settings/keys/revoke", url.Values{"id": {"99999"}}); res.res.Code != http.StatusNotFound {
		t.Errorf("unknown key: %d", res.res.Code)
	}
}

// TestAdminStaff: create, change a role, disable (the member's sessions
// end), and no way to lock oneself out.
func TestAdminStaff(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	admin := a.staff().login(store.RoleAdmin)
	sp := admin.get("/admin/staff")
	if sp.res.Code != http.StatusOK || !sp.has("member-agent@example.com") || sp.has("disable-admin@example.com") {
		t.Fatalf("staff page: %d", sp.res.Code)
	}
	noInlineStyle(t, "staff", sp)
	for name, form := range map[string]url.Values{
		"bad e-mail":     {"email": {"nobody"}, "role": {"agent"}, "password": {staffPassword}},
		"bad role":       {"email": {"new@example.com"}, "role": {"root"}, "password": {staffPassword}},
		"short password": {"email": {"new@example.com"}, "role": {"agent"}, "password": {"short"}},
		"taken":          {"email": {"Agent@Example.com"}, "role": {"agent"}, "password": {staffPassword}},
	} {
		if res := admin.post("/admin/staff", form); res.res.Code != http.StatusUnprocessableEntity || !res.has("staff-error") {
			t.Errorf("%s: %d", name, res.res.Code)
		}
	}
	if res := admin.post("/admin/staff", url.Values{"email": {"New@Example.com"}, "role": {"viewer"}, "password": {staffPassword}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.res.Code, res.res.Body)
	}
	newbie := a.staff()
	if res := newbie.tryLogin("new@example.com", staffPassword); res.res.Code != http.StatusSeeOther {
		t.Fatalf("new member's login: %d", res.res.Code)
	}
	if res := newbie.get("/admin/settings"); res.res.Code != http.StatusForbidden {
		t.Errorf("viewer on settings: %d", res.res.Code)
	}
	// Promoted: the next request has the new role.
	if res := admin.post("/admin/staff/role", url.Values{"email": {"new@example.com"}, "role": {"admin"}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("role: %d", res.res.Code)
	}
	if res := newbie.get("/admin/settings"); res.res.Code != http.StatusOK {
		t.Errorf("promoted member on settings: %d", res.res.Code)
	}
	if got := admin.get("/admin/staff").one("member-new@example.com"); attr(got, "data-role") != "admin" {
		t.Errorf("listed role %q", attr(got, "data-role"))
	}
	// Oneself: refused.
	for _, path := range []string{"/admin/staff/role", "/admin/staff/disable"} {
		if res := admin.post(path, url.Values{"email": {"admin@example.com"}, "role": {"viewer"}}); res.res.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s on oneself: %d", path, res.res.Code)
		}
	}
	// Disabled: logged out at once, cannot log in again.
	if res := admin.post("/admin/staff/disable", url.Values{"email": {"new@example.com"}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.res.Code)
	}
	members, _ := a.st.ListStaff(ctx)
	for _, m := range members {
		if m.Email == "new@example.com" {
			if n, _ := a.st.CountSessions(ctx, m.ID); n != 0 || m.DisabledAt == nil {
				t.Errorf("disabled member: %d sessions, disabled %v", n, m.DisabledAt)
			}
		}
	}
	if res := newbie.get("/admin/returns"); !isLoginRedirect(res) {
		t.Errorf("disabled member's session: %d", res.res.Code)
	}
	if res := a.staff().tryLogin("new@example.com", staffPassword); res.res.Code != http.StatusUnauthorized {
		t.Errorf("disabled member's login: %d", res.res.Code)
	}
	if got := admin.get("/admin/staff").one("member-new@example.com"); attr(got, "data-disabled") != "true" {
		t.Error("not listed as disabled")
	}
	if res := admin.post("/admin/staff/disable", url.Values{"email": {"ghost@example.com"}}); res.res.Code != http.StatusNotFound {
		t.Errorf("unknown member: %d", res.res.Code)
	}
}
