package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Feedback is a shopper's answer to the survey after the refund of a
// return (migration 00007): a score from 1 to 5 and an optional comment,
// in the language it was given in.
type Feedback struct {
	Score   int       `json:"score" db:"score"`
	Comment string    `json:"comment" db:"comment"`
	Locale  string    `json:"locale" db:"locale"`
	At      time.Time `json:"created_at" db:"created_at"`
}

// SaveFeedback stores the answer for a return, in the transaction; a
// return has at most one (a second is ErrConflict, whatever it says).
func (t *Tx) SaveFeedback(returnID int64, f Feedback) (Feedback, error) {
	err := t.do("save feedback", func(ctx context.Context, tx *sqlx.Tx) error {
		f.At = t.s.stamp()
		res, err := exec(ctx, tx, `INSERT INTO feedback (return_id, score, comment, locale, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (return_id) DO NOTHING`,
			returnID, f.Score, f.Comment, f.Locale, f.At)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: feedback already given", ErrConflict)
		}
		return nil
	})
	return f, err
}

// ReturnFeedback is a return's survey answer; ok is false when there is
// none yet.
func (s *Store) ReturnFeedback(ctx context.Context, rma string) (f Feedback, ok bool, err error) {
	var out []Feedback
	if err := sel(ctx, s.r, &out, `SELECT f.score, f.comment, f.locale, f.created_at
		FROM feedback f JOIN returns r ON r.id = f.return_id WHERE r.rma = CAST(? AS TEXT)`, canonicalRMA(rma)); err != nil {
		return Feedback{}, false, fmt.Errorf("store: feedback of %q: %w", rma, err)
	}
	if len(out) == 0 {
		return Feedback{}, false, nil
	}
	out[0].At = out[0].At.UTC()
	return out[0], true, nil
}
