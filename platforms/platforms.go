// Package platforms reads the order webhooks of shop platforms (Shopify,
// WooCommerce): it verifies a delivery's HMAC over the raw body before
// anything is parsed, and maps the payload to the portal's order
// (returns.Order) or to the event it carries (a delivery, a refund made in
// the shop). It does no I/O: the service stores what it maps, de-duplicates
// deliveries by the sender's id and keeps what it cannot map for staff.
package platforms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bojanz/currency"

	"github.com/returns-portal/returns/returns"
)

// The platforms' names, as the service and the settings know them.
const (
	Shopify     = "shopify"
	WooCommerce = "woocommerce"
)

// Verify reports whether signature is the base64 HMAC-SHA256 of body under
// secret, compared in constant time: Shopify's X-Shopify-Hmac-Sha256 and
// WooCommerce's X-WC-Webhook-Signature are both this.
func Verify(body []byte, signature, secret string) bool {
	if secret == "" || signature == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// Sign is the signature Verify accepts (for tests and the README's curl).
func Sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Event is what one delivery asks of the portal.
type Event struct {
	// Order is set for an order to create or replace (its number, lines
	// and times as the shop has them); ExternalID is the shop's own id of
	// the order.
	Order      *returns.Order
	ExternalID string
	// Delivered or Shipped set the order's times (a fulfillment's
	// shipment status); they name the order by ExternalID.
	Delivered, Shipped *time.Time
	// Refund is a refund made in the shop (it counts against what the
	// portal may still refund of the order).
	Refund *ShopRefund
	// ShopRefunds are the refunds an order's payload lists with it
	// (WooCommerce's refunds), each counted once by its id like Refund.
	ShopRefunds []ShopRefund
	// Ignored says why a delivery needs nothing (a topic the portal does
	// not act on, a deleted order): it is acknowledged and recorded.
	Ignored string
}

// ShopRefund is a refund made in the shop: its id, the money and whether
// the portal made it itself (its note names a portal refund).
type ShopRefund struct {
	ID       string
	Amount   int64
	Currency string
	Ours     bool
}

// UnmappableError says why a payload cannot be mapped; the service keeps
// the payload with the reason for staff and acknowledges the delivery.
type UnmappableError struct{ Reason string }

func (e *UnmappableError) Error() string { return "unmappable payload: " + e.Reason }

func unmappable(format string, a ...any) error {
	return &UnmappableError{Reason: fmt.Sprintf(format, a...)}
}

// IsUnmappable reports whether err is an UnmappableError.
func IsUnmappable(err error) (string, bool) {
	var ue *UnmappableError
	if errors.As(err, &ue) {
		return ue.Reason, true
	}
	return "", false
}

// minor reads a decimal amount ("885.95") as minor units of cur, refusing
// more decimals than the currency has.
func minor(s, cur string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	a, err := currency.NewAmount(s, strings.ToUpper(cur))
	if err != nil {
		return 0, err
	}
	r := a.Round()
	if !r.Equal(a) {
		return 0, fmt.Errorf("amount %q has more decimals than %s", s, cur)
	}
	return r.Int64()
}

// grossLine fills a line's unit price and discount so that Line.Paid() is
// exactly paid for qty units whose undiscounted gross is gross: the unit
// price is gross/qty rounded up and the discount takes up the rest, never
// negative.
func grossLine(l *returns.Line, gross, paid int64, qty int) {
	if qty <= 0 {
		return
	}
	q := int64(qty)
	unit := (gross + q - 1) / q
	if unit*q < paid {
		unit = (paid + q - 1) / q
	}
	l.UnitPrice = unit
	l.Discount = unit*q - paid
}
