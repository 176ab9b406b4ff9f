package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// The shopper's items of the portal, in a browser, with JavaScript and
// without, in English and Arabic: one portal (the real binary, as `make
// run` starts it, with a storefront allowed to frame it and an https host
// for order lines' pictures) for every test of this file.

// shopperSite is the portal of this file's tests, its storefront and the
// host of the pictures.
type shopperSite struct {
	*site
	p      *portal
	images string // https://127.0.0.1:port
}

func newShopperSite(t *testing.T) *shopperSite {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, 200))
	for x := range 200 {
		for y := range 200 {
			img.Set(x, y, color.RGBA{uint8(x), 90, uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	images := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(b.Bytes())
	}))
	t.Cleanup(images.Close)
	s := &site{}
	shop := httptest.NewServer(http.HandlerFunc(s.serveShop))
	t.Cleanup(shop.Close)
	s.shop = strings.Replace(shop.URL, "127.0.0.1", "localhost", 1)
	host := strings.TrimPrefix(images.URL, "https://")
	p := startPortal(t, "--embed-origins", s.shop, "--image-hosts", host)
	s.portal, s.storefront = p.URL, "/embed"
	return &shopperSite{site: s, p: p, images: images.URL}
}

// TestBrowserShopper runs the shopper's items on one portal, each subtest
// in its own tab.
func TestBrowserShopper(t *testing.T) {
	s := newShopperSite(t)
	// The subtests use orders of their own (or only look one up), so they
	// run side by side, as many tabs at a time as -parallel allows
	// (GOMAXPROCS by default).
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t)
		})
	}
	run("demo mode relaxes the lookup limits", func(t *testing.T) { demoLimits(t, s) })
	for _, lang := range []string{"en", "ar"} {
		run("the address follows the steps with htmx/"+lang, func(t *testing.T) { historyHTMX(t, s, lang) })
		run("the address follows the steps without JavaScript/"+lang, func(t *testing.T) { historyNoJS(t, s, lang) })
		run("the order form/"+lang, func(t *testing.T) { orderForm(t, s, lang) })
		run("small screens/"+lang, func(t *testing.T) { smallScreens(t, s, lang) })
		run("policy page/"+lang, func(t *testing.T) { policyPage(t, s, lang) })
	}
	run("documents and timeline", func(t *testing.T) { documents(t, s) })
	run("language of the pages", func(t *testing.T) { pageLanguage(t, s) })
	run("pictures and icon", func(t *testing.T) { picturesAndIcon(t, s) })
}

// demoLimits: `serve --demo` says that it relaxed the lookup limits, and
// the same order can be looked up more often than production's 5 times in
// 15 minutes.
func demoLimits(t *testing.T, s *shopperSite) {
	said := false
	for _, l := range s.p.Banner {
		said = said || strings.HasPrefix(l, "Demo mode: lookups limited to 120 per minute per IP and 60 per 15 minutes per order")
	}
	if !said {
		t.Errorf("the banner does not say so: %q", s.p.Banner)
	}
	for i := range 8 {
		body := strings.NewReader(`{"order_number":"GB-1012","email":"` + demo.Email + `"}`)
		res, err := http.Post("http://"+s.p.Addr+"/api/v1/returns/lookup", "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("lookup %d: %d", i+1, res.StatusCode)
		}
	}
}

// lookUp finds an order from the start page in ctx.
func lookUp(t *testing.T, ctx context.Context, base, order, lang string) {
	t.Helper()
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "lookup "+order, chromedp.Navigate(base+"/?lang="+lang), wait(testID("lookup-form")),
		chromedp.SendKeys(chromedp.CSS("#order_number"), order),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
		chromedp.Click(testID("lookup-submit")),
		wait(testID("order-form")),
		// Computed styles are read next: the stylesheets must be in.
		chromedp.Poll[chromedp.Void](`document.readyState === "complete"`))
}

// choose sets a line's quantity and reason (by the line's index) as a
// shopper does; with htmx it waits for the live total.
func choose(t *testing.T, ctx context.Context, index int, qty, reason string, js bool) {
	t.Helper()
	i := strconv.Itoa(index)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#qty-"+i), qty),
		chromedp.SetValue(chromedp.CSS("#reason-"+i), reason),
	}
	if js {
		steps = append(steps,
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#reason-`+i+`").dispatchEvent(new Event("change", {bubbles: true}))`),
			chromedp.WaitVisible(testID("live-total")), htmxIdle())
	}
	must(t, ctx, "choose", steps...)
}

