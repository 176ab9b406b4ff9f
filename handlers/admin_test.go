package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// adminRoute is one /admin route and the least role it needs ("" = none,
// the login page).
type adminRoute struct {
	method, path, role string
}

// TestAdminRoleMatrix walks every /admin route for every role and for no
// session: allowed, 403, or a redirect to the login page, as designed. A
// route added without an entry here fails the test.
func TestAdminRoleMatrix(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	routes := []adminRoute{
		{"GET", "/admin", ""},
		{"GET", "/admin/login", ""},
		{"POST", "/admin/login", ""},
		{"POST", "/admin/logout", store.RoleViewer},
		{"GET", "/admin/returns", store.RoleViewer},
		{"GET", "/admin/returns.csv", store.RoleViewer}, // admin_export.go
		{"GET", "/admin/returns/:rma", store.RoleViewer},
		{"GET", "/admin/receive", store.RoleViewer},
		{"POST", "/admin/receive", store.RoleAgent},
		{"POST", "/admin/returns/:rma/receive", store.RoleAgent},
		{"POST", "/admin/returns/:rma/approve", store.RoleAgent},
		{"POST", "/admin/returns/:rma/reject", store.RoleAgent},
		{"POST", "/admin/returns/:rma/inspect", store.RoleAgent},
		{"GET", "/admin/returns/:rma/refund", store.RoleAgent}, // admin_refund_confirm.go (409 before inspection)
		{"POST", "/admin/returns/:rma/refund", store.RoleAgent},
		{"POST", "/admin/returns/:rma/refund/retry", store.RoleAgent},
		{"POST", "/admin/returns/:rma/refund/manual", store.RoleAgent},
		{"POST", "/admin/returns/:rma/notes", store.RoleAgent},
		{"POST", "/admin/returns/:rma/carrier-retry", store.RoleAgent}, // admin_shipment.go (404: no shipment)
		// Configuration (admin_policy.go, admin_settings.go, admin_staff.go).
		{"GET", "/admin/policy", store.RoleViewer},
		{"POST", "/admin/policy", store.RoleAdmin},
		{"GET", "/admin/policy/preview", store.RoleViewer},
		{"GET", "/admin/policy/export", store.RoleViewer},
		{"POST", "/admin/policy/import", store.RoleAdmin},
		{"GET", "/admin/settings", store.RoleAdmin},
		{"POST", "/admin/settings", store.RoleAdmin},
		{"POST", "/admin/settings/connectors", store.RoleAdmin},   // admin_connectors.go
		{"GET", "/admin/settings/shop-webhooks", store.RoleAdmin}, // admin_shop_webhooks.go
		{"POST", "/admin/settings/keys", store.RoleAdmin},
		{"POST", "/admin/settings/keys/revoke", store.RoleAdmin},
		{"GET", "/admin/staff", store.RoleAdmin},
		{"POST", "/admin/staff", store.RoleAdmin},
		{"POST", "/admin/staff/role", store.RoleAdmin},
		{"POST", "/admin/staff/disable", store.RoleAdmin},
		{"GET", "/admin/returns/:rma/photos/:id", store.RoleViewer}, // admin_photos.go (404 for ":id")
		{"POST", "/admin/returns/:rma/goodwill", store.RoleAdmin},   // admin_goodwill.go
		// Notifications (admin_outbox.go, admin_webhooks.go; 404 for ":id").
		{"GET", "/admin/outbox", store.RoleAgent},
		{"GET", "/admin/outbox/:id", store.RoleAgent},
		{"GET", "/admin/outbox/:id/html", store.RoleAgent},
		{"POST", "/admin/outbox/:id/resend", store.RoleAgent},
		{"GET", "/admin/settings/webhooks", store.RoleAdmin},
		{"POST", "/admin/settings/webhooks", store.RoleAdmin},
		{"GET", "/admin/settings/webhooks/:id", store.RoleAdmin},
		{"POST", "/admin/settings/webhooks/:id/rotate", store.RoleAdmin},
		{"POST", "/admin/settings/webhooks/:id/enable", store.RoleAdmin},
		{"POST", "/admin/settings/webhooks/:id/delete", store.RoleAdmin},
		{"GET", "/admin/analytics", store.RoleViewer},         // admin_analytics.go
		{"GET", "/admin/analytics/:report", store.RoleViewer}, // a report and its CSV (products.csv)
	}
	known := map[string]bool{}
	for _, r := range routes {
		known[r.method+" "+r.path] = true
	}
	for _, r := range a.e.Routes() {
		if strings.HasPrefix(r.Path, "/admin") && !known[r.Method+" "+r.Path] && r.Method != "echo_route_not_found" {
			t.Errorf("route %s %s is not in the role matrix", r.Method, r.Path)
		}
	}
	clients := map[string]*staffClient{"": a.staff()}
	for _, role := range []string{store.RoleViewer, store.RoleAgent, store.RoleAdmin} {
		clients[role] = a.staff().login(role)
	}
	rank := map[string]int{"": 0, store.RoleViewer: 1, store.RoleAgent: 2, store.RoleAdmin: 3}
	for _, who := range []string{"", store.RoleViewer, store.RoleAgent, store.RoleAdmin} {
		for _, r := range routes {
			if r.path == "/admin/logout" || r.path == "/admin/login" {
				continue // tested in TestAdminLogin (logging out would end the session)
			}
			name := fmt.Sprintf("%s %s as %q", r.method, r.path, who)
			path := strings.ReplaceAll(strings.ReplaceAll(r.path, ":rma", rma), ":report", "products")
			c := clients[who]
			var res page
			if r.method == "GET" {
				res = c.get(path)
			} else {
				res = c.post(path, url.Values{"reason": {"test"}, "body": {"test"}, "rma": {rma}})
			}
			switch {
			case r.role == "":
				if res.res.Code >= 400 && res.res.Code != http.StatusForbidden {
					t.Errorf("%s: %d", name, res.res.Code)
				}
			case who == "":
				if !isLoginRedirect(res) {
					t.Errorf("%s: %d %s, want a redirect to the login page", name, res.res.Code, res.res.Header().Get("Location"))
				}
			case rank[who] < rank[r.role]:
				if res.res.Code != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", name, res.res.Code)
				}
			default:
				if res.res.Code == http.StatusForbidden || res.res.Code == http.StatusUnauthorized || isLoginRedirect(res) || res.res.Code >= 500 {
					t.Errorf("%s: %d, want it allowed", name, res.res.Code)
				}
			}
		}
	}
}

