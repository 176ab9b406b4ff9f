package store

import (
	"slices"
	"sync"

	"github.com/returns-portal/returns/returns"
)

// lineCache keeps the decoded lines of the orders read last, so that the
// pages that read one order again and again — the item page, its live
// quotes, the review, the creation, its e-mail, the status page and the
// label of one shopper's return — read the order's row but not its lines
// (ten lines cost twice the row: SQLite hands over and Go decodes every
// column of every line).
//
// An entry is good for one revision of one order: every change of an
// order's lines raises its revision in the same transaction (UpsertOrder),
// orders are never deleted, and the revision is read with the order's row,
// in the same snapshot as the lines would be. Only reads through a pool,
// outside every write transaction, fill it (linesCacheOf): they see
// committed rows only, so an entry can never hold lines that a rolled-back
// transaction wrote.
type lineCache struct {
	mu      sync.Mutex
	entries map[int64]cachedLines // by the order's row id
}

type cachedLines struct {
	number   string
	revision int64
	lines    []returns.Line
}

// lineCacheOrders bounds the cache: ten lines take ~4 KB, so ~2 MB (and as
// much again of the garbage collector's headroom). It is for the few
// hundred shoppers between their lookup and their label at any time.
const lineCacheOrders = 512

func newLineCache() *lineCache {
	return &lineCache{entries: make(map[int64]cachedLines, lineCacheOrders)}
}

// get returns a copy of o's lines if they are cached for o's revision.
func (c *lineCache) get(o storedOrder) ([]returns.Line, bool) {
	c.mu.Lock()
	e, ok := c.entries[o.id]
	c.mu.Unlock()
	if !ok || e.revision != o.revision || e.number != o.order.Number {
		return nil, false
	}
	return slices.Clone(e.lines), true
}

// put keeps lines as o's at o's revision; the caller keeps using its
// slice, the cache a copy. A full cache drops an entry of Go's map
// iteration's choosing (random enough: no order is read more by design).
func (c *lineCache) put(o storedOrder, lines []returns.Line) {
	e := cachedLines{number: o.order.Number, revision: o.revision, lines: slices.Clone(lines)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[o.id]; !ok && len(c.entries) >= lineCacheOrders {
		for id := range c.entries {
			delete(c.entries, id)
			break
		}
	}
	c.entries[o.id] = e
}

// linesCacheOf is the line cache to use for reads through q: the pool's
// when q is a pool (committed rows only), none inside a transaction.
func linesCacheOf(q any) *lineCache {
	if p, ok := q.(*pool); ok {
		return p.lines
	}
	return nil
}
