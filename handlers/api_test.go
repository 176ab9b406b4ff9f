package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// orderBody is a valid ingest body; tests change what they need.
func orderBody() map[string]any {
	return map[string]any{
		"email": "ana@example.com", "customer_name": "Ana Silva", "locale": "pt-PT", "currency": "EUR",
		"placed_at": "2026-11-01T10:00:00Z", "shipped_at": "2026-11-02T09:00:00Z", "delivered_at": "2026-11-05T12:00:00Z",
		"shipping_address": map[string]any{"name": "Ana Silva", "line1": "Rua Augusta 1", "city": "Lisboa", "postal_code": "1100-048", "country": "PT"},
		"shipping":         map[string]any{"amount": 495, "method": "standard", "standard_amount": 495},
		"payment":          map[string]any{"method": "card", "provider": "stripe", "reference": "pi_123"},
		"lines": []any{map[string]any{"id": "L1", "sku": "TEE", "name": "T-shirt", "quantity": 3, "unit_price": 1000,
			"discount": 2000, "tax": 0, "category": "apparel", "hs_code": "610910", "origin_country": "PT", "weight_grams": 200}},
	}
}

func TestHealthz(t *testing.T) {
	a := newTestApp(t)
	code, m := a.doJSON(request{method: "GET", path: "/healthz"})
	if code != 200 || m["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, m)
	}
}

func TestPutOrder(t *testing.T) {
	a := newTestApp(t)
	bad := orderBody()
	bad["currency"] = "XYZ"
	bad["shipping_address"].(map[string]any)["country"] = "QQ"
	missingPrice := orderBody()
	missingPrice["lines"] = []any{
		map[string]any{"id": "L1", "quantity": 1, "unit_price": 100},
		map[string]any{"id": "L2", "quantity": 1, "unit_price": 100},
		map[string]any{"id": "L3", "quantity": 1},
	}
	wrongType := orderBody()
	wrongType["gift"] = "yes"
	badTime := orderBody()
	badTime["placed_at"] = "yesterday"

	tests := []struct {
		name      string
		path      string
		body      any
		header    map[string]string
		noAuth    bool
		wantCode  int
		wantError string
		wantField map[string]string
	}{
		{name: "create", path: "/api/v1/orders/T-1", body: orderBody(), wantCode: 201},
		{name: "no key", path: "/api/v1/orders/T-2", body: orderBody(), noAuth: true, wantCode: 401, wantError: "unauthorized"},
		{name: "wrong key", path: "/api/v1/orders/T-2", body: orderBody(), noAuth: true,
			header: map[string]string{"Authorization": "Bearer rp_nope"}, wantCode: 401, wantError: "unauthorized"},
		{name: "unknown currency and country", path: "/api/v1/orders/T-3", body: bad, wantCode: 422, wantError: "invalid_order",
			wantField: map[string]string{"currency": "unknown_currency", "shipping_address.country": "unknown_country"}},
		{name: "missing unit price", path: "/api/v1/orders/T-4", body: missingPrice, wantCode: 422, wantError: "invalid_order",
			wantField: map[string]string{"lines[2].unit_price": "required"}},
		{name: "wrong type", path: "/api/v1/orders/T-5", body: wrongType, wantCode: 422, wantError: "invalid_order",
			wantField: map[string]string{"gift": "invalid_type"}},
		{name: "bad time", path: "/api/v1/orders/T-6", body: badTime, wantCode: 422, wantError: "invalid_order",
			wantField: map[string]string{"placed_at": "invalid"}},
		{name: "bad json", path: "/api/v1/orders/T-7", body: `{"email":`, wantCode: 400, wantError: "invalid_json"},
		{name: "trailing garbage", path: "/api/v1/orders/T-7", body: `{} {}`, wantCode: 400, wantError: "invalid_json"},
		{name: "too large", path: "/api/v1/orders/T-8", body: `{"email":"` + strings.Repeat("a", 1<<20) + `"}`, wantCode: 413, wantError: "payload_too_large"},
		{name: "form body", path: "/api/v1/orders/T-9", body: orderBody(),
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, wantCode: 415, wantError: "unsupported_media_type"},
		{name: "bad number", path: "/api/v1/orders/" + url.PathEscape("a b"), body: orderBody(), wantCode: 422, wantError: "invalid_order",
			wantField: map[string]string{"number": "invalid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if !tc.noAuth {
				h = a.auth()
			}
			for k, v := range tc.header {
				h[k] = v
			}
			code, m := a.doJSON(request{method: "PUT", path: tc.path, body: tc.body, header: h})
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d: %v", code, tc.wantCode, m)
			}
			if tc.wantError != "" && errorCode(m) != tc.wantError {
				t.Fatalf("error %q, want %q: %v", errorCode(m), tc.wantError, m)
			}
			if tc.wantError != "" {
				if msg := m["error"].(map[string]any)["message"]; msg == "" || msg == nil {
					t.Fatalf("no message: %v", m)
				}
			}
			fields := errorFields(m)
			for path, c := range tc.wantField {
				if fields[path] != c {
					t.Errorf("field %s: %q, want %q (all: %v)", path, fields[path], c, fields)
				}
			}
		})
	}

	// An update answers 200; the stored order is the new one.
	upd := orderBody()
	upd["customer_name"] = "Ana S."
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/T-1", body: upd, header: a.auth()}); code != 200 {
		t.Fatalf("update: %d %v", code, m)
	}
}

