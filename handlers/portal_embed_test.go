package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/returns-portal/returns/service"
	"golang.org/x/net/html"
)

func withEmbedOrigins(origins ...string) appOption {
	return func(c *service.Config) { c.EmbedOrigins = origins }
}

// TestEmbedFraming: only the embedded flow may be framed, and only by the
// configured storefronts; everything else, error pages included, refuses.
func TestEmbedFraming(t *testing.T) {
	a := newTestApp(t, withEmbedOrigins("https://shop.example", "http://localhost:8081"))
	for _, path := range []string{"/embed", "/embed/?lang=de", "/embed/withdraw", "/embed/order?t=forged", "/embed/nope"} {
		res := a.get(path, false)
		h := res.res.Header()
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp,
			"frame-ancestors 'self' https://shop.example http://localhost:8081;") || !strings.Contains(csp, "script-src 'nonce-") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "" {
			t.Errorf("%s: X-Frame-Options %q", path, h.Get("X-Frame-Options"))
		}
	}
	for _, path := range []string{"/", "/order?t=forged", "/policy?country=DE", "/withdraw", "/static/embed.js", "/healthz", "/embedded"} {
		h := a.get(path, false).res.Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: frameable: %v", path, h)
		}
	}
	// No storefront configured: nobody may frame the embed either.
	b := newTestApp(t)
	h := b.get("/embed", false).res.Header()
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("unconfigured embed: %v", h)
	}
}

// embedConfigParent is the storefront origin the page's script posts to.
func embedConfigParent(t *testing.T, p page) string {
	t.Helper()
	n := all(p.root, func(n *html.Node) bool { return n.Data == "script" && attr(n, "id") == "embed-config" })
	if len(n) != 1 {
		t.Fatalf("embed-config: %d\n%s", len(n), p.res.Body)
	}
	return text(n[0])
}

