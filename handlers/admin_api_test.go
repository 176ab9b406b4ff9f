package handlers

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
)

func (a *testApp) keyed(key string, extra ...string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + key}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

// TestAPIReturnActions drives a return through the merchant API: receive
// (twice), inspect, refund with idempotency keys, read it whole.
func TestAPIReturnActions(t *testing.T) {
	a := newTestApp(t)
	rma := a.newReturn("JP-1006", "L2", 3, "original_payment")
	base := "/api/v1/returns/" + rma
	h := a.auth()

	code, m := a.doJSON(request{method: "POST", path: base + "/receive", body: map[string]any{}, header: h})
	if code != 200 || m["status"] != "received" {
		t.Fatalf("receive: %d %v", code, m)
	}
	if code, m = a.doJSON(request{method: "POST", path: base + "/receive", body: map[string]any{}, header: h}); code != 409 || errorCode(m) != "already_received" {
		t.Fatalf("receive again: %d %v", code, m)
	}
	if code, m = a.doJSON(request{method: "POST", path: "/api/v1/returns/R-ZZZZ-ZZZZ/receive", body: map[string]any{}, header: h}); code != 404 {
		t.Fatalf("receive unknown: %d %v", code, m)
	}
	// Refund before inspection: 409.
	if code, m = a.doJSON(request{method: "POST", path: base + "/refund", body: map[string]any{}, header: a.keyed(a.key, "Idempotency-Key", "early")}); code != 409 || errorCode(m) != "not_inspected" {
		t.Fatalf("refund before inspection: %d %v", code, m)
	}
	bad := map[string]any{"items": []any{map[string]any{"line_id": "L2", "accepted_quantity": 4, "condition": "resellable"}}}
	if code, m = a.doJSON(request{method: "POST", path: base + "/inspect", body: bad, header: h}); code != 422 || errorFields(m)["items[0].accepted_quantity"] != "invalid_quantity" {
		t.Fatalf("inspect too many: %d %v", code, m)
	}
	in := map[string]any{"items": []any{map[string]any{"line_id": "L2", "accepted_quantity": 2, "condition": "resellable", "notes": "one stained"}}}
	code, m = a.doJSON(request{method: "POST", path: base + "/inspect", body: in, header: h})
	if code != 200 || m["status"] != "inspected" {
		t.Fatalf("inspect: %d %v", code, m)
	}
	// JP: 3 × 3300 yen, two accepted: 6600.
	if got := num(m, "quote", "items_refund"); got != 6600 {
		t.Errorf("requoted items refund %d, want 6600", got)
	}
	total := num(m, "quote", "total")
	if code, m = a.doJSON(request{method: "POST", path: base + "/inspect", body: in, header: h}); code != 409 {
		t.Fatalf("inspect again: %d %v", code, m)
	}

	// Refund: the key is required.
	if code, m = a.doJSON(request{method: "POST", path: base + "/refund", body: map[string]any{}, header: h}); code != 400 || errorCode(m) != "idempotency_key_required" {
		t.Fatalf("no key: %d %v", code, m)
	}
	first := a.do(request{method: "POST", path: base + "/refund", body: `{"note": "x"}`, header: a.keyed(a.key, "Idempotency-Key", "k-1")})
	if first.Code != 201 {
		t.Fatalf("refund: %d %s", first.Code, first.Body)
	}
	code, m = a.doJSON(request{method: "POST", path: base + "/refund", body: `{ "note":"x" }`, header: a.keyed(a.key, "Idempotency-Key", "k-1")})
	if code != 201 {
		t.Fatalf("replay: %d %v", code, m)
	}
	replay := a.do(request{method: "POST", path: base + "/refund", body: `{"note":"x"}`, header: a.keyed(a.key, "Idempotency-Key", "k-1")})
	if replay.Body.String() != first.Body.String() {
		t.Errorf("replay body differs:\n%s\n%s", first.Body, replay.Body)
	}
	ref := m["refund"].(map[string]any)
	if m["status"] != "refunded" || ref["currency"] != "JPY" || int64(ref["amount"].(float64)) != total || ref["method"] != "original_payment" || ref["id"] == "" {
		t.Errorf("refund body %v (total %d)", m, total)
	}
	if code, m = a.doJSON(request{method: "POST", path: base + "/refund", body: `{"note":"y"}`, header: a.keyed(a.key, "Idempotency-Key", "k-1")}); code != 422 || errorCode(m) != "idempotency_key_reused" {
		t.Errorf("same key, other body: %d %v", code, m)
	}
	if code, m = a.doJSON(request{method: "POST", path: base + "/refund", body: `{}`, header: a.keyed(a.key, "Idempotency-Key", "k-2")}); code != 409 || errorCode(m) != "already_refunded" {
		t.Errorf("other key once refunded: %d %v", code, m)
	}

	// The whole return with the key; the shopper's view without one.
	code, m = a.doJSON(request{method: "GET", path: base, header: h})
	if code != 200 || m["status"] != "refunded" || len(m["refunds"].([]any)) != 1 || len(m["events"].([]any)) < 4 ||
		len(m["inspection"].([]any)) != 1 || m["original_quote"] == nil || m["items"] == nil || m["order"] == nil {
		t.Fatalf("merchant GET: %d %v", code, m)
	}
	if code, m = a.doJSON(request{method: "GET", path: base + "?token=" + url.QueryEscape(a.lookupToken("JP-1006"))}); code != 200 || m["refunds"] != nil || m["events"] != nil {
		t.Errorf("shopper GET: %d %v", code, m)
	}
	if code, _ = a.doJSON(request{method: "GET", path: base, header: map[string]string{"Authorization": "Bearer rp_wrong"}}); code != 401 {
		t.Errorf("wrong key: %d", code)
	}
}

