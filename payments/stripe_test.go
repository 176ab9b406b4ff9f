package payments

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/returns-portal/returns/internal/stripemock"
	"github.com/returns-portal/returns/returns"
)

func stripeRequest(reference string) Request {
	return Request{RefundID: "rf_01J", RMA: "R-AB12-CD34", OrderNumber: "1001",
		Payment: returns.Payment{Provider: "stripe", Reference: reference}, Currency: "EUR", Amount: 4990}
}

// TestStripeAgainstStripeMock holds the executor to Stripe's own API
// double, which validates every request against Stripe's OpenAPI
// specification: a refund of a payment intent and of a charge, and a
// request without a valid key refused as Stripe refuses it.
func TestStripeAgainstStripeMock(t *testing.T) {
	api := stripemock.Start(t)
	ex, err := Config{Stripe: StripeConfig{Key: "sk_test_123", APIURL: api}}.Executor(Stripe)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"pi_123", "ch_123"} {
		res, err := ex.Refund(context.Background(), stripeRequest(ref))
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if res.ProviderRefundID == "" || res.Reference != "stripe:"+res.ProviderRefundID {
			t.Errorf("%s: %+v", ref, res)
		}
	}
	bad := newStripe(StripeConfig{Key: "not a key", APIURL: api}, http.DefaultClient)
	_, err = bad.Refund(context.Background(), stripeRequest("pi_123"))
	if pe, ok := IsRefusal(err); !ok || pe.Code != "invalid_request_error" || pe.Message == "" {
		t.Errorf("a bad key: %v, want a refusal of type invalid_request_error", err)
	}
}

// TestStripeRequestAndAnswers checks the request as Stripe's API reference
// gives it (POST /v1/refunds, form-encoded, bearer key, pinned version,
// the refund id as Idempotency-Key) and how each kind of answer is sorted:
// refusals (docs.stripe.com/api/errors: 4xx with an error object whose
// type is card_error, invalid_request_error or idempotency_error; a
// refund created with status failed) against unknown outcomes (429, 5xx,
// type api_error, an undecodable success). The error bodies are ours, in
// the documented shape.
func TestStripeRequestAndAnswers(t *testing.T) {
	cases := []struct {
		name, ref string
		status    int
		body      string
		want      string // refusal code, "" for success, "unknown"
	}{
		{"refunded", "pi_1", 200, `{"id":"re_1","object":"refund","status":"succeeded"}`, ""},
		{"pending", "ch_1", 200, `{"id":"re_2","object":"refund","status":"pending"}`, ""},
		{"failed", "pi_1", 200, `{"id":"re_3","object":"refund","status":"failed","failure_reason":"expired_or_canceled_card"}`, "refund_failed"},
		{"card", "pi_1", 402, `{"error":{"type":"card_error","code":"charge_already_refunded","message":"Charge ch_1 has already been refunded."}}`, "charge_already_refunded"},
		{"idempotency", "pi_1", 400, `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}`, "idempotency_error"},
		{"bad key", "pi_1", 401, `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****"}}`, "invalid_request_error"},
		{"not json", "pi_1", 404, `<html>Not Found</html>`, "http_404"},
		{"rate limit", "pi_1", 429, `{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests"}}`, "unknown"},
		{"stripe failed", "pi_1", 500, `{"error":{"type":"api_error","message":"Something went wrong"}}`, "unknown"},
		{"api error as 4xx", "pi_1", 400, `{"error":{"type":"api_error","message":"Something went wrong"}}`, "unknown"},
		{"gateway", "pi_1", 502, `<html>Bad Gateway</html>`, "unknown"},
		{"undecodable success", "pi_1", 200, `{"id":`, "unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, _ := io.ReadAll(r.Body)
				form, _ := url.ParseQuery(string(raw))
				target := "payment_intent"
				if tc.ref[:3] == "ch_" {
					target = "charge"
				}
				if r.Method != http.MethodPost || r.URL.Path != "/v1/refunds" ||
					r.Header.Get("Authorization") != "Bearer sk_test_123" ||
					r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
					r.Header.Get("Stripe-Version") != StripeAPIVersion ||
					r.Header.Get("Idempotency-Key") != "rf_01J" ||
					form.Get(target) != tc.ref || form.Get("amount") != "4990" ||
					form.Get("reason") != "requested_by_customer" || form.Get("metadata[rma]") != "R-AB12-CD34" ||
					form.Get("metadata[order_number]") != "1001" || form.Get("metadata[refund_id]") != "rf_01J" {
					t.Errorf("request %s %s %v %v", r.Method, r.URL.Path, r.Header, form)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			res, err := newStripe(StripeConfig{Key: "sk_test_123", APIURL: srv.URL + "/"}, srv.Client()).
				Refund(context.Background(), stripeRequest(tc.ref))
			pe, refused := IsRefusal(err)
			switch {
			case tc.want == "":
				if err != nil || res.ProviderRefundID == "" {
					t.Errorf("%+v %v, want a refund", res, err)
				}
			case tc.want == "unknown":
				if err == nil || refused {
					t.Errorf("%v, want an unknown outcome (to be repeated)", err)
				}
			case !refused || pe.Code != tc.want:
				t.Errorf("%v, want a refusal %s", err, tc.want)
			}
		})
	}
}

func TestStripeWithoutReference(t *testing.T) {
	_, err := newStripe(StripeConfig{Key: "sk_test_123"}, http.DefaultClient).Refund(context.Background(), stripeRequest(" "))
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "no_payment_reference" {
		t.Errorf("%v", err)
	}
}
