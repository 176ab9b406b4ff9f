package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
)

// The transactional outbox (migration 00007): what is to be sent (an e-mail,
// or one delivery of an event to one webhook endpoint) is written in the
// same transaction as the change it announces (Tx.Enqueue), so that a change
// is never announced without having happened, nor happens without being
// announced. A worker claims due rows under a lease (ClaimOutbox), sends
// outside any transaction, and records the outcome (FinishOutbox).

// Channels of outbox rows.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// States of an outbox row.
const (
	OutboxPending   = "pending"
	OutboxSent      = "sent"
	OutboxKept      = "kept" // no SMTP server configured: shown to staff only
	OutboxFailed    = "failed"
	OutboxCancelled = "cancelled"
)

// NewOutbox is a row to enqueue. ReturnID and EndpointID are 0 when the row
// concerns no return (a lookup link) or no endpoint (an e-mail). A zero
// DueAt is due at once.
type NewOutbox struct {
	Channel    string
	Event      string
	ReturnID   int64
	EndpointID int64
	Recipient  string
	Locale     string
	Payload    []byte
	DueAt      time.Time
}

// OutboxMessage is an outbox row as stored, with the RMA of its return and
// the public id and URL of its endpoint (empty when none).
type OutboxMessage struct {
	ID               int64      `db:"id"`
	PublicID         string     `db:"public_id"`
	Channel          string     `db:"channel"`
	Event            string     `db:"event"`
	ReturnID         *int64     `db:"return_id"`
	RMA              string     `db:"rma"`
	EndpointRowID    *int64     `db:"endpoint_id"`
	EndpointPublicID string     `db:"endpoint_public_id"`
	Recipient        string     `db:"recipient"`
	Locale           string     `db:"locale"`
	Payload          string     `db:"payload"`
	Status           string     `db:"status"`
	Attempts         int        `db:"attempts"`
	DueAt            time.Time  `db:"due_at"`
	LeaseUntil       *time.Time `db:"lease_until"`
	LastError        string     `db:"last_error"`
	LastCode         int        `db:"last_code"`
	Subject          string     `db:"subject"`
	Headers          string     `db:"headers"`
	BodyText         string     `db:"body_text"`
	BodyHTML         string     `db:"body_html"`
	CreatedAt        time.Time  `db:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at"`
	SentAt           *time.Time `db:"sent_at"`
}

// EndpointID is the row's endpoint's id, 0 for an e-mail.
func (m OutboxMessage) EndpointID() int64 {
	if m.EndpointRowID == nil {
		return 0
	}
	return *m.EndpointRowID
}

// Rendered reports whether the e-mail has been rendered (at its first
// attempt).
func (m OutboxMessage) Rendered() bool { return m.Subject != "" }

func (m *OutboxMessage) utc() {
	m.DueAt, m.CreatedAt, m.UpdatedAt = m.DueAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	m.LeaseUntil, m.SentAt = utcPtr(m.LeaseUntil), utcPtr(m.SentAt)
}

const outboxSelect = `SELECT m.id, m.public_id, m.channel, m.event, m.return_id,
	COALESCE(r.rma, '') AS rma, m.endpoint_id, COALESCE(w.public_id, '') AS endpoint_public_id,
	m.recipient, m.locale, m.payload, m.status, m.attempts, m.due_at, m.lease_until,
	m.last_error, m.last_code, m.subject, m.headers, m.body_text, m.body_html, m.created_at, m.updated_at, m.sent_at
	FROM outbox m LEFT JOIN returns r ON r.id = m.return_id
	LEFT JOIN webhook_endpoints w ON w.id = m.endpoint_id`

// Enqueue writes outbox rows in the transaction; they commit or roll back
// with the change they announce. It returns their public ids.
func (t *Tx) Enqueue(rows ...NewOutbox) ([]string, error) {
	ids := make([]string, 0, len(rows))
	err := t.do("enqueue", func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		for _, m := range rows {
			id, err := enqueue(ctx, tx, m, now)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		t.enqueued += len(rows)
		return nil
	})
	return ids, err
}

