package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/store"
)

// staffPasswords are the passwords of the staff accounts newStaffApp makes,
// one per role, as viewer@example.com, agent@example.com, admin@example.com
// (the demo's admin is replaced by a known password).
const staffPassword = "a long passphrase for the test staff"

// newStaffApp is a test app with one staff member per role.
func newStaffApp(t *testing.T, opts ...appOption) *testApp {
	t.Helper()
	a := newTestApp(t, opts...)
	ctx := context.Background()
	for _, role := range []string{store.RoleViewer, store.RoleAgent} {
		if _, err := a.st.CreateStaff(ctx, role+"@example.com", staffPassword, role); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.st.SetStaffPassword(ctx, "admin@example.com", staffPassword); err != nil {
		t.Fatal(err)
	}
	return a
}

// staffClient is a browser of the staff area: it keeps cookies and sends
// the headers a same-origin browser sends.
type staffClient struct {
	a       *testApp
	mu      sync.Mutex // concurrent clicks share the client
	cookies map[string]string
	csrf    string
	remote  string
}

func (a *testApp) staff() *staffClient {
	return &staffClient{a: a, cookies: map[string]string{}, remote: "192.0.2.1:1234"}
}

// req makes a request; hdr are extra header pairs. Same-origin headers are
// set unless hdr overrides them ("" deletes).
func (s *staffClient) req(method, path string, form url.Values, hdr ...string) page {
	s.a.t.Helper()
	body := ""
	if form != nil {
		body = form.Encode()
	}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if method == http.MethodPost {
		req.Header.Set("Origin", "http://example.com")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	s.mu.Lock()
	for k, v := range s.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	s.mu.Unlock()
	req.RemoteAddr = s.remote
	rec := httptest.NewRecorder()
	s.a.e.ServeHTTP(rec, req)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(s.cookies, c.Name)
		} else {
			s.cookies[c.Name] = c.Value
		}
	}
	p := page{t: s.a.t, res: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		root, err := html.Parse(strings.NewReader(rec.Body.String()))
		if err != nil {
			s.a.t.Fatal(err)
		}
		p.root = root
		for _, in := range all(root, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "csrf" }) {
			s.csrf = attr(in, "value")
		}
	}
	return p
}

func (s *staffClient) get(path string, hdr ...string) page {
	s.a.t.Helper()
	return s.req("GET", path, nil, hdr...)
}

// post sends a form with the session's CSRF token.
func (s *staffClient) post(path string, form url.Values, hdr ...string) page {
	s.a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	s.mu.Lock()
	if form.Get("csrf") == "" && s.csrf != "" {
		form.Set("csrf", s.csrf)
	}
	s.mu.Unlock()
	return s.req("POST", path, form, hdr...)
}

// tryLogin submits the login form and returns the answer.
func (s *staffClient) tryLogin(email, password string) page {
	s.a.t.Helper()
	lp := s.get("/admin/login")
	if lp.res.Code != http.StatusOK {
		s.a.t.Fatalf("login page: %d", lp.res.Code)
	}
	form := url.Values{"email": {email}, "password": {password}}
	for _, in := range all(lp.root, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "login_csrf" }) {
		form.Set("login_csrf", attr(in, "value"))
	}
	return s.req("POST", "/admin/login", form)
}

// login logs in as role@example.com and loads the queue (for the token).
func (s *staffClient) login(role string) *staffClient {
	s.a.t.Helper()
	res := s.tryLogin(role+"@example.com", staffPassword)
	if res.res.Code != http.StatusSeeOther || res.res.Header().Get("Location") != "/admin/returns" {
		s.a.t.Fatalf("login %s: %d %s", role, res.res.Code, res.res.Body)
	}
	if q := s.get("/admin/returns"); q.res.Code != http.StatusOK || s.csrf == "" {
		s.a.t.Fatalf("queue after login: %d", q.res.Code)
	}
	return s
}

// newReturn creates a return of one unit of line as a shopper and returns
// its RMA.
func (a *testApp) newReturn(order, line string, qty int, method string) string {
	a.t.Helper()
	m := a.createReturn(a.lookupToken(order), line, qty, method)
	return m["rma"].(string)
}

// isLoginRedirect reports whether the answer sends the browser to log in.
func isLoginRedirect(p page) bool {
	return p.res.Code == http.StatusSeeOther && strings.HasPrefix(p.res.Header().Get("Location"), "/admin/login")
}
