package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Setting returns a stored setting, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := get(ctx, s.r, &v, `SELECT value FROM settings WHERE key = ?`, key); err != nil {
		return "", fmt.Errorf("store: setting %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if _, err := exec(ctx, s.w, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, s.stamp()); err != nil {
		return fmt.Errorf("store: set setting %q: %w", key, err)
	}
	return nil
}

// SettingOrInit returns a setting, first storing gen's value when there is
// none. The first writer wins (INSERT ... ON CONFLICT DO NOTHING, then read
// in the same transaction), so two instances starting at once agree on, say,
// the token-signing secret; the loser's generated value is discarded.
func (s *Store) SettingOrInit(ctx context.Context, key string, gen func() (string, error)) (string, error) {
	v, err := s.Setting(ctx, key)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return v, err
	}
	fresh, err := gen()
	if err != nil {
		return "", fmt.Errorf("store: init setting %q: %w", key, err)
	}
	err = s.write(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO NOTHING`, key, fresh, s.stamp()); err != nil {
			return err
		}
		return get(ctx, tx, &v, `SELECT value FROM settings WHERE key = ?`, key)
	})
	if err != nil {
		return "", fmt.Errorf("store: init setting %q: %w", key, err)
	}
	return v, nil
}

// Settings returns the stored values of the given keys in one read; a key
// without a value is absent from the map.
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT key, value FROM settings WHERE key IN (?)`, keys)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	var rows []struct {
		Key   string `db:"key"`
		Value string `db:"value"`
	}
	if err := sel(ctx, s.r, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// SaveSettings stores several settings and deletes others in one
// transaction.
func (s *Store) SaveSettings(ctx context.Context, set map[string]string, del []string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		now := s.stamp()
		for k, v := range set {
			if _, err := exec(ctx, tx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				k, v, now); err != nil {
				return err
			}
		}
		for _, k := range del {
			if _, err := exec(ctx, tx, `DELETE FROM settings WHERE key = ?`, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	return nil
}
