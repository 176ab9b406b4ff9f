package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

const chromiumPath = "/usr/bin/chromium"

// The browser is started once for the package, with a fresh profile; each
// test opens its own tabs.
var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserErr    error
	browserCancel = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	os.Exit(code)
}

func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("chromium not found at %s: run make test (installs chromium)", chromiumPath)
	}
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "e2e-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromiumPath),
			chromedp.UserDataDir(dir),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			// Names under .lan reach this machine: a browser there is on
			// a plain-http address that is not localhost, where Chromium
			// sends no Fetch metadata (a staff member on the shop's LAN).
			chromedp.Flag("host-resolver-rules", "MAP *.lan 127.0.0.1"),
			// The TLS proxy of the https test has a self-signed certificate.
			chromedp.Flag("ignore-certificate-errors", true),
			chromedp.WindowSize(1280, 900),
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browserCancel = func() { bcancel(); acancel(); os.RemoveAll(dir) }
		browserErr = chromedp.Do(bctx) // start the browser
		browserCtx = bctx
	})
	if browserErr != nil {
		t.Fatalf("start chromium: %v (run make test, which installs chromium)", browserErr)
	}
	return browserCtx
}

// tab opens a new tab with a time limit, watching its console.
func tab(t *testing.T, limit time.Duration) (context.Context, *console) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t))
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancel() })
	return ctx, watch(t, ctx, "page")
}

// console collects what a target writes to its console: calls of the
// console API, exceptions and browser log entries (CSP violations among
// them).
type console struct {
	mu   sync.Mutex
	msgs []string
}

// violationScript reports each CSP violation on the console too.
const violationScript = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
}, true);`

func watch(t *testing.T, ctx context.Context, name string) *console {
	t.Helper()
	c := &console{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, name+": "+m.String()+" ["+m.Source+" "+m.URL+"]")
			c.mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: violationScript}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *console) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// violations are the messages about the Content Security Policy.
func (c *console) violations() []string {
	var out []string
	for _, m := range c.all() {
		if strings.Contains(m, "Content Security Policy") || strings.Contains(m, "CSP violation") {
			out = append(out, m)
		}
	}
	return out
}

func noViolations(t *testing.T, cs ...*console) {
	t.Helper()
	for _, c := range cs {
		if v := c.violations(); len(v) > 0 {
			t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
		}
		for _, m := range c.all() {
			if strings.Contains(m, "exception:") || strings.HasPrefix(strings.SplitN(m, ": ", 2)[1], "error") {
				t.Errorf("console error: %s", m)
			}
		}
	}
}

// site is the portal on 127.0.0.1 (the real binary with the demo data, as
// `make run` starts it) and a storefront on localhost — another site —
// that embeds it; the portal is started with --embed-origins naming it, as
// the README tells a merchant to.
type site struct {
	portal, shop string
	storefront   string // the storefront page's iframe path
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{}
	shop := httptest.NewServer(http.HandlerFunc(s.serveShop))
	t.Cleanup(shop.Close)
	s.shop = strings.Replace(shop.URL, "127.0.0.1", "localhost", 1)
	p := startPortal(t, "--embed-origins", s.shop)
	s.portal = p.URL
	if !strings.HasPrefix(s.portal, "http://127.0.0.1:") {
		t.Fatalf("portal at %s", s.portal)
	}
	s.storefront = "/embed"
	return s
}

// noCookies fails when the browser context of ctx holds any cookie: the
// shopper's flow sets none and needs none (Safari and Firefox block
// third-party cookies in iframes).
func noCookies(t *testing.T, ctx context.Context) {
	t.Helper()
	cookies, err := chromedp.Call(ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cookies.Cookies) != 0 {
		var names []string
		for _, c := range cookies.Cookies {
			names = append(names, c.Name+" ("+c.Domain+")")
		}
		t.Errorf("cookies: %v", names)
	}
}

// serveShop is the storefront: a page with the README's embed snippet.
// ?frame= picks the portal path the iframe shows.
func (s *site) serveShop(w http.ResponseWriter, r *http.Request) {
	frame := r.URL.Query().Get("frame")
	if frame == "" {
		frame = "/embed"
	}
	src := s.portal + frame
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body style="margin:0;font-family:sans-serif"><h1 style="margin:8px">Demo shop</h1>
<iframe id="returns" src="%s" title="Returns" width="100%%" height="150" style="border:0;display:block;width:100%%"
 sandbox="allow-scripts allow-forms allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads"></iframe>
<script src="%s/static/embed.js"></script>
<p style="margin:8px">Footer of the shop</p></body></html>`, src, s.portal)
}

