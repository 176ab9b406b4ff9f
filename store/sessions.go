package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Session lifetimes, so that a browser left open does not stay logged in: a
// session ends after SessionIdle without a request, and SessionAbsolute
// after the login in any case.
const (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 12 * time.Hour
	// sessionTouchEvery is how stale last_seen_at may get: recording every
	// request would make each page view a write on the single writer. The
	// idle timeout is therefore exact to within this.
	sessionTouchEvery = time.Minute
)

// Session is a logged-in staff member's server-side session.
type Session struct {
	IDHash     string    `db:"id_hash"`
	StaffID    int64     `db:"staff_id"`
	Email      string    `db:"email"`
	Role       string    `db:"role"`
	CSRF       string    `db:"csrf"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
}

// hashSessionID is what the database keeps of a session id.
func hashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateSession starts a session for a staff member at now and returns its
// id (for the cookie; only its SHA-256 is stored) and the session.
func (s *Store) CreateSession(ctx context.Context, staffID int64, now time.Time) (string, Session, error) {
	id, err := randomToken()
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	csrf, err := randomToken()
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	now = dbTime(now)
	sess := Session{IDHash: hashSessionID(id), StaffID: staffID, CSRF: csrf, CreatedAt: now, LastSeenAt: now}
	err = s.write(ctx, func(tx *sqlx.Tx) error {
		if err := get(ctx, tx, &sess, `SELECT email, role FROM staff WHERE id = ? AND disabled_at IS NULL`, staffID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, `INSERT INTO staff_sessions (id_hash, staff_id, csrf, created_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?)`, sess.IDHash, staffID, csrf, now, now)
		return err
	})
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	return id, sess, nil
}

// SessionByID returns the live session with the given id at now, with its
// member's current e-mail and role. An unknown id, a disabled member, or a
// session past its idle or absolute timeout is ErrNotFound (an expired one
// is deleted). The last use is recorded at most once a minute.
func (s *Store) SessionByID(ctx context.Context, id string, now time.Time) (Session, error) {
	if id == "" {
		return Session{}, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	var sess Session
	err := get(ctx, s.r, &sess, `SELECT ss.id_hash, ss.staff_id, st.email, st.role, ss.csrf,
		ss.created_at, ss.last_seen_at
		FROM staff_sessions ss JOIN staff st ON st.id = ss.staff_id
		WHERE ss.id_hash = CAST(? AS TEXT) AND st.disabled_at IS NULL`, hashSessionID(id)) // CAST: see bound in store.go
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	sess.CreatedAt, sess.LastSeenAt = sess.CreatedAt.UTC(), sess.LastSeenAt.UTC()
	if !now.Before(sess.CreatedAt.Add(SessionAbsolute)) || !now.Before(sess.LastSeenAt.Add(SessionIdle)) {
		_, _ = exec(ctx, s.w, `DELETE FROM staff_sessions WHERE id_hash = ?`, sess.IDHash)
		return Session{}, fmt.Errorf("store: session expired: %w", ErrNotFound)
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		// A failed bookkeeping write must not log the member out.
		if _, err := exec(ctx, s.w, `UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?`,
			dbTime(now), sess.IDHash); err == nil {
			sess.LastSeenAt = dbTime(now)
		}
	}
	return sess, nil
}

// DeleteSession ends a session (logout); an unknown id is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := exec(ctx, s.w, `DELETE FROM staff_sessions WHERE id_hash = ?`, hashSessionID(id)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// CountSessions returns how many sessions a member has (for tests and the
// staff list).
func (s *Store) CountSessions(ctx context.Context, staffID int64) (int, error) {
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM staff_sessions WHERE staff_id = ?`, staffID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return 0, nil
		}
		return 0, fmt.Errorf("store: count sessions: %w", err)
	}
	return n, nil
}
