package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// apiKeyPrefix starts every key, so that a leaked key is recognizable by
// secret scanners and a pasted key is easy to tell from other tokens.
const apiKeyPrefix = "rp_"

// apiKeyDisplay is how many leading characters of a key are stored in clear
// to tell keys apart in listings; 8 characters leave 5 random ones, far too
// few to help guess the other 38.
const apiKeyDisplay = 8

// lastUsedEvery is how stale last_used_at may get: recording every use would
// turn each authenticated read into a write on the single writer.
const lastUsedEvery = time.Minute

// APIKey is a stored API key: never the key itself, only what identifies and
// limits it.
type APIKey struct {
	ID   int64
	Name string
	// Prefix is the key's first characters, for display.
	Prefix string
	// Scopes limit what the key may do; empty means full access.
	Scopes     []string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// Allows reports whether the key may act in scope. A key without scopes has
// full access, so that keys created before scopes existed keep working.
func (k APIKey) Allows(scope string) bool {
	return len(k.Scopes) == 0 || slices.Contains(k.Scopes, scope)
}

type apiKeyRow struct {
	ID         int64      `db:"id"`
	Name       string     `db:"name"`
	Prefix     string     `db:"prefix"`
	Scopes     string     `db:"scopes"`
	CreatedAt  time.Time  `db:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
}

func (row apiKeyRow) toAPIKey() (APIKey, error) {
	k := APIKey{
		ID:         row.ID,
		Name:       row.Name,
		Prefix:     row.Prefix,
		CreatedAt:  row.CreatedAt.UTC(),
		LastUsedAt: utcPtr(row.LastUsedAt),
	}
	if err := json.Unmarshal([]byte(row.Scopes), &k.Scopes); err != nil {
		return APIKey{}, fmt.Errorf("decode scopes of key %d: %w", row.ID, err)
	}
	return k, nil
}

// hashAPIKey is what the database keeps of a key. A plain SHA-256 suffices
// (no salt, no slow hash): the key is 256 random bits, not a password, and an
// unsalted hash lets a lookup find the row by an index.
func hashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey makes a new API key and returns it. The key is shown only
// this once: the database keeps its SHA-256, so a stolen database yields no
// usable key.
func (s *Store) CreateAPIKey(ctx context.Context, name string, scopes []string) (key string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: create API key: %w", err)
	}
	key = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	if scopes == nil {
		scopes = []string{}
	}
	sc, err := json.Marshal(scopes)
	if err != nil {
		return "", fmt.Errorf("store: create API key: %w", err)
	}
	if _, err := exec(ctx, s.w, `INSERT INTO api_keys (name, prefix, hash, scopes, created_at)
		VALUES (?, ?, ?, ?, ?)`, name, key[:apiKeyDisplay], hashAPIKey(key), string(sc), s.stamp()); err != nil {
		return "", fmt.Errorf("store: create API key: %w", err)
	}
	return key, nil
}

// APIKeyByToken returns the key that token is, or ErrNotFound when it is
// unknown or revoked. It records the use at most once a minute per key.
func (s *Store) APIKeyByToken(ctx context.Context, token string) (APIKey, error) {
	if !strings.HasPrefix(token, apiKeyPrefix) {
		return APIKey{}, fmt.Errorf("store: API key: %w", ErrNotFound)
	}
	// The lookup is by hash: timing reveals at most something about the
	// hash of the presented token, not about a stored key.
	var row apiKeyRow
	if err := get(ctx, s.r, &row, `SELECT id, name, prefix, scopes, created_at, last_used_at
		FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, hashAPIKey(token)); err != nil {
		return APIKey{}, fmt.Errorf("store: API key: %w", err)
	}
	k, err := row.toAPIKey()
	if err != nil {
		return APIKey{}, fmt.Errorf("store: API key: %w", err)
	}
	now := s.stamp()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= lastUsedEvery {
		// The condition repeats the check so that concurrent requests (or
		// instances) write once. A failure is ignored on purpose: a
		// bookkeeping timestamp must not turn a valid key away.
		res, err := exec(ctx, s.w, `UPDATE api_keys SET last_used_at = ?
			WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
			now, k.ID, now.Add(-lastUsedEvery))
		if err == nil {
			if n, _ := res.RowsAffected(); n == 1 {
				k.LastUsedAt = &now
			}
		}
	}
	return k, nil
}

// ListAPIKeys returns the keys that are not revoked, oldest first, for the
// admin and the CLI.
func (s *Store) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	var rows []apiKeyRow
	if err := sel(ctx, s.r, &rows, `SELECT id, name, prefix, scopes, created_at, last_used_at
		FROM api_keys WHERE revoked_at IS NULL ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: list API keys: %w", err)
	}
	keys := make([]APIKey, 0, len(rows))
	for _, row := range rows {
		k, err := row.toAPIKey()
		if err != nil {
			return nil, fmt.Errorf("store: list API keys: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// RevokeAPIKey revokes a key for good; the row stays for the record.
// Revoking a revoked key is a no-op; an unknown id is ErrNotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) error {
	res, err := exec(ctx, s.w, `UPDATE api_keys SET revoked_at = ?
		WHERE id = ? AND revoked_at IS NULL`, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("store: revoke API key %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: revoke API key %d: %w", id, err)
	} else if n == 0 {
		var exists int
		if err := get(ctx, s.w, &exists, `SELECT COUNT(*) FROM api_keys WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: revoke API key %d: %w", id, err)
		}
		if exists == 0 {
			return fmt.Errorf("store: revoke API key %d: %w", id, ErrNotFound)
		}
	}
	return nil
}
