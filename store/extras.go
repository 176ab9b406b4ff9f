package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Extras is what the staff area shows of a return besides the return: its
// inspection, notes, refund, the quote as the shopper was given it, when it
// arrived and the legal refund deadline.
type Extras struct {
	OrderID       int64
	Inspections   []Inspection
	Notes         []Note
	Refund        *Refund
	OriginalQuote *returns.Quote
	ReceivedAt    *time.Time
	RefundDue     *returns.Date
	OverdueAt     *time.Time
	// ReviewFlags are the review rules the return matched when it was
	// made (for staff only).
	ReviewFlags []returns.ReviewMatch
}

// ReturnExtras loads what the staff area shows of a return besides the
// return itself.
func (s *Store) ReturnExtras(ctx context.Context, rma string) (Extras, error) {
	x, err := s.returnExtras(ctx, canonicalRMA(rma))
	if err != nil {
		return Extras{}, fmt.Errorf("store: extras of %q: %w", rma, err)
	}
	return x, nil
}

func (s *Store) returnExtras(ctx context.Context, rma string) (Extras, error) {
	var x Extras
	err := inReadTx(ctx, s.r, func(ctx context.Context, q sqlx.ExtContext) error {
		var err error
		x, err = loadExtras(ctx, q, rma)
		return err
	})
	return x, err
}

// loadExtras reads a return's extras through q (one snapshot when q is a
// transaction).
func loadExtras(ctx context.Context, tx sqlx.ExtContext, rma string) (Extras, error) {
	var row struct {
		ID            int64      `db:"id"`
		OrderID       int64      `db:"order_id"`
		OriginalQuote *string    `db:"original_quote"`
		ReceivedAt    *time.Time `db:"received_at"`
		RefundDue     *string    `db:"refund_due"`
		OverdueAt     *time.Time `db:"refund_overdue_at"`
	}
	if err := get(ctx, tx, &row, `SELECT id, order_id, original_quote, received_at, refund_due,
		refund_overdue_at FROM returns WHERE rma = ?`, rma); err != nil {
		return Extras{}, err
	}
	x := Extras{OrderID: row.OrderID, ReceivedAt: utcPtr(row.ReceivedAt), OverdueAt: utcPtr(row.OverdueAt),
		Inspections: []Inspection{}, Notes: []Note{}}
	if row.OriginalQuote != nil {
		var q returns.Quote
		if err := json.Unmarshal([]byte(*row.OriginalQuote), &q); err != nil {
			return Extras{}, err
		}
		x.OriginalQuote = &q
	}
	if row.RefundDue != nil {
		d, err := returns.ParseDate(*row.RefundDue)
		if err != nil {
			return Extras{}, err
		}
		x.RefundDue = &d
	}
	if err := sel(ctx, tx, &x.Inspections, `SELECT line_id, accepted_quantity, item_condition, notes,
		actor, created_at FROM inspections WHERE return_id = CAST(? AS BIGINT) ORDER BY id`, row.ID); err != nil {
		return Extras{}, err
	}
	if err := sel(ctx, tx, &x.Notes, `SELECT actor, body, created_at FROM return_notes
		WHERE return_id = CAST(? AS BIGINT) ORDER BY id`, row.ID); err != nil {
		return Extras{}, err
	}
	var refunds []Refund
	if err := sel(ctx, tx, &refunds, refundSelect+` WHERE f.return_id = ?`, row.ID); err != nil {
		return Extras{}, err
	}
	if len(refunds) > 0 {
		r := refunds[0]
		r.normalize()
		x.Refund = &r
	}
	for i := range x.Inspections {
		x.Inspections[i].At = x.Inspections[i].At.UTC()
	}
	for i := range x.Notes {
		x.Notes[i].At = x.Notes[i].At.UTC()
	}
	var err error
	x.ReviewFlags, err = loadReviewFlags(ctx, tx, row.ID) // exchanges.go
	return x, err
}