func TestAdminLogin(t *testing.T) {
	a := newStaffApp(t)
	// The login page may not be framed and carries no session yet.
	c := a.staff()
	lp := c.get("/admin/login")
	if csp := lp.res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	// Identical failures for an unknown user and a wrong password.
	unknown := a.staff().tryLogin("nobody@example.com", staffPassword)
	wrong := a.staff().tryLogin("agent@example.com", "wrong password")
	if unknown.res.Code != http.StatusUnauthorized || wrong.res.Code != http.StatusUnauthorized {
		t.Fatalf("failures: %d %d", unknown.res.Code, wrong.res.Code)
	}
	strip := regexp.MustCompile(`nonce="[^"]*"|name="login_csrf" value="[^"]*"|value="[^"]*@example.com"`)
	if strip.ReplaceAllString(unknown.res.Body.String(), "") != strip.ReplaceAllString(wrong.res.Body.String(), "") {
		t.Errorf("unknown user and wrong password differ:\n%s\n---\n%s", unknown.res.Body, wrong.res.Body)
	}
	if len(unknown.res.Result().Cookies()) != len(wrong.res.Result().Cookies()) {
		t.Error("failures set different cookies")
	}
	// A login without the login form's token is refused.
	bare := a.staff()
	if res := bare.req("POST", "/admin/login", url.Values{"email": {"agent@example.com"}, "password": {staffPassword}}); res.res.Code != http.StatusForbidden {
		t.Errorf("login without login CSRF: %d", res.res.Code)
	}
	// Success: a __Host- cookie (the base URL is https), HttpOnly, Secure,
	// SameSite=Lax, and a new session id at every login.
	s := a.staff()
	res := s.tryLogin("Agent@Example.com", staffPassword)
	if res.res.Code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", res.res.Code, res.res.Body)
	}
	var sc *http.Cookie
	for _, ck := range res.res.Result().Cookies() {
		if ck.Name == "__Host-rp_staff" {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || !sc.Secure || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Domain != "" {
		t.Fatalf("session cookie %+v", sc)
	}
	first := s.cookies["__Host-rp_staff"]
	res = s.tryLogin("agent@example.com", staffPassword)
	if res.res.Code != http.StatusSeeOther || s.cookies["__Host-rp_staff"] == first {
		t.Fatalf("session id not renewed at login")
	}
	old := a.staff()
	old.cookies["__Host-rp_staff"] = first
	if !isLoginRedirect(old.get("/admin/returns")) {
		t.Error("the session before the new login still works")
	}
	// Logout ends the session on the server.
	s.get("/admin/returns")
	id := s.cookies["__Host-rp_staff"]
	if out := s.post("/admin/logout", nil); out.res.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", out.res.Code)
	}
	again := a.staff()
	again.cookies["__Host-rp_staff"] = id
	if !isLoginRedirect(again.get("/admin/returns")) {
		t.Error("session alive after logout")
	}
	// next: only paths of the staff area.
	n := a.staff()
	lp = n.get("/admin/login?next=" + url.QueryEscape("https://evil.example/"))
	if lp.has("next") || strings.Contains(lp.res.Body.String(), "evil.example") {
		t.Error("open redirect through next")
	}
}

