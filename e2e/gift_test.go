package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserGiftReturn: a gift's recipient starts at "I received it as a
// gift" on the real binary's demo portal, finds DE-1010 by its number and
// the shipping postal code (typed with a space), returns an item as store
// credit to her own address, with htmx and without JavaScript; no page on
// the way shows a price, and axe finds no violation on them.
func TestBrowserGiftReturn(t *testing.T) {
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			s := newSite(t) // a portal each: the order's unit goes in one return
			ctx, con := tab(t, 120*time.Second)
			if !js {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			wait := chromedp.WaitVisible[chromedp.CSS]
			noPrice := func(what string) {
				t.Helper()
				body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
				if err != nil || strings.Contains(body, "€") {
					t.Errorf("%s shows a price (%v):\n%s", what, err, body)
				}
				if js {
					noAxeViolations(t, ctx, "gift "+what)
				}
			}
			must(t, ctx, "start", chromedp.Navigate(s.portal+"/?lang=en"), wait(testID("gift-link")),
				chromedp.Click(testID("gift-link")), wait(testID("postal-code")))
			must(t, ctx, "gift lookup",
				chromedp.SendKeys(testID("order-number"), "DE-1010"),
				chromedp.SendKeys(testID("postal-code"), "123 45"),
				chromedp.Click(testID("lookup-submit")),
				wait(testID("order-form")), wait(testID("gift-email")),
				chromedp.Poll[chromedp.Void](`document.readyState === "complete"`))
			noPrice("order form")
			// choose waits for the live total, which a gift's form has not
			// (no amounts): the same steps, then htmx's quiet.
			must(t, ctx, "choose", chromedp.SetValue(chromedp.CSS("#qty-0"), "1"),
				chromedp.SetValue(chromedp.CSS("#reason-0"), "changed_mind"),
				chromedp.Evaluate[chromedp.Void](`document.querySelector("#reason-0").dispatchEvent(new Event("change", {bubbles: true}))`))
			if js {
				must(t, ctx, "htmx settles", htmxIdle())
			}
			noPrice("order form after the choice") // the live quote's answer included
			must(t, ctx, "her address", chromedp.SendKeys(testID("gift-email"), "paul@example.com"))
			if visible, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const c = document.querySelector('[data-testid="consent"]'); return !!c && c.offsetParent !== null; })()`)); visible {
				must(t, ctx, "consent", chromedp.Click(testID("consent")))
			}
			shot(t, ctx, "gift-"+jsName(js)+"-order")
			must(t, ctx, "review", chromedp.Click(testID("review-submit")), wait(testID("review-gift-email")))
			if got := text(t, ctx, "review-gift-email"); !strings.Contains(got, "paul@example.com") {
				t.Errorf("the review names %q", got)
			}
			noPrice("review")
			must(t, ctx, "confirm", chromedp.Click(testID("confirm-submit")), wait(testID("rma")), wait(testID("gift-items")))
			shot(t, ctx, "gift-"+jsName(js)+"-status")
			if body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(body, "demo@example.com") {
				t.Error("the status page shows the buyer's e-mail")
			}
			noPrice("status page")
			noViolations(t, con)
		})
	}
}
