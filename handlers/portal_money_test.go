package handlers

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
)

// isolatedTexts are the texts of the <bdi> elements inside n.
func isolatedTexts(n *html.Node) []string {
	var out []string
	for _, b := range all(n, func(m *html.Node) bool { return m.Data == "bdi" }) {
		out = append(out, rawText(b))
	}
	return out
}

// putMoneyOrder stores a one-line order of 1,234.50 in a currency, placed in
// a locale and shipped to a country, delivered two days ago.
func putMoneyOrder(t *testing.T, a *testApp, number, locale, currency, country string) {
	t.Helper()
	delivered := a.now().Add(-48 * time.Hour).UTC()
	body := orderBody()
	body["email"] = demo.Email
	body["locale"] = locale
	body["currency"] = currency
	body["placed_at"] = delivered.Add(-72 * time.Hour).Format(time.RFC3339)
	body["shipped_at"] = delivered.Add(-48 * time.Hour).Format(time.RFC3339)
	body["delivered_at"] = delivered.Format(time.RFC3339)
	body["shipping_address"].(map[string]any)["country"] = country
	line := body["lines"].([]any)[0].(map[string]any)
	line["quantity"], line["unit_price"], line["discount"] = 1, 123450, 0
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/" + number, body: body, header: a.auth()}); code != 201 {
		t.Fatalf("order %s: %d %v", number, code, m)
	}
}

// TestPortalMoneyPerFullLocale: the portal formats amounts with the order's
// full locale, or with the page's language and the order's region when the
// shopper switched language, on the order form, the review, the live quote
// and the status page. The expected strings are Node's Intl.NumberFormat
// output (ICU 78.2, CLDR 48) for the locale named in each case.
func TestPortalMoneyPerFullLocale(t *testing.T) {
	a := newTestApp(t)
	putMoneyOrder(t, a, "CH-9", "de-CH", "CHF", "CH")
	putMoneyOrder(t, a, "SA-9", "ar-SA", "USD", "SA")
	cases := []struct {
		number, lang string // lang "": the order's own language
		price, fee   string
	}{
		// de-CH: apostrophe groups, the code first, its minus after it.
		{"CH-9", "", "CHF\u00a01'234.50", "CHF-5.90"},
		{"CH-9", "de", "CHF\u00a01'234.50", "CHF-5.90"},
		// fr-CH: French order of parts with Swiss separators.
		{"CH-9", "fr", "1\u202f234.50\u00a0CHF", "-5.90\u00a0CHF"},
		// ar-SA: Arabic-Indic digits; a negative amount is ALM, minus, RLM.
		{"SA-9", "", "\u200f١٬٢٣٤٫٥٠\u00a0US$", "\u061c-\u200f٥٫٩٥\u00a0US$"},
		// en-SA: CLDR has no en-SA, so English as ICU falls back to it.
		{"SA-9", "en", "$1,234.50", "-$5.95"},
	}
	for _, c := range cases {
		order := a.openOrder(c.number, c.lang, false)
		if got := isolatedTexts(order.one("line-price")); len(got) != 1 || got[0] != c.price {
			t.Errorf("%s %q: order form price %+q, want %+q", c.number, c.lang, got, c.price)
		}
		form := formValues(order.one("order-form"))
		form.Set("qty.L1", "1")
		form.Set("reason.L1", "wrong_size")
		form.Set("method", "original_payment")
		review := a.post("/review", form, false)
		if review.res.Code != http.StatusOK {
			t.Fatalf("%s %q: review %d", c.number, c.lang, review.res.Code)
		}
		if got := amountText(t, review.one("quote-line-amount")); got != c.price {
			t.Errorf("%s %q: review line %+q, want %+q", c.number, c.lang, got, c.price)
		}
		if got := amountText(t, review.one("quote-shipping-fee-amount")); got != c.fee {
			t.Errorf("%s %q: review fee %+q, want %+q", c.number, c.lang, got, c.fee)
		}
		live := a.post("/quote", form, true)
		if got := amountText(t, live.one("live-quote-shipping-fee")); got != c.fee {
			t.Errorf("%s %q: live fee %+q, want %+q", c.number, c.lang, got, c.fee)
		}
	}
	// The status page loads the order itself: same formats.
	tok := a.lookupTokenEmail("CH-9", demo.Email)
	r := a.createReturn(tok, "L1", 1, "original_payment")
	status := a.get("/r/"+r["rma"].(string)+"?"+url.Values{"t": {tok}, "lang": {"fr"}}.Encode(), false)
	if got := amountText(t, status.one("quote-shipping-fee-amount")); got != "-5.90\u00a0CHF" {
		t.Errorf("status page in fr for a de-CH order: fee %+q", got)
	}
	if got := amountText(t, status.one("quote-line-amount")); got != "1\u202f234.50\u00a0CHF" {
		t.Errorf("status page in fr for a de-CH order: line %+q", got)
	}
}
