package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/pgtest"
)

// TestThreeInstancesOnePostgres: three `serve` processes of the real binary
// on one PostgreSQL database, behind a round-robin reverse proxy, behave
// as one system: fifty concurrent refunds of one return make one refund;
// concurrent creates of an order's last unit make one return (one 201,
// the rest 409); the lookup limit per order holds in total; a staff
// session made on one instance works on the others; every e-mail is sent
// once although three outbox workers run; a policy saved on one instance
// is in force on the others within 5 s.
func TestThreeInstancesOnePostgres(t *testing.T) {
	stop, err := pgtest.Start()
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(stop)
	dsn := pgtest.NewEmptyDatabase(t)

	sink := &crashSink{ids: map[string][]string{}}
	srv := smtp.NewServer(sink)
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	const orderLimit = 5
	flags := []string{"--db", dsn, "--smtp-url", "smtp://" + ln.Addr().String() + "?tls=none",
		"--mail-from", "Shop Returns <returns@shop.example>",
		// Through the proxy every request comes from 127.0.0.1: the per-IP
		// limits are off, the per-order ones are what is checked.
		"--lookup-limit-ip", "0", "--lookup-limit-order", fmt.Sprint(orderLimit)}
	// The first seeds the demo data; the others find it.
	instances := []*portal{startPortal(t, flags...)}
	instances = append(instances, startPortal(t, flags...), startPortal(t, flags...))
	var next atomic.Int64
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		p := instances[next.Add(1)%int64(len(instances))]
		r.SetURL(&url.URL{Scheme: "http", Host: p.Addr})
		r.Out.Host = p.Addr // the instance's own origin, for its same-origin checks
	}}
	lbServer := httptest.NewServer(proxy)
	defer lbServer.Close()
	lb := &portal{Addr: strings.TrimPrefix(lbServer.URL, "http://"), APIKey: instances[0].APIKey}

	// The last unit: an order of one, created by ten shoppers at once.
	putOrder(t, lb, "MI-1")
	token := lb.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": "MI-1", "email": "crash@example.com"})["token"]
	codes := concurrently(10, func(int) int {
		code, _ := apiCall(t, lb, "POST", "/api/v1/returns", map[string]any{"token": token, "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}, "")
		return code
	})
	if codes[http.StatusCreated] != 1 || codes[http.StatusConflict] != 9 {
		t.Fatalf("concurrent creates of the last unit: %v, want one 201 and nine 409", codes)
	}
	rma := ""
	for id := range sink.waitFor(t, 1) { // the e-mail of the one return made
		rma = id
	}
	if !strings.HasPrefix(rma, "R-") {
		t.Fatalf("the return's e-mail names no RMA: %q", rma)
	}

	// Fifty refunds of it at once, each with its own idempotency key.
	lb.keyed(t, "POST", "/api/v1/returns/"+rma+"/receive", map[string]any{})
	lb.keyed(t, "POST", "/api/v1/returns/"+rma+"/inspect", map[string]any{"items": []any{
		map[string]any{"line_id": "L1", "accepted_quantity": 1, "condition": "resellable"}}})
	codes = concurrently(50, func(i int) int {
		code, _ := apiCall(t, lb, "POST", "/api/v1/returns/"+rma+"/refund", map[string]any{}, fmt.Sprintf("mi-refund-%d", i))
		return code
	})
	succeeded := 0
	for c, n := range codes {
		if c < 300 {
			succeeded += n
		} else if c != http.StatusConflict {
			t.Errorf("a concurrent refund answered %d (%d times)", c, n)
		}
	}
	if succeeded != 1 {
		t.Fatalf("fifty concurrent refunds: %v, want exactly one success", codes)
	}
	t.Logf("fifty concurrent refunds of %s: %v", rma, codes)
	_, r := apiCall(t, lb, "GET", "/api/v1/returns/"+rma, nil, "")
	if r["status"] != "refunded" {
		t.Errorf("return after the refunds: %v", r["status"])
	}

	// The lookup limit per order counts every instance's lookups.
	codes = concurrently(3*orderLimit, func(int) int {
		code, _ := apiCall(t, lb, "POST", "/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}, "")
		return code
	})
	if codes[http.StatusOK] != orderLimit || codes[http.StatusTooManyRequests] != 2*orderLimit {
		t.Errorf("%d lookups of one order on three instances: %v, want %d allowed and the rest 429", 3*orderLimit, codes, orderLimit)
	}

	t.Logf("%d lookups of one order: %v", 3*orderLimit, codes)

	// A staff session made on the first instance works on the others.
	cookie := staffLogin(t, instances[0])
	for i, p := range instances[1:] {
		req, _ := http.NewRequest("GET", "http://"+p.Addr+"/admin/returns", nil)
		req.Header.Set("Cookie", cookie)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("the session on instance %d: %d, want 200", i+2, res.StatusCode)
		}
	}

	// A policy saved on one instance is in force on the others within 5 s.
	windowDays := func(p map[string]any) any {
		d, _ := p["default"].(map[string]any)
		return d["window_days"]
	}
	_, pol := apiCall(t, instances[0], "GET", "/api/v1/policy", nil, "")
	if d, ok := pol["default"].(map[string]any); ok {
		d["window_days"] = 41
	} else {
		t.Fatalf("policy without default rules: %v", pol)
	}
	if code, m := apiCall(t, instances[0], "PUT", "/api/v1/policy", pol, ""); code >= 300 {
		t.Fatalf("PUT policy: %d %v", code, m)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, p := range instances[1:] {
		for {
			_, got := apiCall(t, p, "GET", "/api/v1/policy", nil, "")
			if windowDays(got) == 41.0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %s still has the old policy after 5 s: %v", p.Addr, got)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// Every e-mail once: the return's request and its refund, sent by
	// whichever worker claimed them, none twice.
	ids := sink.waitFor(t, 2)[rma]
	time.Sleep(2 * time.Second) // a second sending would show now
	sink.mu.Lock()
	defer sink.mu.Unlock()
	seen := map[string]bool{}
	for r, ids := range sink.ids {
		for _, id := range ids {
			if seen[id] {
				t.Errorf("e-mail %s about %s sent twice", id, r)
			}
			seen[id] = true
		}
	}
	t.Logf("%d e-mails in all, %d about %s", len(seen), len(ids), rma)
	if len(ids) < 2 {
		t.Errorf("e-mails about %s: %d, want the request's and the refund's", rma, len(ids))
	}
}

// concurrently runs f n times at once and counts the status codes.
func concurrently(n int, f func(i int) int) map[int]int {
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := f(i)
			mu.Lock()
			codes[c]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return codes
}

// waitFor waits until the sink has e-mails about at least n returns and
// returns them, keyed by RMA.
func (s *crashSink) waitFor(t *testing.T, n int) map[string][]string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock()
		got := 0
		out := map[string][]string{}
		for r, ids := range s.ids {
			got += len(ids)
			out[r] = append([]string(nil), ids...)
		}
		s.mu.Unlock()
		if got >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d e-mails after 30 s, want %d", got, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var loginCSRF = regexp.MustCompile(`name="login_csrf" value="([^"]+)"`)

// staffLogin signs the demo admin in on p through the login form and
// returns the Cookie header of the session.
func staffLogin(t *testing.T, p *portal) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	base := "http://" + p.Addr
	res, err := c.Get(base + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := loginCSRF.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no login CSRF token on the login page:\n%s", page)
	}
	form := url.Values{"login_csrf": {string(m[1])}, "email": {p.AdminEmail}, "password": {p.AdminPassword}}
	req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Fatalf("login: %d", res.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}
