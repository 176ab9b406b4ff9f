package payments

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/returns-portal/returns/returns"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gqlRequest is one GraphQL call as the fake Shopify received it.
type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

// fakeShopify is Shopify's Admin GraphQL endpoint as documented: it
// refuses what Shopify would refuse before any operation runs (path with
// the pinned version, token, JSON), then answers the transactions query and
// the refundCreate mutation with the bodies it is given.
type fakeShopify struct {
	t            *testing.T
	token        string
	transactions []byte
	refund       []byte
	refundStatus int
	mu           sync.Mutex
	calls        []gqlRequest
}

func (f *fakeShopify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/admin/api/"+ShopifyAPIVersion+"/graphql.json" {
		f.t.Errorf("%s %s, want POST /admin/api/%s/graphql.json", r.Method, r.URL.Path, ShopifyAPIVersion)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("X-Shopify-Access-Token"); got != f.token {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("Content-Type %q", ct)
	}
	var req gqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.t.Errorf("body is not GraphQL JSON: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, req)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.Contains(req.Query, "refundCreate("):
		if f.refundStatus != 0 {
			w.WriteHeader(f.refundStatus)
		}
		_, _ = w.Write(f.refund)
	case strings.Contains(req.Query, "transactions"):
		_, _ = w.Write(f.transactions)
	default:
		f.t.Errorf("unexpected operation %q", req.Query)
	}
}

func (f *fakeShopify) mutations() []gqlRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gqlRequest
	for _, c := range f.calls {
		if strings.Contains(c.Query, "refundCreate(") {
			out = append(out, c)
		}
	}
	return out
}

// shopifyRequest is a refund of two lines of Shopify's sample order: one
// unit inspected resellable, one not, with the shipping refunded.
func shopifyRequest() Request {
	return Request{RefundID: "rf_7K3P9XQ2M4TZAB12", RMA: "R-7K3P-9XQ2", OrderNumber: "9999",
		Payment: returns.Payment{Method: "visa", Provider: Shopify, Reference: "gid://shopify/Order/820982911946154508"},
		Method:  returns.MethodOriginalPayment, Currency: "USD", Amount: 159590, Shipping: 1000,
		Lines: []Line{{LineID: "866550311766439020", Quantity: 1, Amount: 88595, Restock: true},
			{LineID: "141249953214522974", Quantity: 1, Amount: 69995}}}
}

