package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// TestPickLanguage: an explicit choice wins, then the browser's language
// when the portal speaks it, then the order's, then English.
func TestPickLanguage(t *testing.T) {
	langs := newLanguages([]language.Tag{language.English, language.German, language.French, language.Spanish,
		language.Japanese, language.Arabic}, language.English)
	tests := []struct {
		name, explicit, accept, fallback, want string
	}{
		{"an English browser on a German order reads English", "", "en-US,en;q=0.9", "de-DE", "en"},
		{"no browser language: the order's", "", "", "de-DE", "de"},
		{"the explicit choice beats the browser", "ja", "en-US", "de-DE", "ja"},
		{"the explicit choice beats the order", "fr", "", "de-DE", "fr"},
		{"a regional explicit choice", "ar-KW", "en", "", "ar"},
		{"an explicit language the portal lacks falls to the browser", "pt", "es-MX,es;q=0.8", "de", "es"},
		{"the browser's first language the portal speaks", "", "pt-BR,pt;q=0.9,fr;q=0.8,en;q=0.5", "de", "fr"},
		{"a browser with no language the portal speaks: the order's", "", "pt-BR,zh;q=0.8", "ja-JP", "ja"},
		{"nothing the portal speaks at all: English", "", "pt-BR", "ko-KR", "en"},
		{"nothing at all: English", "", "", "", "en"},
		{"garbage everywhere: English", "<script>", "%%%", "??", "en"},
		{"a wildcard is no language", "", "*", "de-DE", "de"},
		{"German Switzerland is German", "", "de-CH", "fr-FR", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pickLanguage(langs, tt.explicit, tt.accept, tt.fallback); got.String() != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestLanguageOfTheOrderPages: the pages after the lookup follow the
// precedence too (they once switched an English visitor to German).
func TestLanguageOfTheOrderPages(t *testing.T) {
	a := newTestApp(t)
	enBrowser := []string{"Accept-Language", "en-GB,en;q=0.9"}
	res := a.post("/lookup", lookupForm(demo.FeaturedOrder, demo.Email, ""), false, enBrowser...)
	order := a.get(res.res.Header().Get("Location"), false, enBrowser...)
	if lang, _ := order.portalLang(); lang != "en" {
		t.Errorf("an English browser on a German order reads %s", lang)
	}
	order = a.get(res.res.Header().Get("Location"), false)
	if lang, _ := order.portalLang(); lang != "de" {
		t.Errorf("without a browser language the order's: %s", lang)
	}
	order = a.get(res.res.Header().Get("Location")+"&lang=ja", false, enBrowser...)
	if lang, _ := order.portalLang(); lang != "ja" {
		t.Errorf("the explicit choice: %s", lang)
	}
}

// TestHistoryAddresses: each htmx step names its address (a new step
// pushed, the same step again replaced), never under /embed; each address
// renders its step on a fresh GET, bank details never in it.
func TestHistoryAddresses(t *testing.T) {
	a := newTestApp(t, withEmbedOrigins("https://shop.example"))
	// The lookup's redirect, followed by htmx from the start page.
	res := a.post("/lookup", lookupForm(demo.FeaturedOrder, demo.Email, "en"), true)
	next := res.res.Header().Get("Location")
	order := a.get(next, true, "HX-Current-URL", "http://portal.test/?lang=en")
	if got := order.res.Header().Get("HX-Push-Url"); got != next {
		t.Errorf("order step: HX-Push-Url %q, want %q", got, next)
	}
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	form.Set("method", "bank_transfer")
	form.Set("consent", "yes")
	form.Set("iban", "DE89 3704 0044 0532 0130 00")
	form.Set("holder", "Anna Schmidt")
	form.Set("comment", "Too small")
	review := a.post("/review", form, true, "HX-Current-URL", "http://portal.test"+next)
	pushed := review.res.Header().Get("HX-Push-Url")
	u, err := url.Parse(pushed)
	if err != nil || u.Path != "/review" || u.Query().Get("qty.L1") != "1" || u.Query().Get("reason.L1") != "wrong_size" ||
		u.Query().Get("method") != "bank_transfer" || u.Query().Get("consent") != "yes" || u.Query().Get("comment") != "Too small" ||
		u.Query().Get("lang") != "en" {
		t.Fatalf("review step: HX-Push-Url %q", pushed)
	}
	if strings.Contains(pushed, "3704") || strings.Contains(pushed, "iban") || strings.Contains(pushed, "Schmidt") {
		t.Errorf("bank details in the address: %s", pushed)
	}
	// A reload of the review: the same choices; the bank details are asked
	// for again, next to their field.
	reload := a.get(pushed, false)
	if reload.res.Code != http.StatusUnprocessableEntity || !reload.has("error-err-iban") || attr(reload.all("line-qty")[0], "value") != "1" {
		t.Errorf("reload of a bank-transfer review: %d", reload.res.Code)
	}
	// Without bank details to ask for, the reload is the review itself.
	form.Set("method", "store_credit")
	review = a.post("/review", form, true, "HX-Current-URL", "http://portal.test"+next)
	pushed = review.res.Header().Get("HX-Push-Url")
	reload = a.get(pushed, false)
	if reload.res.Code != http.StatusOK || !reload.has("review-heading") || !reload.has("quote-total-amount") {
		t.Fatalf("reload of the review: %d %s", reload.res.Code, reload.res.Body)
	}
	// Back from the review to the order form: its address keeps the
	// choices.
	backURL := attr(reload.one("lang-en"), "href")
	if !strings.HasPrefix(backURL, "/review?") {
		t.Errorf("the language switcher of the review links %s", backURL)
	}
	change := a.post("/order", formValues(review.one("confirm-form")), true, "HX-Current-URL", "http://portal.test"+pushed)
	orderAddr := change.res.Header().Get("HX-Push-Url")
	again := a.get(orderAddr, false)
	if !strings.HasPrefix(orderAddr, "/order?") || attr(again.all("line-qty")[0], "value") != "1" {
		t.Errorf("the order form's address %q does not keep the choice", orderAddr)
	}
	// The same step again (a mistake): replaced, not pushed.
	form.Set("reason.L1", "")
	bad := a.post("/review", form, true, "HX-Current-URL", "http://portal.test"+orderAddr)
	if bad.res.Code != http.StatusUnprocessableEntity || bad.res.Header().Get("HX-Replace-Url") == "" || bad.res.Header().Get("HX-Push-Url") != "" {
		t.Errorf("a form with a mistake: %d push %q replace %q", bad.res.Code, bad.res.Header().Get("HX-Push-Url"), bad.res.Header().Get("HX-Replace-Url"))
	}
	// The live total keeps the order form's address up to date (replaced),
	// so that Back from the review finds the choices; a page without
	// JavaScript names no address.
	form.Set("reason.L1", "wrong_size")
	q := a.post("/quote", form, true, "HX-Current-URL", "http://portal.test"+next)
	if r := q.res.Header().Get("HX-Replace-Url"); q.res.Header().Get("HX-Push-Url") != "" || !strings.HasPrefix(r, "/order?") ||
		!strings.Contains(r, "reason.L1=wrong_size") || strings.Contains(r, "iban") {
		t.Errorf("the live quote's address: %q", r)
	}
	if iban := a.post("/iban", form, true); iban.res.Header().Get("HX-Push-Url") != "" || iban.res.Header().Get("HX-Replace-Url") != "" {
		t.Error("the IBAN check names an address")
	}
	if plain := a.get(next, false); plain.res.Header().Get("HX-Push-Url") != "" {
		t.Error("a page without htmx names an address")
	}
	// Without JavaScript the posted review and order form answer with their
	// address (POST-redirect-GET); a bank transfer's is the answer itself.
	plain := a.browse("POST", "/review", form, false)
	if loc := plain.res.Header().Get("Location"); plain.res.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/review?") ||
		strings.Contains(loc, "iban") {
		t.Errorf("plain review: %d %q", plain.res.Code, loc)
	}
	if back := a.browse("POST", "/order", form, false); back.res.Code != http.StatusSeeOther || !strings.HasPrefix(back.res.Header().Get("Location"), "/order?") {
		t.Errorf("plain change: %d", back.res.Code)
	}
	bank := url.Values{}
	for k, v := range form {
		bank[k] = v
	}
	bank.Set("method", "bank_transfer")
	if plain := a.browse("POST", "/review", bank, false); plain.res.Code != http.StatusOK || !plain.has("review-heading") {
		t.Errorf("plain bank-transfer review: %d", plain.res.Code)
	}
	// The status page, after the confirm's redirect.
	created := a.post("/returns", formValues(a.post("/review", form, false).one("confirm-form")), true)
	loc := created.res.Header().Get("Location")
	status := a.get(loc, true, "HX-Current-URL", "http://portal.test/review?x")
	if status.res.Header().Get("HX-Push-Url") != loc {
		t.Errorf("status step: HX-Push-Url %q, want %q", status.res.Header().Get("HX-Push-Url"), loc)
	}

	// Under /embed the address bar is the storefront's: nothing is named.
	res = a.post("/embed/lookup", lookupForm(demo.FeaturedOrder, demo.Email, "en"), true)
	embedOrder := a.get(res.res.Header().Get("Location"), true)
	if embedOrder.res.Header().Get("HX-Push-Url") != "" || embedOrder.res.Header().Get("HX-Replace-Url") != "" {
		t.Errorf("the embedded order step names an address")
	}
	ef := formValues(embedOrder.one("order-form"))
	ef.Set("qty.L1", "1")
	ef.Set("reason.L1", "wrong_size")
	embedReview := a.post("/embed/review", ef, true)
	if embedReview.res.Header().Get("HX-Push-Url") != "" {
		t.Errorf("the embedded review names an address")
	}
	embedStatus := a.follow(a.post("/embed/returns", formValues(embedReview.one("confirm-form")), true), true)
	if embedStatus.res.Header().Get("HX-Push-Url") != "" {
		t.Errorf("the embedded status names an address")
	}
	// The embedded status page shows the return's link to keep: top-level
	// and absolute, the storefront's iframe left out.
	keep := attr(embedStatus.one("status-url"), "value")
	if !strings.HasPrefix(keep, "https://returns.example/r/R-") || strings.Contains(keep, "/embed") || !strings.Contains(keep, "t=") {
		t.Errorf("kept link %q", keep)
	}
	if kept := a.get(strings.TrimPrefix(keep, "https://returns.example"), false); kept.res.Code != http.StatusOK || !kept.has("rma") {
		t.Errorf("the kept link opens %d", kept.res.Code)
	}
}

// TestStepIndicator: every step of the flow says where the shopper is, and
// its heading points to the words.
func TestStepIndicator(t *testing.T) {
	a := newTestApp(t)
	check := func(p page, step string) {
		t.Helper()
		pr := p.one("progress")
		if attr(pr, "data-step") != step || attr(p.one("progress-current"), "aria-current") != "step" {
			t.Errorf("step %s: %s", step, attr(pr, "data-step"))
		}
		h := all(p.root, func(n *html.Node) bool { return n.Data == "h1" })[0]
		if attr(h, "aria-describedby") != "progress-current-step" {
			t.Errorf("step %s: heading not described by the step", step)
		}
	}
	check(a.get("/?lang=en", false), "1")
	check(a.get("/withdraw?lang=en", false), "1")
	order := a.openOrder(demo.FeaturedOrder, "en", false)
	check(order, "2")
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	review := a.post("/review", form, false)
	check(review, "3")
	check(a.follow(a.post("/returns", formValues(review.one("confirm-form")), false), false), "4")
	if a.get("/policy?lang=en", false).has("progress") {
		t.Error("the policy page is no step of the flow")
	}
}

// TestReasonsAndLimitsPerLine: a line returnable only if faulty offers the
// merchant's-fault reasons only, says its case, and the API says the same.
func TestReasonsAndLimitsPerLine(t *testing.T) {
	a := newTestApp(t)
	pt := a.openOrder("PT-1003", "en", false)
	reasons := func(line *html.Node) []string {
		var out []string
		for _, o := range all(line, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") != "" }) {
			out = append(out, attr(o, "value"))
		}
		return out
	}
	lines := pt.all("line")
	if got := strings.Join(reasons(lines[0]), ","); got != "damaged,defective,not_as_described,wrong_item" {
		t.Errorf("the personalised mug offers %s", got)
	}
	if got := strings.Join(reasons(lines[1]), ","); !strings.HasPrefix(got, "changed_mind,wrong_size,") {
		t.Errorf("the T-shirt offers %s", got)
	}
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": "PT-1003", "email": demo.Email}})
	if code != 200 {
		t.Fatal(code, m)
	}
	l0 := m["lines"].([]any)[0].(map[string]any)
	if got := l0["reasons"].([]any); len(got) != 4 || got[0] != "damaged" {
		t.Errorf("API reasons of the mug: %v", got)
	}
	// Choosing a reason the line does not take (a forged form) is refused
	// at the field, as before.
	form := formValues(pt.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "changed_mind")
	if res := a.post("/review", form, false); res.res.Code != http.StatusUnprocessableEntity || !res.has("error-err-reason-L1") {
		t.Errorf("a forged reason: %d", res.res.Code)
	}
}

// TestExistingReturnsAndUnitsInReturns: after the lookup the order's
// returns are listed with status, date and link, and a line says how many
// of its units are already in one.
func TestExistingReturnsAndUnitsInReturns(t *testing.T) {
	a := newTestApp(t)
	es := a.openOrder(demo.PartialOrder, "en", false)
	rs := es.all("existing-return")
	if len(rs) != 1 || attr(rs[0], "data-status") != "approved" {
		t.Fatalf("existing returns: %d", len(rs))
	}
	link := attr(es.one("existing-return-link"), "href")
	if st := a.get(link, false); st.res.Code != http.StatusOK || text(st.one("rma")) != text(es.one("existing-return-link")) {
		t.Errorf("the existing return's link %s: %d", link, st.res.Code)
	}
	if got := text(es.one("line-in-returns")); got != "1 unit of this item is already in a return." {
		t.Errorf("units in returns: %q", got)
	}
	if attr(es.one("line-qty"), "max") != "2" {
		t.Errorf("returnable: %s", attr(es.one("line-qty"), "max"))
	}
	if de := a.openOrder(demo.FeaturedOrder, "en", false); de.has("existing-returns") || de.has("line-in-returns") {
		t.Error("an order without returns lists some")
	}
}

// TestLiveQuoteListsItems: the running total names the items, then the
// fees and the total.
func TestLiveQuoteListsItems(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder("US-1005", "en", false)
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "changed_mind")
	form.Set("qty.L2", "2")
	form.Set("reason.L2", "wrong_size")
	live := a.post("/quote", form, true)
	items := live.all("live-line")
	if len(items) != 2 || !strings.Contains(text(items[0]), "Sneakers") || !strings.Contains(text(items[1]), "2 × Socks 3-pack") {
		t.Errorf("live items: %d %s", len(items), live.res.Body)
	}
	if !live.has("live-quote-restocking") || !live.has("live-total") {
		t.Errorf("live fees and total missing: %s", live.res.Body)
	}
}

// TestStatusDocuments: the label on every paper size, the shopper's
// country's first; the customs declaration exactly where there is one.
func TestStatusDocuments(t *testing.T) {
	a := newTestApp(t)
	for _, tc := range []struct {
		order, line, first string
		customs            bool
	}{{"US-1005", "L1", returns.PaperLetter, false}, {"CH-1011", "L1", returns.PaperA4, true},
		{demo.FeaturedOrder, "L1", returns.PaperA4, false}} {
		rma, label := a.returnLinks(tc.order, tc.line)
		st := a.get(strings.Replace(label, "/label.pdf", "", 1), false)
		docs := all(st.one("documents"), func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "data-testid"), "label-") })
		if len(docs) != 3 || attr(docs[0], "data-testid") != "label-"+tc.first || attr(docs[0], "data-default") != "true" {
			t.Errorf("%s: labels %v", tc.order, docs)
		}
		for _, d := range docs {
			if res := a.do(request{method: "GET", path: attr(d, "href")}); res.Code != 200 {
				t.Errorf("%s: %s: %d", tc.order, attr(d, "href"), res.Code)
			}
		}
		if st.has("customs-link") != tc.customs {
			t.Errorf("%s: customs link %v", tc.order, st.has("customs-link"))
		}
		if tc.customs {
			if res := a.do(request{method: "GET", path: attr(st.one("customs-link"), "href")}); res.Code != 200 ||
				!strings.Contains(res.Header().Get("Content-Disposition"), "customs-"+rma) {
				t.Errorf("customs declaration: %d", res.Code)
			}
		}
	}
}