func TestAdminLoginThrottled(t *testing.T) {
	a := newStaffApp(t)
	// Per account: five attempts in 15 minutes, then 429 even with the
	// right password, from any address.
	for i := 0; i < service.LoginLimitAccount; i++ {
		c := a.staff()
		c.remote = fmt.Sprintf("198.51.100.%d:1", i+1)
		if res := c.tryLogin("viewer@example.com", "wrong"); res.res.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.res.Code)
		}
	}
	c := a.staff()
	c.remote = "198.51.100.99:1"
	res := c.tryLogin("viewer@example.com", staffPassword)
	if res.res.Code != http.StatusTooManyRequests || res.res.Header().Get("Retry-After") == "" {
		t.Fatalf("throttled account: %d", res.res.Code)
	}
	// Unknown accounts are throttled alike.
	for i := 0; i < service.LoginLimitAccount; i++ {
		c := a.staff()
		c.remote = fmt.Sprintf("203.0.113.%d:1", i+1)
		c.tryLogin("ghost@example.com", "x")
	}
	c = a.staff()
	c.remote = "203.0.113.200:1"
	if res := c.tryLogin("ghost@example.com", "x"); res.res.Code != http.StatusTooManyRequests {
		t.Errorf("unknown account not throttled: %d", res.res.Code)
	}
	// Per IP: 20 attempts on different accounts, then 429.
	ip := a.staff()
	ip.remote = "192.0.2.77:1"
	for i := 0; i < service.LoginLimitIP; i++ {
		ip.tryLogin(fmt.Sprintf("user%d@example.com", i), "x")
	}
	if res := ip.tryLogin("agent@example.com", staffPassword); res.res.Code != http.StatusTooManyRequests {
		t.Errorf("IP not throttled: %d", res.res.Code)
	}
	// After the window the account may log in again.
	a.advance(service.LoginWindow + time.Second)
	c = a.staff()
	c.remote = "198.51.100.99:1"
	if res := c.tryLogin("viewer@example.com", staffPassword); res.res.Code != http.StatusSeeOther {
		t.Errorf("after the window: %d", res.res.Code)
	}
}

