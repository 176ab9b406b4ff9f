package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// WebhookEndpoint is a merchant's webhook endpoint (migration 00007). The
// signing secrets are stored as they are given out: they must sign every
// delivery, so a hash would not do.
type WebhookEndpoint struct {
	ID       int64
	PublicID string
	URL      string
	Events   []string
	Enabled  bool
	Secret   string
	// OldSecret signs as well until OldSecretUntil, after a rotation.
	OldSecret      string
	OldSecretUntil *time.Time
	// DisabledReason says why an endpoint is disabled ("gone": it answered
	// 410).
	DisabledReason string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Subscribes reports whether the endpoint takes events of this type.
func (w WebhookEndpoint) Subscribes(event string) bool { return slices.Contains(w.Events, event) }

// Secrets are the secrets that sign a delivery at now: the current one,
// and the old one during the grace period after a rotation.
func (w WebhookEndpoint) Secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.OldSecret != "" && w.OldSecretUntil != nil && now.Before(*w.OldSecretUntil) {
		out = append(out, w.OldSecret)
	}
	return out
}

type webhookRow struct {
	ID             int64      `db:"id"`
	PublicID       string     `db:"public_id"`
	URL            string     `db:"url"`
	Events         string     `db:"events"`
	Enabled        bool       `db:"enabled"`
	Secret         string     `db:"secret"`
	OldSecret      *string    `db:"old_secret"`
	OldSecretUntil *time.Time `db:"old_secret_until"`
	DisabledReason string     `db:"disabled_reason"`
	CreatedAt      time.Time  `db:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at"`
}

const webhookSelect = `SELECT id, public_id, url, events, enabled, secret, old_secret, old_secret_until,
	disabled_reason, created_at, updated_at FROM webhook_endpoints`

func (r webhookRow) endpoint() (WebhookEndpoint, error) {
	w := WebhookEndpoint{ID: r.ID, PublicID: r.PublicID, URL: r.URL, Enabled: r.Enabled, Secret: r.Secret,
		OldSecretUntil: utcPtr(r.OldSecretUntil), DisabledReason: r.DisabledReason,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.OldSecret != nil {
		w.OldSecret = *r.OldSecret
	}
	if err := json.Unmarshal([]byte(r.Events), &w.Events); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("decode events of %s: %w", r.PublicID, err)
	}
	return w, nil
}