// TestAPIRefundConcurrent: 50 concurrent refund requests for one return,
// half with one key and half with a key each: one refund row, and every
// answer is 201 with the one body, or 409.
func TestAPIRefundConcurrent(t *testing.T) {
	a := newTestApp(t)
	rma := a.newReturn("KW-1007", "L2", 2, "original_payment")
	base := "/api/v1/returns/" + rma
	a.doJSON(request{method: "POST", path: base + "/receive", body: map[string]any{}, header: a.auth()})
	if code, m := a.doJSON(request{method: "POST", path: base + "/inspect", header: a.auth(), body: map[string]any{
		"items": []any{map[string]any{"line_id": "L2", "accepted_quantity": 2, "condition": "resellable"}}}}); code != 200 {
		t.Fatalf("inspect: %d %v", code, m)
	}
	var wg sync.WaitGroup
	type res struct {
		code int
		body string
	}
	out := make([]res, 50)
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "shared"
			if i%2 == 1 {
				key = fmt.Sprintf("own-%d", i)
			}
			r := a.do(request{method: "POST", path: base + "/refund", body: map[string]any{}, header: a.keyed(a.key, "Idempotency-Key", key)})
			out[i] = res{r.Code, r.Body.String()}
		}()
	}
	wg.Wait()
	if n, err := a.st.CountRefunds(context.Background(), rma); err != nil || n != 1 {
		t.Fatalf("%d refund rows, %v", n, err)
	}
	body := ""
	for _, r := range out {
		switch r.code {
		case 201:
			if body != "" && body != r.body {
				t.Errorf("two different 201 bodies")
			}
			body = r.body
		case 409:
		default:
			t.Errorf("answer %d %s", r.code, r.body)
		}
	}
	if body == "" {
		t.Fatal("no 201")
	}
}

func TestAPIReturnsListAndScopes(t *testing.T) {
	a := newTestApp(t)
	var rmas []string
	for _, o := range []string{"DE-1001", "JP-1006", "KW-1007", "GB-1012"} {
		line := "L1"
		if o == "JP-1006" || o == "KW-1007" {
			line = "L2"
		}
		rmas = append(rmas, a.newReturn(o, line, 1, "original_payment"))
		a.advance(1e9)
	}
	seen := map[string]bool{}
	cursor := ""
	for page := 0; page < 10; page++ {
		path := "/api/v1/returns?limit=2"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		code, m := a.doJSON(request{method: "GET", path: path, header: a.auth()})
		if code != 200 {
			t.Fatalf("list: %d %v", code, m)
		}
		for _, r := range m["returns"].([]any) {
			seen[r.(map[string]any)["rma"].(string)] = true
		}
		next, _ := m["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	for _, r := range rmas {
		if !seen[r] {
			t.Errorf("%s not listed", r)
		}
	}
	if code, m := a.doJSON(request{method: "GET", path: "/api/v1/returns?status=bogus", header: a.auth()}); code != 422 {
		t.Errorf("bad status: %d %v", code, m)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/returns?cursor=zzz", header: a.auth()}); code != 422 {
		t.Errorf("bad cursor: %d", code)
	}
	code, m := a.doJSON(request{method: "GET", path: "/api/v1/returns?status=approved&updated_since=2000-01-01T00:00:00Z", header: a.auth()})
	if code != 200 || len(m["returns"].([]any)) < len(rmas) {
		t.Errorf("filtered: %d %v", code, m)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/returns"}); code != 401 {
		t.Errorf("without key: %d", code)
	}
	// A read-only key reads but may not act.
	ro, err := a.st.CreateAPIKey(context.Background(), "reader", []string{"returns:read"})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + rmas[0], header: a.keyed(ro)}); code != 200 {
		t.Errorf("read-only GET: %d", code)
	}
	for _, action := range []string{"receive", "inspect", "refund", "approve", "reject"} {
		if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rmas[0] + "/" + action, body: map[string]any{}, header: a.keyed(ro)}); code != 403 {
			t.Errorf("read-only %s: %d %v", action, code, m)
		}
	}
	orders, _ := a.st.CreateAPIKey(context.Background(), "shop", []string{"orders:write"})
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + rmas[0], header: a.keyed(orders)}); code != 403 {
		t.Errorf("orders key reads returns: %d", code)
	}
	// Reject needs a reason; approve only from requested.
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rmas[1] + "/reject", body: map[string]any{}, header: a.auth()}); code != 422 {
		t.Errorf("reject without reason: %d %v", code, m)
	}
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rmas[1] + "/approve", header: a.auth()}); code != 409 {
		t.Errorf("approve an approved return: %d %v", code, m)
	}
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rmas[1] + "/reject", body: map[string]any{"reason": "outside policy"}, header: a.auth()})
	if code != 200 || m["status"] != "rejected" {
		t.Errorf("reject: %d %v", code, m)
	}
}
