package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// SavePolicy stores p as a new policy version and returns its number. Every
// save is a new version, never an update, so that a return can always be
// explained by the exact document it was decided under. The save is written
// to the audit log (no return attached) with the actor.
func (s *Store) SavePolicy(ctx context.Context, p returns.Policy, actor string) (version int64, err error) {
	err = s.Write(ctx, func(t *Tx) error { version, err = t.SavePolicy(p, actor); return err })
	return version, err
}

// SavePolicy is Store.SavePolicy in the transaction.
func (t *Tx) SavePolicy(p returns.Policy, actor string) (version int64, err error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return 0, fmt.Errorf("store: save policy: %w", err)
	}
	err = t.do("save policy", func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		if err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO policy_versions
			(document, created_at, created_by) VALUES (?, ?, ?) RETURNING version`),
			string(doc), now, actor).Scan(&version); err != nil {
			return err
		}
		_, err := exec(ctx, tx, `INSERT INTO audit_events (return_id, at, actor, action, note)
			VALUES (NULL, ?, ?, ?, ?)`, now, actor, ActionPolicySaved,
			"version "+strconv.FormatInt(version, 10))
		return err
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// CurrentPolicy returns the newest policy version and its document, or
// ErrNotFound when no policy was ever saved. The document is the caller's
// own copy, to change at will.
func (s *Store) CurrentPolicy(ctx context.Context) (int64, returns.Policy, error) {
	v, err := currentVersion(ctx, s.r)
	var p returns.Policy
	if err == nil {
		p, err = s.policies.copyOf(ctx, s.r, v)
	}
	if err != nil {
		return 0, returns.Policy{}, fmt.Errorf("store: current policy: %w", err)
	}
	return v, p, nil
}

// PolicyVersion returns the document of one policy version (ErrNotFound when
// there is no such version), to explain an older return. The document is
// the caller's own copy.
func (s *Store) PolicyVersion(ctx context.Context, v int64) (returns.Policy, error) {
	p, err := s.policies.copyOf(ctx, s.r, v)
	if err != nil {
		return returns.Policy{}, fmt.Errorf("store: policy version %d: %w", v, err)
	}
	return p, nil
}

// SharedPolicyVersion is PolicyVersion without the copy, for the read paths
// that only read the document (a status page, a label): the value is shared
// with every other caller and must not be changed.
func (s *Store) SharedPolicyVersion(ctx context.Context, v int64) (returns.Policy, error) {
	p, err := s.policies.shared(ctx, s.r, v)
	if err != nil {
		return returns.Policy{}, fmt.Errorf("store: policy version %d: %w", v, err)
	}
	return p, nil
}

// currentVersion is the number of the newest policy version.
func currentVersion(ctx context.Context, q sqlx.ExtContext) (int64, error) {
	var v int64
	err := get(ctx, q, &v, `SELECT version FROM policy_versions ORDER BY version DESC LIMIT 1`)
	return v, err
}

// currentPolicy is the newest policy version and its (shared) document,
// read through q.
func (s *Store) currentPolicy(ctx context.Context, q sqlx.ExtContext) (int64, returns.Policy, error) {
	v, err := currentVersion(ctx, q)
	if err != nil {
		return 0, returns.Policy{}, err
	}
	p, err := s.policies.shared(ctx, q, v)
	return v, p, err
}

// PolicyVersionInfo describes one saved policy version, for the history
// list of the policy editor.
type PolicyVersionInfo struct {
	Version   int64     `db:"version"`
	CreatedAt time.Time `db:"created_at"`
	CreatedBy string    `db:"created_by"`
}

// PolicyVersions lists the newest limit policy versions, newest first.
func (s *Store) PolicyVersions(ctx context.Context, limit int) ([]PolicyVersionInfo, error) {
	out := []PolicyVersionInfo{}
	if err := sel(ctx, s.r, &out, `SELECT version, created_at, created_by FROM policy_versions
		ORDER BY version DESC LIMIT ?`, limit); err != nil {
		return nil, fmt.Errorf("store: policy versions: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}
