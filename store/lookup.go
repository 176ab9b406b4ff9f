package store

import (
	"context"
	"fmt"
)

// OrderEmail reads an order's e-mail address by number, and nothing else;
// found is false for an unknown order. The shopper's lookup compares it
// before it loads the order, so that an unknown order and a known one with
// a wrong e-mail cost the same: one indexed read answered with one row
// either way (an aggregate always has one), scanned alike, and no error
// made for the unknown one.
func (s *Store) OrderEmail(ctx context.Context, number string) (email string, found bool, err error) {
	var row struct {
		Found int    `db:"found"`
		Email string `db:"email"`
	}
	if err := get(ctx, s.r, &row, `SELECT COUNT(*) AS found, COALESCE(MAX(email), '') AS email FROM orders WHERE number = ?`, number); err != nil {
		return "", false, fmt.Errorf("store: order e-mail %q: %w", number, err)
	}
	return row.Email, row.Found > 0, nil
}