func TestAdminSessionTimeouts(t *testing.T) {
	a := newStaffApp(t)
	s := a.staff().login(store.RoleViewer)
	a.advance(29 * time.Minute)
	if res := s.get("/admin/returns"); res.res.Code != http.StatusOK {
		t.Fatalf("after 29 idle minutes: %d", res.res.Code)
	}
	a.advance(store.SessionIdle)
	if res := s.get("/admin/returns"); !isLoginRedirect(res) {
		t.Fatalf("after 30 idle minutes: %d", res.res.Code)
	}
	// Absolute: active every 20 minutes, out after 12 hours.
	s = a.staff().login(store.RoleViewer)
	start := a.now()
	for a.now().Sub(start) < store.SessionAbsolute-20*time.Minute {
		a.advance(20 * time.Minute)
		if res := s.get("/admin/returns"); res.res.Code != http.StatusOK {
			t.Fatalf("after %s: %d", a.now().Sub(start), res.res.Code)
		}
	}
	a.advance(20 * time.Minute)
	res := s.get("/admin/returns?status=approved")
	if !isLoginRedirect(res) {
		t.Fatalf("after %s: %d", a.now().Sub(start), res.res.Code)
	}
	if loc := res.res.Header().Get("Location"); !strings.Contains(loc, url.QueryEscape("/admin/returns?status=approved")) {
		t.Errorf("login redirect loses the page: %s", loc)
	}
}

func TestAdminCSRF(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleAgent)
	note := func(extra ...string) int {
		form := url.Values{"body": {"hello"}}
		return s.req("POST", "/admin/returns/"+rma+"/notes", form, extra...).res.Code
	}
	cases := []struct {
		name string
		hdr  []string
		want int
	}{
		{"cross-site with the token", []string{"Sec-Fetch-Site", "cross-site", "X-CSRF-Token", s.csrf}, 403},
		{"other origin with the token", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example", "X-CSRF-Token", s.csrf}, 403},
		{"same-site without the token", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"same-origin without the token", nil, 403},
		{"same-origin with a wrong token", []string{"X-CSRF-Token", "x" + s.csrf}, 403},
		{"same-origin with the token (htmx header)", []string{"X-CSRF-Token", s.csrf, "HX-Request", "true"}, 303},
		{"no fetch metadata (old browser) with the token", []string{"Sec-Fetch-Site", "", "Origin", "", "X-CSRF-Token", s.csrf}, 303},
		// The four shapes of the staff-login issue: Fetch metadata decides
		// first, even with "Origin: null" (Chromium under no-referrer) ...
		{"same-origin by Fetch metadata, Origin null", []string{"Origin", "null", "X-CSRF-Token", s.csrf}, 303},
		// ... without it (plain-http LAN addresses), the Origin must be the
		// request's Host or the base URL's origin (a proxy rewrote Host) ...
		{"Origin only, the request's host", []string{"Sec-Fetch-Site", "", "Origin", "http://example.com", "X-CSRF-Token", s.csrf}, 303},
		{"Origin only, the base URL's origin", []string{"Sec-Fetch-Site", "", "Origin", "https://returns.example", "X-CSRF-Token", s.csrf}, 303},
		{"Origin only, another port", []string{"Sec-Fetch-Site", "", "Origin", "http://example.com:8081", "X-CSRF-Token", s.csrf}, 403},
		// ... a cross-site post is refused whatever it carries ...
		{"cross-site with the base URL's origin", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example", "X-CSRF-Token", s.csrf}, 403},
		// ... and "Origin: null" without Fetch metadata is refused.
		{"Origin null without Fetch metadata", []string{"Sec-Fetch-Site", "", "Origin", "null", "X-CSRF-Token", s.csrf}, 403},
	}
	for _, c := range cases {
		if got := note(c.hdr...); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// The form field works as well as the header.
	if res := s.post("/admin/returns/"+rma+"/notes", url.Values{"body": {"from the form"}}); res.res.Code != 303 {
		t.Errorf("form token: %d", res.res.Code)
	}
	// Another session's token is not this session's.
	other := a.staff().login(store.RoleAgent)
	if got := note("X-CSRF-Token", other.csrf); got != 403 {
		t.Errorf("another session's token: %d", got)
	}
	// Logout is a state change too.
	if res := s.req("POST", "/admin/logout", url.Values{}); res.res.Code != 403 {
		t.Errorf("logout without token: %d", res.res.Code)
	}
	// The htmx header is on every page's body.
	q := s.get("/admin/returns")
	if !strings.Contains(q.res.Body.String(), `hx-headers="{&#34;X-CSRF-Token&#34;:&#34;`+s.csrf) {
		t.Errorf("no hx-headers with the token")
	}
}

func TestAdminReceiveScan(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	cancelled := a.newReturn("PT-1003", "L2", 1, "original_payment")
	if code, _ := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + cancelled + "/cancel?token=" + url.QueryEscape(a.lookupToken("PT-1003"))}); code != 200 {
		t.Fatalf("cancel: %d", code)
	}
	s := a.staff().login(store.RoleAgent)
	pg := s.get("/admin/receive")
	if in := pg.one("scan-input"); !hasAttr(in, "autofocus") {
		t.Error("scan input not focused")
	}
	scan := func(typed string) (string, page) {
		res := s.post("/admin/receive", url.Values{"rma": {typed}}, "HX-Request", "true")
		if res.res.Code != 200 {
			t.Fatalf("scan %q: %d", typed, res.res.Code)
		}
		return attr(res.one("scan-result"), "data-result"), res
	}
	// A scanner may type lower case and drop the hyphens.
	got, res := scan(strings.ToLower(strings.ReplaceAll(rma, "-", "")) + "\n")
	if got != "received" {
		t.Fatalf("first scan: %s", got)
	}
	if strings.Contains(res.res.Body.String(), "<html") || !hasAttr(res.one("scan-input"), "autofocus") {
		t.Error("htmx answer is not the fragment with a focused input")
	}
	if got, _ := scan(rma); got != "already_received" {
		t.Errorf("second scan: %s", got)
	}
	if got, _ := scan("R-ZZZZ-ZZZZ"); got != "unknown" {
		t.Errorf("unknown: %s", got)
	}
	if got, _ := scan("not an rma"); got != "unknown" {
		t.Errorf("garbage: %s", got)
	}
	if got, _ := scan(cancelled); got != "cancelled" {
		t.Errorf("cancelled: %s", got)
	}
	// Without JavaScript: the whole page with the result.
	full := s.post("/admin/receive", url.Values{"rma": {rma}})
	if full.res.Code != 200 || !strings.Contains(full.res.Body.String(), "<html") || attr(full.one("scan-result"), "data-result") != "already_received" {
		t.Errorf("plain form: %d", full.res.Code)
	}
	// The audit trail names the member.
	events, _ := a.st.Events(context.Background(), rma)
	if last := events[len(events)-1]; last.Actor != "staff:agent@example.com" || last.To != "received" {
		t.Errorf("event %+v", last)
	}
}

