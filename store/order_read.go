package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// An order is read in one query: its row joined with its lines (the order's
// columns repeat on every line), and, for a decision about it, what its
// returns hold of each line and the current policy version, so that the
// order, its history and the version are one snapshot read in one round
// trip.

// orderSelect reads an order and its lines; an order without lines is one
// row whose line_row is NULL.
const orderSelect = `SELECT o.id, o.number, o.email, o.customer_name, o.locale, o.currency,
	o.placed_at, o.shipped_at, o.delivered_at, o.address, o.shipping_amount,
	o.shipping_method, o.shipping_standard_amount, o.payment, o.gift, o.revision,
	l.id AS line_row, COALESCE(l.line_id, '') AS line_id, COALESCE(l.sku, '') AS sku,
	COALESCE(l.name, '') AS name, COALESCE(l.variant, '') AS variant,
	COALESCE(l.quantity, 0) AS quantity, COALESCE(l.unit_price, 0) AS unit_price,
	COALESCE(l.discount, 0) AS discount, COALESCE(l.tax, 0) AS tax,
	COALESCE(l.category, '') AS category, COALESCE(l.exemption, '') AS exemption,
	COALESCE(l.final_sale, FALSE) AS final_sale, COALESCE(l.hs_code, '') AS hs_code,
	COALESCE(l.origin_country, '') AS origin_country, COALESCE(l.weight_grams, 0) AS weight_grams,
	COALESCE(l.customs_description, '') AS customs_description`

// CAST: see bound in store.go.
const orderFrom = ` FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
	WHERE o.number = CAST(? AS TEXT) ORDER BY l.position, l.id`

// orderDecisionSelect adds to orderSelect what the order's returns that
// still hold units (neither cancelled nor rejected, as
// returns.Status.Active) hold of each line, whether one of them refunds
// the outbound shipping, and the current policy version (NULL: none).
const orderDecisionSelect = orderSelect + `,
	(SELECT COALESCE(SUM(ri.quantity), 0) FROM returns r JOIN return_items ri ON ri.return_id = r.id
		WHERE r.order_id = o.id AND ri.line_id = l.line_id AND r.status NOT IN (?, ?)) AS held,
	EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.id AND r.status NOT IN (?, ?)
		AND r.outbound_shipping_refund > 0) AS outbound_refunded,
	(SELECT MAX(version) FROM policy_versions) AS policy_version`

// orderLineRow is one row of orderSelect.
type orderLineRow struct {
	orderRow
	Revision int64  `db:"revision"`
	LineRow  *int64 `db:"line_row"`
	lineRow
}

// orderDecisionRow is one row of orderDecisionSelect.
type orderDecisionRow struct {
	orderLineRow
	Held             int    `db:"held"`
	OutboundRefunded bool   `db:"outbound_refunded"`
	PolicyVersion    *int64 `db:"policy_version"`
}

// storedOrder is an order as read, with its row id and revision.
type storedOrder struct {
	order    returns.Order
	id       int64
	revision int64
}

// loadOrder reads an order and its lines through q (the read pool, or the
// writer's transaction when the result decides a write).
func loadOrder(ctx context.Context, q sqlx.ExtContext, number string) (returns.Order, int64, error) {
	var rows []orderLineRow
	if err := sel(ctx, q, &rows, orderSelect+orderFrom, number); err != nil {
		return returns.Order{}, 0, err
	}
	so, err := orderFromRows(len(rows), func(i int) *orderLineRow { return &rows[i] })
	return so.order, so.id, err
}

// orderDecision is an order, its history and the current policy version (0
// when no policy was ever saved), as one query reads them through q. The
// history counts the units held of the order's own lines.
type orderDecision struct {
	storedOrder
	history returns.History
	version int64
}

func loadOrderDecision(ctx context.Context, q sqlx.ExtContext, number string) (orderDecision, error) {
	var rows []orderDecisionRow
	if err := sel(ctx, q, &rows, orderDecisionSelect+orderFrom,
		returns.StatusCancelled, returns.StatusRejected, returns.StatusCancelled, returns.StatusRejected, number); err != nil {
		return orderDecision{}, err
	}
	so, err := orderFromRows(len(rows), func(i int) *orderLineRow { return &rows[i].orderLineRow })
	if err != nil {
		return orderDecision{}, err
	}
	d := orderDecision{storedOrder: so, history: returns.History{UnitsHeld: map[string]int{}}}
	for _, r := range rows {
		if r.Held > 0 {
			d.history.UnitsHeld[r.LineID] += r.Held
		}
	}
	d.history.OutboundRefunded = rows[0].OutboundRefunded
	if v := rows[0].PolicyVersion; v != nil {
		d.version = *v
	}
	return d, nil
}

// orderFromRows builds the order of n rows of orderSelect (ErrNotFound when
// there are none).
func orderFromRows(n int, row func(int) *orderLineRow) (storedOrder, error) {
	if n == 0 {
		return storedOrder{}, ErrNotFound
	}
	first := row(0)
	o := returns.Order{
		Number:       first.Number,
		Email:        first.Email,
		CustomerName: first.CustomerName,
		Locale:       first.Locale,
		Currency:     first.Currency,
		PlacedAt:     first.PlacedAt.UTC(),
		ShippedAt:    utcPtr(first.ShippedAt),
		DeliveredAt:  utcPtr(first.DeliveredAt),
		Shipping: returns.Shipping{
			Amount:         first.ShippingAmount,
			Method:         first.ShippingMethod,
			StandardAmount: first.ShippingStandardAmount,
		},
		Gift:  first.Gift,
		Lines: make([]returns.Line, 0, n),
	}
	if err := json.Unmarshal([]byte(first.Address), &o.ShippingAddress); err != nil {
		return storedOrder{}, fmt.Errorf("decode address: %w", err)
	}
	if err := json.Unmarshal([]byte(first.Payment), &o.Payment); err != nil {
		return storedOrder{}, fmt.Errorf("decode payment: %w", err)
	}
	for i := range n {
		r := row(i)
		if r.LineRow == nil {
			continue
		}
		l := r.lineRow
		o.Lines = append(o.Lines, returns.Line{
			ID:                 l.LineID,
			SKU:                l.SKU,
			Name:               l.Name,
			Variant:            l.Variant,
			Quantity:           l.Quantity,
			UnitPrice:          l.UnitPrice,
			Discount:           l.Discount,
			Tax:                l.Tax,
			Category:           l.Category,
			Exemption:          l.Exemption,
			FinalSale:          l.FinalSale,
			HSCode:             l.HSCode,
			OriginCountry:      l.OriginCountry,
			WeightGrams:        l.WeightGrams,
			CustomsDescription: l.CustomsDescription,
		})
	}
	return storedOrder{order: o, id: first.ID, revision: first.Revision}, nil
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
	return st, nil
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
	return true
}
