package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// policyCacheSize bounds the policy versions kept decoded: the current one
// and the older ones that returns still being followed were decided under.
const policyCacheSize = 64

// policyCache keeps policy documents decoded, by version. A saved version
// is never changed (SavePolicy adds a new one), so an entry never goes
// stale and nothing needs invalidating: which version is current is read
// from the database by the query that needs it (currentVersion, and the
// order queries that carry it along), so a version saved by this instance,
// another instance or the CLI is in force at once, and then decoded once
// here. A backend that caches the current version itself (PostgreSQL with
// LISTEN/NOTIFY, say) needs nothing from this cache but versions.
type policyCache struct {
	mu        sync.RWMutex
	byVersion map[int64]cachedPolicy
}

type cachedPolicy struct {
	doc    []byte
	policy returns.Policy
}

// shared returns version v decoded, reading and decoding it through q on
// first use. The value is shared with every caller: read it, never change
// it.
func (c *policyCache) shared(ctx context.Context, q sqlx.ExtContext, v int64) (returns.Policy, error) {
	e, err := c.entry(ctx, q, v)
	return e.policy, err
}

// copyOf returns version v as the caller's own copy, decoded from the cached
// document.
func (c *policyCache) copyOf(ctx context.Context, q sqlx.ExtContext, v int64) (returns.Policy, error) {
	e, err := c.entry(ctx, q, v)
	if err != nil {
		return returns.Policy{}, err
	}
	var p returns.Policy
	if err := json.Unmarshal(e.doc, &p); err != nil {
		return returns.Policy{}, fmt.Errorf("decode policy version %d: %w", v, err)
	}
	return p, nil
}

func (c *policyCache) entry(ctx context.Context, q sqlx.ExtContext, v int64) (cachedPolicy, error) {
	c.mu.RLock()
	e, ok := c.byVersion[v]
	c.mu.RUnlock()
	if ok {
		return e, nil
	}
	var doc string
	if err := get(ctx, q, &doc, `SELECT document FROM policy_versions WHERE version = ?`, v); err != nil {
		return cachedPolicy{}, err
	}
	e.doc = []byte(doc)
	if err := json.Unmarshal(e.doc, &e.policy); err != nil {
		return cachedPolicy{}, fmt.Errorf("decode policy version %d: %w", v, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byVersion == nil {
		c.byVersion = make(map[int64]cachedPolicy)
	}
	if len(c.byVersion) >= policyCacheSize {
		// Any version but the one asked for: old versions are asked for
		// rarely, and a dropped one is read again when it is.
		for old := range c.byVersion {
			delete(c.byVersion, old)
			break
		}
	}
	c.byVersion[v] = e
	return e, nil
}