func location(t *testing.T, ctx context.Context) *url.URL {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// reloadTo reloads the page as the browser's reload button does and waits
// for the element of a test id in the new document.
func reloadTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	navigateBy(t, ctx, "reload", `location.reload()`, id)
}

// backTo goes back as the browser's back button does and waits for the
// element of a test id in the document it shows.
func backTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	navigateBy(t, ctx, "back", `history.back()`, id)
}

// navigateBy runs a script that leaves the page (marked first, so that the
// old document cannot pass for the new one) and waits for the new one to
// show the element of a test id and to have loaded (its scripts run, htmx
// set up: an action on a page still loading may meet elements that its
// scripts then replace, or a form htmx has not taken over yet); evaluations
// that meet the navigation itself are tried again.
func navigateBy(t *testing.T, ctx context.Context, what, script, id string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.__old = true; setTimeout(() => { `+script+` }, 0)`)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	check := `!window.__old && document.readyState === "complete" && !!document.querySelector('[data-testid="` + id + `"]')`
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check)); err == nil && ok {
			return
		}
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("%s: no %s at %s", what, id, loc)
}

// historyHTMX: with htmx each step's address is in the address bar; a
// reload shows the same step, Back the step before with its choices; the
// status page's link is there to keep; cancelling asks in a dialog.
func historyHTMX(t *testing.T, s *shopperSite, lang string) {
	ctx, con := tab(t, 60*time.Second)
	wait := chromedp.WaitVisible[chromedp.CSS]
	lookUp(t, ctx, s.portal, demo.FeaturedOrder, lang)
	if u := location(t, ctx); u.Path != "/order" || u.Query().Get("t") == "" {
		t.Errorf("after the lookup the address is %s", u)
	}
	step(t, ctx, 2)
	noAxeViolations(t, ctx, "order "+lang)
	choose(t, ctx, 0, "1", "wrong_size", true)
	if u := location(t, ctx); u.Query().Get("qty.L1") != "1" {
		t.Errorf("the choice is not in the address: %s", u)
	}
	must(t, ctx, "review", chromedp.Click(testID("review-submit")), wait(testID("review-heading")))
	if u := location(t, ctx); u.Path != "/review" || u.Query().Get("reason.L1") != "wrong_size" {
		t.Errorf("the review's address is %s", u)
	}
	step(t, ctx, 3)
	noAxeViolations(t, ctx, "review "+lang)
	reloadTo(t, ctx, "review-heading")
	if text(t, ctx, "quote-total-amount") == "" {
		t.Error("the reloaded review has no total")
	}
	backTo(t, ctx, "order-form")
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#qty-0"))); v != "1" {
		t.Errorf("Back to the order form: quantity %q", v)
	}
	must(t, ctx, "review again", chromedp.Click(testID("review-submit")), wait(testID("review-heading")),
		chromedp.Click(testID("confirm-submit")), wait(testID("rma")))
	rma := text(t, ctx, "rma")
	if u := location(t, ctx); u.Path != "/r/"+rma {
		t.Errorf("the status page's address is %s", u)
	}
	step(t, ctx, 4)
	reloadTo(t, ctx, "rma")
	if text(t, ctx, "rma") != rma {
		t.Error("the reloaded status page shows another return")
	}
	// The link to keep, with copy.
	kept, _ := chromedp.Run(ctx, chromedp.Value(testID("status-url")))
	if !strings.HasPrefix(kept, s.portal+"/r/"+rma+"?") {
		t.Errorf("kept link %q", kept)
	}
	must(t, ctx, "copy", wait(testID("copy-link")), chromedp.Click(testID("copy-link")))
	if got := text(t, ctx, "copy-result"); got == "" {
		t.Error("copying says nothing")
	}
	noAxeViolations(t, ctx, "status "+lang)
	// Cancelling asks first: a dialog, which "keep" closes.
	must(t, ctx, "ask", chromedp.Click(testID("cancel-submit")), wait(testID("cancel-dialog")))
	shot(t, ctx, "shopper-"+lang+"-cancel-dialog")
	noAxeViolations(t, ctx, "cancel dialog "+lang)
	must(t, ctx, "keep", chromedp.Click(testID("cancel-keep")),
		chromedp.Poll[chromedp.Void](`!document.getElementById("cancel-dialog").open`))
	if u := location(t, ctx); u.Path != "/r/"+rma {
		t.Errorf("the dialog navigated to %s", u)
	}
	must(t, ctx, "cancel", chromedp.Click(testID("cancel-submit")), wait(testID("cancel-dialog")),
		chromedp.Click(testID("cancel-confirm")),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-testid="status"]').dataset.status === "cancelled"`))
	noViolationsButRefusals(t, con)
}

