package service

import (
	"net/netip"
	"sync"
	"time"
)

// rateLimiter allows at most limit events per key within a sliding window.
// On SQLite (one instance) it lives in memory, so that a lookup costs no
// write; on PostgreSQL, where several instances share the database, it
// counts in the database (shared, ratelimit_shared.go) so that the limit
// holds in total. A limit of 0 disables it.
type rateLimiter struct {
	limit  int
	window time.Duration
	mu     sync.Mutex
	hits   map[string][]time.Time
	sweep  time.Time
	// shared, when set, counts instead of hits.
	shared *sharedCounter
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, hits: map[string][]time.Time{}}
}

// allow records an attempt for key at now. When the key is over its limit it
// returns false and how long until the oldest attempt leaves the window.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l.limit <= 0 {
		return true, 0
	}
	if l.shared != nil {
		return l.shared.allow(key, now, l.limit, l.window)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	cutoff := now.Add(-l.window)
	if now.Sub(l.sweep) > l.window {
		l.sweepExpired(cutoff)
		l.sweep = now
	}
	recent := l.hits[key]
	i := 0
	for i < len(recent) && !recent[i].After(cutoff) {
		i++
	}
	recent = recent[i:]
	if len(recent) >= l.limit {
		l.hits[key] = recent
		return false, recent[0].Sub(cutoff)
	}
	l.hits[key] = append(recent, now)
	return true, 0
}

// sweepExpired forgets keys whose attempts are all outside the window, so the
// map does not grow with every client ever seen.
func (l *rateLimiter) sweepExpired(cutoff time.Time) {
	for k, ts := range l.hits {
		if len(ts) == 0 || !ts[len(ts)-1].After(cutoff) {
			delete(l.hits, k)
		}
	}
}

// allowClient is allow for a client address, counted by its network
// (clientNetwork).
func (l *rateLimiter) allowClient(ip string, now time.Time) (bool, time.Duration) {
	return l.allow(clientNetwork(ip), now)
}

// clientNetwork is the key of a client's per-IP limits. An IPv4 address
// counts alone. An IPv6 address counts by its /64: that is the smallest
// network a provider hands a subscriber (RFC 6177), and a host picks any
// of its 2^64 addresses at will (RFC 8981 privacy addresses), so keyed by
// address a client would get a fresh limit for every attempt. An
// IPv4-mapped IPv6 address (::ffff:192.0.2.1) is the IPv4 address. A key
// that is no address (an unknown peer) is kept as it is.
func clientNetwork(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// unlessOff is limit, or 0 (off) when the switch that governs it is 0.
func unlessOff(switchValue, limit int) int {
	if switchValue <= 0 {
		return 0
	}
	return limit
}