func TestAPIKeyScopes(t *testing.T) {
	a := newTestApp(t)
	key, err := a.st.CreateAPIKey(t.Context(), "reader", []string{"policy:read"})
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Authorization": "Bearer " + key}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/policy", header: h}); code != 200 {
		t.Fatalf("read with policy:read: %d", code)
	}
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/S-1", body: orderBody(), header: h}); code != 403 || errorCode(m) != "forbidden" {
		t.Fatalf("write with policy:read: %d %v", code, m)
	}
	if code, m := a.doJSON(request{method: "GET", path: "/api/v1/nothing-here"}); code != 404 || errorCode(m) != "not_found" {
		t.Fatalf("unknown API path: %d %v", code, m)
	}
}

func TestOrderUpdateConflictsWithReturns(t *testing.T) {
	a := newTestApp(t)
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/C-1", body: orderBody(), header: a.auth()}); code != 201 {
		t.Fatalf("create: %d %v", code, m)
	}
	a.createReturn(a.lookupTokenEmail("C-1", "ana@example.com"), "L1", 2, "original_payment")
	lower := orderBody()
	lower["lines"].([]any)[0].(map[string]any)["quantity"] = 1
	lower["lines"].([]any)[0].(map[string]any)["discount"] = 0
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/C-1", body: lower, header: a.auth()}); code != 409 || errorCode(m) != "quantity_below_returned" {
		t.Fatalf("lower quantity below returned: %d %v", code, m)
	}
	price := orderBody()
	price["lines"].([]any)[0].(map[string]any)["unit_price"] = 900
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/C-1", body: price, header: a.auth()}); code != 409 || errorCode(m) != "line_has_returns" {
		t.Fatalf("change price of returned line: %d %v", code, m)
	}
}

func (a *testApp) lookupTokenEmail(number, email string) string {
	a.t.Helper()
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": number, "email": email}})
	if code != 200 {
		a.t.Fatalf("lookup %s: %d %v", number, code, m)
	}
	return m["token"].(string)
}

// createReturn creates a one-item return and fails the test unless it is 201.
func (a *testApp) createReturn(token, line string, qty int, method string) map[string]any {
	a.t.Helper()
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{
		"token": token, "items": []any{map[string]any{"line_id": line, "quantity": qty, "reason": "wrong_size"}},
		"refund_method": method}})
	if code != 201 {
		a.t.Fatalf("create return: %d %v", code, m)
	}
	return m
}