// step checks the step indicator: the current step marked for screen
// readers, and the heading (where focus lands after a swap) described by
// the step's words.
func step(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const cur = document.querySelector('nav.progress [aria-current="step"]');
		const h = document.querySelector("h1");
		const d = document.getElementById(h.getAttribute("aria-describedby") || "");
		return [document.querySelector("nav.progress").dataset.step, cur ? cur.textContent.trim() : "", d ? d.textContent.trim() : "",
			document.activeElement === h ? "focus" : ""];
	})()`))
	if err != nil || len(got) != 4 || got[0] != strconv.Itoa(n) || got[1] == "" || !strings.Contains(got[2], strconv.Itoa(n)) {
		t.Errorf("step %d: indicator %q (%v)", n, got, err)
	}
}

// historyNoJS: without JavaScript every step is a page at its own address;
// a reload shows the same step; cancelling asks on a page of its own.
func historyNoJS(t *testing.T, s *shopperSite, lang string) {
	ctx, con := tab(t, 60*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	wait := chromedp.WaitVisible[chromedp.CSS]
	lookUp(t, ctx, s.portal, "GB-1012", lang)
	choose(t, ctx, 0, "1", "wrong_size", false)
	must(t, ctx, "review", chromedp.Click(testID("review-submit")), wait(testID("review-heading")))
	if u := location(t, ctx); u.Path != "/review" || u.Query().Get("qty.L1") != "1" {
		t.Errorf("the review's address is %s", u)
	}
	must(t, ctx, "reload", chromedp.Reload(), wait(testID("review-heading")))
	must(t, ctx, "confirm", chromedp.Click(testID("confirm-submit")), wait(testID("rma")))
	rma := text(t, ctx, "rma")
	must(t, ctx, "reload the status", chromedp.Reload(), wait(testID("rma")))
	if visible(t, ctx, `[data-testid="copy-link"]`) {
		t.Error("a copy button without a script to copy")
	}
	must(t, ctx, "ask", chromedp.Click(testID("cancel-submit")), wait(testID("cancel-heading")))
	question := location(t, ctx)
	if question.Path != "/r/"+rma+"/cancel" {
		t.Errorf("the question's address is %s", question)
	}
	shot(t, ctx, "shopper-"+lang+"-cancel-page")
	// axe is a script: it runs on the same page in a tab with scripts.
	jsCtx, _ := tab(t, 20*time.Second)
	must(t, jsCtx, "question with scripts", chromedp.Navigate(question.String()), chromedp.WaitVisible(testID("cancel-heading")))
	noAxeViolations(t, jsCtx, "cancel page "+lang)
	must(t, ctx, "cancel", chromedp.Click(testID("cancel-confirm")), wait(testID("status")))
	if st, _ := chromedp.Run(ctx, chromedp.AttributeValue(testID("status"), "data-status")); st.Value != "cancelled" {
		t.Errorf("status %q after the cancel", st.Value)
	}
	noViolations(t, con)
}

// orderForm: each line offers the reasons it accepts and says its case
// (not in the colour of success); the bank details and the consent show
// only for their methods; a reason that needs a photo shows the picker at
// the item at once; the live total lists the items. The CSS does the
// showing, so it holds without a script too.
func orderForm(t *testing.T, s *shopperSite, lang string) {
	for _, js := range []bool{true, false} {
		ctx, con := tab(t, 40*time.Second)
		if !js {
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatal(err)
			}
		}
		lookUp(t, ctx, s.portal, "PT-1003", lang)
		options, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`[...document.querySelectorAll("#reason-0 option")].map(o => o.value).filter(Boolean).join(",")`))
		if err != nil || options != "damaged,defective,not_as_described,wrong_item" {
			t.Errorf("js %v: the mug offers %q (%v)", js, options, err)
		}
		colours, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const [mug, tee] = document.querySelectorAll('[data-testid="line-status"]');
			return [getComputedStyle(mug).color, getComputedStyle(tee).color]; })()`))
		if err != nil || len(colours) != 2 || colours[0] == colours[1] {
			t.Errorf("js %v: 'only if faulty' in the colour of success: %v %v", js, colours, err)
		}
		for _, id := range []string{"bank", "consent-box", "photo-pick-photos-1"} {
			if visible(t, ctx, `[data-testid="`+id+`"]`) {
				t.Errorf("js %v: %s shows before it is needed", js, id)
			}
		}
		choose(t, ctx, 1, "1", "damaged", js)
		if !visible(t, ctx, `[data-testid="photo-pick-photos-1"]`) {
			t.Errorf("js %v: no photo picker at the damaged item", js)
		}
		if js {
			if got := text(t, ctx, "live-lines"); !strings.Contains(got, "T-shirt") {
				t.Errorf("the live total lists %q", got)
			}
		}
		must(t, ctx, "store credit", chromedp.Click(testID("method-store_credit")))
		if !visible(t, ctx, `[data-testid="consent-box"]`) || visible(t, ctx, `[data-testid="bank"]`) {
			t.Errorf("js %v: store credit shows no consent box, or the bank details", js)
		}
		must(t, ctx, "bank transfer", chromedp.Click(testID("method-bank_transfer")))
		if !visible(t, ctx, `[data-testid="bank"]`) {
			t.Errorf("js %v: bank transfer shows no bank details", js)
		}
		if js {
			must(t, ctx, "quote", htmxIdle())
			shot(t, ctx, "shopper-"+lang+"-order-photo-bank")
			noAxeViolations(t, ctx, "order form with photo and bank "+lang)
		}
		noViolations(t, con)
	}
	// An order's earlier returns, and the units already in one.
	ctx, con := tab(t, 30*time.Second)
	lookUp(t, ctx, s.portal, demo.PartialOrder, lang)
	if !visible(t, ctx, `[data-testid="existing-returns"]`) || !visible(t, ctx, `[data-testid="line-in-returns"]`) {
		t.Error("ES-1008 does not show its return")
	}
	shot(t, ctx, "shopper-"+lang+"-existing-returns")
	noAxeViolations(t, ctx, "existing returns "+lang)
	noViolations(t, con)
}