func testID(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// shot writes full-page screenshots of a step at 375 px (a small phone) and
// desktop width; a shopper's page must also reflow at 320 px and at 200 %
// zoom.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if ctx == nil {
		return // this flow takes none
	}
	dir := filepath.Join("..", "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if portalPage(t, ctx) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 800)); err != nil {
			t.Fatal(err)
		}
		noOverflow(t, ctx, name+" at 320 px")
	}
	for _, w := range []int64{375, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800)); err != nil {
			t.Fatal(err)
		}
		capture := chromedp.FullScreenshot(100)
		if embeddedShots(ctx) {
			// The iframe reflows, reports its height and is resized; then
			// the whole storefront is shot in one viewport (a full-page
			// capture repaints the cross-site iframe late).
			time.Sleep(250 * time.Millisecond)
			h, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			capture = chromedp.CaptureScreenshot()
		}
		buf, err := chromedp.Run(ctx, capture)
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if portalPage(t, ctx) {
		// 200 % zoom of a 1280 px window: 640 CSS px at twice the pixels.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(640, 800, chromedp.EmulateScale(2))); err != nil {
			t.Fatal(err)
		}
		noOverflow(t, ctx, name+" at 200 %")
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-640@2x.png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
}

// portalPage reports whether ctx shows a shopper's page top-level (not the
// storefront around the iframe, not the staff area), which must reflow at
// 320 px and 200 % zoom.
func portalPage(t *testing.T, ctx context.Context) bool {
	t.Helper()
	if embeddedShots(ctx) {
		return false
	}
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("portal") !== null`))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// noOverflow fails when the page scrolls sideways: at 320 px and at 200 %
// zoom everything reflows into the width.
func noOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	// A page measured before its stylesheet applied is as wide as its
	// unstyled tables: wait for the load to complete first.
	_, _ = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete"`,
		chromedp.WithPollingTimeout(10*time.Second)))
	over, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if over > 0 {
		// Name the widest culprits: the deepest elements reaching past
		// either edge of the viewport.
		culprits, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const w = document.documentElement.clientWidth;
			return Array.from(document.querySelectorAll("body *")).filter(e => {
				const r = e.getBoundingClientRect();
				return r.width > 0 && (r.right > w + 1 || r.left < -1) &&
					!Array.from(e.children).some(c => { const q = c.getBoundingClientRect(); return q.width > 0 && (q.right > w + 1 || q.left < -1); });
			}).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
				(e.dataset.testid ? "[" + e.dataset.testid + "]" : "") + "." + Array.from(e.classList).join(".") +
				" " + Math.round(e.getBoundingClientRect().left) + ".." + Math.round(e.getBoundingClientRect().right));
		})()`))
		t.Errorf("%s: the page is %d px wider than the viewport (%v)", what, over, culprits)
	}
}

// must runs steps with a time limit of their own; on failure it shows the
// page as it was.
type shotKey struct{}

// embeddedShots reports whether ctx shows the storefront, whose iframe
// needs a moment to follow a change of the viewport.
func embeddedShots(ctx context.Context) bool { return ctx.Value(shotKey{}) != nil }

func must(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	// Generous: a loaded CI machine runs the race-built server slowly; a
	// step that fails still fails within the test's own limit.
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		loc, _ := chromedp.Run(dctx, chromedp.Location())
		html, _ := chromedp.Run(dctx, chromedp.OuterHTML(chromedp.CSS("body")))
		if len(html) > 3000 {
			html = html[:3000]
		}
		t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, html)
	}
}

func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	// Read in one script run, and only while no htmx request is in flight:
	// a swap between finding the node and reading it would otherwise fail
	// ("No node with given id") or read a node about to be replaced. Two
	// equal reads in a row count as settled.
	js := `(() => {
		if (document.querySelector(".htmx-request, .htmx-settling, .htmx-swapping")) return "";
		const n = document.querySelector(` + strconv.Quote(`[data-testid="`+id+`"]`) + `);
		return n ? n.textContent : "";
	})()`
	var last string
	for range 100 {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("text of %s: %v", id, err)
		}
		if s = strings.TrimSpace(s); s != "" && s == last {
			return s
		}
		last = s
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("text of %s: not found or never settled (last %q)", id, last)
	return ""
}

// htmxIdle waits until no htmx request, swap or settle is under way: a click
// while a swap lands can hit the element being replaced and be lost.
func htmxIdle() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`!document.querySelector(".htmx-request, .htmx-settling, .htmx-swapping")`)
}

// returnFlow walks the return flow in ctx (a tab, or the iframe's target):
// find the order, choose one item, review, confirm; it returns the RMA.
// shotCtx is where screenshots are taken (the storefront for the iframe;
// nil: none).
func returnFlow(t *testing.T, ctx, shotCtx context.Context, prefix string, js bool) string {
	t.Helper()
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "start page", wait(testID("lookup-form")))
	shot(t, shotCtx, prefix+"-1-lookup")
	must(t, ctx, "lookup",
		chromedp.SendKeys(chromedp.CSS("#order_number"), demo.FeaturedOrder),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
		chromedp.Click(testID("lookup-submit")),
		wait(testID("order-form")))
	shot(t, shotCtx, prefix+"-2-order")
	must(t, ctx, "choose",
		chromedp.SetValue(chromedp.CSS(`[data-testid="line-qty"]`), "1"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="line-reason"]`), "wrong_size"))
	if js {
		// As a shopper's change would: htmx prices the form.
		must(t, ctx, "live quote",
			chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="line-reason"]').dispatchEvent(new Event("change", {bubbles: true}))`),
			wait(testID("live-total")),
			htmxIdle())
		shot(t, shotCtx, prefix+"-3-live-quote")
	}
	must(t, ctx, "review", chromedp.Click(testID("review-submit")), wait(testID("review-heading")))
	if len(text(t, ctx, "quote-total-amount")) == 0 {
		t.Error("no total on the review")
	}
	// What each refund method would bring back, with JavaScript or not.
	if len(text(t, ctx, "method-amount-store_credit")) == 0 {
		t.Error("no comparison of the refund methods on the review")
	}
	shot(t, shotCtx, prefix+"-4-review")
	must(t, ctx, "confirm", chromedp.Click(testID("confirm-submit")), wait(testID("rma")))
	shot(t, shotCtx, prefix+"-5-status")
	rma := text(t, ctx, "rma")
	if !strings.HasPrefix(rma, "R-") {
		t.Errorf("RMA %q", rma)
	}
	return rma
}

