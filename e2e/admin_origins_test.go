package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The staff area in every shape a deployment puts between a browser and the
// portal; each logs in through the real form, receives a parcel by scan (a
// staff POST with the CSRF token) and logs out. The make-run shape itself is
// TestBrowserAdminReceiveInspectRefund.

// TestBrowserAdminOnLANAddress: `make run`'s defaults, the browser on a
// plain-http name that is not localhost (returns.lan). Chromium sends no
// Sec-Fetch-Site there, so the Origin decides; under the staff pages'
// referrer policy it is the real one, which names the request's Host.
func TestBrowserAdminOnLANAddress(t *testing.T) {
	p := startPortal(t)
	_, port, _ := strings.Cut(p.Addr, ":")
	staffRound(t, p, "http://returns.lan:"+port)
}

// TestBrowserAdminBehindProxy: a reverse proxy on plain http that passes
// another Host on (the backend's address), the portal started with
// --base-url naming the proxy. The Origin then matches the base URL, not the
// Host, and Chromium again sends no Fetch metadata.
func TestBrowserAdminBehindProxy(t *testing.T) {
	proxy, setBackend := reverseProxy(t, false)
	_, port, _ := strings.Cut(strings.TrimPrefix(proxy.URL, "http://"), ":")
	public := "http://proxy.lan:" + port
	p := startPortal(t, "--base-url", public, "--trusted-proxies", "127.0.0.1/32")
	setBackend(p.Addr)
	if p.URL != public {
		t.Fatalf("the server says it is at %s, want %s", p.URL, public)
	}
	staffRound(t, p, public)
}

// TestBrowserAdminHTTPSProxy: TLS ends at a proxy, which speaks plain http
// to the portal (started with an https:// --base-url and the proxy as
// trusted). The session cookie is then __Host- and Secure, and still works.
func TestBrowserAdminHTTPSProxy(t *testing.T) {
	proxy, setBackend := reverseProxy(t, true)
	_, port, _ := strings.Cut(strings.TrimPrefix(proxy.URL, "https://"), ":")
	public := "https://returns.lan:" + port
	p := startPortal(t, "--base-url", public, "--trusted-proxies", "127.0.0.1/32")
	setBackend(p.Addr)
	staffRound(t, p, public)
}

// staffRound logs in at base, scans a new return, checks the session cookie
// and logs out.
func staffRound(t *testing.T, p *portal, base string) {
	t.Helper()
	rma := newReturn(t, p)
	ctx, cons := privateTab(t, 30*time.Second)
	login(t, ctx, p, base)
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/admin/"}})
	if err != nil {
		t.Fatal(err)
	}
	var session *network.Cookie
	for _, c := range cookies.Cookies {
		if strings.HasSuffix(c.Name, "rp_staff") {
			session = c
		}
	}
	secure := strings.HasPrefix(base, "https://")
	switch {
	case session == nil:
		t.Errorf("no session cookie after the login: %v", cookies.Cookies)
	case secure && (session.Name != "__Host-rp_staff" || !session.Secure):
		t.Errorf("behind https the session cookie is %s (secure %v), want __Host-rp_staff, Secure", session.Name, session.Secure)
	case !session.HTTPOnly || session.SameSite != network.CookieSameSiteLax:
		t.Errorf("session cookie HttpOnly %v SameSite %s", session.HTTPOnly, session.SameSite)
	}
	must(t, ctx, "receive page", chromedp.Navigate(base+"/admin/receive"), chromedp.WaitVisible(testID("scan-input")))
	scan(t, ctx, rma, "received")
	logout(t, ctx, base)
	noViolations(t, cons)
}

// reverseProxy is a proxy (TLS when tls is set) in front of a backend named
// later; it passes the backend's address on as Host, as many proxies do,
// and adds X-Forwarded-For and X-Forwarded-Proto.
func reverseProxy(t *testing.T, tls bool) (*httptest.Server, func(addr string)) {
	t.Helper()
	var backend *url.URL
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(backend) // also sets the outbound Host to the backend's
		r.SetXForwarded()
	}}
	srv := httptest.NewUnstartedServer(rp)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, func(addr string) { backend = &url.URL{Scheme: "http", Host: addr} }
}

// TestBrowserAdminCrossSitePostsRefused: forms on other origins cannot act
// in the staff area. A page on another port of the same host is same-site
// (the Lax session cookie goes along) but cross-origin: even with the
// session's CSRF token pasted into it, its settings form is refused by the
// cross-origin check and changes nothing. A login form on another site is
// refused too.
func TestBrowserAdminCrossSitePostsRefused(t *testing.T) {
	p := startPortal(t)
	ctx, _ := privateTab(t, 30*time.Second)
	login(t, ctx, p, p.URL)
	must(t, ctx, "settings page", chromedp.Navigate(p.URL+"/admin/settings"), chromedp.WaitVisible(testID("settings-form")))
	token, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name="csrf"]').value`))
	if err != nil || token == "" {
		t.Fatalf("csrf token: %q %v", token, err)
	}
	before, err := chromedp.Run(ctx, chromedp.Value(testID("in-merchant_name")))
	if err != nil {
		t.Fatal(err)
	}
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action, fields := p.URL+"/admin/settings", fmt.Sprintf(
			`<input name="csrf" value="%s"><input name="merchant_name" value="Evil">`, token)
		if r.URL.Path == "/login" {
			action, fields = p.URL+"/admin/login", fmt.Sprintf(
				`<input name="email" value="%s"><input name="password" value="%s">`, p.AdminEmail, p.AdminPassword)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><title>Evil</title><form method="post" action="%s">%s<button id="go">Go</button></form>`, action, fields)
	}))
	t.Cleanup(evil.Close)
	for name, page := range map[string]string{
		"same-site page on another port": evil.URL + "/settings",
		"login form on another site":     strings.Replace(evil.URL, "127.0.0.1", "localhost", 1) + "/login",
	} {
		must(t, ctx, name, chromedp.Navigate(page), chromedp.Click(chromedp.CSS("#go")),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-message"][data-status="403"]`)))
	}
	must(t, ctx, "settings after the attack", chromedp.Navigate(p.URL+"/admin/settings"), chromedp.WaitVisible(testID("settings-form")))
	if after, err := chromedp.Run(ctx, chromedp.Value(testID("in-merchant_name"))); err != nil || after != before {
		t.Errorf("merchant name %q after the cross-origin post, was %q (%v)", after, before, err)
	}
}