// smallScreens: at 375 px the language menu keeps to one line of the
// header, and opens as a list; the step indicator fits; the timeline's
// dates line up (one column at 1280 px, under each step at 375 px).
func smallScreens(t *testing.T, s *shopperSite, lang string) {
	ctx, con := tab(t, 40*time.Second)
	lookUp(t, ctx, s.portal, "IT-1002", lang)
	choose(t, ctx, 0, "1", "wrong_size", true)
	must(t, ctx, "review", chromedp.Click(testID("review-submit")), chromedp.WaitVisible(testID("review-heading")),
		chromedp.EmulateViewport(375, 800))
	geo, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const h = document.querySelector("header.site").getBoundingClientRect();
		const sum = document.querySelector(".langs summary").getBoundingClientRect();
		const brand = document.querySelector(".brand").getBoundingClientRect();
		const p = document.querySelector("nav.progress").getBoundingClientRect();
		return {header: h.height, summary: sum.height, summaryTop: sum.top, brandTop: brand.top, brandH: brand.height, progress: p.width};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if geo["header"] > 72 || geo["summary"] > 48 {
		t.Errorf("at 375 px the header is %.0f px high, the language menu %.0f px", geo["header"], geo["summary"])
	}
	if geo["progress"] > 375 {
		t.Errorf("the step indicator is %.0f px wide", geo["progress"])
	}
	// IT-1002 is a withdrawal in the EU: the refund in the law's words,
	// last, after the dated steps.
	if law, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="timeline"] li:last-child').matches('.law[data-testid="step-refund"]')`)); err != nil || !law {
		t.Errorf("the refund is not the law's last step (%v)", err)
	}
	must(t, ctx, "open the menu", chromedp.Click(testID("language-current")), chromedp.WaitVisible(testID("lang-de")))
	shot(t, ctx, "shopper-"+lang+"-language-menu")
	edges := func() []float64 {
		xs, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(
			'[data-testid="timeline"] li:not(.law) .step-date')].map(d => { const r = d.getBoundingClientRect();
			return document.dir === "rtl" ? r.left : r.right; })`))
		if err != nil || len(xs) < 3 {
			t.Fatalf("timeline dates: %v %v", xs, err)
		}
		return xs
	}
	starts := func() []float64 {
		xs, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(
			'[data-testid="timeline"] li:not(.law) .step-date')].map(d => { const r = d.getBoundingClientRect();
			return document.dir === "rtl" ? r.right : r.left; })`))
		if err != nil || len(xs) < 3 {
			t.Fatalf("timeline dates: %v %v", xs, err)
		}
		return xs
	}
	for i, x := range starts() {
		if x != starts()[0] {
			t.Errorf("at 375 px date %d starts at %.1f, the first at %.1f", i, x, starts()[0])
		}
	}
	must(t, ctx, "desktop", chromedp.EmulateViewport(1280, 800))
	for i, x := range edges() {
		if x != edges()[0] {
			t.Errorf("at 1280 px date %d ends at %.1f, the first at %.1f", i, x, edges()[0])
		}
	}
	noViolations(t, con)
}

