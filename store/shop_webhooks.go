package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Outcomes of a shop webhook delivery.
const (
	WebhookApplied   = "applied"
	WebhookIgnored   = "ignored"
	WebhookUnmapped  = "unmapped"
	maxStoredPayload = 256 << 10
)

// WebhookReceipt is one delivery of a shop's webhook as recorded.
type WebhookReceipt struct {
	Platform    string    `db:"platform"`
	DeliveryID  string    `db:"delivery_id"`
	Topic       string    `db:"topic"`
	Outcome     string    `db:"outcome"`
	Reason      string    `db:"reason"`
	OrderNumber string    `db:"order_number"`
	ReceivedAt  time.Time `db:"received_at"`
	// Payload is the start of the payload kept for an unmapped delivery
	// and PayloadLength its whole length, in characters (WebhookReceipts).
	Payload       string `db:"payload"`
	PayloadLength int    `db:"payload_length"`
}

// RecordWebhook records a delivery once, by the sender's id: dup is true
// (and nothing is written) when it was recorded before. payload is kept
// only for an unmapped delivery (cut at 256 KiB), for staff to look at.
func (t *Tx) RecordWebhook(r WebhookReceipt, payload []byte) (dup bool, err error) {
	err = t.do(fmt.Sprintf("record %s webhook %q", r.Platform, r.DeliveryID), func(ctx context.Context, tx *sqlx.Tx) error {
		kept := ""
		if r.Outcome == WebhookUnmapped {
			kept = string(payload[:min(len(payload), maxStoredPayload)])
		}
		var id int64
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO webhook_receipts (platform, delivery_id, topic,
			outcome, reason, order_number, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING id`),
			r.Platform, r.DeliveryID, r.Topic, r.Outcome, r.Reason, r.OrderNumber, kept, t.s.stamp()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			dup = true
			return nil
		}
		return err
	})
	return dup, err
}

// WebhookSeen reports whether a delivery was recorded.
func (s *Store) WebhookSeen(ctx context.Context, platform, deliveryID string) (bool, error) {
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM webhook_receipts WHERE platform = ? AND delivery_id = ?`,
		platform, deliveryID); err != nil {
		return false, fmt.Errorf("store: webhook seen: %w", err)
	}
	return n > 0, nil
}

// WebhookReceipts lists the latest deliveries with an outcome ("" any),
// newest first, each with the first payloadCap characters of its kept
// payload (Payload) and the kept payload's length (PayloadLength).
func (s *Store) WebhookReceipts(ctx context.Context, outcome string, limit, payloadCap int) ([]WebhookReceipt, error) {
	q := `SELECT platform, delivery_id, topic, outcome, reason, order_number, received_at,
		SUBSTR(payload, 1, ?) AS payload, LENGTH(payload) AS payload_length FROM webhook_receipts`
	args := []any{payloadCap}
	if outcome != "" {
		q += ` WHERE outcome = ?`
		args = append(args, outcome)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	out := []WebhookReceipt{}
	if err := sel(ctx, s.r, &out, q, args...); err != nil {
		return nil, fmt.Errorf("store: webhook receipts: %w", err)
	}
	for i := range out {
		out[i].ReceivedAt = out[i].ReceivedAt.UTC()
	}
	return out, nil
}

// LinkPlatformOrder remembers a shop's own id of an order.
func (t *Tx) LinkPlatformOrder(platform, externalID, number string) error {
	return t.do("link platform order", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `INSERT INTO platform_orders (platform, external_id, order_id)
			SELECT ?, ?, id FROM orders WHERE number = ?
			ON CONFLICT (platform, external_id) DO UPDATE SET order_id = excluded.order_id`, platform, externalID, number)
		return err
	})
}

// PlatformOrder is the number of the order a shop knows by externalID
// (ErrNotFound when it never arrived).
func (s *Store) PlatformOrder(ctx context.Context, platform, externalID string) (string, error) {
	var n string
	if err := get(ctx, s.r, &n, `SELECT o.number FROM platform_orders p JOIN orders o ON o.id = p.order_id
		WHERE p.platform = ? AND p.external_id = ?`, platform, externalID); err != nil {
		return "", fmt.Errorf("store: platform order: %w", err)
	}
	return n, nil
}

// SetOrderTimes sets an order's shipping or delivery time (nil leaves it).
func (t *Tx) SetOrderTimes(number string, shipped, delivered *time.Time) error {
	return t.do(fmt.Sprintf("set times of order %q", number), func(ctx context.Context, tx *sqlx.Tx) error {
		// A new revision: returns decided before their transaction from
		// the old times are decided again (decide.go).
		res, err := exec(ctx, tx, `UPDATE orders SET shipped_at = COALESCE(?, shipped_at),
			delivered_at = COALESCE(?, delivered_at), updated_at = ?, revision = revision + 1 WHERE number = ?`,
			dbTimePtr(shipped), dbTimePtr(delivered), t.s.stamp(), number)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// AddExternalRefund records a refund made in the shop (once per id).
func (t *Tx) AddExternalRefund(platform, externalID, number string, amount int64, currency string) error {
	return t.do("add external refund", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `INSERT INTO external_refunds (order_id, platform, external_id, amount, currency, created_at)
			SELECT id, ?, ?, ?, ?, ? FROM orders WHERE number = ?
			ON CONFLICT (platform, external_id) DO NOTHING`, platform, externalID, amount, currency, t.s.stamp(), number)
		return err
	})
}
