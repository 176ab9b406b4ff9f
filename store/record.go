package store

import (
	"context"
	"database/sql"
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
}

// ReturnRecord loads a return's record from one read snapshot.
func (s *Store) ReturnRecord(ctx context.Context, rma string) (ReturnRecord, error) {
	tx, err := s.r.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return ReturnRecord{}, fmt.Errorf("store: record of %q: %w", rma, err)
	}
	defer func() { _ = tx.Rollback() }()
	rec, err := loadRecord(ctx, tx, canonicalRMA(rma))
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
	rec.Photos, err = loadPhotos(ctx, q, rma)
	return rec, err
}
