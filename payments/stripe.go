package payments

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v82"
)

// stripeExec refunds through Stripe's POST /v1/refunds: payment_intent =
// the order's payment reference (charge for a "ch_" reference), amount in
// minor units, the Idempotency-Key header = the portal's refund id, and
// metadata naming the RMA, the order and the refund.
type stripeExec struct {
	client *stripe.Client
}

func newStripe(cfg StripeConfig, hc *http.Client) *stripeExec {
	bc := &stripe.BackendConfig{HTTPClient: hc,
		// The resume worker repeats the call with the same key; the
		// library's own retries would only hide how long it took.
		MaxNetworkRetries: stripe.Int64(0),
		// The library logs requests; our logs carry no provider payloads.
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	if cfg.APIURL != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.APIURL, "/"))
	}
	b := stripe.GetBackendWithConfig(stripe.APIBackend, bc)
	return &stripeExec{client: stripe.NewClient(cfg.Key,
		stripe.WithBackends(&stripe.Backends{API: b, Connect: b, Uploads: b, MeterEvents: b}))}
}

func (s *stripeExec) Refund(ctx context.Context, r Request) (Result, error) {
	ref := strings.TrimSpace(r.Payment.Reference)
	if ref == "" {
		return Result{}, &ProviderError{Code: "no_payment_reference",
			Message: "the order has no Stripe payment reference (pi_… or ch_…)"}
	}
	p := &stripe.RefundCreateParams{Amount: stripe.Int64(r.Amount),
		Reason:   stripe.String(string(stripe.RefundReasonRequestedByCustomer)),
		Metadata: map[string]string{"rma": r.RMA, "order_number": r.OrderNumber, "refund_id": r.RefundID}}
	if strings.HasPrefix(ref, "ch_") || strings.HasPrefix(ref, "py_") {
		p.Charge = stripe.String(ref)
	} else {
		p.PaymentIntent = stripe.String(ref)
	}
	p.SetIdempotencyKey(r.RefundID)
	rf, err := s.client.V1Refunds.Create(ctx, p)
	if err != nil {
		return Result{}, stripeError(err)
	}
	if rf.Status == stripe.RefundStatusFailed || rf.Status == stripe.RefundStatusCanceled {
		return Result{}, &ProviderError{Code: "refund_" + string(rf.Status), Message: string(rf.FailureReason)}
	}
	return Result{ProviderRefundID: rf.ID, Reference: "stripe:" + rf.ID}, nil
}

// stripeError sorts Stripe's errors: a refusal of the request (invalid
// request, card, idempotency errors, and authentication: a wrong key does
// not fix itself) is a ProviderError with Stripe's code and message; rate
// limits, Stripe's own failures and the network leave the outcome unknown.
func stripeError(err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return err
	}
	if se.HTTPStatusCode == http.StatusTooManyRequests || se.HTTPStatusCode >= 500 || se.Type == stripe.ErrorTypeAPI {
		return err
	}
	code := string(se.Code)
	if code == "" {
		code = string(se.Type)
	}
	if code == "" {
		code = "stripe_error"
	}
	return &ProviderError{Code: code, Message: se.Msg}
}
