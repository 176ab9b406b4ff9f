// Package payments executes refunds at the merchant's payment provider or
// shop, behind one interface (Executor): manual (records only, the
// default), stripe, shopify and woocommerce, and the portal's own store
// credit. An executor is called outside any database transaction, with the
// portal's refund id as the provider's idempotency key, so that calling it
// again after a crash or a timeout pays once (service/refund.go: claim →
// call → finalise).
package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bojanz/currency"

	"github.com/returns-portal/returns/returns"
)

// The executors' names, as stored with each refund.
const (
	Manual      = "manual"
	Stripe      = "stripe"
	Shopify     = "shopify"
	WooCommerce = "woocommerce"
	// StoreCredit is the portal's own credit: a code worth the amount plus
	// the policy's bonus; no provider is called.
	StoreCredit = "store_credit"
)

// DefaultExecutors are the names RETURNS_REFUND_EXECUTOR accepts.
var DefaultExecutors = []string{Manual, Stripe, Shopify, WooCommerce}

// Request is one refund to execute. Amount is everything paid back now, in
// minor units of Currency (the rules' amount plus goodwill, and for store
// credit the bonus); Lines and Shipping say what it is for, for the shops
// that record refunds per line.
type Request struct {
	// RefundID is the portal's refund id: the provider's idempotency key.
	RefundID    string
	RMA         string
	OrderNumber string
	Payment     returns.Payment
	Method      string
	Currency    string
	Amount      int64
	Lines       []Line
	// Shipping is the outbound shipping refunded (part of Amount).
	Shipping int64
}

// Line is one order line in a refund: the units, their share of the
// refund (gross) with the tax it contains, and whether they go back to
// stock (inspected resellable).
type Line struct {
	LineID   string
	Quantity int
	Amount   int64
	Tax      int64
	Restock  bool
}

// Result is what an executor did: the provider's refund id, a reference
// for the records, or the store-credit code.
type Result struct {
	ProviderRefundID string
	Reference        string
	CreditCode       string
}

// Executor pays a refund back. It returns a *ProviderError when the
// provider refused the refund for good (staff see its code and message and
// may retry or pay by hand); any other error means the outcome is unknown
// (a timeout, the provider unreachable or failing), and the same call is
// repeated later with the same RefundID.
type Executor interface {
	Refund(ctx context.Context, r Request) (Result, error)
}

// ProviderError is a provider's refusal: its code (Stripe's error code,
// Shopify's userErrors, WooCommerce's code) and message.
type ProviderError struct {
	Code    string
	Message string
}

func (e *ProviderError) Error() string { return "provider refused: " + e.Code + ": " + e.Message }

// IsRefusal reports whether err is a provider's refusal (as opposed to an
// unknown outcome).
func IsRefusal(err error) (*ProviderError, bool) {
	var pe *ProviderError
	ok := errors.As(err, &pe)
	return pe, ok
}

// ErrNotConfigured: an executor was asked for that has no credentials.
var ErrNotConfigured = errors.New("payments: executor not configured")

// decimal writes minor units as the provider's decimal string ("12.50" for
// 1250 EUR, "1250" for 1250 JPY, "1.250" for 1250 KWD).
func decimal(minor int64, cur string) (string, error) {
	a, err := currency.NewAmountFromInt64(minor, strings.ToUpper(cur))
	if err != nil {
		return "", fmt.Errorf("payments: amount in %q: %w", cur, err)
	}
	return a.Number(), nil
}

// callProvider sends a provider's REST request and reads its answer (at most 4
// MiB): a 2xx answer is decoded into out; any other comes back as its
// status and body, for the executor to sort into a refusal or an unknown
// outcome.
func callProvider(hc *http.Client, req *http.Request, provider string, out any) (status int, body []byte, err error) {
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(body, out); err != nil {
			return 0, nil, fmt.Errorf("%s: undecodable answer: %w", provider, err)
		}
	}
	return resp.StatusCode, body, nil
}