// TestAdminInspectRefund works a return in the browser: receive, inspect one
// of two units, refund; then 50 concurrent clicks (one page's key, and keys
// of other pages) make one refund.
func TestAdminInspectRefund(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 2, "original_payment")
	s := a.staff().login(store.RoleAgent)
	if res := s.post("/admin/returns/"+rma+"/receive", nil); res.res.Code != 303 {
		t.Fatalf("receive: %d", res.res.Code)
	}
	d := s.get("/admin/returns/" + rma)
	if !d.has("inspect-form") || d.has("refund-form") || !d.has("due") {
		t.Fatalf("detail after receive lacks the inspect form or the deadline")
	}
	form := formValues(d.one("inspect-form"))
	form.Set("accepted.L1", "1")
	form.Set("condition.L1", "resellable")
	form.Set("notes.L1", `"><script>alert(1)</script>`)
	if res := s.post("/admin/returns/"+rma+"/inspect", form); res.res.Code != 303 {
		t.Fatalf("inspect: %d %s", res.res.Code, res.res.Body)
	}
	d = s.get("/admin/returns/" + rma)
	if attr(d.one("status"), "data-status") != "inspected" || !d.has("refund-form") || !d.has("original-quote") {
		t.Fatalf("after inspection: %s", attr(d.one("status"), "data-status"))
	}
	if strings.Contains(d.res.Body.String(), "<script>alert") {
		t.Error("inspection notes not escaped")
	}
	key := attr(all(d.one("refund-confirm-form"), func(n *html.Node) bool { return attr(n, "name") == "idempotency_key" })[0], "value")
	// Two agents: the second loads the page too (another key).
	s2 := a.staff().login(store.RoleAgent)
	d2 := s2.get("/admin/returns/" + rma)
	key2 := attr(all(d2.one("refund-confirm-form"), func(n *html.Node) bool { return attr(n, "name") == "idempotency_key" })[0], "value")
	if key == key2 {
		t.Fatal("two renders share a key")
	}
	var wg sync.WaitGroup
	codes := make([]int, 50)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, k := s, key
			if i%2 == 1 {
				c, k = s2, key2
			}
			if i%5 == 4 {
				k = fmt.Sprintf("form_other_%d", i) // a stale page each
			}
			codes[i] = c.post("/admin/returns/"+rma+"/refund", url.Values{"idempotency_key": {k}}).res.Code
		}()
	}
	wg.Wait()
	if n, err := a.st.CountRefunds(context.Background(), rma); err != nil || n != 1 {
		t.Fatalf("%d refund rows (%v), want 1; codes %v", n, err, codes)
	}
	for _, c := range codes {
		if c != 303 && c != 409 {
			t.Errorf("refund click: %d", c)
		}
	}
	d = s.get("/admin/returns/" + rma)
	if attr(d.one("status"), "data-status") != "refunded" || !d.has("refund") || d.has("refund-form") {
		t.Fatalf("after refund: %s", attr(d.one("status"), "data-status"))
	}
	// One of two units of 2 × 2500 − 500, minus the 495 return shipping fee.
	if amt := text(d.one("refund-amount")); !strings.Contains(amt, "17,55") && !strings.Contains(amt, "17.55") {
		t.Errorf("refund amount %q", amt)
	}
	var to []string
	for _, e := range d.all("event") {
		if v := attr(e, "data-to"); v != "" {
			to = append(to, v)
		}
	}
	if strings.Join(to, ",") != "approved,received,inspected,refunded" {
		t.Errorf("audit trail %v", to)
	}
}

