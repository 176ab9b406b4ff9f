package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// scriptedStripe answers refund calls in turn: each answer is a result or
// an error; the last one repeats.
type scriptedStripe struct {
	mu      sync.Mutex
	answers []error
	calls   []payments.Request
}

func (s *scriptedStripe) Refund(_ context.Context, r payments.Request) (payments.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r)
	err := s.answers[min(len(s.calls), len(s.answers))-1]
	if err != nil {
		return payments.Result{}, err
	}
	return payments.Result{ProviderRefundID: "re_3Handler", Reference: "stripe:re_3Handler"}, nil
}

// withStripe configures Stripe with a key and has its refunds answered by
// ex.
func withStripe(ex payments.Executor) appOption {
	return func(c *service.Config) {
		c.Connectors = service.ConnectorEnv{StripeKey: "sk_live_handler"}
		c.Executors = func(cfg payments.Config, name string) (payments.Executor, error) {
			if name == payments.Stripe {
				return ex, nil
			}
			return cfg.Executor(name)
		}
	}
}

// inspectedByAPI makes an inspected return of the demo's Stripe-paid order.
func inspectedByAPI(t *testing.T, a *testApp) string {
	t.Helper()
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	base := "/api/v1/returns/" + rma
	if code, m := a.doJSON(request{method: "POST", path: base + "/receive", body: map[string]any{}, header: a.auth()}); code != http.StatusOK {
		t.Fatalf("receive: %d %v", code, m)
	}
	if code, m := a.doJSON(request{method: "POST", path: base + "/inspect", header: a.auth(), body: map[string]any{
		"items": []any{map[string]any{"line_id": "L1", "accepted_quantity": 1, "condition": "resellable"}}}}); code != http.StatusOK {
		t.Fatalf("inspect: %d %v", code, m)
	}
	return rma
}

// TestAdminRefundBlock: the return's page shows the refund's executor and
// state: failed with the provider's code, message and what it means, with
// retry and record-by-hand for an agent (not for a viewer); pending with
// why it waits; succeeded with the provider's id linked to its dashboard.
// Retry reuses the refund's id as the idempotency key; recording by hand
// needs a reference.
func TestAdminRefundBlock(t *testing.T) {
	stripe := &scriptedStripe{answers: []error{
		&payments.ProviderError{Code: "charge_disputed", Message: "The charge ch_1 has been disputed."},
		errors.New("dial tcp: i/o timeout"), // the retry's outcome is unknown
		nil,
	}}
	a := newStaffApp(t, withStripe(stripe))
	rma := inspectedByAPI(t, a)
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/refund", body: map[string]any{},
		header: a.keyed(a.key, "Idempotency-Key", "handler-1")})
	if code != http.StatusBadGateway || errorCode(m) != "provider_error" {
		t.Fatalf("refund: %d %v", code, m)
	}
	agent, viewer := a.staff().login(store.RoleAgent), a.staff().login(store.RoleViewer)
	page := agent.get("/admin/returns/" + rma)
	if attr(page.one("refund-state"), "data-state") != store.RefundFailed || text(page.one("refund-executor")) != "Stripe" {
		t.Fatalf("refund block: %q %q", attr(page.one("refund-state"), "data-state"), text(page.one("refund-executor")))
	}
	if got := text(page.one("refund-error")); got != "charge_disputed The charge ch_1 has been disputed." {
		t.Errorf("provider's answer %q", got)
	}
	if !strings.Contains(text(page.one("refund-explanation")), "disputed") || !page.has("refund-retry") || !page.has("refund-manual") {
		t.Error("no explanation, retry or record-by-hand for a failed refund")
	}
	if vp := viewer.get("/admin/returns/" + rma); vp.has("refund-retry") || vp.has("refund-manual") || !vp.has("refund-error") {
		t.Error("a viewer sees the actions, or not the failure")
	}
	if res := agent.post("/admin/returns/"+rma+"/refund/manual", url.Values{"reference": {"  "}}); res.res.Code != http.StatusUnprocessableEntity {
		t.Errorf("record by hand without a reference: %d", res.res.Code)
	}

	// Retry: the outcome is unknown, so the refund waits for the worker.
	if res := agent.post("/admin/returns/"+rma+"/refund/retry", nil); res.res.Code != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", res.res.Code, res.res.Body)
	}
	page = agent.get("/admin/returns/" + rma)
	if attr(page.one("refund-state"), "data-state") != store.RefundPending || !page.has("refund-pending-hint") || page.has("refund-retry") {
		t.Errorf("after an unknown outcome: %q", attr(page.one("refund-state"), "data-state"))
	}
	if res := agent.post("/admin/returns/"+rma+"/refund/retry", nil); res.res.Code != http.StatusConflict {
		t.Errorf("retry of a pending refund: %d", res.res.Code)
	}
	if len(stripe.calls) != 2 || stripe.calls[0].RefundID != stripe.calls[1].RefundID || !strings.HasPrefix(stripe.calls[0].RefundID, "rf_") {
		t.Fatalf("calls %+v, want two with the refund's id", stripe.calls)
	}
}

// TestAdminRefundBlockSucceeded: a refund Stripe paid links its id to
// Stripe's dashboard and offers no retry.
func TestAdminRefundBlockSucceeded(t *testing.T) {
	a := newStaffApp(t, withStripe(&scriptedStripe{answers: []error{nil}}))
	rma := inspectedByAPI(t, a)
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/refund", body: map[string]any{},
		header: a.keyed(a.key, "Idempotency-Key", "handler-2")}); code != http.StatusCreated {
		t.Fatalf("refund: %d %v", code, m)
	}
	page := a.staff().login(store.RoleAgent).get("/admin/returns/" + rma)
	if attr(page.one("refund-state"), "data-state") != store.RefundSucceeded || page.has("refund-retry") || page.has("refund-error") {
		t.Error("succeeded refund block")
	}
	link := page.one("refund-provider-link")
	if attr(link, "href") != "https://dashboard.stripe.com/refunds/re_3Handler" || text(link) != "re_3Handler" ||
		attr(link, "rel") != "noopener noreferrer" {
		t.Errorf("provider link %v", link.Attr)
	}
}