func shopifyExecutor(t *testing.T, f *fakeShopify, location string) Executor {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := Config{Shopify: ShopifyConfig{Shop: "returns-test.myshopify.com", Token: "shpat_test", APIURL: srv.URL,
		LocationID: location}}
	ex, err := cfg.Executor(Shopify)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestShopifyRefundRequest: the mutation and its variables are exactly
// what refundCreate's reference asks for, and the documented success
// answer gives the refund's id.
func TestShopifyRefundRequest(t *testing.T) {
	f := &fakeShopify{t: t, token: "shpat_test", transactions: fixture(t, "shopify-order-transactions.json"),
		refund: fixture(t, "shopify-refundcreate-success.json")}
	res, err := shopifyExecutor(t, f, "655441491").Refund(context.Background(), shopifyRequest())
	if err != nil {
		t.Fatal(err)
	}
	if res.ProviderRefundID != "gid://shopify/Refund/1" || res.Reference != "shopify:1" {
		t.Errorf("result %+v", res)
	}
	if len(f.calls) != 2 || !strings.Contains(f.calls[0].Query, "order(id: $id)") ||
		f.calls[0].Variables["id"] != "gid://shopify/Order/820982911946154508" {
		t.Fatalf("calls %+v, want the order's transactions, then refundCreate", f.calls)
	}
	m := f.mutations()[0]
	if !strings.Contains(m.Query, "refundCreate(input: $input) @idempotent(key: $key)") {
		t.Errorf("mutation without the idempotency directive: %s", m.Query)
	}
	want := map[string]any{
		"key": "rf_7K3P9XQ2M4TZAB12",
		"input": map[string]any{
			"orderId":  "gid://shopify/Order/820982911946154508",
			"notify":   false,
			"note":     "returns-portal:rf_7K3P9XQ2M4TZAB12 R-7K3P-9XQ2",
			"currency": "USD",
			"refundLineItems": []any{
				map[string]any{"lineItemId": "gid://shopify/LineItem/866550311766439020", "quantity": float64(1),
					"restockType": "RETURN", "locationId": "gid://shopify/Location/655441491"},
				map[string]any{"lineItemId": "gid://shopify/LineItem/141249953214522974", "quantity": float64(1),
					"restockType": "NO_RESTOCK"},
			},
			"shipping": map[string]any{"amount": "10.00"},
			"transactions": []any{map[string]any{"orderId": "gid://shopify/Order/820982911946154508",
				"parentId": "gid://shopify/OrderTransaction/4", "gateway": "shopify_payments", "kind": "REFUND",
				"amount": "1595.90"}},
		},
	}
	if !reflect.DeepEqual(m.Variables, want) {
		got, _ := json.MarshalIndent(m.Variables, "", " ")
		t.Errorf("variables\n%s", got)
	}
}

// TestShopifyRefundVariants: amounts in the currency's own decimals, no
// restock without a location, no shipping key without a shipping refund.
func TestShopifyRefundVariants(t *testing.T) {
	f := &fakeShopify{t: t, token: "shpat_test", transactions: fixture(t, "shopify-order-transactions.json"),
		refund: fixture(t, "shopify-refundcreate-success.json")}
	r := shopifyRequest()
	r.Currency, r.Amount, r.Shipping = "JPY", 15000, 0
	r.Lines = r.Lines[:1]
	r.Payment.Reference = "820982911946154508" // a numeric id names the order too
	if _, err := shopifyExecutor(t, f, "").Refund(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	in := f.mutations()[0].Variables["input"].(map[string]any)
	if _, ok := in["shipping"]; ok {
		t.Errorf("shipping sent without a shipping refund: %v", in["shipping"])
	}
	item := in["refundLineItems"].([]any)[0].(map[string]any)
	if item["restockType"] != "NO_RESTOCK" || item["locationId"] != nil {
		t.Errorf("restocked without a location: %v", item)
	}
	tx := in["transactions"].([]any)[0].(map[string]any)
	if tx["amount"] != "15000" || in["currency"] != "JPY" || in["orderId"] != "gid://shopify/Order/820982911946154508" {
		t.Errorf("input %v", in)
	}
}

// TestShopifyRefundAnswers: userErrors and refusals of the request are the
// provider's refusal (staff see the message); throttling and server errors
// leave the outcome unknown (the same call is repeated later).
func TestShopifyRefundAnswers(t *testing.T) {
	txs := fixture(t, "shopify-order-transactions.json")
	cases := []struct {
		name         string
		token        string
		transactions []byte
		refund       []byte
		status       int
		ref          string
		wantCode     string // "" with wantUnknown: not a refusal
		wantUnknown  bool
		wantMessage  string
		wantMutation bool
	}{
		{name: "userErrors", refund: fixture(t, "shopify-refundcreate-usererrors.json"), wantCode: "user_error",
			wantMessage:  "Amount can't be greater than the refundable amount; Quantity can't be greater than the refundable quantity",
			wantMutation: true},
		{name: "throttled", refund: fixture(t, "shopify-throttled.json"), wantUnknown: true, wantMutation: true},
		{name: "throttled with 429", refund: fixture(t, "shopify-throttled.json"), status: http.StatusTooManyRequests,
			wantUnknown: true, wantMutation: true},
		{name: "server error", refund: []byte("<html>502</html>"), status: http.StatusBadGateway, wantUnknown: true,
			wantMutation: true},
		{name: "access denied", refund: []byte(`{"errors":[{"message":"Access denied for refundCreate field. Required access: ` +
			"`write_orders`" + ` access scope.","extensions":{"code":"ACCESS_DENIED"}}]}`), wantCode: "access_denied",
			wantMessage: "Access denied for refundCreate field", wantMutation: true},
		{name: "wrong token", token: "shpat_other", wantCode: "unauthorized"},
		{name: "unknown order", transactions: []byte(`{"data":{"order":null}}`), wantCode: "order_not_found"},
		{name: "nothing captured", transactions: []byte(`{"data":{"order":{"id":"gid://shopify/Order/1","transactions":[
			{"id":"gid://shopify/OrderTransaction/1","kind":"AUTHORIZATION","status":"SUCCESS","gateway":"manual"}]}}}`),
			wantCode: "no_refundable_transaction"},
		{name: "no reference", ref: "pi_123", wantCode: "no_payment_reference"},
		{name: "success without a refund", refund: []byte(`{"data":{"refundCreate":{"refund":null,"userErrors":[]}}}`),
			wantUnknown: true, wantMutation: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeShopify{t: t, token: "shpat_test", transactions: txs, refund: c.refund, refundStatus: c.status}
			if c.transactions != nil {
				f.transactions = c.transactions
			}
			srv := httptest.NewServer(f)
			defer srv.Close()
			token := c.token
			if token == "" {
				token = "shpat_test"
			}
			ex, _ := Config{Shopify: ShopifyConfig{Shop: "returns-test.myshopify.com", Token: token, APIURL: srv.URL}}.Executor(Shopify)
			r := shopifyRequest()
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
			if got := len(f.mutations()) > 0; got != c.wantMutation {
				t.Errorf("refundCreate sent: %v, want %v", got, c.wantMutation)
			}
		})
	}
}