// TestTimelineOrderAndWords: the review lists the steps in the order they
// happen; in the EU the refund is worded by the law, in the US it is dated.
func TestTimelineOrderAndWords(t *testing.T) {
	a := newTestApp(t)
	review := func(order, line string) page {
		o := a.openOrder(order, "en", false)
		form := formValues(o.one("order-form"))
		form.Set("qty."+line, "1")
		form.Set("reason."+line, "wrong_size")
		return a.post("/review", form, false)
	}
	ids := func(p page) []string {
		var out []string
		for _, li := range all(p.one("timeline"), func(n *html.Node) bool { return n.Data == "li" }) {
			out = append(out, attr(li, "data-testid"))
		}
		return out
	}
	de := review(demo.FeaturedOrder, "L1")
	if got := strings.Join(ids(de), ","); got != "step-drop-off,step-arrives,step-inspected,step-refund" {
		t.Errorf("steps %s", got)
	}
	if got := text(de.one("step-refund-date")); !strings.Contains(got, "within 14 days of your withdrawal") ||
		!strings.Contains(got, "We may wait until the parcel has arrived") {
		t.Errorf("EU refund %q", got)
	}
	us := review("US-1005", "L1")
	got := text(us.one("step-refund-date"))
	if _, err := time.Parse("2 January 2006", got); err != nil {
		t.Errorf("US refund is no date: %q", got)
	}
	if got != text(us.one("step-inspected-date")) {
		t.Errorf("US refund %q, checked %q", got, text(us.one("step-inspected-date")))
	}
}

