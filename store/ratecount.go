package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"
)

// rateBuckets is how many buckets a limit's window is counted in: the
// window slides by a sixtieth of its length (a second of a minute).
const rateBuckets = 60

// rateLockBucket is the window_start of each key's lock row: the attempt
// that holds its row lock decides alone, so that concurrent attempts on
// several instances cannot both take the last one left.
var rateLockBucket = time.Unix(0, 0).UTC()

// Attempt decides whether one more attempt of key in scope (a rate
// limit's name) is allowed at now, when at most limit attempts may fall in
// any window of length window, and counts it if so: the sliding window of
// the in-memory limiter, kept in the database so that every instance on it
// counts every attempt, to a sixtieth of the window (rateBuckets). A
// refused attempt is not counted. retryAfter is when the oldest attempt
// counted leaves the window.
//
// It runs at the claims' isolation (READ COMMITTED on PostgreSQL): the
// key's lock row serializes its attempts, which SERIALIZABLE would instead
// refuse and retry.
func (s *Store) Attempt(ctx context.Context, scope, key string, now time.Time, window time.Duration, limit int) (ok bool, retryAfter time.Duration, err error) {
	size := max(window/rateBuckets, time.Microsecond)
	bucket := dbTime(now.Truncate(size))
	cutoff := dbTime(now.Add(-window))
	err = s.writeAt(ctx, s.d.claim, func(tx *sqlx.Tx) error {
		ok, retryAfter = false, 0
		if _, err := exec(ctx, tx, `INSERT INTO rate_counters (scope, rkey, window_start, n) VALUES (?, ?, ?, 1)
			ON CONFLICT (scope, rkey, window_start) DO UPDATE SET n = rate_counters.n + 1`,
			scope, key, rateLockBucket); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `DELETE FROM rate_counters WHERE scope = ? AND rkey = ? AND window_start > ? AND window_start <= ?`,
			scope, key, rateLockBucket, cutoff); err != nil {
			return err
		}
		var counted int64
		if err := get(ctx, tx, &counted, `SELECT COALESCE(SUM(n), 0) FROM rate_counters
			WHERE scope = ? AND rkey = ? AND window_start > ?`, scope, key, rateLockBucket); err != nil {
			return err
		}
		if counted >= int64(limit) {
			// (MIN would lose the column's type on SQLite: a string.)
			var oldest time.Time
			if err := get(ctx, tx, &oldest, `SELECT window_start FROM rate_counters
				WHERE scope = ? AND rkey = ? AND window_start > ? ORDER BY window_start LIMIT 1`,
				scope, key, rateLockBucket); err != nil {
				return err
			}
			retryAfter = max(oldest.Add(window).Sub(now), time.Second)
			return nil
		}
		ok = true
		if _, err := exec(ctx, tx, `INSERT INTO rate_counters (scope, rkey, window_start, n) VALUES (?, ?, ?, 1)
			ON CONFLICT (scope, rkey, window_start) DO UPDATE SET n = rate_counters.n + 1`,
			scope, key, bucket); err != nil {
			return err
		}
		// Keys not seen again keep their rows: one attempt in a hundred
		// clears the scope's buckets that left every window.
		if rand.IntN(100) == 0 {
			_, err := exec(ctx, tx, `DELETE FROM rate_counters WHERE scope = ? AND window_start > ? AND window_start <= ?`,
				scope, rateLockBucket, cutoff)
			return err
		}
		return nil
	})
	if err != nil {
		return false, 0, fmt.Errorf("store: rate limit attempt: %w", err)
	}
	return ok, retryAfter, nil
}
