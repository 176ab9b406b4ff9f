package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/stripemock"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// refundService is a service on the demo data whose refunds go to the
// executors ex builds, with short leases so that the resume worker can
// take over at once.
func refundService(t *testing.T, conn ConnectorEnv, ex func(payments.Config, string) (payments.Executor, error)) *Service {
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
	if _, err := demo.Seed(ctx, st, legal, time.Now()); err != nil {
		t.Fatal(err)
	}
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	s, err := New(Config{Store: st, Legal: legal, Tokens: signer, Connectors: conn, Executors: ex,
		RefundLease: 30 * time.Millisecond, RefundRetryBase: time.Millisecond, RefundCallTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inspectedReturn makes an inspected return of the demo's featured order
// (paid by Stripe, pi_demo_DE-1001).
func inspectedReturn(t *testing.T, s *Service) string {
	t.Helper()
	ctx := context.Background()
	l, err := s.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}},
			RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	rma := c.Return.RMA
	if _, err := s.Receive(ctx, rma, "staff:t"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Inspect(ctx, rma, "staff:t", []returns.InspectedItem{{LineID: "L1", Accepted: 1,
		Condition: returns.ConditionResellable}}); err != nil {
		t.Fatal(err)
	}
	return rma
}

// fakeProvider is an idempotent provider: one refund per key, whatever
// how often it is asked; it counts calls and refunds.
type fakeProvider struct {
	mu      sync.Mutex
	calls   int
	refunds map[string]string
	amounts map[string]int64
	delay   time.Duration
}

func (p *fakeProvider) Refund(ctx context.Context, r payments.Request) (payments.Result, error) {
	if p.delay > 0 {
		time.Sleep(p.delay)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if p.refunds == nil {
		p.refunds, p.amounts = map[string]string{}, map[string]int64{}
	}
	id, ok := p.refunds[r.RefundID]
	if !ok {
		id = fmt.Sprintf("re_%d", len(p.refunds)+1)
		p.refunds[r.RefundID], p.amounts[r.RefundID] = id, r.Amount
	}
	return payments.Result{ProviderRefundID: id, Reference: "stripe:" + id}, nil
}

// faulty wraps a provider with one fault on the first call.
type faulty struct {
	inner payments.Executor
	fault string
	once  sync.Once
}

var errCrash = errors.New("process died")

func (f *faulty) Refund(ctx context.Context, r payments.Request) (payments.Result, error) {
	var fault string
	f.once.Do(func() { fault = f.fault })
	switch fault {
	case "before_call":
		return payments.Result{}, errCrash
	case "after_call":
		if _, err := f.inner.Refund(ctx, r); err != nil {
			return payments.Result{}, err
		}
		return payments.Result{}, errCrash
	case "timeout":
		if _, err := f.inner.Refund(ctx, r); err != nil {
			return payments.Result{}, err
		}
		<-ctx.Done()
		return payments.Result{}, ctx.Err()
	case "refused":
		return payments.Result{}, &payments.ProviderError{Code: "charge_already_refunded", Message: "Charge ch_1 has already been refunded."}
	}
	return f.inner.Refund(ctx, r)
}

// resumeUntilDone runs the resume worker until the refund is no longer
// pending.
func resumeUntilDone(t *testing.T, s *Service, rma string) store.Refund {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		time.Sleep(40 * time.Millisecond)
		if _, err := s.ResumeRefunds(ctx); err != nil {
			t.Fatal(err)
		}
		f, err := s.st.GetRefund(ctx, rma)
		if err != nil {
			t.Fatal(err)
		}
		if f.State != store.RefundPending {
			return f
		}
	}
	t.Fatal("the refund stayed pending")
	return store.Refund{}
}

// TestRefundCrashPoints: whatever fails (before the call, after the
// provider paid but before the finalisation, a timeout, a refusal), the
// refund ends succeeded with exactly one refund at the provider, paid with
// the same idempotency key.
func TestRefundCrashPoints(t *testing.T) {
	cases := []struct {
		fault     string
		wantState string // of the first answer
		wantCalls int
	}{
		{"", store.RefundSucceeded, 1},
		{"before_call", store.RefundPending, 1},
		{"after_call", store.RefundPending, 2},
		{"timeout", store.RefundPending, 2},
		{"refused", store.RefundFailed, 1},
	}
	for _, c := range cases {
		t.Run("fault="+c.fault, func(t *testing.T) {
			prov := &fakeProvider{}
			ex := &faulty{inner: prov, fault: c.fault}
			s := refundService(t, ConnectorEnv{StripeKey: "sk_test_x"}, func(cfg payments.Config, name string) (payments.Executor, error) {
				if name != payments.Stripe {
					return nil, fmt.Errorf("executor %s chosen, want stripe", name)
				}
				return ex, nil
			})
			rma := inspectedReturn(t, s)
			ctx := context.Background()
			res, err := s.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h", Actor: "api:t"})
			if err != nil || res.State != c.wantState {
				t.Fatalf("first answer %+v %v", res, err)
			}
			switch res.State {
			case store.RefundPending:
				// A replay while pending is refused; then the worker finishes.
				if _, err := s.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h"}); !isConflict(err, CodeRefundPending) {
					t.Errorf("replay while pending: %v", err)
				}
				if f := resumeUntilDone(t, s, rma); f.State != store.RefundSucceeded {
					t.Fatalf("after resume %+v", f)
				}
			case store.RefundFailed:
				if !bytes.Contains(res.Body, []byte(`"error_code":"charge_already_refunded"`)) {
					t.Errorf("failed body %s", res.Body)
				}
				sr, _ := s.StaffReturn(ctx, rma)
				if !sr.Can.RetryRefund || sr.Can.Refund || sr.Can.Reject {
					t.Errorf("actions of a failed refund %+v", sr.Can)
				}
				if _, err := s.Refund(ctx, RefundRequest{RMA: rma, Key: "k2", RequestHash: "h2"}); !isConflict(err, CodeRefundFailed) {
					t.Errorf("another key on a failed refund: %v", err)
				}
				again, err := s.RetryRefund(ctx, rma, "staff:t")
				if err != nil || again.State != store.RefundSucceeded {
					t.Fatalf("retry %+v %v", again, err)
				}
			}
			f, err := s.st.GetRefund(ctx, rma)
			if err != nil || f.State != store.RefundSucceeded || f.Executor != payments.Stripe || f.ProviderRefundID != "re_1" {
				t.Fatalf("refund %+v %v", f, err)
			}
			if r, _ := s.st.GetReturn(ctx, rma); r.Status != returns.StatusRefunded {
				t.Errorf("status %s", r.Status)
			}
			if len(prov.refunds) != 1 || prov.refunds[f.ID] != "re_1" || prov.amounts[f.ID] != f.Amount+f.Goodwill {
				t.Errorf("provider refunds %v %v, want one for %s", prov.refunds, prov.amounts, f.ID)
			}
			if prov.calls != c.wantCalls {
				t.Errorf("%d provider calls, want %d", prov.calls, c.wantCalls)
			}
			// The key's answer is now the stored success.
			if rep, err := s.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h"}); err != nil ||
				(c.fault != "refused" && rep.State != store.RefundSucceeded) {
				t.Errorf("replay after: %+v %v", rep, err)
			}
		})
	}
}

func isConflict(err error, code string) bool {
	var ce *ConflictError
	return errors.As(err, &ce) && ce.Code == code
}

// TestRefundConcurrentOneCall: 50 concurrent refund requests (half with
// one key, half with keys of their own) make one provider call.
func TestRefundConcurrentOneCall(t *testing.T) {
	prov := &fakeProvider{delay: 20 * time.Millisecond}
	s := refundService(t, ConnectorEnv{StripeKey: "sk_test_x"}, func(payments.Config, string) (payments.Executor, error) { return prov, nil })
	rma := inspectedReturn(t, s)
	results := concurrentRefunds(s, rma, 50)
	ok := 0
	for _, r := range results {
		switch {
		case r.err == nil && r.res.State == store.RefundSucceeded:
			ok++
		case isConflict(r.err, CodeRefundPending), isConflict(r.err, CodeAlreadyRefunded):
		default:
			t.Errorf("unexpected answer %+v %v", r.res, r.err)
		}
	}
	if ok == 0 || prov.calls != 1 || len(prov.refunds) != 1 {
		t.Fatalf("%d successes, %d provider calls, %d refunds", ok, prov.calls, len(prov.refunds))
	}
}

type refundResult struct {
	res RefundResult
	err error
}

func concurrentRefunds(s *Service, rma string, n int) []refundResult {
	out := make([]refundResult, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "same-key"
			if i%2 == 1 {
				key = fmt.Sprintf("key-%d", i)
			}
			res, err := s.Refund(context.Background(), RefundRequest{RMA: rma, Key: key, RequestHash: "h", Actor: "api:t"})
			out[i] = refundResult{res, err}
		}()
	}
	wg.Wait()
	return out
}

