package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
)

// TestPortalFlowWithoutJavaScript walks the whole flow with plain forms and
// redirects: lookup → choose → review → confirm → status → cancel.
func TestPortalFlowWithoutJavaScript(t *testing.T) {
	a := newTestApp(t)
	start := a.get("/?lang=en", false)
	if start.res.Code != http.StatusOK || !start.has("lookup-form") {
		t.Fatalf("start page: %d", start.res.Code)
	}
	res := a.post("/lookup", lookupForm("DE-1001", " Demo@Example.com ", "en"), false)
	if res.res.Code != http.StatusSeeOther || !strings.HasPrefix(res.res.Header().Get("Location"), "/order?") {
		t.Fatalf("lookup: %d %v", res.res.Code, res.res.Header())
	}
	order := a.follow(res, false)
	if order.res.Code != http.StatusOK {
		t.Fatalf("order page: %d", order.res.Code)
	}
	if l, _ := order.portalLang(); l != "en" {
		t.Errorf("explicit lang=en lost: %s", l)
	}
	codes := map[string]bool{}
	for _, l := range order.all("line") {
		codes[attr(l, "data-code")] = true
	}
	if !codes["ok"] || len(order.all("line")) != 3 {
		t.Errorf("lines: %v", codes)
	}
	// The T-shirt line: 1 unit, wrong size, back to the card.
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	form.Set("method", "original_payment")
	review := a.post("/review", form, false)
	if review.res.Code != http.StatusOK {
		t.Fatalf("review: %d %s", review.res.Code, review.res.Body)
	}
	if got := text(review.one("quote-total-amount")); got == "" {
		t.Error("no total")
	}
	if len(review.all("quote-line")) != 1 || !review.has("timeline") || !review.has("policy-summary") {
		t.Errorf("review lacks parts:\n%s", review.res.Body)
	}
	if href := attr(review.one("policy-link"), "href"); !strings.Contains(href, "country=DE") {
		t.Errorf("policy link %q", href)
	}
	// Change: back to the form, with the choice kept.
	back := a.post("/order", formValues(review.one("confirm-form")), false)
	if back.res.Code != http.StatusOK || attr(back.all("line-qty")[0], "value") != "1" {
		t.Errorf("change: %d", back.res.Code)
	}
	created := a.post("/returns", formValues(review.one("confirm-form")), false)
	if created.res.Code != http.StatusSeeOther || !strings.HasPrefix(created.res.Header().Get("Location"), "/r/R-") {
		t.Fatalf("confirm: %d %s", created.res.Code, created.res.Body)
	}
	status := a.follow(created, false)
	rma := text(status.one("rma"))
	if !regexp.MustCompile(`^R-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(rma) {
		t.Errorf("rma %q", rma)
	}
	if attr(status.one("status"), "data-status") != "approved" {
		t.Errorf("status %q", attr(status.one("status"), "data-status"))
	}
	label := attr(status.one("label-a4"), "href")
	if !strings.HasPrefix(label, "/r/"+rma+"/label.pdf?") || !strings.Contains(label, "size=a4") || attr(status.one("label-a4"), "data-default") != "true" {
		t.Errorf("label link %q", label)
	}
	if len(status.all("step-requested")) != 1 || len(status.all("step-drop-off")) != 1 {
		t.Errorf("timeline steps missing:\n%s", status.res.Body)
	}
	// Cancelling asks first: without a script, the cancel link is a page
	// with the question and the form.
	ask := a.get(attr(status.one("cancel-submit"), "href"), false)
	if ask.res.Code != http.StatusOK || !strings.Contains(text(ask.one("cancel-heading")), rma) {
		t.Fatalf("cancel question: %d %s", ask.res.Code, ask.res.Body)
	}
	cancelForm := ask.one("cancel-form")
	if attr(cancelForm, "action") != attr(status.one("cancel-form"), "action") {
		t.Errorf("the page and the dialog cancel differently: %q, %q", attr(cancelForm, "action"), attr(status.one("cancel-form"), "action"))
	}
	cancelled := a.post(attr(cancelForm, "action"), formValues(cancelForm), false)
	after := a.follow(cancelled, false)
	if attr(after.one("status"), "data-status") != "cancelled" || after.has("cancel-form") || after.has("label-a4") {
		t.Errorf("after cancel:\n%s", after.res.Body)
	}
	// Too late to ask: the question sends back to the status page.
	if late := a.get(attr(status.one("cancel-submit"), "href"), false); late.res.Code != http.StatusSeeOther {
		t.Errorf("cancel question after the cancel: %d", late.res.Code)
	}
	// Cancelling again: the status page with the message, 409.
	again := a.post(attr(cancelForm, "action"), formValues(cancelForm), false)
	if again.res.Code != http.StatusConflict || !again.has("status-error") {
		t.Errorf("cancel twice: %d", again.res.Code)
	}
}

// TestPortalFlowWithHTMX: the same steps as htmx makes them, each answer a
// fragment (no <html>) that says it varies by HX-Request.
func TestPortalFlowWithHTMX(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder("JP-1006", "", true)
	if order.htmlElement() != nil || !order.has("order-form") {
		t.Fatalf("order fragment:\n%s", order.res.Body)
	}
	if lang, _ := order.portalLang(); lang != "ja" {
		t.Errorf("the order's locale should choose Japanese: %s", lang)
	}
	if !strings.Contains(order.res.Header().Get("Vary"), "HX-Request") {
		t.Errorf("Vary: %q", order.res.Header().Get("Vary"))
	}
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	live := a.post("/quote", form, true)
	if live.res.Code != http.StatusOK || text(live.one("live-total")) == "" || live.htmlElement() != nil {
		t.Fatalf("live quote: %d %s", live.res.Code, live.res.Body)
	}
	review := a.post("/review", form, true)
	if review.htmlElement() != nil || !review.has("quote") {
		t.Fatalf("review fragment: %s", review.res.Body)
	}
	created := a.post("/returns", formValues(review.one("confirm-form")), true)
	status := a.follow(created, true)
	if status.htmlElement() != nil || !status.has("rma") {
		t.Fatalf("status fragment: %s", status.res.Body)
	}
}

// TestPortalPagesInFourLanguages checks each page's structure in en, de, ja
// and ar, as a full page and as a fragment.
func TestPortalPagesInFourLanguages(t *testing.T) {
	for _, lang := range []string{"en", "de", "ja", "ar"} {
		for _, hx := range []bool{false, true} {
			a := newTestApp(t)
			start := a.get("/?lang="+lang, hx)
			checkPage(t, start, lang, hx, "lookup-form", "language-switcher")
			order := a.openOrder("DE-1001", lang, hx)
			checkPage(t, order, lang, hx, "order-form", "methods", "live-quote")
			form := formValues(order.one("order-form"))
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "not_as_described")
			review := a.post("/review", form, hx)
			checkPage(t, review, lang, hx, "quote", "timeline", "confirm-form")
			status := a.follow(a.post("/returns", formValues(review.one("confirm-form")), hx), hx)
			checkPage(t, status, lang, hx, "rma", "timeline", "next-steps")
			policy := a.get("/policy?country=DE&lang="+lang, hx)
			checkPage(t, policy, lang, hx, "policy-windows", "policy-fees", "policy-methods")
			notFound := a.get("/nowhere?lang="+lang, hx)
			if notFound.res.Code != http.StatusNotFound {
				t.Errorf("%s: unknown path %d", lang, notFound.res.Code)
			}
			checkPage(t, notFound, lang, hx, "error-message")
		}
	}
}

func checkPage(t *testing.T, p page, lang string, hx bool, testIDs ...string) {
	t.Helper()
	if p.root == nil {
		t.Fatalf("%s hx=%v: not HTML: %d %s", lang, hx, p.res.Code, p.res.Body)
	}
	for _, id := range append([]string{"language-switcher"}, testIDs...) {
		if !p.has(id) {
			t.Errorf("%s hx=%v: no [data-testid=%s]\n%s", lang, hx, id, p.res.Body)
		}
	}
	gotLang, dir := p.portalLang()
	wantDir := "ltr"
	if lang == "ar" {
		wantDir = "rtl"
	}
	if gotLang != lang || dir != wantDir {
		t.Errorf("%s hx=%v: lang=%q dir=%q", lang, hx, gotLang, dir)
	}
	h := p.htmlElement()
	if hx && h != nil {
		t.Errorf("%s: fragment has <html>", lang)
	}
	if !hx {
		if h == nil || attr(h, "lang") != lang || attr(h, "dir") != wantDir {
			t.Errorf("%s: full page <html> lang/dir wrong", lang)
		}
		// The two scripts (htmx, the focus script) carry the response's
		// nonce.
		csp := p.res.Header().Get("Content-Security-Policy")
		scripts := all(p.root, func(n *html.Node) bool { return n.Data == "script" })
		if len(scripts) != 2 || attr(scripts[1], "src") != "/static/portal.js" {
			t.Errorf("%s: scripts %d", lang, len(scripts))
		}
		for _, s := range scripts {
			if !strings.Contains(csp, "'nonce-"+attr(s, "nonce")+"'") {
				t.Errorf("%s: script nonce does not match CSP %q", lang, csp)
			}
		}
	}
	if !strings.Contains(p.res.Header().Get("Vary"), "HX-Request") {
		t.Errorf("%s: no Vary: HX-Request", lang)
	}
	// No English left in a translated page: the lookup title at least.
	if lang != "en" && strings.Contains(p.res.Body.String(), "Find your order") {
		t.Errorf("%s: English text on the page", lang)
	}
}

// TestPortalLookupRevealsNothing: unknown order and wrong e-mail answer the
// same (but for the CSP nonce).
func TestPortalLookupRevealsNothing(t *testing.T) {
	a := newTestApp(t)
	for _, hx := range []bool{false, true} {
		unknown := a.post("/lookup", lookupForm("XX-9999", demo.Email, "de"), hx)
		wrong := a.post("/lookup", lookupForm("DE-1001", "someone@example.com", "de"), hx)
		if unknown.res.Code != http.StatusNotFound || wrong.res.Code != unknown.res.Code {
			t.Errorf("codes %d %d", unknown.res.Code, wrong.res.Code)
		}
		ub := nonceAttr.ReplaceAllString(unknown.res.Body.String(), "")
		wb := nonceAttr.ReplaceAllString(wrong.res.Body.String(), "")
		ub = strings.Replace(ub, `value="XX-9999"`, `value="N"`, 1)
		wb = strings.Replace(wb, `value="DE-1001"`, `value="N"`, 1)
		wb = strings.Replace(wb, `value="someone@example.com"`, `value="`+demo.Email+`"`, 1)
		if ub != wb {
			t.Errorf("hx=%v: answers differ:\n%s\n---\n%s", hx, ub, wb)
		}
		errBox := unknown.one("lookup-error")
		if id := attr(errBox, "id"); !strings.Contains(attr(unknown.one("order-number"), "aria-describedby"), id) {
			t.Errorf("error not tied to the field")
		}
	}
}

func TestPortalLookupRateLimited(t *testing.T) {
	a := newTestApp(t, withLimits(2, 0))
	for i := 0; i < 2; i++ {
		a.post("/lookup", lookupForm("XX-1", demo.Email, "en"), false)
	}
	res := a.post("/lookup", lookupForm("DE-1001", demo.Email, "en"), false)
	if res.res.Code != http.StatusTooManyRequests || res.res.Header().Get("Retry-After") == "" {
		t.Fatalf("%d %v", res.res.Code, res.res.Header())
	}
	if msg := text(res.one("lookup-error")); !strings.Contains(msg, "1 minute") {
		t.Errorf("message %q", msg)
	}
	ja := a.post("/lookup", lookupForm("DE-1001", demo.Email, "ja"), false)
	if msg := text(ja.one("lookup-error")); !strings.Contains(msg, "1分後") {
		t.Errorf("ja message %q", msg)
	}
}

// TestPortalMoneyFormats: amounts per locale and currency.
func TestPortalMoneyFormats(t *testing.T) {
	a := newTestApp(t)
	cases := []struct {
		number, lang, line string
		want               *regexp.Regexp
	}{
		{"DE-1001", "de", "L1", regexp.MustCompile(`^22,50\x{00a0}€$`)},
		{"DE-1001", "en", "L1", regexp.MustCompile(`^€22\.50$`)},
		{"JP-1006", "ja", "L1", regexp.MustCompile(`^￥12,345$`)},
		{"KW-1007", "en", "L1", regexp.MustCompile(`^KWD\x{00a0}45\.750$`)},
		// ar-KW: Arabic-Indic digits (ICU 78: "‏٤٥٫٧٥٠ د.ك.‏").
		{"KW-1007", "ar", "L1", regexp.MustCompile(`^\x{200f}٤٥٫٧٥٠\x{00a0}د\.ك\.\x{200f}$`)},
	}
	for _, c := range cases {
		order := a.openOrder(c.number, c.lang, false)
		form := formValues(order.one("order-form"))
		form.Set("qty."+c.line, "1")
		form.Set("reason."+c.line, "wrong_item")
		review := a.post("/review", form, false)
		if review.res.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", c.number, c.lang, review.res.Code, review.res.Body)
		}
		if got := rawText(review.one("quote-line-amount")); !c.want.MatchString(got) {
			t.Errorf("%s in %s: %q, want %s", c.number, c.lang, got, c.want)
		}
	}
	// A thousands separator in German.
	big := a.openOrder("DE-1001", "de", false)
	form := formValues(big.one("order-form"))
	form.Set("qty.L2", "1")
	form.Set("reason.L2", "changed_mind")
	review := a.post("/review", form, false)
	if got := rawText(review.one("quote-line-amount")); got != "89,00\u00a0€" {
		t.Errorf("jacket: %q", got)
	}
}

// TestPortalBadInput: garbage gives 4xx and the form with its messages,
// never a 500.
func TestPortalBadInput(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder("DE-1001", "en", false)
	base := formValues(order.one("order-form"))
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range base {
			v[k] = append([]string(nil), vs...)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for name, c := range map[string]struct {
		form  url.Values
		field string // data-testid of the message
	}{
		"nothing chosen":    {with(), "form-error"},
		"not a number":      {with("qty.L1", "abc", "reason.L1", "damaged"), "error-err-qty-L1"},
		"negative":          {with("qty.L1", "-1", "reason.L1", "damaged"), "error-err-qty-L1"},
		"too many":          {with("qty.L1", "99", "reason.L1", "damaged"), "error-err-qty-L1"},
		"no reason":         {with("qty.L1", "1"), "error-err-reason-L1"},
		"unknown reason":    {with("qty.L1", "1", "reason.L1", "bored"), "error-err-reason-L1"},
		"unknown line":      {with("qty.ZZ", "1"), "form-error"},
		"unknown method":    {with("qty.L1", "1", "reason.L1", "damaged", "method", "gold"), "error-err-method"},
		"bank without iban": {with("qty.L1", "1", "reason.L1", "damaged", "method", "bank_transfer", "consent", "yes"), "error-err-iban"},
		"bad iban":          {with("qty.L1", "1", "reason.L1", "damaged", "method", "bank_transfer", "consent", "yes", "iban", "DE00 1234", "holder", "A"), "error-err-iban"},
		"no consent":        {with("qty.L1", "1", "reason.L1", "changed_mind", "method", "store_credit"), "error-err-consent"},
	} {
		for _, path := range []string{"/review", "/returns"} {
			res := a.post(path, c.form, false)
			if res.res.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s %s: %d", name, path, res.res.Code)
				continue
			}
			if !res.has(c.field) {
				t.Errorf("%s %s: no %s\n%s", name, path, c.field, res.res.Body)
			}
		}
	}
	// A line that can't be returned (not delivered yet).
	ie := a.openOrder("IE-1009", "en", false)
	bad := formValues(ie.one("order-form"))
	bad.Set("qty.L1", "1")
	bad.Set("reason.L1", "damaged")
	bad.Set("method", "original_payment")
	if res := a.post("/review", bad, false); res.res.Code != http.StatusUnprocessableEntity || !res.has("error-err-qty-L1") {
		t.Errorf("ineligible line: %d", res.res.Code)
	}
	// Bad tokens: 404 pages; an expired one 410.
	if res := a.get("/order?t=garbage", false); res.res.Code != http.StatusNotFound || !res.has("error-message") {
		t.Errorf("garbage token: %d", res.res.Code)
	}
	if res := a.post("/review", url.Values{"t": {"x.y"}}, false); res.res.Code != http.StatusNotFound {
		t.Errorf("garbage token on review: %d", res.res.Code)
	}
	if res := a.get("/r/R-AAAA-AAAA?t=nope", false); res.res.Code != http.StatusNotFound {
		t.Errorf("unknown RMA: %d", res.res.Code)
	}
	tokenURL := a.post("/lookup", lookupForm("DE-1001", demo.Email, "en"), false).res.Header().Get("Location")
	a.advance(2 * time.Hour)
	if res := a.get(tokenURL, false); res.res.Code != http.StatusGone || !res.has("error-message") {
		t.Errorf("expired token: %d", res.res.Code)
	}
	if res := a.post("/lookup", url.Values{"order_number": {""}}, false); res.res.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty lookup: %d", res.res.Code)
	}
	huge := url.Values{"order_number": {strings.Repeat("x", 70<<10)}}
	if res := a.post("/lookup", huge, false); res.res.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge lookup: %d", res.res.Code)
	}
}

func TestPortalEligibilityInWords(t *testing.T) {
	a := newTestApp(t)
	pt := a.openOrder("PT-1003", "en", false)
	lines := pt.all("line")
	if attr(lines[0], "data-code") != "faulty_only" {
		t.Fatalf("mug: %q", attr(lines[0], "data-code"))
	}
	// The mug's case in words (exempt by law), not "only if faulty" in
	// the colour of success; and that it may still go back if faulty.
	mugStatus := all(lines[0], byTestID("line-status"))[0]
	if got := text(mugStatus); !strings.Contains(got, "Personalised") || !strings.Contains(attr(mugStatus, "class"), "limited") {
		t.Errorf("mug status %q (%s)", got, attr(mugStatus, "class"))
	}
	if got := text(all(lines[0], byTestID("line-note"))[0]); !strings.Contains(got, "faulty") {
		t.Errorf("mug note %q", got)
	}
	if got := text(all(lines[1], byTestID("line-status"))[0]); !strings.HasPrefix(got, "Return by ") {
		t.Errorf("tee status %q", got)
	}
	fr := a.openOrder("FR-1013", "fr", false)
	if got := text(fr.one("line-status")); !strings.Contains(got, "Le délai de retour a expiré le") {
		t.Errorf("fr status %q", got)
	}
	if got := text(fr.one("line-note")); !strings.Contains(got, "défectueux") {
		t.Errorf("fr note %q", got)
	}
	ie := a.openOrder("IE-1009", "de", false)
	if attr(ie.one("line"), "data-code") != "not_delivered" || !ie.has("nothing-eligible") {
		t.Errorf("not delivered:\n%s", ie.res.Body)
	}
}

func TestPortalPolicyPage(t *testing.T) {
	a := newTestApp(t)
	for _, q := range []string{"", "?country=DE", "?country=US&lang=ja", "?country=ZZZ", "?country=%3Cscript%3E"} {
		res := a.get("/policy"+q, false)
		if res.res.Code != http.StatusOK || !res.has("policy-windows") {
			t.Errorf("%s: %d", q, res.res.Code)
		}
	}
	de := a.get("/policy?country=DE&lang=de", false)
	if got := text(de.one("policy-country-name")); !strings.Contains(got, "Deutschland") {
		t.Errorf("country name %q", got)
	}
	if got := text(de.one("policy-windows")); !strings.Contains(got, "14 Tagen") {
		t.Errorf("windows %q", got)
	}
}

func TestPortalSecurityHeaders(t *testing.T) {
	a := newTestApp(t)
	res := a.get("/?lang=en", false)
	csp := res.res.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'nonce-", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || res.res.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", res.res.Header())
	}
	other := a.get("/?lang=en", false)
	if other.res.Header().Get("Content-Security-Policy") == csp {
		t.Error("nonce reused")
	}
	// htmx is served and configured.
	js := a.get("/static/htmx-2.0.11.min.js", false)
	if js.res.Code != http.StatusOK {
		t.Errorf("htmx: %d", js.res.Code)
	}
	meta := all(res.root, func(n *html.Node) bool { return n.Data == "meta" && attr(n, "name") == "htmx-config" })
	if len(meta) != 1 || !strings.Contains(attr(meta[0], "content"), `"allowEval":false`) ||
		!strings.Contains(attr(meta[0], "content"), `"selfRequestsOnly":true`) {
		t.Errorf("htmx config %v", meta)
	}
	// No inline style or handler anywhere.
	for _, n := range all(res.root, func(n *html.Node) bool { return true }) {
		for _, at := range n.Attr {
			if at.Key == "style" || strings.HasPrefix(at.Key, "on") {
				t.Errorf("inline %s on <%s>", at.Key, n.Data)
			}
		}
	}
}

// TestPortalLanguageChoice: lang parameter > the order's locale >
// Accept-Language > English.
func TestPortalLanguageChoice(t *testing.T) {
	a := newTestApp(t)
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/", "", "en"},
		{"/", "fr-CH, en;q=0.5", "fr"},
		{"/?lang=es", "fr", "es"},
		{"/?lang=xx-garbage%22", "ja", "ja"},
	} {
		p := a.get(c.path, false, "Accept-Language", c.accept)
		if lang, _ := p.portalLang(); lang != c.want {
			t.Errorf("%s with %q: %s, want %s", c.path, c.accept, lang, c.want)
		}
	}
	// After a lookup without a choice, the order's locale beats the browser's.
	res := a.browse("POST", "/lookup", lookupForm("SA-1015", demo.Email, ""), false, "Accept-Language", "de")
	order := a.follow(res, false)
	if lang, dir := order.portalLang(); lang != "ar" || dir != "rtl" {
		t.Errorf("SA-1015: %s %s", lang, dir)
	}
	// The switcher keeps the token and sets lang.
	for _, l := range all(order.one("language-switcher"), func(n *html.Node) bool { return n.Data == "a" }) {
		href := attr(l, "href")
		if !strings.Contains(href, "t=") || !strings.Contains(href, "lang="+attr(l, "lang")) {
			t.Errorf("switcher link %q", href)
		}
	}
	de := a.get(attr(order.one("lang-de"), "href"), false)
	if lang, dir := de.portalLang(); lang != "de" || dir != "ltr" {
		t.Errorf("switched: %s %s", lang, dir)
	}
}