// TestPolicyPageCountriesAndHoliday: every country orders go to is on
// offer (Kuwait), and the holiday extension is explained.
func TestPolicyPageCountriesAndHoliday(t *testing.T) {
	a := newTestApp(t)
	pol := a.get("/policy?lang=en&country=KW", false)
	found := false
	for _, o := range all(pol.one("policy-country"), func(n *html.Node) bool { return n.Data == "option" }) {
		found = found || (attr(o, "value") == "KW" && hasAttr(o, "selected") && text(o) == "Kuwait")
	}
	if !found {
		t.Error("Kuwait is not on the policy page")
	}
	if got := text(pol.one("policy-windows")); !strings.Contains(got, "Holiday extension: orders placed from 15 November to 31 December can be returned until 31 January") {
		t.Errorf("windows %q", got)
	}
	if got := text(a.get("/policy?lang=de&country=DE", false).one("policy-windows")); !strings.Contains(got, "vom 15. November bis 31. Dezember") {
		t.Errorf("German windows %q", got)
	}
}

// TestFaviconAndImages: /favicon.ico is an icon; an order line's picture
// from an allowed host is shown at a fixed size, and the CSP names the host.
func TestFaviconAndImages(t *testing.T) {
	a := newTestApp(t, func(c *service.Config) { c.ImageHosts = []string{"cdn.shop.example"} })
	ico := a.do(request{method: "GET", path: "/favicon.ico"})
	if ico.Code != 200 || ico.Header().Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(ico.Body.String(), "\x00\x00\x01\x00") {
		t.Errorf("favicon: %d %s", ico.Code, ico.Header().Get("Content-Type"))
	}
	body := func(image string) map[string]any {
		return map[string]any{"email": "img@example.com", "currency": "EUR", "placed_at": "2026-11-01T10:00:00Z",
			"delivered_at":     time.Now().UTC().Add(-48 * time.Hour).Format(time.RFC3339),
			"shipping_address": map[string]any{"country": "DE", "name": "Ana"},
			"lines":            []any{map[string]any{"id": "L1", "name": "Tee", "quantity": 1, "unit_price": 1000, "image_url": image}}}
	}
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/IMG-1", body: body("https://evil.example/x.png"), header: a.auth()}); code != 422 ||
		!strings.Contains(strings.Join(fieldCodes(m), ","), "lines[0].image_url:image_host") {
		t.Errorf("a picture from another host: %d %v", code, m)
	}
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/IMG-1", body: body("https://cdn.shop.example/tee.png"), header: a.auth()}); code != 201 {
		t.Fatalf("order with a picture: %d %v", code, m)
	}
	res := a.post("/lookup", lookupForm("IMG-1", "img@example.com", "en"), false)
	order := a.follow(res, false)
	img := order.one("line-image")
	if attr(img, "src") != "https://cdn.shop.example/tee.png" || attr(img, "width") != "56" || attr(img, "height") != "56" || attr(img, "alt") != "" {
		t.Errorf("picture %v", img.Attr)
	}
	if csp := order.res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https://cdn.shop.example;") {
		t.Errorf("CSP %q", csp)
	}
}

func fieldCodes(m map[string]any) []string {
	e, _ := m["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	var out []string
	for _, f := range fs {
		fm := f.(map[string]any)
		out = append(out, fm["path"].(string)+":"+fm["code"].(string))
	}
	return out
}
