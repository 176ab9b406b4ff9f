package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/moneyfmt"
)

// amountText is the text of the single amount (<bdi class="amount">)
// inside n.
func amountText(t *testing.T, n *html.Node) string {
	t.Helper()
	bdis := all(n, func(m *html.Node) bool { return m.Data == "bdi" && attr(m, "class") == "amount" })
	if len(bdis) != 1 {
		t.Fatalf("want one <bdi> amount in %q, found %d", text(n), len(bdis))
	}
	return rawText(bdis[0])
}

// formatMinor formats minor units as the portal does for a page language
// and the featured order (de-DE): the language with the order's region.
func formatMinor(t *testing.T, lang string, minor int64, cur string) string {
	t.Helper()
	return moneyfmt.New(moneyfmt.Locale(lang, "de-DE")).Format(minor, cur)
}

// TestPortalMethodAmounts: with items chosen, each refund method on offer
// shows what it brings back — priced by the domain exactly as the JSON
// API's quote prices that method (consent assumed) — in the live quote
// (with the amounts beside the choices out of band), on the form after
// "change" and, without JavaScript too, on the review.
func TestPortalMethodAmounts(t *testing.T) {
	a := newTestApp(t)
	for _, lang := range []string{"en", "de", "ja", "ar"} {
		for _, hx := range []bool{false, true} {
			order := a.openOrder(demo.FeaturedOrder, lang, hx)
			form := formValues(order.one("order-form"))
			codes := []string{}
			for _, n := range all(order.one("methods"), func(n *html.Node) bool { return attr(n, "name") == "method" }) {
				codes = append(codes, attr(n, "value"))
			}
			if len(codes) < 2 {
				t.Fatalf("%s: methods %v", lang, codes)
			}
			// Nothing chosen yet: no amounts beside the methods.
			for _, c := range codes {
				if got := text(order.one("method-option-amount-" + c)); got != "" {
					t.Errorf("%s: amount %q before anything is chosen", lang, got)
				}
			}
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "wrong_size")
			form.Set("method", "original_payment")
			// What the JSON API says each method brings back.
			want := map[string]string{}
			for _, c := range codes {
				code, q := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: map[string]any{
					"token": form.Get("t"), "refund_method": c, "refund_method_consent": true,
					"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}})
				if code != http.StatusOK {
					t.Fatalf("API quote %s: %d %v", c, code, q)
				}
				want[c] = formatMinor(t, lang, int64(num(q, "total")), q["currency"].(string))
			}
			if want["store_credit"] == want["original_payment"] {
				t.Fatalf("store credit should carry a bonus: %v", want)
			}

			live := a.post("/quote", form, true)
			for _, c := range codes {
				li := live.one("live-method-amount-" + c)
				if got := amountText(t, li); got != want[c] {
					t.Errorf("%s live %s: %q, want %q", lang, c, got, want[c])
				}
				if (attr(li, "data-chosen") == "true") != (c == "original_payment") {
					t.Errorf("%s live %s: chosen %q", lang, c, attr(li, "data-chosen"))
				}
				oob := live.one("method-option-amount-" + c)
				if attr(oob, "hx-swap-oob") != "true" || attr(oob, "id") != "method-amount-"+c || amountText(t, oob) != want[c] {
					t.Errorf("%s out-of-band amount of %s: %v %q", lang, c, oob.Attr, text(oob))
				}
			}
			if !strings.Contains(rawText(live.one("live-method-amount-store_credit")), bonusOf(t, a, form, lang)) {
				t.Errorf("%s: the store credit's bonus is not named: %q", lang, text(live.one("live-method-amount-store_credit")))
			}
			// A method that still needs the shopper's consent: the hint
			// says so, and every method's amount helps the choice.
			noConsent := url.Values{}
			for k, v := range form {
				noConsent[k] = v
			}
			noConsent.Set("method", "bank_transfer")
			noConsent.Del("consent")
			pending := a.post("/quote", noConsent, true)
			if !pending.has("live-quote-hint") || amountText(t, pending.one("live-method-amount-bank_transfer")) != want["bank_transfer"] {
				t.Errorf("%s: without consent:\n%s", lang, pending.res.Body)
			}
			// Emptied out of band when nothing is left to price.
			none := url.Values{}
			for k, v := range form {
				none[k] = v
			}
			none.Set("qty.L1", "0")
			empty := a.post("/quote", none, true)
			if empty.has("live-method-amounts") || text(empty.one("method-option-amount-store_credit")) != "" {
				t.Errorf("%s: amounts without items:\n%s", lang, empty.res.Body)
			}

			review := a.post("/review", form, hx)
			if review.res.Code != http.StatusOK {
				t.Fatalf("%s review: %d", lang, review.res.Code)
			}
			review.one("method-compare")
			for _, c := range codes {
				if got := amountText(t, review.one("method-amount-"+c)); got != want[c] {
					t.Errorf("%s review %s: %q, want %q", lang, c, got, want[c])
				}
			}
			if attr(review.one("method-amount-original_payment"), "data-chosen") != "true" {
				t.Errorf("%s: the chosen method is not marked", lang)
			}
			back := a.post("/order", formValues(review.one("confirm-form")), hx)
			for _, c := range codes {
				if got := amountText(t, back.one("method-option-amount-"+c)); got != want[c] {
					t.Errorf("%s form %s: %q, want %q", lang, c, got, want[c])
				}
			}
		}
	}
}