// policyPage: Kuwait (where orders go, though neither the policy nor the
// law's data names it) is on offer, and the holiday extension explained.
func policyPage(t *testing.T, s *shopperSite, lang string) {
	ctx, con := tab(t, 30*time.Second)
	must(t, ctx, "policy", chromedp.Navigate(s.portal+"/policy?country=KW&lang="+lang), chromedp.WaitVisible(testID("policy-heading")))
	if kw, _ := chromedp.Run(ctx, chromedp.Value(testID("policy-country"))); kw != "KW" {
		t.Errorf("country %q", kw)
	}
	if got := text(t, ctx, "policy-windows"); !strings.Contains(got, "31") {
		t.Errorf("windows %q", got)
	}
	shot(t, ctx, "shopper-"+lang+"-policy")
	noAxeViolations(t, ctx, "policy "+lang)
	noViolations(t, con)
}

// documents: the label on each paper, the shopper's country's first; the
// customs declaration exactly where the parcel crosses a customs border;
// the EU refund in the law's words after the steps, in order.
func documents(t *testing.T, s *shopperSite) {
	ctx, con := tab(t, 60*time.Second)
	for _, tc := range []struct {
		order, first string
		customs      bool
	}{{"US-1005", "letter", false}, {"CH-1011", "a4", true}, {"AU-1014", "a4", false}} {
		lookUp(t, ctx, s.portal, tc.order, "en")
		choose(t, ctx, 0, "1", "wrong_size", true)
		must(t, ctx, "review "+tc.order, chromedp.Click(testID("review-submit")), chromedp.WaitVisible(testID("review-heading")))
		steps, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`[...document.querySelectorAll('[data-testid="timeline"] li')].map(l => l.dataset.testid).join(",")`))
		if err != nil || steps != "step-drop-off,step-arrives,step-inspected,step-refund" {
			t.Errorf("%s: steps %q", tc.order, steps)
		}
		must(t, ctx, "confirm "+tc.order, chromedp.Click(testID("confirm-submit")), chromedp.WaitVisible(testID("documents")))
		first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="documents"] a').dataset.testid`))
		if err != nil || first != "label-"+tc.first {
			t.Errorf("%s: first label %q", tc.order, first)
		}
		if got := visible(t, ctx, `[data-testid="customs-link"]`); got != tc.customs {
			t.Errorf("%s: customs link %v", tc.order, got)
		}
		shot(t, ctx, "shopper-en-documents-"+tc.order)
	}
	// An EU withdrawal (IT-1002): the refund worded by the law.
	lookUp(t, ctx, s.portal, "IT-1002", "en")
	choose(t, ctx, 0, "1", "wrong_size", true)
	must(t, ctx, "review IT-1002", chromedp.Click(testID("review-submit")), chromedp.WaitVisible(testID("review-heading")))
	if got := text(t, ctx, "step-refund-date"); !strings.Contains(got, "within 14 days of your withdrawal") {
		t.Errorf("EU refund step %q", got)
	}
	shot(t, ctx, "shopper-en-timeline-law")
	noViolations(t, con)
}

