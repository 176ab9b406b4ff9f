package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// fakeWoo is WooCommerce's order refunds endpoint as documented: HTTP
// Basic with the consumer key and secret, GET lists the order's refunds,
// POST creates one; the answers are the bodies it is given.
type fakeWoo struct {
	t                *testing.T
	key, secret      string
	list             []byte
	created          []byte
	createdStatus    int
	mu               sync.Mutex
	gets             int
	posts            []map[string]any
	rawPosts         [][]byte
	contentTypeSeen  string
	wrongPathOrQuery string
}

func (f *fakeWoo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if u, p, ok := r.BasicAuth(); !ok || u != f.key || p != f.secret {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`))
		return
	}
	if r.URL.Path != "/wp-json/wc/v3/orders/727/refunds" {
		f.wrongPathOrQuery = r.Method + " " + r.URL.String()
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"code":"rest_no_route","message":"No route was found matching the URL and request method","data":{"status":404}}`))
		return
	}
	switch r.Method {
	case http.MethodGet:
		if r.URL.Query().Get("per_page") != "100" {
			f.wrongPathOrQuery = "GET " + r.URL.String()
		}
		f.gets++
		_, _ = w.Write(f.list)
	case http.MethodPost:
		f.contentTypeSeen = r.Header.Get("Content-Type")
		var raw bytes.Buffer
		_, _ = raw.ReadFrom(r.Body)
		dec := json.NewDecoder(bytes.NewReader(raw.Bytes()))
		dec.UseNumber()
		var body map[string]any
		if err := dec.Decode(&body); err != nil {
			f.t.Errorf("body is not JSON: %v", err)
		}
		f.posts, f.rawPosts = append(f.posts, body), append(f.rawPosts, raw.Bytes())
		if f.createdStatus != 0 {
			w.WriteHeader(f.createdStatus)
		} else {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = w.Write(f.created)
	default:
		f.t.Errorf("unexpected %s", r.Method)
	}
}

// wooRequest refunds one of the two units of line 315 of WooCommerce's
// documented order 727 (2 × 3.00 + 0.45 tax) and line 316 whole (12.00 +
// 0.90 tax), back to stock.
func wooRequest() Request {
	return Request{RefundID: "rf_7K3P9XQ2M4TZAB12", RMA: "R-7K3P-9XQ2", OrderNumber: "727",
		Payment: returns.Payment{Method: "bacs", Provider: WooCommerce, Reference: "727"},
		Method:  returns.MethodOriginalPayment, Currency: "USD", Amount: 1612,
		Lines: []Line{{LineID: "315", Quantity: 1, Amount: 322, Tax: 22, Restock: true},
			{LineID: "316", Quantity: 1, Amount: 1290, Tax: 90}}}
}

