package service

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// testService is the service on a real SQLite file seeded with the demo
// data, with a clock the test moves.
type testService struct {
	*Service
	st    *store.Store
	mu    sync.Mutex
	clock time.Time
}

func (ts *testService) now() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.clock
}

func (ts *testService) advance(d time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.clock = ts.clock.Add(d)
}

func newTestService(t testing.TB, settings Settings) *testService {
	t.Helper()
	ctx := context.Background()
	legal := returns.LoadLegal()
	st, err := store.Open(ctx, testDSN(t, filepath.Join(t.TempDir(), "returns.db")), legal)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ts := &testService{st: st, clock: time.Now().UTC().Truncate(time.Second)}
	if _, err := demo.Seed(ctx, st, legal, ts.clock); err != nil {
		t.Fatal(err)
	}
	signer, err := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	if ts.Service, err = New(Config{Store: st, Legal: legal, Now: ts.now, Tokens: signer, Settings: settings}); err != nil {
		t.Fatal(err)
	}
	return ts
}

// fieldCode is the code of the first field error of err, "" when none.
func fieldCode(err error) string {
	var fe returns.FieldErrors
	if errors.As(err, &fe) && len(fe) > 0 {
		return fe[0].Path + ":" + fe[0].Code
	}
	return ""
}

func TestNewRefusesAnIncompleteConfig(t *testing.T) {
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	for name, cfg := range map[string]Config{
		"no store":           {Legal: returns.LoadLegal(), Tokens: signer},
		"no legal data":      {Store: &store.Store{}, Tokens: signer},
		"no token signer":    {Store: &store.Store{}, Legal: returns.LoadLegal()},
		"a bad embed origin": {Store: &store.Store{}, Legal: returns.LoadLegal(), Tokens: signer, Settings: Settings{EmbedOrigins: []string{"https://shop.example/path"}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSiteCacheRunsOnTheClock: the settings are read again once the
// injected clock has passed the cache's time, and at once after a save.
func TestSiteCacheRunsOnTheClock(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	if got := ts.Site(ctx).MerchantName; got != "" {
		t.Fatalf("merchant name %q", got)
	}
	// Another instance saves: this one follows within siteCacheTTL.
	if err := ts.st.SetSetting(ctx, SettingMerchantName, "Fjord & Co"); err != nil {
		t.Fatal(err)
	}
	if got := ts.Site(ctx).MerchantName; got != "" {
		t.Errorf("read again before the cache expired: %q", got)
	}
	ts.advance(siteCacheTTL)
	if got := ts.Site(ctx).MerchantName; got != "Fjord & Co" {
		t.Errorf("after siteCacheTTL: %q", got)
	}
	// A save here is in force at once.
	if err := ts.SaveSite(ctx, SiteForm{MerchantName: "Nordlicht", Timezone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	if s := ts.Site(ctx); s.MerchantName != "Nordlicht" || s.Timezone != "Europe/Berlin" || s.Location == nil {
		t.Errorf("after a save: %+v", s)
	}
}

func TestSaveSiteRefusals(t *testing.T) {
	ts := newTestService(t, Settings{})
	for _, c := range []struct {
		form SiteForm
		want string
	}{
		{SiteForm{MerchantName: strings.Repeat("x", maxMerchantName+1)}, "merchant_name:name"},
		{SiteForm{MerchantName: "a\x00b"}, "merchant_name:name"},
		{SiteForm{LogoURL: "http://cdn.example/logo.png"}, "logo_url:logo"},
		{SiteForm{LogoURL: "https://cdn.example/logo.png\"onerror=x"}, "logo_url:logo"},
		{SiteForm{Accent: "blue"}, "accent_color:accent"},
		{SiteForm{Accent: "#ffff00"}, "accent_color:accent_contrast"},
		{SiteForm{EmbedOrigins: "https://shop.example/path"}, "embed_origins:origins"},
		{SiteForm{Timezone: "Local"}, "timezone:timezone"},
		{SiteForm{Timezone: "Mars/Olympus"}, "timezone:timezone"},
	} {
		if got := fieldCode(ts.SaveSite(context.Background(), c.form)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.form, got, c.want)
		}
	}
}

func TestQueueFilter(t *testing.T) {
	ts := newTestService(t, Settings{})
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, c := range []struct {
		name string
		q    QueueQuery
		ok   bool
		want func(f store.QueueFilter) bool
	}{
		{"no filter: newest first, 50 a page", QueueQuery{}, true,
			func(f store.QueueFilter) bool {
				return f.Sort == store.SortNewest && f.Limit == 50 && f.Now.Equal(ts.now())
			}},
		{"an unknown sort is the default", QueueQuery{Sort: "random"}, true,
			func(f store.QueueFilter) bool { return f.Sort == store.SortNewest }},
		{"a known sort stays", QueueQuery{Sort: store.SortDue}, true,
			func(f store.QueueFilter) bool { return f.Sort == store.SortDue }},
		{"an unknown status is dropped", QueueQuery{Status: "shipped"}, false,
			func(f store.QueueFilter) bool { return f.Status == "" }},
		{"a known status stays", QueueQuery{Status: "received"}, true,
			func(f store.QueueFilter) bool { return f.Status == "received" }},
		{"a search too long is dropped", QueueQuery{Search: strings.Repeat("a", maxSearch+1)}, false,
			func(f store.QueueFilter) bool { return f.Search == "" }},
		{"a hub too long is dropped", QueueQuery{Hub: strings.Repeat("h", maxHubCode+1)}, false,
			func(f store.QueueFilter) bool { return f.Hub == "" }},
		{"a day that is not one is dropped", QueueQuery{From: "2026-02-30"}, false,
			func(f store.QueueFilter) bool { return f.From == nil }},
		{"days of the staff's zone, To including its whole day",
			QueueQuery{From: "2026-03-01", To: "2026-03-01", Location: berlin}, true,
			func(f store.QueueFilter) bool {
				return f.From.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)) && f.To.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, berlin))
			}},
	} {
		f, ok := ts.QueueFilter(c.q)
		if ok != c.ok || !c.want(f) {
			t.Errorf("%s: ok %v, filter %+v", c.name, ok, f)
		}
	}
}

func TestLookupLimitsAndAnswers(t *testing.T) {
	ts := newTestService(t, Settings{LookupLimitIP: 3, LookupLimitOrder: 2})
	ctx := context.Background()
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: " " + demo.FeaturedOrder + " ", Email: " DEMO@example.com", ClientIP: "192.0.2.1"})
	if err != nil || l.Facts.Order.Number != demo.FeaturedOrder || l.Locale != l.Facts.Order.Locale {
		t.Fatalf("lookup: %+v %v", l, err)
	}
	a, err := ts.VerifyOrderToken(l.Token)
	if err != nil || a.Number != demo.FeaturedOrder {
		t.Fatalf("token: %+v %v", a, err)
	}
	// A wrong e-mail and an unknown order are the same answer.
	if _, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: "x@example.com", ClientIP: "192.0.2.2"}); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("wrong e-mail: %v", err)
	}
	if _, err := ts.Lookup(ctx, LookupRequest{OrderNumber: "NOPE-1", Email: demo.Email, ClientIP: "192.0.2.3"}); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	// The order number has had 2 attempts: the third is refused, whatever the IP.
	_, err = ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.4"})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || rl.RetrySeconds() < 1 || rl.RetryAfter > 15*time.Minute {
		t.Errorf("third lookup of the order: %v", err)
	}
	// An IP's limit: 3 a minute.
	for i, number := range []string{"A-1", "A-2", "A-3", "A-4"} {
		_, err := ts.Lookup(ctx, LookupRequest{OrderNumber: number, Email: demo.Email, ClientIP: "198.51.100.7"})
		if limited := errors.As(err, &rl); limited != (i == 3) {
			t.Errorf("lookup %d from one IP: %v", i+1, err)
		}
	}
	ts.advance(time.Minute + time.Second)
	if _, err := ts.Lookup(ctx, LookupRequest{OrderNumber: "A-5", Email: demo.Email, ClientIP: "198.51.100.7"}); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("a minute later: %v", err)
	}
	// Tokens expire.
	ts.advance(token.LookupTTL)
	if _, err := ts.VerifyOrderToken(l.Token); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("old token: %v", err)
	}
	if _, err := ts.VerifyOrderToken("forged"); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("forged token: %v", err)
	}
}

