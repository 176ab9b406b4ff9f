package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Shop webhooks (POST /webhooks/shopify, /webhooks/woocommerce): only the
// HMAC over the raw body authenticates a delivery; it is verified before
// anything is parsed, recorded once by the sender's id (a redelivery is
// acknowledged and dropped), and applied: an order created or replaced, a
// delivery time, a refund made in the shop. A payload that cannot be mapped
// is kept with the reason for staff and acknowledged too (the sender would
// otherwise retry it for days).

// Errors of ReceiveWebhook.
var (
	// ErrWebhookUnauthorized: the signature is missing or wrong (401).
	ErrWebhookUnauthorized = errors.New("webhook signature invalid")
	// ErrConnectorDisabled: the platform's connector has no webhook secret
	// or is switched off (404).
	ErrConnectorDisabled = errors.New("connector not enabled")
)

// WebhookDelivery is one delivery as received.
type WebhookDelivery struct {
	Platform   string // platforms.Shopify or platforms.WooCommerce
	ID         string // X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID
	Topic      string // X-Shopify-Topic, X-WC-Webhook-Topic
	Signature  string // X-Shopify-Hmac-Sha256, X-WC-Webhook-Signature
	ShopDomain string // X-Shopify-Shop-Domain
	Body       []byte
}

// ReceiveWebhook verifies, de-duplicates and applies a delivery, and says
// what became of it: store.WebhookApplied, WebhookIgnored, WebhookUnmapped,
// or "duplicate".
func (s *Service) ReceiveWebhook(ctx context.Context, d WebhookDelivery) (string, error) {
	pc, ok, err := s.platform(ctx, d.Platform)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrConnectorDisabled
	}
	if !platforms.Verify(d.Body, d.Signature, pc.Secret) {
		return "", ErrWebhookUnauthorized
	}
	if pc.Shop != "" && !strings.EqualFold(d.ShopDomain, pc.Shop) {
		return "", ErrWebhookUnauthorized
	}
	if d.ID == "" || len(d.ID) > 200 {
		// Without the sender's id a redelivery is still the same bytes.
		sum := sha256.Sum256(append([]byte(d.Topic+"\n"), d.Body...))
		d.ID = "sha256:" + hex.EncodeToString(sum[:])
	}
	if seen, err := s.st.WebhookSeen(ctx, d.Platform, d.ID); err != nil || seen {
		return "duplicate", err
	}
	var ev platforms.Event
	if d.Platform == platforms.Shopify {
		ev, err = platforms.ParseShopify(d.Topic, d.Body, pc.Mapping)
	} else {
		ev, err = platforms.ParseWooCommerce(d.Topic, d.Body, pc.Mapping)
	}
	rc := store.WebhookReceipt{Platform: d.Platform, DeliveryID: d.ID, Topic: d.Topic, Outcome: store.WebhookApplied}
	if reason, ok := platforms.IsUnmappable(err); ok {
		return s.recordUnmapped(ctx, rc, reason, d.Body)
	} else if err != nil {
		return "", err
	}
	if ev.Ignored != "" {
		rc.Outcome, rc.Reason = store.WebhookIgnored, ev.Ignored
	}
	var prior *returns.Order
	if ev.Order != nil {
		rc.OrderNumber = ev.Order.Number
		if fe := returns.ValidateOrder(*ev.Order, s.legal); len(fe) > 0 {
			return s.recordUnmapped(ctx, rc, "invalid order: "+fe.Error(), d.Body)
		}
		if o, err := s.st.GetOrder(ctx, ev.Order.Number); err == nil {
			prior = &o
		} else if !errors.Is(err, ErrNotFound) {
			return "", err
		}
	} else if ev.ExternalID != "" && ev.Ignored == "" {
		n, err := s.st.PlatformOrder(ctx, d.Platform, ev.ExternalID)
		if errors.Is(err, ErrNotFound) {
			return s.recordUnmapped(ctx, rc, "no order with the shop's id "+ev.ExternalID+" arrived before", d.Body)
		} else if err != nil {
			return "", err
		}
		rc.OrderNumber = n
	}
	dup := false
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if dup, err = tx.RecordWebhook(rc, nil); err != nil || dup {
			return err
		}
		return s.applyEvent(tx, d.Platform, rc.OrderNumber, ev, prior)
	})
	var de *returns.Error
	switch {
	case dup:
		return "duplicate", nil
	case errors.As(err, &de) || errors.Is(err, ErrConflict):
		// The shop's update contradicts the order's returns (a line with
		// returns removed, say): staff decide.
		return s.recordUnmapped(ctx, rc, "refused: "+err.Error(), d.Body)
	case err != nil:
		return "", err
	}
	return rc.Outcome, nil
}

