package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// TestBrowserExchange: the shopper exchanges the featured order's T-shirt
// (M / Blue) for L in the real binary with the demo data, with htmx and
// without JavaScript, in English and Arabic: the refund is offered first
// and chosen until she picks the variant, the live total and the review
// name the variant and come to nothing owed, the status page shows the
// exchange reserved; axe finds no violation on the order form, the review
// and the status page.
func TestBrowserExchange(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		// A portal per language: the T-shirt's two units go in its two
		// returns (with htmx, without JavaScript).
		s := newSite(t)
		for _, js := range []bool{true, false} {
			name := lang + "-nojs"
			if js {
				name = lang + "-htmx"
			}
			t.Run(name, func(t *testing.T) { exchangeFlow(t, s, lang, js) })
		}
	}
}

func exchangeFlow(t *testing.T, s *site, lang string, js bool) {
	ctx, con := tab(t, 90*time.Second)
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	// axe is a script: without JavaScript it runs on the same address in a
	// tab with scripts.
	axeAt := func(what string) {
		if js {
			noAxeViolations(t, ctx, what)
			return
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		jsCtx, _ := tab(t, 30*time.Second)
		must(t, jsCtx, what+" with scripts", chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("h1")))
		noAxeViolations(t, jsCtx, what)
	}
	wait := chromedp.WaitVisible[chromedp.CSS]
	lookUp(t, ctx, s.portal, demo.FeaturedOrder, lang)
	// Read through DevTools, which runs even where the page's scripts may not.
	refund, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="resolution-refund"]').checked`))
	if err != nil || !refund {
		t.Errorf("the refund is not the default: %v %v", refund, err)
	}
	choose(t, ctx, 0, "1", "wrong_size", js)
	// The shopper picks L (the second variant on offer) by its label.
	steps := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`label[for="exchange-0-1"]`))}
	if js {
		steps = append(steps, chromedp.Poll[chromedp.Void](`!!document.querySelector('[data-testid="live-line-exchange"]')`), htmxIdle())
	}
	must(t, ctx, "pick L", steps...)
	shot(t, ctx, "exchange-"+lang+"-order")
	if js {
		if got := text(t, ctx, "live-line-exchange"); !strings.Contains(got, "L / Blue") {
			t.Errorf("live quote names %q", got)
		}
	}
	axeAt("exchange order " + lang)
	must(t, ctx, "review", chromedp.Click(testID("review-submit")), wait(testID("review-heading")))
	if got := text(t, ctx, "quote-line-exchange"); !strings.Contains(got, "L / Blue") {
		t.Errorf("review names %q", got)
	}
	if got := text(t, ctx, "quote-total-amount"); !strings.ContainsAny(got, "0٠") || strings.ContainsAny(got, "123456789١٢٣٤٥٦٧٨٩") {
		t.Errorf("review total %q: an exchange owes nothing", got)
	}
	axeAt("exchange review " + lang)
	must(t, ctx, "confirm", chromedp.Click(testID("confirm-submit")), wait(testID("rma")), wait(testID("exchange-line")))
	st, _ := chromedp.Run(ctx, chromedp.AttributeValue(testID("exchange-line"), "data-state"))
	if st.Value != "reserved" {
		t.Errorf("exchange state %q", st.Value)
	}
	shot(t, ctx, "exchange-"+lang+"-status")
	axeAt("exchange status " + lang)
	noViolations(t, con)
}