// bonusOf is the store credit bonus of the form's items, formatted.
func bonusOf(t *testing.T, a *testApp, form url.Values, lang string) string {
	t.Helper()
	_, q := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: map[string]any{
		"token": form.Get("t"), "refund_method": "store_credit", "refund_method_consent": true,
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}})
	if num(q, "store_credit_bonus") <= 0 {
		t.Fatalf("no bonus: %v", q)
	}
	return formatMinor(t, lang, int64(num(q, "store_credit_bonus")), q["currency"].(string))
}

// TestPortalIBANInline: htmx checks the IBAN as the shopper leaves the
// field; the answer is the field again, with the translated mistake tied to
// it (aria-describedby, aria-invalid, announced) or the note that it is
// valid. Without JavaScript the review still refuses a wrong IBAN
// (TestPortalBadInput).
func TestPortalIBANInline(t *testing.T) {
	a := newTestApp(t)
	msgs := map[string]string{}
	for _, lang := range []string{"en", "de", "ja", "ar"} {
		order := a.openOrder(demo.FeaturedOrder, lang, true)
		in := order.one("iban")
		if attr(in, "hx-post") != "/iban" || attr(in, "hx-trigger") != "change" || attr(in, "hx-target") != "#iban-field" {
			t.Errorf("%s: IBAN input not checked inline: %v", lang, in.Attr)
		}
		form := formValues(order.one("order-form"))
		check := func(iban string) page {
			f := url.Values{"t": {form.Get("t")}, "iban": {iban}}
			if l := form.Get("lang"); l != "" {
				f.Set("lang", l)
			}
			p := a.post("/iban", f, true)
			if p.res.Code != http.StatusOK || p.htmlElement() != nil {
				t.Fatalf("%s: /iban %d %s", lang, p.res.Code, p.res.Body)
			}
			if l := attr(p.one("iban-field"), "id"); l != "iban-field" {
				t.Errorf("%s: field id %q", lang, l)
			}
			return p
		}
		bad := check("DE00 1234 5678")
		inp, msg := bad.one("iban"), bad.one("error-err-iban")
		if attr(inp, "aria-invalid") != "true" || attr(inp, "aria-describedby") != "err-iban" || attr(msg, "id") != "err-iban" || attr(msg, "role") != "alert" {
			t.Errorf("%s: bad IBAN: %s", lang, bad.res.Body)
		}
		if attr(inp, "value") != "DE00 1234 5678" {
			t.Errorf("%s: value not kept: %q", lang, attr(inp, "value"))
		}
		msgs[lang] = text(msg)
		good := check("de89 3704 0044 0532 0130 00")
		if good.has("error-err-iban") || attr(good.one("iban"), "aria-invalid") != "" ||
			attr(good.one("iban"), "aria-describedby") != "iban-ok" || attr(good.one("iban-ok"), "role") != "status" {
			t.Errorf("%s: good IBAN: %s", lang, good.res.Body)
		}
		empty := check("")
		if empty.has("error-err-iban") || empty.has("iban-ok") {
			t.Errorf("%s: empty IBAN judged: %s", lang, empty.res.Body)
		}
	}
	if msgs["en"] == msgs["de"] || msgs["en"] == msgs["ja"] || msgs["en"] == msgs["ar"] {
		t.Errorf("IBAN message not translated: %v", msgs)
	}
	// Without a valid token the check answers nothing about the IBAN.
	if p := a.post("/iban", url.Values{"t": {"nope"}, "iban": {"DE89370400440532013000"}}, true); p.res.Code == http.StatusOK || p.has("iban-ok") {
		t.Errorf("without token: %d", p.res.Code)
	}
}