// pageLanguage: the explicit choice wins; otherwise the browser's language;
// otherwise the order's.
func pageLanguage(t *testing.T, s *shopperSite) {
	for _, tc := range []struct{ accept, want string }{{"en-GB,en", "en"}, {"pt-BR", "de"}, {"fr-FR,fr", "fr"}} {
		ctx, con := tab(t, 20*time.Second)
		if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
			emulation.SetUserAgentOverrideParams{UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome", AcceptLanguage: tc.accept}); err != nil {
			t.Fatal(err)
		}
		wait := chromedp.WaitVisible[chromedp.CSS]
		must(t, ctx, "lookup", chromedp.Navigate(s.portal+"/"), wait(testID("lookup-form")),
			chromedp.SendKeys(chromedp.CSS("#order_number"), demo.FeaturedOrder),
			chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
			chromedp.Click(testID("lookup-submit")), wait(testID("order-form")))
		got, _ := chromedp.Run(ctx, chromedp.AttributeValue(testID("portal"), "lang"))
		if got.Value != tc.want {
			t.Errorf("a browser asking for %s reads the German order in %q, want %s", tc.accept, got.Value, tc.want)
		}
		must(t, ctx, "switch", chromedp.Click(testID("language-current")), wait(testID("lang-ja")), chromedp.Click(testID("lang-ja")),
			wait(testID("order-form")))
		if got, _ := chromedp.Run(ctx, chromedp.AttributeValue(testID("portal"), "lang")); got.Value != "ja" {
			t.Errorf("the switcher's choice: %q", got.Value)
		}
		noViolations(t, con)
	}
}

// picturesAndIcon: an order line's picture from an allowed https host loads
// under the strict CSP, at its fixed size; the icon is served.
func picturesAndIcon(t *testing.T, s *shopperSite) {
	order := map[string]any{"email": demo.Email, "currency": "EUR", "locale": "en-IE", "placed_at": time.Now().UTC().Add(-96 * time.Hour).Format(time.RFC3339),
		"shipped_at":       time.Now().UTC().Add(-72 * time.Hour).Format(time.RFC3339),
		"delivered_at":     time.Now().UTC().Add(-48 * time.Hour).Format(time.RFC3339),
		"shipping_address": map[string]any{"name": "Aoife", "line1": "1 Main St", "city": "Dublin", "postal_code": "D01", "country": "IE"},
		"lines": []any{map[string]any{"id": "L1", "sku": "TEE", "name": "Linen shirt", "quantity": 1, "unit_price": 4500,
			"hs_code": "620520", "image_url": s.images + "/shirt.png"}}}
	b, _ := json.Marshal(order)
	req, _ := http.NewRequest("PUT", "http://"+s.p.Addr+"/api/v1/orders/IE-7001", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("order with a picture: %d", res.StatusCode)
	}
	ctx, con := tab(t, 30*time.Second)
	lookUp(t, ctx, s.portal, "IE-7001", "en")
	must(t, ctx, "picture", chromedp.Poll[chromedp.Void](`(() => { const i = document.querySelector('[data-testid="line-image"]');
		return i && i.complete && i.naturalWidth === 200; })()`))
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('[data-testid="line-image"]').getBoundingClientRect();
		return [r.width, r.height]; })()`))
	if err != nil || len(size) != 2 || size[0] != 56 || size[1] != 56 {
		t.Errorf("picture shown at %v (%v), want 56×56", size, err)
	}
	shot(t, ctx, "shopper-en-picture")
	noViolations(t, con)
	icon, err := http.Get(s.portal + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	icon.Body.Close()
	if icon.StatusCode != 200 || icon.Header.Get("Content-Type") != "image/x-icon" {
		t.Errorf("favicon: %d %s", icon.StatusCode, icon.Header.Get("Content-Type"))
	}
}