func TestPolicyAPI(t *testing.T) {
	a := newTestApp(t)
	code, doc := a.doJSON(request{method: "GET", path: "/api/v1/policy", header: a.auth()})
	if code != 200 || doc["default"] == nil {
		t.Fatalf("get policy: %d %v", code, doc)
	}
	// A region that undercuts the EU floor is stored, and the answer says
	// where the law raises it.
	doc["regions"] = append(doc["regions"].([]any), map[string]any{"countries": []any{"DE"}, "window_days": 7, "restocking_fee_percent": 10})
	code, m := a.doJSON(request{method: "PUT", path: "/api/v1/policy", body: doc, header: a.auth()})
	if code != 200 {
		t.Fatalf("put policy: %d %v", code, m)
	}
	if num(m, "version") < 2 {
		t.Fatalf("version not advanced: %v", m)
	}
	var windowNote bool
	for _, n := range m["floor_notes"].([]any) {
		nm := n.(map[string]any)
		if strings.HasSuffix(nm["path"].(string), ".window_days") && nm["legal_value"] == float64(14) {
			windowNote = true
		}
	}
	if !windowNote {
		t.Fatalf("no floor note for the 7-day window: %v", m["floor_notes"])
	}

	invalid := []struct {
		name   string
		mutate func(map[string]any)
		field  string
		code   string
	}{
		{"unknown hub", func(d map[string]any) { d["default"].(map[string]any)["hub"] = "nowhere" }, "default.hub", "unknown_hub"},
		{"negative", func(d map[string]any) { d["default"].(map[string]any)["window_days"] = -1 }, "default.window_days", "negative"},
		{"exchange", func(d map[string]any) {
			d["default"].(map[string]any)["refund_methods"] = []any{"original_payment", "exchange"}
		}, "default.refund_methods[1]", "not_supported"},
		{"custom reason without English", func(d map[string]any) {
			d["reasons"] = append(d["reasons"].([]any), map[string]any{"code": "too_big", "labels": map[string]any{"de": "Zu groß"}})
		}, "", "label_required"},
		{"unknown field", func(d map[string]any) { d["window_dayz"] = 3 }, "window_dayz", "unknown_field"},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			_, fresh := a.doJSON(request{method: "GET", path: "/api/v1/policy", header: a.auth()})
			tc.mutate(fresh)
			code, m := a.doJSON(request{method: "PUT", path: "/api/v1/policy", body: fresh, header: a.auth()})
			if code != 422 || errorCode(m) != "invalid_policy" {
				t.Fatalf("%d %v", code, m)
			}
			found := false
			for path, c := range errorFields(m) {
				if c == tc.code && (tc.field == "" || path == tc.field) {
					found = true
				}
			}
			if !found {
				t.Fatalf("want %s at %q, got %v", tc.code, tc.field, errorFields(m))
			}
		})
	}
}

func TestLookup(t *testing.T) {
	a := newTestApp(t)
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": demo.FeaturedOrder, "email": "  DEMO@Example.com "}})
	if code != 200 {
		t.Fatalf("lookup with case and spaces: %d %v", code, m)
	}
	if m["token"] == "" || m["order"].(map[string]any)["country"] != "DE" {
		t.Fatalf("answer: %v", m)
	}
	lines := m["lines"].([]any)
	if len(lines) != 3 {
		t.Fatalf("lines: %v", lines)
	}
	for _, l := range lines {
		lm := l.(map[string]any)
		for _, k := range []string{"line_id", "sku", "name", "quantity", "returnable_quantity", "eligible", "code", "basis", "deadline", "statutory_deadline", "time_zone"} {
			if _, ok := lm[k]; !ok {
				t.Errorf("line lacks %s: %v", k, lm)
			}
		}
	}
	if len(m["reasons"].([]any)) == 0 || len(m["refund_methods"].([]any)) == 0 {
		t.Fatalf("no reasons or methods: %v", m)
	}
	// The shopper's language: reasons come translated for a German order.
	if label := m["reasons"].([]any)[0].(map[string]any)["label"]; label == "I changed my mind" {
		t.Errorf("reason label not translated for a German order: %v", label)
	}

	// Unknown order and wrong e-mail: the same status and the same bytes.
	unknown := a.do(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": "NOPE-1", "email": demo.Email}})
	wrong := a.do(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": demo.FeaturedOrder, "email": "other@example.com"}})
	empty := a.do(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": demo.FeaturedOrder, "email": ""}})
	if unknown.Code != 404 || wrong.Code != 404 || empty.Code != 404 {
		t.Fatalf("status: unknown %d, wrong e-mail %d, empty e-mail %d", unknown.Code, wrong.Code, empty.Code)
	}
	if unknown.Body.String() != wrong.Body.String() || wrong.Body.String() != empty.Body.String() {
		t.Fatalf("bodies differ:\n%s\n%s\n%s", unknown.Body, wrong.Body, empty.Body)
	}
	// A garbage lang parameter is ignored, not signed into the token.
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup?lang=" + strings.Repeat("x", 1500),
		body: map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}})
	if tok, _ := m["token"].(string); code != 200 || len(tok) > 400 {
		t.Fatalf("lookup with a long lang: %d, token of %d bytes", code, len(tok))
	}
	// Translated by Accept-Language when nothing else is known.
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup", header: map[string]string{"Accept-Language": "de-DE,de;q=0.9"},
		body: map[string]string{"order_number": "NOPE-1", "email": demo.Email}})
	if msg := m["error"].(map[string]any)["message"].(string); code != 404 || !strings.Contains(msg, "Bestellung") {
		t.Fatalf("German message: %d %q", code, msg)
	}
}

