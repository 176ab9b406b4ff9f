package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// ReturnRecord is everything stored about a return, as one snapshot: the
// return, its order, its extras (inspection, notes, refund...), its audit
// log and its photos' metadata. It is what the merchant API shows of a
// return, and what a webhook delivery carries.
type ReturnRecord struct {
	Return returns.Return
	Order  returns.Order
	Extras Extras
	Events []Event
	Photos []Photo
	// Feedback is the shopper's survey answer (nil: none yet).
	Feedback *Feedback
}

// ReturnRecord loads a return's record from one read snapshot.
func (s *Store) ReturnRecord(ctx context.Context, rma string) (ReturnRecord, error) {
	var rec ReturnRecord
	err := inReadTx(ctx, s.r, func(ctx context.Context, q sqlx.ExtContext) error {
		var err error
		rec, err = loadRecord(ctx, q, canonicalRMA(rma))
		return err
	})
	if err != nil {
		return ReturnRecord{}, fmt.Errorf("store: record of %q: %w", rma, err)
	}
	return rec, nil
}

// ReturnRecord loads a return's record in the transaction, with the
// transaction's own changes: what a webhook of the change shows.
func (t *Tx) ReturnRecord(rma string) (ReturnRecord, error) {
	var rec ReturnRecord
	err := t.do(fmt.Sprintf("record of %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		rec, err = loadRecord(ctx, tx, canonicalRMA(rma))
		return err
	})
	return rec, err
}

func loadRecord(ctx context.Context, q sqlx.ExtContext, rma string) (ReturnRecord, error) {
	var rec ReturnRecord
	var err error
	if rec.Return, err = loadReturn(ctx, q, rma); err != nil {
		return rec, err
	}
	if rec.Order, _, err = loadOrder(ctx, q, rec.Return.OrderNumber); err != nil {
		return rec, err
	}
	if rec.Extras, err = loadExtras(ctx, q, rma); err != nil {
		return rec, err
	}
	if rec.Events, err = loadEvents(ctx, q, rec.Return.ID); err != nil {
		return rec, err
	}
	if rec.Photos, err = loadPhotos(ctx, q, rma); err != nil {
		return rec, err
	}
	var fb []Feedback
	if err := sel(ctx, q, &fb, `SELECT score, comment, locale, created_at FROM feedback WHERE return_id = ?`,
		rec.Return.ID); err != nil {
		return rec, err
	}
	if len(fb) > 0 {
		fb[0].At = fb[0].At.UTC()
		rec.Feedback = &fb[0]
	}
	return rec, nil
}

// Return loads a return in the transaction, with the transaction's own
// changes.
func (t *Tx) Return(rma string) (returns.Return, error) {
	var r returns.Return
	err := t.do(fmt.Sprintf("return %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		r, err = loadReturn(ctx, tx, canonicalRMA(rma))
		return err
	})
	return r, err
}

// OrderContact is the e-mail address and locale of an order, read in the
// transaction: where and in which language to write to its shopper.
func (t *Tx) OrderContact(number string) (email, locale string, err error) {
	err = t.do(fmt.Sprintf("contact of order %q", number), func(ctx context.Context, tx *sqlx.Tx) error {
		var row struct {
			Email  string `db:"email"`
			Locale string `db:"locale"`
		}
		if err := get(ctx, tx, &row, `SELECT email, locale FROM orders WHERE number = ?`, number); err != nil {
			return err
		}
		email, locale = row.Email, row.Locale
		return nil
	})
	return email, locale, err
}