// recorder is a recording proxy in front of stripe-mock (which keeps no
// state): it keeps every refund request's idempotency key and form.
type recorder struct {
	mu       sync.Mutex
	requests []url.Values
	keys     []string
}

func stripeProxy(t *testing.T) (*recorder, string) {
	target, err := url.Parse(stripemock.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/refunds" {
			body, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(body))
			rec.mu.Lock()
			rec.requests, rec.keys = append(rec.requests, form), append(rec.keys, r.Header.Get("Idempotency-Key"))
			rec.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// TestStripeThroughStripeMock: refunds through the Stripe executor against
// stripe-mock, counted at a recording proxy: 50 concurrent requests send
// one refund request with the refund's id as Idempotency-Key, the amount
// in minor units and the payment intent; a crash after Stripe answered is
// resumed with the same key and amount.
func TestStripeThroughStripeMock(t *testing.T) {
	rec, proxyURL := stripeProxy(t)
	var crash sync.Once
	s := refundService(t, ConnectorEnv{StripeKey: "sk_test_123", StripeAPIURL: proxyURL},
		func(cfg payments.Config, name string) (payments.Executor, error) {
			ex, err := cfg.Executor(name)
			if err != nil || name != payments.Stripe {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			return &crashAfter{inner: ex, once: &crash}, nil
		})
	// A real HTTP call, through a proxy, to a process: give it the
	// production bound, not the fault tests' 200 ms, so that a loaded
	// machine does not time the first call out before it reaches Stripe.
	s.callTimeout = payments.CallTimeout
	rma := inspectedReturn(t, s)
	results := concurrentRefunds(s, rma, 50)
	for _, r := range results {
		if r.err != nil && !isConflict(r.err, CodeRefundPending) && !isConflict(r.err, CodeAlreadyRefunded) {
			t.Errorf("unexpected %v", r.err)
		}
	}
	f := resumeUntilDone(t, s, rma)
	if f.State != store.RefundSucceeded || f.ProviderRefundID == "" {
		t.Fatalf("refund %+v", f)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.requests) != 2 {
		t.Fatalf("%d refund requests at Stripe, want 2 (the call, and its resumption after the crash)", len(rec.requests))
	}
	for i, form := range rec.requests {
		if rec.keys[i] != f.ID || form.Get("amount") != fmt.Sprint(f.Amount+f.Goodwill) ||
			form.Get("payment_intent") != "pi_demo_"+demo.FeaturedOrder || form.Get("metadata[rma]") != rma {
			t.Errorf("request %d: key %q form %v (refund %s, %d)", i, rec.keys[i], form, f.ID, f.Amount)
		}
	}
}

// crashAfter calls the real executor and, the first time, loses its
// answer as a crash between the call and the finalisation would.
type crashAfter struct {
	inner payments.Executor
	once  *sync.Once
}

func (c *crashAfter) Refund(ctx context.Context, r payments.Request) (payments.Result, error) {
	res, err := c.inner.Refund(ctx, r)
	crashed := false
	c.once.Do(func() { crashed = true })
	if crashed && err == nil {
		return payments.Result{}, errCrash
	}
	return res, err
}

// TestExecutorChoice: the order's provider when configured, else the
// default when configured, else manual; store credit and bank transfer
// never go to a provider.
func TestExecutorChoice(t *testing.T) {
	stripe := returns.Payment{Provider: "stripe", Reference: "pi_1"}
	cases := []struct {
		cfg    payments.Config
		method string
		p      returns.Payment
		want   string
	}{
		{payments.Config{}, returns.MethodOriginalPayment, stripe, payments.Manual},
		{payments.Config{Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodOriginalPayment, stripe, payments.Stripe},
		{payments.Config{Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodOriginalPayment, returns.Payment{Provider: "Stripe "}, payments.Stripe},
		{payments.Config{Default: payments.Stripe}, returns.MethodOriginalPayment, stripe, payments.Manual},
		{payments.Config{Default: payments.Stripe, Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodOriginalPayment, returns.Payment{Provider: "paypal"}, payments.Stripe},
		{payments.Config{Default: payments.WooCommerce, Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodOriginalPayment, returns.Payment{Provider: "paypal"}, payments.Manual},
		{payments.Config{Shopify: payments.ShopifyConfig{Shop: "a.myshopify.com", Token: "t"}}, returns.MethodOriginalPayment, returns.Payment{Provider: "shopify"}, payments.Shopify},
		{payments.Config{Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodStoreCredit, stripe, payments.StoreCredit},
		{payments.Config{Stripe: payments.StripeConfig{Key: "k"}}, returns.MethodBankTransfer, stripe, payments.Manual},
		{payments.Config{Default: "manual"}, returns.MethodOriginalPayment, returns.Payment{Provider: "manual"}, payments.Manual},
	}
	for i, c := range cases {
		if got := c.cfg.Choose(c.method, c.p); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}