func TestAdminQueue(t *testing.T) {
	a := newStaffApp(t)
	de := a.newReturn("DE-1001", "L1", 1, "original_payment")
	us := a.newReturn("US-1005", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleViewer)
	q := s.get("/admin/returns")
	rows := map[string]*html.Node{}
	for _, r := range q.all("queue-row") {
		rows[attr(r, "data-rma")] = r
	}
	if rows[de] == nil || rows[us] == nil {
		t.Fatalf("queue lacks the new returns: %v", rows)
	}
	// DE (EU): the legal deadline is 14 days after the request; US: none.
	if due := text(all(rows[de], byTestID("queue-due"))[0]); !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(strings.TrimSpace(due)) {
		t.Errorf("DE deadline %q", due)
	}
	if due := strings.TrimSpace(text(all(rows[us], byTestID("queue-due"))[0])); due != "" {
		t.Errorf("US deadline %q", due)
	}
	if q.has("overdue") {
		t.Error("overdue on day 0")
	}
	if got := attr(q.one("count-approved"), "data-count"); got == "0" || got == "" {
		t.Errorf("approved count %q", got)
	}
	a.advance(16 * 24 * time.Hour)
	s = a.staff().login(store.RoleViewer) // the old session has timed out
	over := s.get("/admin/returns?overdue=1")
	var flagged []string
	for _, r := range over.all("queue-row") {
		flagged = append(flagged, attr(r, "data-rma"))
		if len(all(r, byTestID("overdue"))) != 1 {
			t.Errorf("%s listed as overdue without the flag", attr(r, "data-rma"))
		}
	}
	if !strings.Contains(strings.Join(flagged, ","), de) || strings.Contains(strings.Join(flagged, ","), us) {
		t.Errorf("overdue: %v", flagged)
	}
	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"q=" + url.QueryEscape(strings.ToLower(de)), []string{de}, []string{us}},
		{"q=US-1005", []string{us}, []string{de}},
		{"q=DEMO%40EXAMPLE.COM", []string{de, us}, nil},
		{"country=us", []string{us}, []string{de}},
		{"status=received", nil, []string{de, us}},
		{"reason=wrong_size&sort=oldest", []string{de, us}, nil},
		{"sort=due", []string{de}, []string{us}},
		{"from=2000-01-01&to=2000-01-02", nil, []string{de, us}},
	} {
		res := s.get("/admin/returns?" + c.query)
		if res.res.Code != 200 {
			t.Fatalf("%s: %d", c.query, res.res.Code)
		}
		got := map[string]bool{}
		for _, r := range res.all("queue-row") {
			got[attr(r, "data-rma")] = true
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%s: %s missing", c.query, w)
			}
		}
		for _, n := range c.not {
			if got[n] {
				t.Errorf("%s: %s listed", c.query, n)
			}
		}
	}
	if res := s.get("/admin/returns?from=yesterday&cursor=bogus&status=nope"); res.res.Code != 200 || !res.has("filter-error") {
		t.Errorf("bad filters: %d", res.res.Code)
	}
	// A viewer sees the return but no action.
	d := s.get("/admin/returns/" + de)
	if d.res.Code != 200 || d.has("receive-form") || d.has("note-form") || d.has("reject-form") {
		t.Errorf("viewer's detail page offers actions")
	}
	if d := s.get("/admin/returns/R-ZZZZ-ZZZZ"); d.res.Code != 404 {
		t.Errorf("unknown RMA: %d", d.res.Code)
	}
}

