package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// focused is the focused element's test id (or id).
func focused(ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(function(){var e=document.activeElement;return e?(e.getAttribute("data-testid")||e.id||e.tagName):""})()`))
	return s
}

// waitFocus waits until the element with test id want has the focus.
func waitFocus(t *testing.T, ctx context.Context, what, want string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = focused(ctx); got == want {
			return
		}
	}
	t.Errorf("%s: focus on %q, want %q", what, got, want)
}

// TestBrowserFocusIBANAndMethodAmounts: with htmx, focus follows the
// steps (the new step's heading; the first field with a mistake; the
// form's message), the IBAN is checked as the shopper leaves the field
// without taking the focus away, and each refund method shows its amount
// as soon as items are chosen. In English and Arabic, with screenshots.
func TestBrowserFocusIBANAndMethodAmounts(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			ctx, con := tab(t, 45*time.Second)
			wait := chromedp.WaitVisible[chromedp.CSS]
			must(t, ctx, "open", chromedp.Navigate(s.portal+"/?lang="+lang), wait(testID("lookup-form")))
			// A wrong e-mail: the message, and focus on the first field
			// it is about.
			must(t, ctx, "lookup wrong",
				chromedp.SendKeys(chromedp.CSS("#order_number"), demo.FeaturedOrder),
				chromedp.SendKeys(chromedp.CSS("#email"), "nobody@example.com"),
				chromedp.Click(testID("lookup-submit")),
				wait(testID("lookup-error")))
			waitFocus(t, ctx, "lookup error", "order-number")
			must(t, ctx, "lookup",
				chromedp.Clear(chromedp.CSS("#email")),
				chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
				chromedp.Click(testID("lookup-submit")),
				wait(testID("order-form")))
			waitFocus(t, ctx, "order step", "order-heading")
			// Nothing chosen: the form's message takes the focus.
			must(t, ctx, "nothing chosen", chromedp.Click(testID("review-submit")), wait(testID("form-error")))
			waitFocus(t, ctx, "nothing chosen", "form-error")
			// Items chosen: the amount beside each method, and the
			// comparison in the live total.
			must(t, ctx, "choose",
				chromedp.SetValue(chromedp.CSS(`[data-testid="line-qty"]`), "1"),
				chromedp.SetValue(chromedp.CSS(`[data-testid="line-reason"]`), "wrong_size"),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="line-reason"]').dispatchEvent(new Event("change", {bubbles: true}))`),
				wait(testID("live-method-amounts")),
				htmxIdle(),
				wait(testID("method-option-amount-store_credit")+" bdi"))
			card := text(t, ctx, "method-option-amount-original_payment")
			credit := text(t, ctx, "method-option-amount-store_credit")
			if card == "" || credit == "" || card == credit {
				t.Errorf("method amounts: card %q, store credit %q", card, credit)
			}
			// A wrong IBAN, checked when the shopper moves on to the
			// holder's name; the focus stays there.
			must(t, ctx, "bank",
				chromedp.Click(testID("method-bank_transfer")),
				chromedp.SendKeys(chromedp.CSS("#iban"), "DE00 1234"),
				chromedp.Click(chromedp.CSS("#holder")),
				wait(testID("error-err-iban")))
			if d, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("iban").getAttribute("aria-describedby")`)); d != "err-iban" {
				t.Errorf("IBAN message not tied to the field: %q", d)
			}
			waitFocus(t, ctx, "after the IBAN check", "holder")
			shot(t, ctx, "a11y-"+lang+"-iban-error")
			must(t, ctx, "good IBAN",
				chromedp.Clear(chromedp.CSS("#iban")),
				chromedp.SendKeys(chromedp.CSS("#iban"), "DE89 3704 0044 0532 0130 00"),
				chromedp.Click(chromedp.CSS("#holder")),
				wait(testID("iban-ok")))
			// No consent, no holder: focus on the first field with a
			// mistake (the consent box comes first).
			must(t, ctx, "no consent", chromedp.Click(testID("review-submit")), wait(testID("error-err-consent")))
			waitFocus(t, ctx, "missing consent", "consent")
			must(t, ctx, "fix",
				chromedp.Click(testID("consent")),
				chromedp.SendKeys(chromedp.CSS("#holder"), "Erika Mustermann"),
				chromedp.Click(testID("review-submit")),
				wait(testID("review-heading")))
			waitFocus(t, ctx, "review step", "review-heading")
			if !strings.Contains(text(t, ctx, "method-compare"), credit) {
				t.Errorf("review comparison lacks the store credit amount %q", credit)
			}
			shot(t, ctx, "a11y-"+lang+"-review-compare")
			// The 404 and 422 answers are logged as failed loads; nothing
			// else may be: no CSP violation, no exception.
			if v := con.violations(); len(v) > 0 {
				t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
			}
			for _, m := range con.all() {
				if strings.Contains(m, "exception:") || (strings.Contains(m, ": error") && !strings.Contains(m, "Failed to load resource")) {
					t.Errorf("console: %s", m)
				}
			}
		})
	}
}
