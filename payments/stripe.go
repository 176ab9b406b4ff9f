package payments

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// StripeAPIURL is Stripe's API.
const StripeAPIURL = "https://api.stripe.com"

// StripeAPIVersion is the API version every request names (Stripe-Version),
// so that a change of the account's default version changes nothing here.
// It is the version stripe-go v82 pinned, which the executor used until it
// spoke HTTP itself: the one call it makes did not justify the library's
// 6 MB of loaded code in every server (docs/PERFORMANCE.md, sixth round).
const StripeAPIVersion = "2025-08-27.basil"

// stripe refunds through Stripe's POST /v1/refunds: payment_intent = the
// order's payment reference (charge for a "ch_" or "py_" reference),
// amount in minor units, the Idempotency-Key header = the portal's refund
// id, and metadata naming the RMA, the order and the refund. Like the
// Shopify and WooCommerce executors it speaks HTTP itself; the stripe-mock
// tests (service/refund_test.go, stripe_test.go) hold it to Stripe's own
// API double.
type stripe struct {
	apiURL string
	key    string
	hc     *http.Client
}

func newStripe(cfg StripeConfig, hc *http.Client) *stripe {
	api := strings.TrimRight(cfg.APIURL, "/")
	if api == "" {
		api = StripeAPIURL
	}
	return &stripe{apiURL: api, key: cfg.Key, hc: hc}
}

// stripeRefund is what the executor reads of Stripe's Refund object.
type stripeRefund struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	FailureReason string `json:"failure_reason"`
}

func (s *stripe) Refund(ctx context.Context, r Request) (Result, error) {
	ref := strings.TrimSpace(r.Payment.Reference)
	if ref == "" {
		return Result{}, &ProviderError{Code: "no_payment_reference",
			Message: "the order has no Stripe payment reference (pi_… or ch_…)"}
	}
	form := url.Values{
		"amount":                 {strconv.FormatInt(r.Amount, 10)},
		"reason":                 {"requested_by_customer"},
		"metadata[rma]":          {r.RMA},
		"metadata[order_number]": {r.OrderNumber},
		"metadata[refund_id]":    {r.RefundID},
	}
	if strings.HasPrefix(ref, "ch_") || strings.HasPrefix(ref, "py_") {
		form.Set("charge", ref)
	} else {
		form.Set("payment_intent", ref)
	}
	var rf stripeRefund
	if err := s.post(ctx, "/v1/refunds", form, r.RefundID, &rf); err != nil {
		return Result{}, err
	}
	if rf.ID == "" {
		return Result{}, fmt.Errorf("stripe: refund created without an id")
	}
	if rf.Status == "failed" || rf.Status == "canceled" {
		return Result{}, &ProviderError{Code: "refund_" + rf.Status, Message: rf.FailureReason}
	}
	return Result{ProviderRefundID: rf.ID, Reference: "stripe:" + rf.ID}, nil
}

// post sends one form-encoded request with the secret key as bearer token
// and decodes the answer into out. No retries of its own: the resume
// worker repeats the call with the same idempotency key.
func (s *stripe) post(ctx context.Context, path string, form url.Values, idempotencyKey string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.apiURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Stripe-Version", StripeAPIVersion)
	req.Header.Set("Idempotency-Key", idempotencyKey)
	status, body, err := callProvider(s.hc, req, "stripe", out)
	if err != nil || status < 300 {
		return err
	}
	return stripeError(status, body)
}

// stripeError sorts Stripe's errors ({"error": {"type", "code", "message"}},
// docs.stripe.com/api/errors): a refusal of the request (invalid request,
// card, idempotency errors, and authentication: a wrong key does not fix
// itself) is a ProviderError with Stripe's code, else its type, and its
// message; rate limits (429), Stripe's own failures (5xx, type api_error)
// leave the outcome unknown, as does a network failure before this.
func stripeError(status int, body []byte) error {
	var e struct {
		Error struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	decoded := json.Unmarshal(body, &e) == nil && (e.Error.Type != "" || e.Error.Code != "")
	if status == http.StatusTooManyRequests || status >= 500 || e.Error.Type == "api_error" {
		return fmt.Errorf("stripe: HTTP %d, outcome unknown: %q", status, e.Error.Message)
	}
	if !decoded {
		return &ProviderError{Code: "http_" + strconv.Itoa(status),
			Message: "Stripe answered HTTP " + strconv.Itoa(status)}
	}
	code := e.Error.Code
	if code == "" {
		code = e.Error.Type
	}
	return &ProviderError{Code: code, Message: e.Error.Message}
}
