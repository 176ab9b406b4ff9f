package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// An order is read in two queries, its row and its lines (the lines
// without the order's columns repeated on each), which must be one
// snapshot; for a decision about it, the order's row also says the current
// policy version, whether a return refunds the outbound shipping and
// whether the order has returns at all, and only an order that has returns
// takes a third query: what they hold of each line. Through the read pool
// the row is read first on its own: when the lines cache holds its lines,
// or its lines still belong to its revision (linesOfOrderAt), and it has no
// returns to count, no transaction is needed (a BEGIN and a ROLLBACK saved
// on every status page, label and e-mail); otherwise everything is read
// again in one read transaction.

// orderColumns are the order's columns as orderFromRow reads them.
const orderColumns = `SELECT o.id, o.number, o.email, o.customer_name, o.locale, o.currency,
	o.placed_at, o.shipped_at, o.delivered_at, o.address, o.shipping_amount,
	o.shipping_method, o.shipping_standard_amount, o.payment, o.gift, o.revision`

const nOrderColumns = 16

// orderDecisionColumns add the current policy version (NULL: none),
// whether a return that still holds units (neither cancelled nor rejected,
// as returns.Status.Active) refunds the outbound shipping, and whether the
// order has any return at all (cancelled and rejected ones included).
const orderDecisionColumns = orderColumns + `,
	(SELECT MAX(version) FROM policy_versions) AS policy_version,
	EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id AND r.status NOT IN (?, ?)
		AND r.outbound_shipping_refund > 0) AS outbound_refunded,
	EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id) AS any_returns`

const orderByNumber = ` FROM orders o WHERE o.number = ?`

// lineColumns are a line's columns as lineFromRow reads them.
const lineColumns = `SELECT l.line_id, l.sku, l.name, l.variant, l.quantity, l.unit_price,
	l.discount, l.tax, l.category, l.exemption, l.final_sale, l.hs_code,
	l.origin_country, l.weight_grams, l.customs_description, l.image_url, l.product_id`

const nLineColumns = 17

const linesOfOrder = ` FROM order_lines l WHERE l.order_id = CAST(? AS BIGINT) ORDER BY l.position, l.id`

// linesOfOrderAt are an order's lines as long as the order is still at a
// revision (args: id, id, revision): every change of an order's lines
// raises its revision in the same transaction (UpsertOrder), so lines read
// this way are those of the snapshot that read the row at that revision.
// None: the order changed since (or has no lines).
const linesOfOrderAt = ` FROM order_lines l WHERE l.order_id = CAST(? AS BIGINT)
	AND EXISTS (SELECT 1 FROM orders o WHERE o.id = CAST(? AS BIGINT) AND o.revision = CAST(? AS BIGINT))
	ORDER BY l.position, l.id`

// unitsHeld are the units of each line that an order's returns still hold
// (neither cancelled nor rejected), counted in one pass over its returns;
// read only for an order that has returns.
const unitsHeld = `SELECT ri.line_id, SUM(ri.quantity) AS units
	FROM returns r JOIN return_items ri ON ri.return_id = r.id
	WHERE r.order_id = CAST(? AS BIGINT) AND r.status NOT IN (?, ?)
	GROUP BY ri.line_id`

// storedOrder is an order as read, with its row id and revision.
type storedOrder struct {
	order    returns.Order
	id       int64
	revision int64
}

// loadOrder reads an order and its lines through q (the read pool, or the
// writer's transaction when the result decides a write), as one snapshot:
// the lines cache (order_lines_cache.go) may only keep lines read with the
// revision they belong to.
func loadOrder(ctx context.Context, q sqlx.ExtContext, number string) (returns.Order, int64, error) {
	if p, ok := q.(*pool); ok {
		if d, ok, err := loadOrderOutsideTx(ctx, p, orderColumns, nOrderColumns, number); err != nil || ok {
			return d.order, d.id, err
		}
	}
	var so storedOrder
	cache := linesCacheOf(q) // q, not the snapshot's connection: that is no pool
	err := inReadTx(ctx, q, func(ctx context.Context, q sqlx.ExtContext) error {
		found := false
		err := queryRows(ctx, q, nOrderColumns, func(r row) (err error) {
			found = true
			so, err = orderFromRow(r)
			return err
		}, orderColumns+orderByNumber, number)
		if err == nil && !found {
			err = ErrNotFound
		}
		if err == nil {
			so.order.Lines, err = loadLines(ctx, q, cache, so)
		}
		return err
	})
	return so.order, so.id, err
}