// applyEvent writes what a delivery asks, in its transaction.
func (s *Service) applyEvent(tx *store.Tx, platform, number string, ev platforms.Event, prior *returns.Order) error {
	switch {
	case ev.Ignored != "":
		return nil
	case ev.Order != nil:
		o := *ev.Order
		if prior != nil {
			// A later update without fulfillments keeps the times that
			// the fulfillment webhooks set.
			if o.DeliveredAt == nil {
				o.DeliveredAt = prior.DeliveredAt
			}
			if o.ShippedAt == nil {
				o.ShippedAt = prior.ShippedAt
			}
		}
		if _, err := tx.UpsertOrder(o); err != nil {
			return err
		}
		if err := tx.LinkPlatformOrder(platform, ev.ExternalID, o.Number); err != nil {
			return err
		}
		// A refund stays counted once seen, even when the shop's later
		// payload no longer lists it: deleting WooCommerce's record of
		// a refund does not take the money back from the shopper.
		for _, r := range ev.ShopRefunds {
			if r.Ours || r.Amount <= 0 {
				continue
			}
			if err := tx.AddExternalRefund(platform, r.ID, o.Number, r.Amount, r.Currency); err != nil {
				return err
			}
		}
		return nil
	case ev.Delivered != nil || ev.Shipped != nil:
		return tx.SetOrderTimes(number, ev.Shipped, ev.Delivered)
	case ev.Refund != nil:
		if ev.Refund.Ours || ev.Refund.Amount <= 0 {
			return nil
		}
		return tx.AddExternalRefund(platform, ev.Refund.ID, number, ev.Refund.Amount, ev.Refund.Currency)
	}
	return nil
}

// recordUnmapped keeps a delivery the portal cannot apply, with the reason.
func (s *Service) recordUnmapped(ctx context.Context, rc store.WebhookReceipt, reason string, body []byte) (string, error) {
	rc.Outcome, rc.Reason = store.WebhookUnmapped, reason
	if len(rc.Reason) > 1000 {
		rc.Reason = rc.Reason[:1000]
	}
	s.log.Warn("shop webhook not applied", "platform", rc.Platform, "topic", rc.Topic, "delivery", rc.DeliveryID, "reason", rc.Reason)
	dup := false
	err := s.st.Write(ctx, func(tx *store.Tx) (err error) { dup, err = tx.RecordWebhook(rc, body); return err })
	if dup {
		return "duplicate", err
	}
	return store.WebhookUnmapped, err
}

// Limits of the staff's list of unmapped deliveries: the latest ones, each
// payload shown up to a few kilobytes (it is kept up to 256 KiB).
const (
	UnmappedWebhooksShown = 100
	UnmappedPayloadShown  = 4096
)

// UnmappedWebhooks lists the latest shop deliveries that could not be
// applied, with the reason and the start of their payload, for staff.
func (s *Service) UnmappedWebhooks(ctx context.Context) ([]store.WebhookReceipt, error) {
	return s.st.WebhookReceipts(ctx, store.WebhookUnmapped, UnmappedWebhooksShown, UnmappedPayloadShown)
}