// TestAdminNotesInert: a note is shown as text, never as markup.
func TestAdminNotesInert(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleAgent)
	evil := `"><script>alert(1)</script><a href="javascript:alert(2)">x</a>`
	if res := s.post("/admin/returns/"+rma+"/notes", url.Values{"body": {evil}}); res.res.Code != 303 {
		t.Fatalf("note: %d", res.res.Code)
	}
	d := s.get("/admin/returns/" + rma)
	body := d.res.Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `href="javascript:`) {
		t.Error("note rendered as markup")
	}
	if n := d.all("note"); len(n) != 1 || !strings.Contains(text(n[0]), evil) {
		t.Errorf("note text lost")
	}
}

// TestAdminLoginOrigins: the login form posts in each shape a browser sends
// it, and only a cross-site one (or "Origin: null" without Fetch metadata,
// which no browser sends under the staff pages' referrer policy) is refused.
func TestAdminLoginOrigins(t *testing.T) {
	a := newStaffApp(t)
	cases := []struct {
		name string
		hdr  []string
		want int
	}{
		{"Fetch metadata same-origin, Origin null (Chromium on localhost)", []string{"Origin", "null"}, http.StatusSeeOther},
		{"Origin only, own host (Chromium on a LAN address)", []string{"Sec-Fetch-Site", "", "Origin", "http://example.com"}, http.StatusSeeOther},
		{"Origin only, base URL's origin (behind a proxy)", []string{"Sec-Fetch-Site", "", "Origin", "https://returns.example"}, http.StatusSeeOther},
		{"cross-site", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"Origin null without Fetch metadata", []string{"Sec-Fetch-Site", "", "Origin", "null"}, http.StatusForbidden},
	}
	for _, c := range cases {
		s := a.staff()
		lp := s.get("/admin/login")
		form := url.Values{"email": {"agent@example.com"}, "password": {staffPassword}}
		for _, in := range all(lp.root, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "login_csrf" }) {
			form.Set("login_csrf", attr(in, "value"))
		}
		if got := s.req("POST", "/admin/login", form, c.hdr...).res.Code; got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// TestReferrerPolicy: staff pages let the browser send their origin on
// same-origin posts; shopper pages, whose URLs carry tokens, send nothing.
func TestReferrerPolicy(t *testing.T) {
	a := newStaffApp(t)
	c := a.staff()
	for path, want := range map[string]string{
		"/admin/login": "same-origin", "/admin/returns": "same-origin", "/admin": "same-origin",
		"/": "no-referrer", "/policy?country=DE": "no-referrer", "/administrator": "no-referrer",
	} {
		if got := c.get(path).res.Header().Get("Referrer-Policy"); got != want {
			t.Errorf("%s: Referrer-Policy %q, want %q", path, got, want)
		}
	}
}