// createOne makes a return of one unit of a line, as the shopper.
func (ts *testService) createOne(t *testing.T, number, line string) Created {
	t.Helper()
	ctx := context.Background()
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: number, Email: demo.Email, ClientIP: "192.0.2.10"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: line, Quantity: 1, Reason: "wrong_size"}},
			RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStaffActionsRefusals(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	rma := ts.createOne(t, demo.FeaturedOrder, "L1").Return.RMA
	if _, err := ts.Reject(ctx, rma, "staff:x", " \t"); fieldCode(err) != "reason:required" {
		t.Errorf("reject without a reason: %v", err)
	}
	if _, err := ts.Reject(ctx, rma, "staff:x", strings.Repeat("x", returns.MaxNotes+1)); fieldCode(err) != "reason:required" {
		t.Errorf("reject with a novel: %v", err)
	}
	if _, err := ts.Approve(ctx, rma, "staff:x"); !errors.Is(err, returns.ErrTransition) {
		t.Errorf("approve an approved return: %v", err)
	}
	if err := ts.AddNote(ctx, rma, "staff:x", "  "); fieldCode(err) != "body:invalid" {
		t.Errorf("empty note: %v", err)
	}
	// Receiving: unknown, received, then already received.
	for _, c := range []struct{ rma, want string }{{"R-0000-0000", UnknownReturn}, {rma, Received}, {rma, returns.CodeAlreadyReceived}} {
		rc, err := ts.Receive(ctx, c.rma, "staff:x")
		if err != nil || rc.Result != c.want {
			t.Errorf("receive %s: %+v %v, want %s", c.rma, rc, err, c.want)
		}
	}
	// A refund before the inspection is a conflict with the domain's code.
	_, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h1", Actor: "staff:x"})
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Code != returns.CodeNotInspected {
		t.Errorf("refund before the inspection: %v", err)
	}
	if _, err := ts.Inspect(ctx, rma, "staff:x", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}); err != nil {
		t.Fatal(err)
	}
	res, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k2", RequestHash: "h2", Actor: "staff:x"})
	body := res.Body
	if err != nil || res.State != store.RefundSucceeded || !bytes.Contains(body, []byte(`"status":"refunded"`)) ||
		!bytes.Contains(body, []byte(`"executor":"manual"`)) {
		t.Fatalf("refund: %s %v", body, err)
	}
	if again, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k2", RequestHash: "h2", Actor: "staff:y"}); err != nil || !bytes.Equal(again.Body, body) {
		t.Errorf("replay: %s %v", again.Body, err)
	}
	if _, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k2", RequestHash: "other", Actor: "staff:y"}); !errors.Is(err, ErrIdempotencyKeyReused) {
		t.Errorf("the key with another request: %v", err)
	}
	if _, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k3", RequestHash: "h3", Actor: "staff:y"}); !errors.As(err, &ce) || ce.Code != CodeAlreadyRefunded {
		t.Errorf("a second refund: %v", err)
	}
	sr, err := ts.StaffReturn(ctx, rma)
	if err != nil || sr.Can != (Actions{}) || sr.GoodwillPossible || sr.Extras.Refund == nil {
		t.Errorf("after the refund: %+v %v", sr.Can, err)
	}
}