func enqueue(ctx context.Context, tx *sqlx.Tx, m NewOutbox, now time.Time) (string, error) {
	if m.Channel != ChannelEmail && m.Channel != ChannelWebhook {
		return "", fmt.Errorf("unknown channel %q", m.Channel)
	}
	id, err := newPublicID("msg_")
	if err != nil {
		return "", err
	}
	due := now
	if !m.DueAt.IsZero() {
		due = dbTime(m.DueAt)
	}
	if _, err := exec(ctx, tx, `INSERT INTO outbox (public_id, channel, event, return_id, endpoint_id,
		recipient, locale, payload, status, due_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, m.Channel, m.Event, nullID(m.ReturnID), nullID(m.EndpointID), m.Recipient, m.Locale,
		string(m.Payload), OutboxPending, due, now, now); err != nil {
		return "", err
	}
	return id, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CancelPending cancels a return's pending rows of one event (a reminder
// once the parcel has arrived or the return has ended), in the transaction.
func (t *Tx) CancelPending(returnID int64, event string) error {
	return t.do("cancel pending "+event, func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `UPDATE outbox SET status = ?, updated_at = ?, last_error = ?
			WHERE return_id = ? AND event = ? AND status = ?`,
			OutboxCancelled, t.s.stamp(), "return moved on", returnID, event, OutboxPending)
		return err
	})
}

// ClaimOutbox leases up to limit due rows of the given channels (none:
// every channel) to owner until now+lease, oldest due first, and returns
// them (claimDue says how instances share them).
func (s *Store) ClaimOutbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int, channels ...string) ([]OutboxMessage, error) {
	now = dbTime(now)
	var out []OutboxMessage
	extra, extraArgs := "", []any(nil)
	if len(channels) > 0 {
		extra, extraArgs = ` AND channel IN (?)`, []any{channels}
	}
	err := s.claimDue(ctx, "outbox", OutboxPending, now, lease, limit, owner, extra, extraArgs, func(tx *sqlx.Tx, ids []int64) error {
		q, args, err := sqlx.In(outboxSelect+` WHERE m.id IN (?) ORDER BY m.due_at, m.id`, ids)
		if err != nil {
			return err
		}
		return sel(ctx, tx, &out, q, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// OutboxResult is the outcome of one attempt at sending a claimed row.
type OutboxResult struct {
	// Status is the row's new state: OutboxPending to try again at DueAt
	// (zero: as it was), or sent, kept, failed, cancelled.
	Status string
	DueAt  time.Time
	// Logged: an attempt was made; it is logged with its Code, Error and
	// Duration, which become the row's last ones. Counts: the attempt
	// counts toward the row's schedule (not when the whole channel was
	// down). A row put back unattempted (a shutdown) has neither.
	Logged   bool
	Counts   bool
	Code     int
	Error    string
	Duration time.Duration
	// Subject, Headers, Text and HTML are the rendered e-mail, stored at
	// its first attempt ("" leaves what is stored).
	Subject, Headers, Text, HTML string
}

// ErrLeaseLost is returned when a row's lease has passed to another worker
// (ours ran out): its outcome is theirs to record.
var ErrLeaseLost = errors.New("outbox lease lost")

// FinishOutbox records the outcome of an attempt at a row leased to owner,
// with the attempt's log entry, and releases the lease. A lease that passed
// to another worker is ErrLeaseLost and changes nothing.
func (s *Store) FinishOutbox(ctx context.Context, id int64, owner string, r OutboxResult) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		now := s.stamp()
		var sentAt any
		if r.Status == OutboxSent || r.Status == OutboxKept {
			sentAt = now
		}
		counts := 0
		if r.Counts {
			counts = 1
		}
		res, err := exec(ctx, tx, `UPDATE outbox SET status = ?, due_at = COALESCE(?, due_at),
			attempts = attempts + ?, last_error = CASE WHEN ? THEN ? ELSE last_error END,
			last_code = CASE WHEN ? THEN ? ELSE last_code END,
			subject = CASE WHEN ? = '' THEN subject ELSE ? END,
			headers = CASE WHEN ? = '' THEN headers ELSE ? END,
			body_text = CASE WHEN ? = '' THEN body_text ELSE ? END,
			body_html = CASE WHEN ? = '' THEN body_html ELSE ? END,
			sent_at = COALESCE(?, sent_at), lease_owner = NULL, lease_until = NULL, updated_at = ?
			WHERE id = ? AND lease_owner = ?`,
			r.Status, dueOrNil(r.DueAt), counts, r.Logged, truncate(r.Error, 1000), r.Logged, r.Code,
			r.Subject, r.Subject, r.Headers, r.Headers, r.Text, r.Text, r.HTML, r.HTML, sentAt, now, id, owner)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return ErrLeaseLost
		}
		if !r.Logged {
			return nil
		}
		_, err = exec(ctx, tx, `INSERT INTO outbox_attempts (outbox_id, at, code, error, duration_ms)
			VALUES (?, ?, ?, ?, ?)`, id, now, r.Code, truncate(r.Error, 1000), r.Duration.Milliseconds())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: finish outbox %d: %w", id, err)
	}
	return nil
}

func dueOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return dbTime(t)
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// GetOutbox loads an outbox row by its public id.
func (s *Store) GetOutbox(ctx context.Context, publicID string) (OutboxMessage, error) {
	var m OutboxMessage
	if err := get(ctx, s.r, &m, outboxSelect+` WHERE m.public_id = ?`, publicID); err != nil {
		return OutboxMessage{}, fmt.Errorf("store: outbox %q: %w", publicID, err)
	}
	m.utc()
	return m, nil
}

// OutboxFilter narrows the outbox listing; the zero value lists everything,
// newest first.
type OutboxFilter struct {
	Channel  string
	Status   string
	RMA      string
	Endpoint string // an endpoint's public id
	// Before is the id of the last row of the previous page (keyset).
	Before int64
	Limit  int
}

// ListOutbox lists outbox rows newest first, without their bodies.
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	var where []string
	var args []any
	if f.Channel != "" {
		where, args = append(where, "m.channel = ?"), append(args, f.Channel)
	}
	if f.Status != "" {
		where, args = append(where, "m.status = ?"), append(args, f.Status)
	}
	if f.RMA != "" {
		where, args = append(where, "r.rma = ?"), append(args, canonicalRMA(f.RMA))
	}
	if f.Endpoint != "" {
		where, args = append(where, "w.public_id = ?"), append(args, f.Endpoint)
	}
	if f.Before > 0 {
		where, args = append(where, "m.id < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := strings.Replace(outboxSelect, "m.headers, m.body_text, m.body_html", "'' AS headers, '' AS body_text, '' AS body_html", 1)
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY m.id DESC LIMIT ?"
	out := []OutboxMessage{}
	if err := sel(ctx, s.r, &out, q, append(args, limit)...); err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// OutboxAttempt is one attempt at sending an outbox row.
type OutboxAttempt struct {
	At       time.Time `db:"at"`
	Code     int       `db:"code"`
	Error    string    `db:"error"`
	Duration int64     `db:"duration_ms"`
}

// OutboxAttempts lists the attempts at a row, oldest first.
func (s *Store) OutboxAttempts(ctx context.Context, id int64) ([]OutboxAttempt, error) {
	out := []OutboxAttempt{}
	if err := sel(ctx, s.r, &out, `SELECT at, code, error, duration_ms FROM outbox_attempts
		WHERE outbox_id = ? ORDER BY id`, id); err != nil {
		return nil, fmt.Errorf("store: outbox attempts: %w", err)
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, nil
}

// ResendOutbox puts a row back in the queue, due now, with its attempts
// counted afresh (the log keeps the earlier ones); a row that is pending
// already is left as it is. The same public id goes out again, so that a
// receiver that has it already can drop it. A webhook delivery whose
// endpoint is deleted or disabled is ErrConflict.
func (s *Store) ResendOutbox(ctx context.Context, publicID string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		var row struct {
			ID       int64          `db:"id"`
			Status   string         `db:"status"`
			Enabled  sql.NullBool   `db:"enabled"`
			Deleted  sql.NullString `db:"deleted_at"`
			Endpoint sql.NullInt64  `db:"endpoint_id"`
		}
		if err := get(ctx, tx, &row, `SELECT m.id, m.status, m.endpoint_id, w.enabled, w.deleted_at
			FROM outbox m LEFT JOIN webhook_endpoints w ON w.id = m.endpoint_id WHERE m.public_id = ?`, publicID); err != nil {
			return err
		}
		if row.Endpoint.Valid && (!row.Enabled.Bool || row.Deleted.Valid) {
			return fmt.Errorf("%w: endpoint disabled", ErrConflict)
		}
		if row.Status == OutboxPending {
			return nil
		}
		now := s.stamp()
		_, err := exec(ctx, tx, `UPDATE outbox SET status = ?, attempts = 0, due_at = ?, lease_owner = NULL,
			lease_until = NULL, updated_at = ? WHERE id = ?`, OutboxPending, now, now, row.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: resend %q: %w", publicID, err)
	}
	return nil
}

// OutboxCounts is how many rows each state holds, per channel, for the
// staff's overview.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]map[string]int, error) {
	var rows []struct {
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int    `db:"n"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT channel, status, COUNT(*) AS n FROM outbox GROUP BY channel, status`); err != nil {
		return nil, fmt.Errorf("store: outbox counts: %w", err)
	}
	out := map[string]map[string]int{ChannelEmail: {}, ChannelWebhook: {}}
	for _, r := range rows {
		if out[r.Channel] == nil {
			out[r.Channel] = map[string]int{}
		}
		out[r.Channel][r.Status] = r.N
	}
	return out, nil
}