func TestLookupRateLimitIgnoresForgedForwardedFor(t *testing.T) {
	a := newTestApp(t, withLimits(10, 0))
	var limited response
	for i := range 20 {
		res := a.do(request{method: "POST", path: "/api/v1/returns/lookup",
			header: map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i), "X-Real-IP": fmt.Sprintf("198.51.100.%d", i)},
			body:   map[string]string{"order_number": fmt.Sprintf("NOPE-%d", i), "email": demo.Email}})
		if i < 10 && res.Code != 404 {
			t.Fatalf("request %d: %d, want 404", i, res.Code)
		}
		if i >= 10 && res.Code != 429 {
			t.Fatalf("request %d with forged X-Forwarded-For: %d, want 429", i, res.Code)
		}
		limited = res
	}
	if ra := limited.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After: %q", ra)
	}
	// Another client is not affected; after a minute the first may try again.
	if res := a.do(request{method: "POST", path: "/api/v1/returns/lookup", remote: "192.0.2.99:1",
		body: map[string]string{"order_number": "NOPE-1", "email": demo.Email}}); res.Code != 404 {
		t.Fatalf("other client: %d", res.Code)
	}
	a.advance(61 * time.Second)
	if res := a.do(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": "NOPE-1", "email": demo.Email}}); res.Code != 404 {
		t.Fatalf("after the window: %d", res.Code)
	}
}

func TestLookupRateLimitPerOrder(t *testing.T) {
	a := newTestApp(t, withLimits(0, 5))
	for i := range 7 {
		res := a.do(request{method: "POST", path: "/api/v1/returns/lookup", remote: fmt.Sprintf("192.0.2.%d:1", i+1),
			header: map[string]string{"Accept-Language": "ja"},
			body:   map[string]string{"order_number": demo.FeaturedOrder, "email": "guess@example.com"}})
		want := 404
		if i >= 5 {
			want = 429
		}
		if res.Code != want {
			t.Fatalf("attempt %d: %d, want %d", i, res.Code, want)
		}
		if want == 429 && !strings.Contains(res.Body.String(), "分") {
			t.Fatalf("429 message not in Japanese: %s", res.Body)
		}
	}
}

func TestQuote(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	quote := func(body map[string]any) (int, map[string]any) {
		body["token"] = tok
		return a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: body})
	}
	code, q := quote(map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"})
	if code != 200 {
		t.Fatalf("quote: %d %v", code, q)
	}
	// Line L1: 2 × 25.00 − 5.00 discount = 45.00 paid, one unit = 22.50; the
	// shopper pays the 4.95 return shipping (wrong size is not the merchant's fault).
	if num(q, "items_refund") != 2250 || num(q, "return_shipping_fee") != 495 || num(q, "total") != 1755 || q["currency"] != "EUR" {
		t.Fatalf("quote amounts: %v", q)
	}
	errs := []struct {
		name string
		body map[string]any
		code int
		err  string
	}{
		{"no items", map[string]any{"items": []any{}, "refund_method": "original_payment"}, 422, "no_items"},
		{"unknown line", map[string]any{"items": []any{map[string]any{"line_id": "L9", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"}, 422, "unknown_line"},
		{"zero quantity", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 0, "reason": "wrong_size"}}, "refund_method": "original_payment"}, 422, "invalid_quantity"},
		{"too many", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 3, "reason": "wrong_size"}}, "refund_method": "original_payment"}, 409, "exceeds_returnable"},
		{"unknown reason", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "bored"}}, "refund_method": "original_payment"}, 422, "unknown_reason"},
		{"unknown method", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "cash"}, 422, "unknown_method"},
		{"exchange", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "exchange"}, 422, "exchange_not_supported"},
		{"store credit without consent (EU statutory)", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "store_credit"}, 422, "consent_required"},
		{"quantity as string", map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": "1", "reason": "wrong_size"}}, "refund_method": "original_payment"}, 422, "invalid_request"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			code, m := quote(tc.body)
			if code != tc.code || errorCode(m) != tc.err {
				t.Fatalf("%d %v, want %d %s", code, m, tc.code, tc.err)
			}
		})
	}
	// With consent, store credit carries the 10 % bonus.
	code, q = quote(map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}},
		"refund_method": "store_credit", "refund_method_consent": true})
	if code != 200 || num(q, "store_credit_bonus") != 225 {
		t.Fatalf("store credit: %d %v", code, q)
	}
}