// TestEmbedFlow: the whole flow under /embed, in the embed layout, carrying
// the storefront origin; links that leave the flow open top-level.
func TestEmbedFlow(t *testing.T) {
	const shop = "http://localhost:8081"
	a := newTestApp(t, withEmbedOrigins("https://shop.example", shop))
	start := a.get("/embed?lang=de&parent="+url.QueryEscape(shop), false)
	if start.res.Code != http.StatusOK || start.has("brand") || !start.has("language-switcher") {
		t.Fatalf("embed start: %d\n%s", start.res.Code, start.res.Body)
	}
	if got := embedConfigParent(t, start); got != `{"parent":"`+shop+`"}` {
		t.Errorf("embed config %s", got)
	}
	scripts := all(start.root, func(n *html.Node) bool { return n.Data == "script" && attr(n, "src") != "" })
	if len(scripts) != 3 || attr(scripts[2], "src") != "/static/embed-frame.js" || attr(scripts[2], "nonce") == "" {
		t.Errorf("scripts %v", scripts)
	}
	if attr(start.one("withdraw-link"), "href") != "/embed/withdraw?lang=de&parent="+url.QueryEscape(shop) {
		t.Errorf("withdraw link %q", attr(start.one("withdraw-link"), "href"))
	}
	for _, l := range start.all("lang-en") {
		if href := attr(l, "href"); !strings.HasPrefix(href, "/embed?") || !strings.Contains(href, "parent=") {
			t.Errorf("language link %q", href)
		}
	}
	policy := start.one("policy-link")
	if attr(policy, "target") != "_blank" || !strings.HasPrefix(attr(policy, "href"), "/policy") {
		t.Errorf("policy link leaves the flow in the frame: %v", policy.Attr)
	}
	form := start.one("lookup-form")
	if attr(form, "action") != "/embed/lookup" || attr(form, "hx-post") != "/embed/lookup" {
		t.Errorf("lookup form %v", form.Attr)
	}
	v := formValues(form)
	v.Set("order_number", "DE-1001")
	v.Set("email", "demo@example.com")
	if v.Get("parent") != shop {
		t.Errorf("parent not carried: %v", v)
	}
	res := a.post("/embed/lookup", v, false)
	loc := res.res.Header().Get("Location")
	if res.res.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/embed/order?") || !strings.Contains(loc, "parent=") {
		t.Fatalf("lookup: %d %q", res.res.Code, loc)
	}
	order := a.follow(res, false)
	of := order.one("order-form")
	if attr(of, "action") != "/embed/review" {
		t.Errorf("order form %v", of.Attr)
	}
	if q := all(of, func(n *html.Node) bool { return attr(n, "hx-post") == "/embed/quote" }); len(q) != 1 {
		t.Error("live quote not under /embed")
	}
	fv := formValues(of)
	fv.Set("qty.L1", "1")
	fv.Set("reason.L1", "wrong_size")
	fv.Set("method", "original_payment")
	review := a.post("/embed/review", fv, true)
	cf := review.one("confirm-form")
	if attr(cf, "action") != "/embed/returns" || formValues(cf).Get("parent") != shop {
		t.Errorf("confirm form %v %v", cf.Attr, formValues(cf))
	}
	created := a.post("/embed/returns", formValues(cf), false)
	loc = created.res.Header().Get("Location")
	if created.res.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/embed/r/R-") || !strings.Contains(loc, "parent=") {
		t.Fatalf("confirm: %d %q", created.res.Code, loc)
	}
	status := a.follow(created, false)
	if !status.has("rma") || embedConfigParent(t, status) != `{"parent":"`+shop+`"}` {
		t.Errorf("status page:\n%s", status.res.Body)
	}
	if href := attr(status.one("label-a4"), "href"); !strings.HasPrefix(href, "/r/") {
		t.Errorf("label link %q", href)
	}
	if c := status.one("cancel-form"); !strings.HasPrefix(attr(c, "action"), "/embed/r/") {
		t.Errorf("cancel form %v", c.Attr)
	}
	for _, p := range []page{start, order, review, status} {
		for _, n := range all(p.root, func(n *html.Node) bool { return hasAttr(n, "hx-boost") || hasAttr(n, "hx-push-url") }) {
			t.Errorf("hx-boost/hx-push-url in the embed: %v", n.Attr)
		}
	}
}

// TestEmbedParent: the storefront origin comes from the parent parameter or
// the Referer, and only ever is a configured one.
func TestEmbedParent(t *testing.T) {
	a := newTestApp(t, withEmbedOrigins("https://shop.example", "https://other.example"))
	cases := []struct {
		path, referer, want string
	}{
		{"/embed?parent=https://shop.example", "", `{"parent":"https://shop.example"}`},
		{"/embed?parent=https://evil.example", "", `{"parent":""}`},
		{"/embed", "https://other.example/checkout?x=1", `{"parent":"https://other.example"}`},
		{"/embed", "https://evil.example/", `{"parent":""}`},
		{"/embed?parent=https://evil.example", "https://shop.example/returns", `{"parent":"https://shop.example"}`},
	}
	for _, c := range cases {
		var hdr []string
		if c.referer != "" {
			hdr = []string{"Referer", c.referer}
		}
		if got := embedConfigParent(t, a.get(c.path, false, hdr...)); got != c.want {
			t.Errorf("%s (referer %q): %s, want %s", c.path, c.referer, got, c.want)
		}
	}
	// One storefront: it is the parent.
	b := newTestApp(t, withEmbedOrigins("https://shop.example"))
	if got := embedConfigParent(t, b.get("/embed", false)); got != `{"parent":"https://shop.example"}` {
		t.Errorf("single origin: %s", got)
	}
	// Top-level pages carry no embed script.
	if all(b.get("/", false).root, func(n *html.Node) bool { return attr(n, "id") == "embed-config" }) != nil {
		t.Error("embed config on a top-level page")
	}
}
