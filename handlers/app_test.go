package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// testApp is the real Echo application on a real SQLite file, seeded with the
// demo data, with a clock the test moves.
type testApp struct {
	t     testing.TB
	e     *echo.Echo
	srv   *Server // what e is wired to
	st    *store.Store
	key   string
	mu    sync.Mutex
	clock time.Time
	dir   string // holds the database file (SQLite)
	dsn   string // the database: its file, or its PostgreSQL URL
}

func (a *testApp) now() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.clock
}

func (a *testApp) advance(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.clock = a.clock.Add(d)
}

// appOption changes the service's configuration of a test app.
type appOption func(*service.Config)

func withLimits(ip, order int) appOption {
	return func(c *service.Config) { c.LookupLimitIP, c.LookupLimitOrder = ip, order }
}

// wire builds the app as main does: the service (with the law's data and a
// test signing key unless scfg has its own), then the Echo app on it.
func wire(tb testing.TB, scfg service.Config, hcfg Config) *echo.Echo {
	tb.Helper()
	_, e := wireServer(tb, scfg, hcfg)
	return e
}

// wireServer is wire, with the Server the app is wired to.
func wireServer(tb testing.TB, scfg service.Config, hcfg Config) (*Server, *echo.Echo) {
	tb.Helper()
	if scfg.Legal == nil {
		scfg.Legal = returns.LoadLegal()
	}
	if !scfg.Tokens.Valid() {
		signer, err := token.NewSigner(bytes.Repeat([]byte("k"), 32))
		if err != nil {
			tb.Fatal(err)
		}
		scfg.Tokens = signer
	}
	svc, err := service.New(scfg)
	if err != nil {
		tb.Fatal(err)
	}
	if hcfg.Catalog == nil {
		if hcfg.Catalog, err = locales.Load(); err != nil {
			tb.Fatal(err)
		}
	}
	hcfg.Service = svc
	if hcfg.Logger == nil {
		hcfg.Logger = scfg.Logger // one log for the test to read
	}
	srv, e, err := newServer(hcfg)
	if err != nil {
		tb.Fatal(err)
	}
	return srv, e
}

func newTestApp(t testing.TB, opts ...appOption) *testApp {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := testDSN(t, filepath.Join(dir, "returns.db"))
	st, err := store.Open(ctx, dsn, returns.LoadLegal())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, st: st, clock: time.Now().UTC().Truncate(time.Second), dir: dir, dsn: dsn}
	info, err := demo.Seed(ctx, st, returns.LoadLegal(), a.clock)
	if err != nil {
		t.Fatal(err)
	}
	a.key = info.APIKey
	cfg := service.Config{Store: st, Now: a.now}
	for _, o := range opts {
		o(&cfg)
	}
	a.srv, a.e = wireServer(t, cfg, Config{BaseURL: "https://returns.example"})
	return a
}

// request is one HTTP call to the app.
type request struct {
	method, path string
	body         any               // marshalled as JSON unless a string or []byte
	header       map[string]string // extra headers
	remote       string            // RemoteAddr, default 192.0.2.1:1234
}

type response struct {
	*httptest.ResponseRecorder
}

func (a *testApp) do(r request) response {
	a.t.Helper()
	var body []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			a.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	return response{rec}
}

// doJSON makes a call and decodes the JSON answer into a generic map.
func (a *testApp) doJSON(r request) (int, map[string]any) {
	a.t.Helper()
	res := a.do(r)
	var m map[string]any
	if err := json.Unmarshal(res.Body.Bytes(), &m); err != nil {
		a.t.Fatalf("%s %s: answer is not JSON (%d): %q", r.method, r.path, res.Code, res.Body.String())
	}
	return res.Code, m
}

func (a *testApp) auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + a.key}
}

// lookupToken looks an order up as its shopper and returns the token.
func (a *testApp) lookupToken(number string) string {
	a.t.Helper()
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": number, "email": demo.Email}})
	if code != http.StatusOK {
		a.t.Fatalf("lookup %s: %d %v", number, code, m)
	}
	return m["token"].(string)
}

// errorCode digs the error code out of an error body.
func errorCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func errorFields(m map[string]any) map[string]string {
	out := map[string]string{}
	e, _ := m["error"].(map[string]any)
	fields, _ := e["fields"].([]any)
	for _, f := range fields {
		fm := f.(map[string]any)
		out[fm["path"].(string)] = fm["code"].(string)
	}
	return out
}

// num reads a JSON number at a path of keys.
func num(m map[string]any, keys ...string) int64 {
	var v any = m
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return int64(v.(float64))
}