func TestTokens(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	body := map[string]any{"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"}
	for _, bad := range []string{"", "garbage", tok + "x", strings.Replace(tok, ".", "x.", 1)} {
		body["token"] = bad
		if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: body}); code != 404 || errorCode(m) != "token_invalid" {
			t.Fatalf("token %q: %d %v", bad, code, m)
		}
	}
	a.advance(31 * time.Minute)
	body["token"] = tok
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: body}); code != 410 || errorCode(m) != "token_expired" {
		t.Fatalf("expired token: %d %v", code, m)
	}
}

func TestCreateReturnAndFollowIt(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	m := a.createReturn(tok, "L1", 1, "original_payment")
	rma := m["rma"].(string)
	if m["status"] != "approved" || m["basis"] != "statutory" {
		t.Fatalf("created: %v", m)
	}
	statusURL, err := url.Parse(m["status_url"].(string))
	if err != nil || statusURL.Host != "returns.example" || statusURL.Path != "/r/"+rma || statusURL.Query().Get("t") == "" {
		t.Fatalf("status_url: %v", m["status_url"])
	}
	if lu := m["label_url"].(string); !strings.Contains(lu, "/r/"+rma+"/label.pdf?t=") {
		t.Fatalf("label_url: %v", lu)
	}
	returnToken := statusURL.Query().Get("t")

	// Both the lookup token and the return's own token open it; a typed,
	// lower-case RMA without hyphens finds it too.
	typed := strings.ToLower(strings.ReplaceAll(rma, "-", ""))
	for _, path := range []string{
		"/api/v1/returns/" + rma + "?token=" + url.QueryEscape(tok),
		"/api/v1/returns/" + rma + "?token=" + url.QueryEscape(returnToken),
		"/api/v1/returns/" + typed + "?t=" + url.QueryEscape(returnToken),
	} {
		code, r := a.doJSON(request{method: "GET", path: path})
		if code != 200 || r["rma"] != rma || r["status"] != "approved" {
			t.Fatalf("GET %s: %d %v", path, code, r)
		}
		est := r["timeline"].(map[string]any)["estimated"].(map[string]any)
		if est["drop_off_by"] == nil || est["arrives_by"] == nil || est["refund_due_by"] == nil {
			t.Fatalf("timeline: %v", est)
		}
	}

	// Another order's token, or no such RMA: the same 404.
	other := a.lookupToken("IT-1002")
	wrongOrder := a.do(request{method: "GET", path: "/api/v1/returns/" + rma + "?token=" + url.QueryEscape(other)})
	noSuch := a.do(request{method: "GET", path: "/api/v1/returns/R-0000-0000?token=" + url.QueryEscape(other)})
	if wrongOrder.Code != 404 || noSuch.Code != 404 || wrongOrder.Body.String() != noSuch.Body.String() {
		t.Fatalf("other token %d %s / no such RMA %d %s", wrongOrder.Code, wrongOrder.Body, noSuch.Code, noSuch.Body)
	}
	// A return token of one return does not open another.
	m2 := a.createReturn(tok, "L1", 1, "original_payment")
	if res := a.do(request{method: "GET", path: "/api/v1/returns/" + m2["rma"].(string) + "?t=" + url.QueryEscape(returnToken)}); res.Code != 404 {
		t.Fatalf("return token used on another return: %d", res.Code)
	}

	// Both units of L1 are now in returns: a third is a conflict.
	code, e := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": tok,
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"}})
	if code != 409 || errorCode(e) != "exceeds_returnable" {
		t.Fatalf("exceeding create: %d %v", code, e)
	}

	// Cancel frees the units; a second cancel is refused.
	if code, c := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/cancel?token=" + url.QueryEscape(returnToken)}); code != 200 || c["status"] != "cancelled" {
		t.Fatalf("cancel: %d %v", code, c)
	}
	if code, c := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/cancel?token=" + url.QueryEscape(returnToken)}); code != 409 || errorCode(c) != "not_cancellable" {
		t.Fatalf("second cancel: %d %v", code, c)
	}
	_, lk := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}})
	if rq := lk["lines"].([]any)[0].(map[string]any)["returnable_quantity"]; rq != float64(1) {
		t.Fatalf("returnable after cancel: %v", rq)
	}
}