// TestBrowserReturnFlowHTMX (a): the whole flow top-level with htmx, in
// English and Arabic, ending with an RMA; no CSP violation.
func TestBrowserReturnFlowHTMX(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) { topLevel(t, s, lang) })
	}
}

func topLevel(t *testing.T, s *site, lang string) {
	{
		ctx, con := tab(t, 30*time.Second)
		must(t, ctx, "open", chromedp.Navigate(s.portal+"/?lang="+lang))
		if lang == "ar" {
			dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`))
			if err != nil || dir != "rtl" {
				t.Errorf("dir %q %v", dir, err)
			}
		}
		returnFlow(t, ctx, ctx, "top-htmx-"+lang, true)
		// htmx swapped every step in place, and put each step's address in
		// the address bar: the status page's own.
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if !strings.Contains(loc, "/r/R-") || !strings.Contains(loc, "lang="+lang) {
			t.Errorf("after the htmx flow the address is %s", loc)
		}
		noCookies(t, ctx)
		noViolations(t, con)
	}
}

// TestBrowserReturnFlowWithoutJavaScript (b): the same flow with scripts
// disabled: plain forms and redirects.
func TestBrowserReturnFlowWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	ctx, con := tab(t, 30*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "open", chromedp.Navigate(s.portal+"/?lang=en"))
	returnFlow(t, ctx, nil, "nojs-en", false) // the same pages as top-htmx-en: no screenshots
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/r/R-") {
		t.Errorf("without JavaScript the status page is its own address: %s", loc)
	}
	noCookies(t, ctx)
	noViolations(t, con)
}

// TestBrowserWithdrawal: the withdrawal function top-level, in Arabic.
func TestBrowserWithdrawal(t *testing.T) {
	s := newSite(t)
	for lang, order := range map[string]string{"en": "IT-1002", "ar": "DE-1001"} {
		t.Run(lang, func(t *testing.T) { withdraw(t, s, lang, order) })
	}
}

func withdraw(t *testing.T, s *site, lang, order string) {
	{
		ctx, con := tab(t, 20*time.Second)
		wait := chromedp.WaitVisible[chromedp.CSS]
		must(t, ctx, "start", chromedp.Navigate(s.portal+"/?lang="+lang), wait(testID("withdraw-link")),
			chromedp.Click(testID("withdraw-link")), wait(testID("lookup-form")),
			chromedp.SendKeys(chromedp.CSS("#order_number"), order),
			chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
			chromedp.Click(testID("lookup-submit")), wait(testID("withdraw-form")))
		shot(t, ctx, "withdraw-"+lang+"-1-confirm")
		noAxeViolations(t, ctx, "withdrawal "+lang)
		must(t, ctx, "withdraw", chromedp.Click(testID("withdraw-submit")), wait(testID("ack-received")))
		shot(t, ctx, "withdraw-"+lang+"-2-ack")
		noAxeViolations(t, ctx, "withdrawal received "+lang)
		if !strings.HasPrefix(text(t, ctx, "rma"), "R-") {
			t.Error("no RMA")
		}
		noViolations(t, con)
	}
}

// frameTarget attaches to the cross-site iframe that shows a portal path.
func frameTarget(t *testing.T, ctx context.Context, s *site, path string) (context.Context, *console) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && info.URL == s.portal+path {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				return fctx, watch(t, fctx, "iframe")
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the portal's iframe is not a target of its own (site isolation)")
	return nil, nil
}

func iframeHeight(t *testing.T, ctx context.Context) string {
	t.Helper()
	h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("returns").getAttribute("height")`))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// waitHeight waits until the iframe's height differs from old.
func waitHeight(t *testing.T, ctx context.Context, old string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if h := iframeHeight(t, ctx); h != old {
			return h
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the iframe kept its height %s", old)
	return ""
}

// TestBrowserEmbeddedFlow (c): the flow in an iframe on a storefront of
// another site (localhost vs 127.0.0.1), third-party cookies blocked as
// headless Chromium does by default: no cookie is set or needed, and the
// iframe takes the height the page reports.
func TestBrowserEmbeddedFlow(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) { embedded(t, s, lang) })
	}
}