func TestWithdrawRefusals(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	open := func(number string) OrderAccess {
		l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: number, Email: demo.Email, ClientIP: "192.0.2.20"})
		if err != nil {
			t.Fatal(err)
		}
		return OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}
	}
	code := func(err error) string {
		var de *returns.Error
		if errors.As(err, &de) {
			return de.Code
		}
		return ""
	}
	if _, err := ts.Withdraw(ctx, open("US-1005"), map[string]bool{"L1": true}); !errors.Is(err, ErrNoWithdrawalFunction) {
		t.Errorf("US: %v", err)
	}
	de := open(demo.FeaturedOrder)
	if _, err := ts.Withdraw(ctx, de, nil); code(err) != returns.CodeNoItems {
		t.Errorf("nothing chosen: %v", err)
	}
	c, err := ts.Withdraw(ctx, de, map[string]bool{"L1": true, "L2": true})
	if err != nil || !c.Return.IsWithdrawal() || c.Return.RefundMethod != returns.MethodOriginalPayment || len(c.Return.Items) != 2 {
		t.Fatalf("withdrawal: %+v %v", c.Return, err)
	}
	// Everything is withdrawn already: L1 is no longer withdrawable.
	if _, err := ts.Withdraw(ctx, de, map[string]bool{"L1": true}); code(err) != returns.CodeWithdrawalNotStatutory {
		t.Errorf("again: %v", err)
	}
}

func TestAccountsRefusals(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		scopes        []string
		want          string
		wantScopeList []string
	}{
		{"", nil, "name:invalid", nil},
		{strings.Repeat("k", maxKeyName+1), nil, "name:invalid", nil},
		{"line\nbreak", nil, "name:invalid", nil},
		{"shop", []string{"everything"}, "scopes:invalid", nil},
		{" shop ", []string{"returns:read", "returns:read"}, "", []string{"returns:read"}},
	} {
		key, err := ts.CreateAPIKey(ctx, c.name, c.scopes)
		if got := fieldCode(err); got != c.want {
			t.Errorf("key %q %v: %q, want %q", c.name, c.scopes, got, c.want)
		}
		if c.want == "" {
			k, err := ts.Authenticate(ctx, key)
			if err != nil || k.Name != "shop" || strings.Join(k.Scopes, ",") != strings.Join(c.wantScopeList, ",") {
				t.Errorf("created key: %+v %v", k, err)
			}
		}
	}
	long := strings.Repeat("p", minStaffPassword)
	for _, c := range []struct{ email, password, role, want string }{
		{"not-an-address", long, store.RoleAgent, "email:email"},
		{"a b@example.com", long, store.RoleAgent, "email:email"},
		{"ana@example.com", long, "owner", "role:role"},
		{"ana@example.com", long[1:], store.RoleAgent, "password:password"},
		{"Ana@Example.com", long, store.RoleAgent, ""},
		{"ana@example.com", long, store.RoleAgent, "email:exists"},
	} {
		if _, err := ts.CreateStaff(ctx, c.email, c.password, c.role); fieldCode(err) != c.want {
			t.Errorf("staff %q %q: %v, want %q", c.email, c.role, err, c.want)
		}
	}
	if err := ts.SetStaffRole(ctx, "ana@example.com", "Ana@example.com", store.RoleAdmin); fieldCode(err) != "email:self" {
		t.Errorf("own role: %v", err)
	}
	if err := ts.DisableStaff(ctx, "ana@example.com", "ana@example.com"); fieldCode(err) != "email:self" {
		t.Errorf("disable oneself: %v", err)
	}
	if err := ts.DisableStaff(ctx, demo.AdminEmail, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("disable nobody: %v", err)
	}
}
