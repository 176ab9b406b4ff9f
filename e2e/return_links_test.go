package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// TestBrowserReturnLinks: a return's two links in a real browser, against
// the server as `make run` starts it. The shopper's own link (the manage
// token of the confirmation page and her e-mails) shows her details and
// the cancel button; the view link (the label's QR code) shows the
// return's course only, and says how to cancel. Both pages, in English and
// Arabic, have no accessibility violation axe can find.
func TestBrowserReturnLinks(t *testing.T) {
	p := startPortal(t)
	token := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email})["token"]
	created := p.postJSON(t, "/api/v1/returns", map[string]any{"token": token, "refund_method": "bank_transfer",
		"refund_method_consent": true, "bank_account": map[string]string{"iban": "DE89 3704 0044 0532 0130 00", "holder": "Erika Mustermann"},
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}})
	manage, view := created["status_url"].(string), created["tracking_url"].(string)
	for _, lang := range []string{"en", "ar"} {
		for _, link := range []struct {
			name, url string
			manage    bool
		}{{"manage", manage, true}, {"view", view, false}} {
			t.Run(lang+"-"+link.name, func(t *testing.T) {
				ctx, con := tab(t, 30*time.Second)
				must(t, ctx, "open", chromedp.Navigate(link.url+"&lang="+lang), chromedp.WaitVisible(testID("status-heading")))
				got, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`["cancel-form", "shopper-details", "view-only"].map(
					id => document.querySelector('[data-testid="' + id + '"]') !== null)`))
				if err != nil {
					t.Fatal(err)
				}
				if got[0] != link.manage || got[1] != link.manage || got[2] == link.manage {
					t.Errorf("cancel %v, details %v, view-only note %v", got[0], got[1], got[2])
				}
				if link.manage {
					if acct := text(t, ctx, "shopper-refund-account"); acct != "DE89 … 3000 · Erika Mustermann" {
						t.Errorf("refund account %q", acct)
					}
				}
				shot(t, ctx, "return-link-"+link.name+"-"+lang)
				noAxeViolations(t, ctx, link.name+" link, "+lang)
				noViolations(t, con)
			})
		}
	}
}