func TestCreateReturnBankTransfer(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	base := func(extra map[string]any) map[string]any {
		b := map[string]any{"token": tok, "items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}},
			"refund_method": "bank_transfer", "refund_method_consent": true}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	tests := []struct {
		name string
		body map[string]any
		code int
		err  string
	}{
		{"no account", base(nil), 422, "bank_account_required"},
		{"bad checksum", base(map[string]any{"bank_account": map[string]any{"iban": "DE89370400440532013001", "holder": "Anna"}}), 422, "invalid_iban"},
		{"no holder", base(map[string]any{"bank_account": map[string]any{"iban": "DE89370400440532013000", "holder": " "}}), 422, "bank_account_required"},
		{"valid, spaced", base(map[string]any{"bank_account": map[string]any{"iban": "de89 3704 0044 0532 0130 00", "holder": "Anna Schmidt"}}), 201, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: tc.body})
			if code != tc.code || (tc.err != "" && errorCode(m) != tc.err) {
				t.Fatalf("%d %v, want %d %s", code, m, tc.code, tc.err)
			}
		})
	}
}

// Three returns of one unit each of a 3-unit line paid 10.00 pay back
// 3.33 + 3.33 + 3.34: repeated partial returns add up to what was paid.
func TestRepeatedPartialReturnsAddUp(t *testing.T) {
	a := newTestApp(t)
	body := orderBody()
	body["lines"].([]any)[0].(map[string]any)["discount"] = 2000 // 3 × 10.00 − 20.00 = 10.00 paid
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/P-1", body: body, header: a.auth()}); code != 201 {
		t.Fatalf("order: %d %v", code, m)
	}
	tok := a.lookupTokenEmail("P-1", "ana@example.com")
	var refunds []int64
	for range 3 {
		m := a.createReturn(tok, "L1", 1, "original_payment")
		refunds = append(refunds, num(m, "quote", "items_refund"))
	}
	if fmt.Sprint(refunds) != "[333 333 334]" {
		t.Fatalf("refunds %v, want [333 333 334]", refunds)
	}
}

// Concurrent creates for the last units: exactly as many succeed as there are
// units, the rest are 409 — never a 500, never an over-return.
func TestConcurrentCreatesNeverOverReturn(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	var wg sync.WaitGroup
	codes := make([]int, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := a.do(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": tok,
				"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"}})
			codes[i] = res.Code
		}()
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		switch c {
		case 201:
			created++
		case 409:
		default:
			t.Fatalf("unexpected status %d in %v", c, codes)
		}
	}
	if created != 2 {
		t.Fatalf("%d returns created for 2 units: %v", created, codes)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	a := newTestApp(t)
	for _, r := range []request{
		{method: "GET", path: "/"},
		{method: "GET", path: "/healthz"},
		{method: "GET", path: "/does-not-exist"},
		{method: "POST", path: "/api/v1/returns/lookup", body: `{`},
	} {
		res := a.do(r)
		h := res.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s %s: headers %v", r.method, r.path, h)
		}
		if res.Code >= 500 {
			t.Errorf("%s %s: %d", r.method, r.path, res.Code)
		}
	}
}

func TestHomePageIsTranslated(t *testing.T) {
	a := newTestApp(t)
	for lang, want := range map[string]string{"en": `lang="en"`, "de": `lang="de"`, "ar": `dir="rtl"`} {
		res := a.do(request{method: "GET", path: "/?lang=" + lang})
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), want) {
			t.Errorf("home in %s: %d, want %s in %s", lang, res.Code, want, res.Body)
		}
	}
}
