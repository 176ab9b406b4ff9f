package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ActionNote records a staff note on a return (the note itself is in
// return_notes).
const ActionNote = "note"

// Note is a note between staff about a return.
type Note struct {
	Actor string    `json:"actor" db:"actor"`
	Body  string    `json:"body" db:"body"`
	At    time.Time `json:"at" db:"created_at"`
}

// AddNote adds a staff note to a return, logged in the audit trail.
func (s *Store) AddNote(ctx context.Context, rma, actor, body string) error {
	return s.Write(ctx, func(t *Tx) error { return t.AddNote(rma, actor, body) })
}

// AddNote is Store.AddNote in the transaction.
func (t *Tx) AddNote(rma, actor, body string) error {
	return t.do(fmt.Sprintf("add note to %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		var id int64
		if err := get(ctx, tx, &id, `SELECT id FROM returns WHERE rma = ?`, canonicalRMA(rma)); err != nil {
			return err
		}
		now := t.s.stamp()
		if _, err := exec(ctx, tx, `INSERT INTO return_notes (return_id, actor, body, created_at)
			VALUES (?, ?, ?, ?)`, id, actor, body, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, now, actor, ActionNote, "", "", "")
	})
}