// negativeFee is the featured order's 4.95 € return shipping fee as a
// deduction, as Node's Intl.NumberFormat (ICU 78, CLDR 48) writes -4.95 EUR
// for each page language with the order's region DE: en-DE, de-DE, ja-DE
// (ja), ar-DE (ar), fr-DE (fr), es-DE (es).
var negativeFee = map[string]string{
	"en": "-€4.95",
	"de": "-4,95\u00a0€",
	"ja": "-€4.95",
	"ar": "\u200f\u200e-4.95\u00a0€",
	"fr": "-4,95\u00a0€",
	"es": "-4,95\u00a0€",
}

// TestPortalBidiAmounts: every amount is isolated (<bdi>) from the text
// around it, fees are negative amounts as CLDR writes them in the locale
// (in Arabic too), and the left-to-right values of Arabic sentences (order
// number, example, price, fee) are isolated too.
func TestPortalBidiAmounts(t *testing.T) {
	a := newTestApp(t)
	for _, lang := range []string{"en", "de", "ja", "ar", "fr", "es"} {
		order := a.openOrder(demo.FeaturedOrder, lang, false)
		for _, n := range order.all("line-price") {
			if len(all(n, func(m *html.Node) bool { return m.Data == "bdi" })) != 1 {
				t.Errorf("%s: price not isolated: %q", lang, text(n))
			}
		}
		if s := order.one("order-summary"); len(all(s, func(m *html.Node) bool { return m.Data == "bdi" && text(m) == demo.FeaturedOrder })) != 1 {
			t.Errorf("%s: order number not isolated", lang)
		}
		form := formValues(order.one("order-form"))
		form.Set("qty.L1", "1")
		form.Set("reason.L1", "wrong_size")
		form.Set("method", "original_payment")
		review := a.post("/review", form, false)
		fee := amountText(t, review.one("quote-shipping-fee-amount"))
		// The fee is the negative amount as ICU writes it for the page's
		// language with the order's region (Node's Intl.NumberFormat).
		if want := negativeFee[lang]; fee != want {
			t.Errorf("%s: fee %+q, want %+q", lang, fee, want)
		}
		for _, id := range []string{"quote-line-amount", "quote-items-amount", "quote-total-amount"} {
			if got := amountText(t, review.one(id)); strings.Contains(got, "-") || got == "" {
				t.Errorf("%s %s: %q", lang, id, got)
			}
		}
		for _, li := range all(review.one("policy-summary"), func(n *html.Node) bool { return n.Data == "li" }) {
			if strings.Contains(text(li), "4.95") || strings.Contains(text(li), "4,95") {
				if len(all(li, func(m *html.Node) bool { return m.Data == "bdi" })) != 1 {
					t.Errorf("%s: fee in the policy summary not isolated: %q", lang, text(li))
				}
			}
		}
		live := a.post("/quote", form, true)
		if got := amountText(t, live.one("live-quote-shipping-fee")); got != negativeFee[lang] {
			t.Errorf("%s: live fee %+q, want %+q", lang, got, negativeFee[lang])
		}
		start := a.get("/?lang="+lang, false)
		if len(all(start.one("lookup-form"), func(m *html.Node) bool { return m.Data == "bdi" && text(m) == "DE-1001" })) != 1 {
			t.Errorf("%s: the example order number is not isolated", lang)
		}
	}
	policy := a.get("/policy?country=DE&lang=ar", false)
	if !strings.Contains(policy.res.Body.String(), "<bdi>") {
		t.Error("policy page amounts not isolated")
	}
}