// loadLines reads the lines of an order whose row was just read through q,
// in the same snapshot, from cache when it holds them for the order's
// revision (cache nil: none).
func loadLines(ctx context.Context, q sqlx.ExtContext, cache *lineCache, o storedOrder) ([]returns.Line, error) {
	if cache != nil {
		if lines, ok := cache.get(o); ok {
			return lines, nil
		}
	}
	lines := o.order.Lines
	err := queryRows(ctx, q, nLineColumns, func(r row) error {
		lines = append(lines, lineFromRow(r))
		return nil
	}, lineColumns+linesOfOrder, o.id)
	if err == nil && cache != nil {
		cache.put(o, lines)
	}
	return lines, err
}

// orderDecision is an order, its history and the current policy version (0
// when no policy was ever saved), as one snapshot. The history counts the
// units held of the order's own lines; anyReturns says whether the order
// has a return in any status.
type orderDecision struct {
	storedOrder
	history    returns.History
	version    int64
	anyReturns bool
}

func loadOrderDecision(ctx context.Context, q sqlx.ExtContext, number string) (orderDecision, error) {
	if p, ok := q.(*pool); ok {
		if d, ok, err := loadOrderOutsideTx(ctx, p, orderDecisionColumns, nOrderColumns+3, number,
			returns.StatusCancelled, returns.StatusRejected); err != nil || ok {
			return d, err
		}
	}
	d := orderDecision{history: returns.History{UnitsHeld: map[string]int{}}}
	cache := linesCacheOf(q) // q, not the snapshot's connection: that is no pool
	err := inReadTx(ctx, q, func(ctx context.Context, q sqlx.ExtContext) error {
		found := false
		err := queryRows(ctx, q, nOrderColumns+3, func(r row) (err error) {
			found = true
			return d.readRow(r, true)
		}, orderDecisionColumns+orderByNumber, returns.StatusCancelled, returns.StatusRejected, number)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		d.order.Lines, err = loadLines(ctx, q, cache, d.storedOrder)
		if err != nil || !d.anyReturns {
			return err // most orders: nothing held, no query more
		}
		err = queryRows(ctx, q, 2, func(r row) error {
			if _, ours := d.order.Line(r.str(0)); ours {
				d.history.UnitsHeld[r.str(0)] = r.int(1)
			}
			return nil
		}, unitsHeld, d.id, returns.StatusCancelled, returns.StatusRejected)
		if err != nil {
			return err
		}
		d.history.UnitsExchanged, err = heldExchanges(ctx, q, d.id, d.history) // exchanges.go
		return err
	})
	return d, err
}

// readRow reads a row of orderColumns, or of orderDecisionColumns when
// decision is set.
func (d *orderDecision) readRow(r row, decision bool) (err error) {
	if d.storedOrder, err = orderFromRow(r); err != nil || !decision {
		return err
	}
	d.version = r.int64(nOrderColumns)
	d.history.OutboundRefunded = r.bool(nOrderColumns + 1)
	d.anyReturns = r.bool(nOrderColumns + 2)
	return nil
}

// loadOrderOutsideTx reads an order's row (columns: orderColumns, or
// orderDecisionColumns whose extra arguments come before the number) and
// its lines in two statements of their own, each its own snapshot, which
// is one snapshot when the lines come from the cache for the row's revision
// or are read at that revision (linesOfOrderAt). ok false: they were not
// (the order changed in between), or the row says the order has returns
// (orderDecisionColumns), whose history must be read in the row's
// snapshot: the caller reads everything again in one transaction. An
// unknown order is ErrNotFound.
func loadOrderOutsideTx(ctx context.Context, p *pool, columns string, n int, number string, args ...any) (d orderDecision, ok bool, err error) {
	found := false
	err = queryRows(ctx, p, n, func(r row) (err error) {
		found = true
		return d.readRow(r, n > nOrderColumns)
	}, columns+orderByNumber, append(args, number)...)
	switch {
	case err != nil:
		return d, false, err
	case !found:
		return d, false, ErrNotFound
	case d.anyReturns:
		return d, false, nil
	}
	d.history.UnitsHeld = map[string]int{}
	if lines, cached := p.lines.get(d.storedOrder); cached {
		d.order.Lines = lines
		return d, true, nil
	}
	lines := d.order.Lines
	err = queryRows(ctx, p, nLineColumns, func(r row) error {
		lines = append(lines, lineFromRow(r))
		return nil
	}, lineColumns+linesOfOrderAt, d.id, d.id, d.revision)
	if err != nil || len(lines) == 0 {
		return d, false, err
	}
	p.lines.put(d.storedOrder, lines)
	d.order.Lines = lines
	return d, true, nil
}

