package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/returns-portal/returns/store"
)

// sharedCounter counts a rate limit's attempts in the database
// (store.Attempt), so that every instance on it sees every other's and
// the limit holds in total.
type sharedCounter struct {
	st    *store.Store
	scope string
	log   *slog.Logger
}

// sharedCountTimeout bounds the counter's write: a limiter is asked by
// calls that have no context of their own (AllowCreate).
const sharedCountTimeout = 5 * time.Second

func (c *sharedCounter) allow(key string, now time.Time, limit int, window time.Duration) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedCountTimeout)
	defer cancel()
	ok, wait, err := c.st.Attempt(ctx, c.scope, key, now, window, limit)
	if err != nil {
		// A database that cannot count cannot serve the lookup either;
		// the attempt goes on to fail there, with the storage's error.
		c.log.Warn("rate limit not counted", "scope", c.scope, "err", err)
		return true, 0
	}
	return ok, wait
}

// shareLimits makes the rate limits count in the database when several
// instances may share it (PostgreSQL). On SQLite, one instance by
// construction, they stay in memory: a lookup pays no write.
func (s *Service) shareLimits() {
	if s.st == nil || s.st.Engine() != "postgres" {
		return
	}
	for scope, l := range map[string]*rateLimiter{
		"lookup-ip": s.lookupsByIP, "lookup-order": s.lookupsByOrder,
		"create-ip": s.createsByIP, "create-order": s.createsByOrder,
		"login-ip": s.loginsByIP, "login-account": s.loginsByAccount,
		"link-ip": s.linksByIP, "link-order": s.linksByOrder,
	} {
		l.shared = &sharedCounter{st: s.st, scope: scope, log: s.log}
	}
}