func embedded(t *testing.T, s *site, lang string) {
	{
		ctx, con := tab(t, 30*time.Second)
		must(t, ctx, "storefront", chromedp.Navigate(s.shop+"/?frame="+"/embed%3Flang%3D"+lang))
		fctx, fcon := frameTarget(t, ctx, s, "/embed?lang="+lang)
		must(t, fctx, "embedded start", chromedp.WaitVisible(testID("lookup-form")))
		h := waitHeight(t, ctx, "150")
		returnFlow(t, fctx, context.WithValue(ctx, shotKey{}, true), "embed-"+lang, true)
		if h2 := iframeHeight(t, ctx); h2 == "150" || h2 == "" {
			t.Errorf("iframe height %s after the flow (was %s)", h2, h)
		}
		// The address bar is the storefront's: the flow never changed it.
		// The status page shows the return's link to keep instead, top-level
		// (no /embed), with a working "copy link".
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != s.shop+"/?frame=/embed%3Flang%3D"+lang {
			t.Errorf("the storefront's address became %s", loc)
		}
		kept, _ := chromedp.Run(fctx, chromedp.Value(testID("status-url")))
		if !strings.HasPrefix(kept, s.portal+"/r/R-") || strings.Contains(kept, "/embed") {
			t.Errorf("kept link %q", kept)
		}
		must(t, fctx, "copy", chromedp.WaitVisible(testID("copy-link")), chromedp.Click(testID("copy-link")))
		if got := text(t, fctx, "copy-result"); got == "" {
			t.Error("copying in the iframe says nothing")
		}
		noCookies(t, ctx)
		noViolations(t, con, fcon)
	}
}

// TestBrowserFramingRefused (d): a storefront cannot frame a non-embed
// page; Chromium refuses it for frame-ancestors 'none'.
func TestBrowserFramingRefused(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/", "/order", "/policy"} {
		ctx, con := tab(t, 15*time.Second)
		must(t, ctx, "storefront", chromedp.Navigate(s.shop+"/?frame="+path), chromedp.WaitReady(chromedp.CSS("#returns")))
		var refused bool
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !refused; time.Sleep(50 * time.Millisecond) {
			for _, m := range con.all() {
				if strings.Contains(m, "frame-ancestors") {
					refused = true
				}
			}
		}
		if !refused {
			t.Errorf("%s: no frame-ancestors refusal logged: %v", path, con.all())
		}
		// The portal never reported a height: the frame stayed blank.
		if h := iframeHeight(t, ctx); h != "150" {
			t.Errorf("%s: the refused frame reported a height %s", path, h)
		}
	}
}