func wooExecutor(t *testing.T, f *fakeWoo) Executor {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	ex, err := Config{WooCommerce: WooCommerceConfig{URL: srv.URL + "/", Key: "ck_test", Secret: "cs_test"}}.Executor(WooCommerce)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestWooCommerceRefundRequest: the order's refunds are read first, then
// one refund is created with the documented body, and the documented
// answer's id is the provider's refund id.
func TestWooCommerceRefundRequest(t *testing.T) {
	f := &fakeWoo{t: t, key: "ck_test", secret: "cs_test", list: fixture(t, "woocommerce-refunds-723.json"),
		created: fixture(t, "woocommerce-refund-726.json")}
	res, err := wooExecutor(t, f).Refund(context.Background(), wooRequest())
	if err != nil {
		t.Fatal(err)
	}
	if res.ProviderRefundID != "726" || res.Reference != "woocommerce:726" {
		t.Errorf("result %+v", res)
	}
	if f.gets != 1 || len(f.posts) != 1 || f.wrongPathOrQuery != "" || f.contentTypeSeen != "application/json" {
		t.Fatalf("%d GET, %d POST, wrong %q, Content-Type %q", f.gets, len(f.posts), f.wrongPathOrQuery, f.contentTypeSeen)
	}
	want := map[string]any{
		"amount":      "16.12",
		"api_refund":  true,
		"api_restock": true,
		"reason":      "Return R-7K3P-9XQ2 (returns-portal:rf_7K3P9XQ2M4TZAB12)",
		"line_items": []any{
			map[string]any{"id": json.Number("315"), "quantity": json.Number("1"), "refund_total": json.Number("3.00")},
			map[string]any{"id": json.Number("316"), "quantity": json.Number("1"), "refund_total": json.Number("12.00")},
		},
		"meta_data": []any{map[string]any{"key": "_returns_portal_refund_id", "value": "rf_7K3P9XQ2M4TZAB12"}},
	}
	if !reflect.DeepEqual(f.posts[0], want) {
		t.Errorf("body %s", f.rawPosts[0])
	}
	// amount is a string, refund_total a number: as the reference types them.
	if !bytes.Contains(f.rawPosts[0], []byte(`"amount":"16.12"`)) || !bytes.Contains(f.rawPosts[0], []byte(`"refund_total":3.00`)) {
		t.Errorf("JSON types in %s", f.rawPosts[0])
	}
}

// TestWooCommerceRefundLookupFirst: a refund the portal made before for
// the same refund id (a crash after WooCommerce answered) is found in the
// order's refunds and not created again.
func TestWooCommerceRefundLookupFirst(t *testing.T) {
	ours := []byte(`[{"id":730,"amount":"16.12","reason":"","meta_data":[{"id":1,"key":"_returns_portal_refund_id","value":"rf_7K3P9XQ2M4TZAB12"}]},
		{"id":726,"amount":"10.00","reason":"","meta_data":[]}]`)
	byReason := []byte(`[{"id":731,"amount":"16.12","reason":"Return R-7K3P-9XQ2 (returns-portal:rf_7K3P9XQ2M4TZAB12)","meta_data":[]}]`)
	other := []byte(`[{"id":732,"amount":"16.12","reason":"Return R-7K3P-9XQ2 (returns-portal:rf_OTHER)","meta_data":[{"id":1,"key":"_returns_portal_refund_id","value":"rf_OTHER"}]}]`)
	cases := []struct {
		name      string
		list      []byte
		wantID    string
		wantPosts int
	}{
		{"by meta_data", ours, "730", 0},
		{"by reason", byReason, "731", 0},
		{"another refund's", other, "726", 1},
		{"none", []byte(`[]`), "726", 1},
	}
	for _, c := range cases {
		f := &fakeWoo{t: t, key: "ck_test", secret: "cs_test", list: c.list, created: fixture(t, "woocommerce-refund-726.json")}
		res, err := wooExecutor(t, f).Refund(context.Background(), wooRequest())
		if err != nil || res.ProviderRefundID != c.wantID || len(f.posts) != c.wantPosts {
			t.Errorf("%s: %+v %v, %d POST", c.name, res, err, len(f.posts))
		}
	}
}

// TestWooCommerceRefundAnswers: WooCommerce's {"code","message","data"}
// errors are refusals, the gateway's refusal (500 with
// woocommerce_rest_cannot_create_order_refund) included; other 5xx and 429
// leave the outcome unknown.
func TestWooCommerceRefundAnswers(t *testing.T) {
	cases := []struct {
		name        string
		key         string
		ref         string
		status      int
		created     []byte
		wantCode    string
		wantMessage string
		wantUnknown bool
	}{
		{name: "gateway refused", status: 500, created: fixture(t, "woocommerce-error-cannot-refund.json"),
			wantCode: "woocommerce_rest_cannot_create_order_refund", wantMessage: "Invalid refund amount."},
		{name: "unknown order", status: 404, created: fixture(t, "woocommerce-error-invalid-order.json"),
			wantCode: "woocommerce_rest_invalid_order_id", wantMessage: "Invalid order ID."},
		{name: "wrong key", key: "ck_other", wantCode: "woocommerce_rest_cannot_view"},
		{name: "server down", status: 502, created: []byte("<html>Bad gateway</html>"), wantUnknown: true},
		{name: "server error with another code", status: 500,
			created:     []byte(`{"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500}}`),
			wantUnknown: true},
		{name: "rate limited", status: 429, created: []byte(`{"code":"rate_limited","message":"Slow down","data":{"status":429}}`),
			wantUnknown: true},
		{name: "4xx without a body", status: 400, created: []byte(``), wantCode: "http_400"},
		{name: "no order id", ref: "wc-abc", wantCode: "no_payment_reference"},
		{name: "created without an id", created: []byte(`{"id":0}`), wantUnknown: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeWoo{t: t, key: "ck_test", secret: "cs_test", list: []byte(`[]`), created: c.created, createdStatus: c.status}
			srv := httptest.NewServer(f)
			defer srv.Close()
			key := c.key
			if key == "" {
				key = "ck_test"
			}
			ex, _ := Config{WooCommerce: WooCommerceConfig{URL: srv.URL, Key: key, Secret: "cs_test"}}.Executor(WooCommerce)
			r := wooRequest()
			if c.ref != "" {
				r.Payment.Reference = c.ref
			}
			_, err := ex.Refund(context.Background(), r)
			pe, refused := IsRefusal(err)
			switch {
			case err == nil:
				t.Fatal("no error")
			case c.wantUnknown && refused:
				t.Errorf("%v is a refusal, want an unknown outcome", err)
			case !c.wantUnknown && (!refused || pe.Code != c.wantCode || !strings.Contains(pe.Message, c.wantMessage)):
				t.Errorf("error %v, want refusal %s %q", err, c.wantCode, c.wantMessage)
			}
		})
	}
}