// orderFromRow reads the order of a row of orderColumns; its lines come
// apart (lineFromRow).
func orderFromRow(r row) (storedOrder, error) {
	o := returns.Order{
		Number:       r.str(1),
		Email:        r.str(2),
		CustomerName: r.str(3),
		Locale:       r.str(4),
		Currency:     r.str(5),
		PlacedAt:     r.time(6),
		ShippedAt:    r.timePtr(7),
		DeliveredAt:  r.timePtr(8),
		Shipping: returns.Shipping{
			Amount:         r.int64(10),
			Method:         r.str(11),
			StandardAmount: r.int64Ptr(12),
		},
		Gift:  r.bool(14),
		Lines: make([]returns.Line, 0, 10),
	}
	if err := json.Unmarshal([]byte(r.str(9)), &o.ShippingAddress); err != nil {
		return storedOrder{}, fmt.Errorf("decode address: %w", err)
	}
	if err := json.Unmarshal([]byte(r.str(13)), &o.Payment); err != nil {
		return storedOrder{}, fmt.Errorf("decode payment: %w", err)
	}
	return storedOrder{order: o, id: r.int64(0), revision: r.int64(15)}, nil
}

// lineFromRow reads a line of a row of lineColumns.
func lineFromRow(r row) returns.Line {
	return returns.Line{
		ID:                 r.str(0),
		SKU:                r.str(1),
		Name:               r.str(2),
		Variant:            r.str(3),
		Quantity:           r.int(4),
		UnitPrice:          r.int64(5),
		Discount:           r.int64(6),
		Tax:                r.int64(7),
		Category:           r.str(8),
		Exemption:          r.str(9),
		FinalSale:          r.bool(10),
		HSCode:             r.str(11),
		OriginCountry:      r.str(12),
		WeightGrams:        r.int(13),
		CustomsDescription: r.str(14),
		ImageURL:           r.str(15),
		ProductID:          r.str(16), // migration 00015
	}
}

// orderStateSelect reads what changes the decisions about an order besides
// its lines: the order's revision, what its returns that still hold units
// hold of each line (all line ids, as loadHistory), whether one of them
// refunds the outbound shipping, and the current policy version. No active
// return: one row with a NULL line_id.
const orderStateSelect = `SELECT o.id, o.revision,
	(SELECT MAX(version) FROM policy_versions) AS policy_version,
	EXISTS (SELECT 1 FROM returns r2 WHERE r2.order_id = o.id AND r2.status NOT IN (?, ?)
		AND r2.outbound_shipping_refund > 0) AS outbound_refunded,
	ri.line_id AS line_id, SUM(ri.quantity) AS units
	FROM orders o
	LEFT JOIN returns r ON r.order_id = o.id AND r.status NOT IN (?, ?)
	LEFT JOIN return_items ri ON ri.return_id = r.id
	WHERE o.number = CAST(? AS TEXT)
	GROUP BY o.id, o.revision, ri.line_id`

// orderState is an order's row id and revision, its history and the
// current policy version (0: none), as orderStateSelect reads them.
type orderState struct {
	id, revision, version int64
	history               returns.History
}

func loadOrderState(ctx context.Context, q sqlx.ExtContext, number string) (orderState, error) {
	var rows []struct {
		ID               int64   `db:"id"`
		Revision         int64   `db:"revision"`
		PolicyVersion    *int64  `db:"policy_version"`
		OutboundRefunded bool    `db:"outbound_refunded"`
		LineID           *string `db:"line_id"`
		Units            *int    `db:"units"`
	}
	if err := sel(ctx, q, &rows, orderStateSelect, returns.StatusCancelled, returns.StatusRejected,
		returns.StatusCancelled, returns.StatusRejected, number); err != nil {
		return orderState{}, err
	}
	if len(rows) == 0 {
		return orderState{}, ErrNotFound
	}
	st := orderState{id: rows[0].ID, revision: rows[0].Revision,
		history: returns.History{UnitsHeld: make(map[string]int, len(rows)), OutboundRefunded: rows[0].OutboundRefunded}}
	if v := rows[0].PolicyVersion; v != nil {
		st.version = *v
	}
	for _, r := range rows {
		if r.LineID != nil && r.Units != nil {
			st.history.UnitsHeld[*r.LineID] = *r.Units
		}
	}
	var err error
	st.history.UnitsExchanged, err = heldExchanges(ctx, q, st.id, st.history) // exchanges.go
	return st, err
}

// sameHistory reports whether two histories hold the same units of every
// line (a line held by none counts as 0) and agree on the outbound
// shipping.
func sameHistory(a, b returns.History) bool {
	if a.OutboundRefunded != b.OutboundRefunded {
		return false
	}
	for line, n := range a.UnitsHeld {
		if b.UnitsHeld[line] != n {
			return false
		}
	}
	for line, n := range b.UnitsHeld {
		if a.UnitsHeld[line] != n {
			return false
		}
	}
	return maps.Equal(a.UnitsExchanged, b.UnitsExchanged) // exchanges.go
}