func endpoints(rows []webhookRow) ([]WebhookEndpoint, error) {
	out := make([]WebhookEndpoint, 0, len(rows))
	for _, r := range rows {
		w, err := r.endpoint()
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// CreateWebhook stores a new, enabled endpoint; the caller has checked the
// URL and the events and made the secret.
func (s *Store) CreateWebhook(ctx context.Context, url string, events []string, secret string) (WebhookEndpoint, error) {
	ev, err := json.Marshal(events)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	var w WebhookEndpoint
	err = s.write(ctx, func(tx *sqlx.Tx) error {
		id, err := newPublicID("we_")
		if err != nil {
			return err
		}
		now := s.stamp()
		if _, err := exec(ctx, tx, `INSERT INTO webhook_endpoints (public_id, url, events, enabled, secret,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, id, url, string(ev), true, secret, now, now); err != nil {
			return err
		}
		w, err = webhookByPublicID(ctx, tx, id)
		return err
	})
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("store: create webhook: %w", err)
	}
	return w, nil
}

func webhookByPublicID(ctx context.Context, q sqlx.ExtContext, publicID string) (WebhookEndpoint, error) {
	var row webhookRow
	if err := get(ctx, q, &row, webhookSelect+` WHERE public_id = ? AND deleted_at IS NULL`, publicID); err != nil {
		return WebhookEndpoint{}, err
	}
	return row.endpoint()
}

// Webhook loads an endpoint that is not deleted by its public id.
func (s *Store) Webhook(ctx context.Context, publicID string) (WebhookEndpoint, error) {
	w, err := webhookByPublicID(ctx, s.r, publicID)
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("store: webhook %q: %w", publicID, err)
	}
	return w, nil
}

// WebhookByID loads an endpoint by its row id, deleted or not (a delivery
// names its endpoint so); deleted reports whether it is.
func (s *Store) WebhookByID(ctx context.Context, id int64) (w WebhookEndpoint, deleted bool, err error) {
	var row struct {
		webhookRow
		DeletedAt *time.Time `db:"deleted_at"`
	}
	if err := get(ctx, s.r, &row, `SELECT id, public_id, url, events, enabled, secret, old_secret, old_secret_until,
		disabled_reason, created_at, updated_at, deleted_at FROM webhook_endpoints WHERE id = ?`, id); err != nil {
		return WebhookEndpoint{}, false, fmt.Errorf("store: webhook %d: %w", id, err)
	}
	w, err = row.endpoint()
	return w, row.DeletedAt != nil, err
}

// ListWebhooks lists the endpoints that are not deleted, oldest first.
func (s *Store) ListWebhooks(ctx context.Context) ([]WebhookEndpoint, error) {
	var rows []webhookRow
	if err := sel(ctx, s.r, &rows, webhookSelect+` WHERE deleted_at IS NULL ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: list webhooks: %w", err)
	}
	out, err := endpoints(rows)
	if err != nil {
		return nil, fmt.Errorf("store: list webhooks: %w", err)
	}
	return out, nil
}

// SubscribedWebhooks lists, in the transaction, the enabled endpoints that
// take events of this type: the ones a change's deliveries go to.
func (t *Tx) SubscribedWebhooks(event string) ([]WebhookEndpoint, error) {
	var out []WebhookEndpoint
	err := t.do("subscribed webhooks", func(ctx context.Context, tx *sqlx.Tx) error {
		var rows []webhookRow
		if err := sel(ctx, tx, &rows, webhookSelect+` WHERE enabled = ? AND deleted_at IS NULL ORDER BY id`, true); err != nil {
			return err
		}
		all, err := endpoints(rows)
		if err != nil {
			return err
		}
		for _, w := range all {
			if w.Subscribes(event) {
				out = append(out, w)
			}
		}
		return nil
	})
	return out, err
}

// DeleteWebhook deletes an endpoint (its row stays, marked, for its
// deliveries' sake) and cancels its pending deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, publicID string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		w, err := webhookByPublicID(ctx, tx, publicID)
		if err != nil {
			return err
		}
		now := s.stamp()
		if _, err := exec(ctx, tx, `UPDATE webhook_endpoints SET deleted_at = ?, enabled = ?, updated_at = ?
			WHERE id = ?`, now, false, now, w.ID); err != nil {
			return err
		}
		return cancelDeliveries(ctx, tx, w.ID, now, "endpoint deleted")
	})
	if err != nil {
		return fmt.Errorf("store: delete webhook %q: %w", publicID, err)
	}
	return nil
}

func cancelDeliveries(ctx context.Context, tx *sqlx.Tx, endpointID int64, now time.Time, why string) error {
	_, err := exec(ctx, tx, `UPDATE outbox SET status = ?, last_error = ?, updated_at = ?
		WHERE endpoint_id = ? AND status = ?`, OutboxCancelled, why, now, endpointID, OutboxPending)
	return err
}

// DisableWebhook disables an endpoint for a reason (it answered 410 Gone)
// and cancels its pending deliveries.
func (s *Store) DisableWebhook(ctx context.Context, id int64, reason string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		now := s.stamp()
		if _, err := exec(ctx, tx, `UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ?, updated_at = ?
			WHERE id = ?`, false, reason, now, id); err != nil {
			return err
		}
		return cancelDeliveries(ctx, tx, id, now, "endpoint disabled: "+reason)
	})
	if err != nil {
		return fmt.Errorf("store: disable webhook %d: %w", id, err)
	}
	return nil
}

// EnableWebhook enables an endpoint again (staff, after fixing it). Events
// of the time it was disabled are not delivered: staff resend them.
func (s *Store) EnableWebhook(ctx context.Context, publicID string) error {
	res, err := exec(ctx, s.w, `UPDATE webhook_endpoints SET enabled = ?, disabled_reason = '', updated_at = ?
		WHERE public_id = ? AND deleted_at IS NULL`, true, s.stamp(), publicID)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("store: enable webhook %q: %w", publicID, err)
	}
	return nil
}

// RotateWebhookSecret makes secret the endpoint's signing secret; the
// current one keeps signing too until oldUntil.
func (s *Store) RotateWebhookSecret(ctx context.Context, publicID, secret string, oldUntil time.Time) (WebhookEndpoint, error) {
	var w WebhookEndpoint
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		cur, err := webhookByPublicID(ctx, tx, publicID)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `UPDATE webhook_endpoints SET secret = ?, old_secret = ?, old_secret_until = ?,
			updated_at = ? WHERE id = ?`, secret, cur.Secret, dbTime(oldUntil), s.stamp(), cur.ID); err != nil {
			return err
		}
		w, err = webhookByPublicID(ctx, tx, publicID)
		return err
	})
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("store: rotate webhook secret %q: %w", publicID, err)
	}
	return w, nil
}
