package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored (testdata/README.md).
//
//go:embed testdata/axe-4.14.1.min.js
var axeSource string

// axeViolation is one rule axe found broken, with the elements breaking it.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// noAxeViolations runs axe-core on the page in ctx as it is now (WCAG 2.x A
// and AA rules and best practices) and fails on any violation. The script
// is evaluated through the DevTools protocol, so the page's CSP stays as the
// server sent it.
func noAxeViolations(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		t.Fatalf("%s: load axe: %v", what, err)
	}
	js := `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", what, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		t.Errorf("%s: axe %s (%s) at %s", what, v.ID, v.Help, strings.Join(where, " | "))
	}
}

// TestBrowserAxeStartPage: the shopper's start page, the withdrawal's and
// an error page in English and Arabic have no accessibility violation axe
// can find (the other steps are checked where the flows reach them:
// shopper_test.go, browser_test.go).
func TestBrowserAxeStartPage(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"en", "ar"} {
		ctx, _ := tab(t, 30*time.Second)
		for _, pg := range []struct{ path, id string }{{"/?lang=", "lookup-form"}, {"/withdraw?lang=", "lookup-form"},
			{"/order?t=forged&lang=", "error-message"}} {
			must(t, ctx, "open "+pg.path, chromedp.Navigate(s.portal+pg.path+lang), chromedp.WaitVisible(testID(pg.id)))
			noAxeViolations(t, ctx, pg.path+lang)
		}
	}
}