// TestPortalAccessibleStructure: on every step, in four languages, with and
// without htmx: every visible input has a label, every aria-describedby
// names elements of the page, each step's heading can take focus (htmx
// moves it there: static/portal.js), and form errors are tied to fields.
func TestPortalAccessibleStructure(t *testing.T) {
	for _, lang := range []string{"en", "de", "ja", "ar"} {
		for _, hx := range []bool{false, true} {
			a := newTestApp(t)
			var pages []page
			start := a.get("/?lang="+lang, hx)
			pages = append(pages, start)
			pages = append(pages, a.post("/lookup", lookupForm("DE-1001", "wrong@example.com", lang), hx))
			order := a.openOrder(demo.FeaturedOrder, lang, hx)
			pages = append(pages, order)
			form := formValues(order.one("order-form"))
			pages = append(pages, a.post("/review", form, hx)) // nothing chosen: errors
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Set("qty.L1", "1")
			bad.Set("method", "bank_transfer")
			bad.Set("iban", "XX")
			pages = append(pages, a.post("/review", bad, hx))
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "wrong_size")
			review := a.post("/review", form, hx)
			pages = append(pages, review)
			created := a.post("/returns", formValues(review.one("confirm-form")), false)
			pages = append(pages, a.follow(created, hx))
			for i, p := range pages {
				checkAccessible(t, lang, i, p)
			}
		}
	}
}

func checkAccessible(t *testing.T, lang string, step int, p page) {
	t.Helper()
	ids := map[string]bool{}
	for _, n := range all(p.root, func(n *html.Node) bool { return attr(n, "id") != "" }) {
		ids[attr(n, "id")] = true
	}
	labelled := map[string]bool{}
	for _, l := range all(p.root, func(n *html.Node) bool { return n.Data == "label" }) {
		labelled[attr(l, "for")] = true
	}
	for _, n := range all(p.root, func(n *html.Node) bool {
		return (n.Data == "input" && attr(n, "type") != "hidden") || n.Data == "select" || n.Data == "textarea"
	}) {
		if id := attr(n, "id"); id == "" || !labelled[id] {
			t.Errorf("%s step %d: %s %q without a label", lang, step, n.Data, attr(n, "name"))
		}
		if attr(n, "aria-invalid") == "true" && attr(n, "aria-describedby") == "" {
			t.Errorf("%s step %d: invalid %q without its message", lang, step, attr(n, "name"))
		}
	}
	for _, n := range all(p.root, func(n *html.Node) bool { return hasAttr(n, "aria-describedby") }) {
		for _, id := range strings.Fields(attr(n, "aria-describedby")) {
			if !ids[id] {
				t.Errorf("%s step %d: aria-describedby %q names no element", lang, step, id)
			}
		}
	}
	h1 := all(p.root, func(n *html.Node) bool { return n.Data == "h1" })
	if len(h1) != 1 || attr(h1[0], "tabindex") != "-1" {
		t.Errorf("%s step %d: the heading can't take focus", lang, step)
	}
	if p.res.Code == http.StatusUnprocessableEntity || p.res.Code == http.StatusNotFound {
		if len(all(p.root, func(n *html.Node) bool { return attr(n, "aria-invalid") == "true" || attr(n, "role") == "alert" })) == 0 {
			t.Errorf("%s step %d: an error page with nothing to focus", lang, step)
		}
	}
}
