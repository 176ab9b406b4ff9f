package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// OrderEmail reads an order's e-mail address by number, and nothing else;
// found is false for an unknown order. The shopper's lookup compares it
// before it loads the order, so that an unknown order and a known one with
// a wrong e-mail must cost the same, and they do the same work here: one
// search of the number's index and one read of an order's row — the
// order's own, or for an unknown number a decoy, the first order stored
// (whose address is never the answer). Without the decoy, a known order
// costs one row read more, which a sign test over a few thousand timed
// lookups detects.
func (s *Store) OrderEmail(ctx context.Context, number string) (email string, found bool, err error) {
	var row struct {
		Found int    `db:"found"`
		Email string `db:"email"`
	}
	err = get(ctx, s.r, &row, `SELECT CASE WHEN o.number = ? THEN 1 ELSE 0 END AS found, o.email AS email
		FROM (SELECT MIN(id) AS id FROM orders) AS decoy, orders AS o
		WHERE o.id = COALESCE((SELECT id FROM orders WHERE number = ?), decoy.id)`, number, number)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil // no order at all
	}
	if err != nil {
		return "", false, fmt.Errorf("store: order e-mail %q: %w", number, err)
	}
	if row.Found != 1 {
		return "", false, nil // the decoy's e-mail is no answer
	}
	return row.Email, true, nil
}

// OrderGiftPostal reads, for the gift lookup, an order's shipping postal
// code and whether it is a gift, by number, and nothing else; found is
// false for an unknown order. Like OrderEmail, an unknown number reads a
// decoy's row (the first order), so that every miss does the same work.
func (s *Store) OrderGiftPostal(ctx context.Context, number string) (postal string, gift, found bool, err error) {
	var row struct {
		Found   int    `db:"found"`
		Address string `db:"address"`
		Gift    bool   `db:"gift"`
	}
	err = get(ctx, s.r, &row, `SELECT CASE WHEN o.number = ? THEN 1 ELSE 0 END AS found, o.address AS address,
		o.gift AS gift
		FROM (SELECT MIN(id) AS id FROM orders) AS decoy, orders AS o
		WHERE o.id = COALESCE((SELECT id FROM orders WHERE number = ?), decoy.id)`, number, number)
	if errors.Is(err, ErrNotFound) {
		return "", false, false, nil
	}
	if err != nil {
		return "", false, false, fmt.Errorf("store: gift postal code %q: %w", number, err)
	}
	var a struct {
		PostalCode string `json:"postal_code"`
	}
	// Decoded for every row, the decoy's too: the same work either way.
	if err := json.Unmarshal([]byte(row.Address), &a); err != nil {
		return "", false, false, fmt.Errorf("store: gift postal code %q: %w", number, err)
	}
	if row.Found != 1 {
		return "", false, false, nil
	}
	return a.PostalCode, row.Gift, true, nil
}
