package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/returns"
)

// The report tables follow every change in its own transaction: an
// operation of Tx that changes a return or an order first records what the
// reports counted of it (track*), and Write, once the operation succeeded
// and before it commits, reads the return or order again and adds the
// difference (flushAnalytics). The reports therefore always equal a
// recount of the rows as they are (RebuildAnalytics), whatever the change
// touched: a status, an inspection that changes amounts, a refund, an
// order whose lines or address changed.

// tracked is what a transaction's tracking knows: the facts of each return
// and order before the change (nil: it did not exist).
type tracked struct {
	returns map[int64]*analytics.ReturnFacts
	orders  map[int64]*analytics.OrderFacts
	// created are the facts of returns the transaction created, as it
	// wrote them (so that they need not be read back), while nothing else
	// in the transaction touches them.
	created map[int64]*analytics.ReturnFacts
	// createdOrders are the facts of orders the transaction created, as
	// it wrote them (an import writes thousands of new orders a second:
	// reading each back cost a fifth of the writer's time).
	createdOrders map[int64]*analytics.OrderFacts
}

func (t *Tx) tracking() *tracked {
	if t.tracked == nil {
		t.tracked = &tracked{returns: map[int64]*analytics.ReturnFacts{}, orders: map[int64]*analytics.OrderFacts{},
			created: map[int64]*analytics.ReturnFacts{}, createdOrders: map[int64]*analytics.OrderFacts{}}
	}
	return t.tracked
}

// trackNewReturn records a return the transaction created (nothing was
// counted of it before), with its facts as written: the order it returns
// from and the policy it was decided under, at now.
func (t *Tx) trackNewReturn(r returns.Return, o returns.Order, p returns.Policy, lawOnly bool, now time.Time) {
	tr := t.tracking()
	tr.returns[r.ID] = nil
	f := analytics.ReturnFacts{Requested: now, Country: o.ShippingAddress.Country, Region: o.ShippingAddress.Region,
		Hub: p.Effective(t.s.legal, o.ShippingAddress.Country).Hub, Method: r.RefundMethod, Currency: r.Quote.Currency,
		Email: NormalizeEmail(o.Email), Status: r.Status, Basis: r.Basis, LawOnly: lawOnly, Kept: r.Returnless(),
		RestockingFee: r.Quote.RestockingFee, ReturnShippingFee: r.Quote.ReturnShippingFee,
		OutboundRefund: r.Quote.OutboundShippingRefund}
	used := make([]bool, len(r.Quote.Lines))
	for _, it := range r.Items {
		l, _ := o.Line(it.LineID)
		f.Items = append(f.Items, analytics.ItemFacts{Reason: it.Reason, SKU: l.SKU, Name: l.Name, Category: l.Category,
			Units: int64(it.Quantity), Value: itemRefund(r.Quote.Lines, used, it)})
	}
	tr.created[r.ID] = &f
}

// trackNewOrder records an order the transaction created (nothing was
// counted of it before), with its facts as written (loadOrderFacts reads
// the same from the rows).
func (t *Tx) trackNewOrder(id int64, o returns.Order) {
	if t.uncounted {
		return
	}
	tr := t.tracking()
	tr.orders[id] = nil
	seen := make(map[string]bool, len(o.Lines))
	for _, l := range o.Lines {
		if seen[l.ID] {
			return // lines merged by their id when written: read back
		}
		seen[l.ID] = true
	}
	f := analytics.OrderFacts{Placed: dbTime(o.PlacedAt), Country: o.ShippingAddress.Country,
		Region: o.ShippingAddress.Region, Currency: o.Currency, Email: NormalizeEmail(o.Email)}
	for _, l := range o.Lines {
		f.Lines = append(f.Lines, analytics.LineFacts{SKU: l.SKU, Name: l.Name, Category: l.Category,
			Units: int64(l.Quantity), Value: l.UnitPrice*int64(l.Quantity) - l.Discount})
	}
	tr.createdOrders[id] = &f
}

// trackReturn records a return's facts before the transaction changes it
// (once per return and transaction).
func (t *Tx) trackReturn(ctx context.Context, tx *sqlx.Tx, id int64) error {
	// A return created in this transaction and changed again is read back.
	delete(t.tracking().created, id)
	if _, ok := t.tracked.returns[id]; ok {
		return nil
	}
	f, err := loadReturnFacts(ctx, tx, id)
	if errors.Is(err, ErrNotFound) {
		t.tracked.returns[id] = nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("analytics facts of return %d: %w", id, err)
	}
	t.tracked.returns[id] = &f
	return nil
}

// trackOrder records an order's facts, and those of its returns (an
// order's address or lines are part of what its returns count), before the
// transaction changes it.
func (t *Tx) trackOrder(ctx context.Context, tx *sqlx.Tx, id int64) error {
	if t.uncounted {
		return nil
	}
	// An order created in this transaction and changed again is read back.
	delete(t.tracking().createdOrders, id)
	if _, ok := t.tracked.orders[id]; ok {
		return nil
	}
	f, err := loadOrderFacts(ctx, tx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		t.tracked.orders[id] = nil
	case err != nil:
		return fmt.Errorf("analytics facts of order %d: %w", id, err)
	default:
		t.tracked.orders[id] = &f
	}
	var ids []int64
	if err := sel(ctx, tx, &ids, `SELECT id FROM returns WHERE order_id = ?`, id); err != nil {
		return err
	}
	for _, rid := range ids {
		if err := t.trackReturn(ctx, tx, rid); err != nil {
			return err
		}
	}
	return nil
}

// flushAnalytics adds to the report tables what the transaction changed of
// the returns and orders it tracked.
func (t *Tx) flushAnalytics() error {
	if t.tracked == nil || t.uncounted {
		t.tracked = nil
		return nil
	}
	ctx, tx := t.ctx, t.tx
	d := analytics.NewDelta()
	for _, id := range sortedKeys(t.tracked.orders) {
		if before := t.tracked.orders[id]; before != nil {
			d.AddOrder(*before, -1)
		}
		if f, ok := t.tracked.createdOrders[id]; ok {
			d.AddOrder(*f, 1)
			continue
		}
		after, err := loadOrderFacts(ctx, tx, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("store: analytics facts of order %d: %w", id, err)
		}
		if err == nil {
			d.AddOrder(after, 1)
		}
	}
	for _, id := range sortedKeys(t.tracked.returns) {
		if before := t.tracked.returns[id]; before != nil {
			d.AddReturn(*before, -1)
		}
		if f, ok := t.tracked.created[id]; ok {
			d.AddReturn(*f, 1)
			continue
		}
		after, err := loadReturnFacts(ctx, tx, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("store: analytics facts of return %d: %w", id, err)
		}
		if err == nil {
			d.AddReturn(after, 1)
		}
	}
	t.tracked = nil
	if t.reports != nil {
		t.reports.Merge(d)
		return nil
	}
	if err := t.applyDelta(d); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// loadReturnFacts reads what the reports count of a return (ErrNotFound
// when there is no such return).
func loadReturnFacts(ctx context.Context, q sqlx.ExtContext, id int64) (analytics.ReturnFacts, error) {
	var row struct {
		Requested time.Time  `db:"created_at"`
		Country   string     `db:"ship_country"`
		Region    string     `db:"ship_region"`
		Hub       string     `db:"hub"`
		Method    string     `db:"refund_method"`
		Currency  string     `db:"currency"`
		Email     string     `db:"email_norm"`
		Status    string     `db:"status"`
		Basis     string     `db:"basis"`
		LawOnly   bool       `db:"law_only"`
		Kept      bool       `db:"returnless"`
		Received  *time.Time `db:"received_at"`
		OverdueAt *time.Time `db:"refund_overdue_at"`
		Quote     string     `db:"quote"`
	}
	if err := get(ctx, q, &row, `SELECT r.created_at, r.ship_country, o.ship_region, COALESCE(r.hub, '') AS hub,
		r.refund_method, r.currency, o.email_norm, r.status, r.basis, r.law_only, r.returnless, r.received_at,
		r.refund_overdue_at, r.quote
		FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.id = CAST(? AS BIGINT)`, id); err != nil {
		return analytics.ReturnFacts{}, err
	}
	var quote returns.Quote
	if err := json.Unmarshal([]byte(row.Quote), &quote); err != nil {
		return analytics.ReturnFacts{}, fmt.Errorf("decode quote: %w", err)
	}
	f := analytics.ReturnFacts{Requested: row.Requested.UTC(), Country: row.Country, Region: row.Region, Hub: row.Hub,
		Method: row.Method, Currency: row.Currency, Email: row.Email, Status: returns.Status(row.Status),
		Basis: row.Basis, LawOnly: row.LawOnly, Kept: row.Kept, Received: utcPtr(row.Received), OverdueAt: utcPtr(row.OverdueAt),
		RestockingFee: quote.RestockingFee, ReturnShippingFee: quote.ReturnShippingFee,
		OutboundRefund: quote.OutboundShippingRefund}
	var items []struct {
		Reason    string  `db:"reason"`
		Units     int64   `db:"quantity"`
		Value     int64   `db:"refund"`
		SKU       string  `db:"sku"`
		Name      string  `db:"name"`
		Category  string  `db:"category"`
		Condition *string `db:"item_condition"`
	}
	if err := sel(ctx, q, &items, `SELECT ri.reason, ri.quantity, ri.refund, COALESCE(ol.sku, '') AS sku,
		COALESCE(ol.name, '') AS name, COALESCE(ol.category, '') AS category, i.item_condition
		FROM return_items ri JOIN returns r ON r.id = ri.return_id
		LEFT JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_id = ri.line_id
		LEFT JOIN inspections i ON i.return_id = ri.return_id AND i.line_id = ri.line_id
		WHERE ri.return_id = CAST(? AS BIGINT) ORDER BY ri.position, ri.id`, id); err != nil {
		return analytics.ReturnFacts{}, err
	}
	for _, it := range items {
		fi := analytics.ItemFacts{Reason: it.Reason, SKU: it.SKU, Name: it.Name, Category: it.Category,
			Units: it.Units, Value: it.Value}
		if it.Condition != nil {
			fi.Inspected, fi.Condition = true, *it.Condition
		}
		f.Items = append(f.Items, fi)
	}
	var inspected []time.Time
	if err := sel(ctx, q, &inspected, `SELECT created_at FROM inspections WHERE return_id = CAST(? AS BIGINT)
		ORDER BY created_at LIMIT 1`, id); err != nil {
		return analytics.ReturnFacts{}, err
	}
	if len(inspected) > 0 {
		at := inspected[0].UTC()
		f.Inspected = &at
	}
	// A refund counts once it is paid (claimed refunds are pending or
	// failed until then), at the time it was paid.
	var refund struct {
		Amount   int64     `db:"amount"`
		Bonus    int64     `db:"bonus"`
		Goodwill int64     `db:"goodwill"`
		At       time.Time `db:"created_at"`
	}
	switch err := get(ctx, q, &refund, `SELECT amount, bonus, goodwill, updated_at AS created_at FROM refunds
		WHERE return_id = ? AND state = 'succeeded'`, id); {
	case err == nil:
		f.Refund = &analytics.RefundFacts{Amount: refund.Amount, Bonus: refund.Bonus, Goodwill: refund.Goodwill,
			At: refund.At.UTC()}
	case !errors.Is(err, ErrNotFound):
		return analytics.ReturnFacts{}, err
	}
	return f, nil
}

// loadOrderFacts reads what the reports count of an order.
func loadOrderFacts(ctx context.Context, q sqlx.ExtContext, id int64) (analytics.OrderFacts, error) {
	var row struct {
		Placed   time.Time `db:"placed_at"`
		Country  string    `db:"ship_country"`
		Region   string    `db:"ship_region"`
		Currency string    `db:"currency"`
		Email    string    `db:"email_norm"`
	}
	if err := get(ctx, q, &row, `SELECT placed_at, ship_country, ship_region, currency, email_norm
		FROM orders WHERE id = ?`, id); err != nil {
		return analytics.OrderFacts{}, err
	}
	f := analytics.OrderFacts{Placed: row.Placed.UTC(), Country: row.Country, Region: row.Region,
		Currency: row.Currency, Email: row.Email}
	var lines []struct {
		SKU       string `db:"sku"`
		Name      string `db:"name"`
		Category  string `db:"category"`
		Quantity  int64  `db:"quantity"`
		UnitPrice int64  `db:"unit_price"`
		Discount  int64  `db:"discount"`
	}
	if err := sel(ctx, q, &lines, `SELECT sku, name, category, quantity, unit_price, discount
		FROM order_lines WHERE order_id = CAST(? AS BIGINT) ORDER BY position, id`, id); err != nil {
		return analytics.OrderFacts{}, err
	}
	for _, l := range lines {
		f.Lines = append(f.Lines, analytics.LineFacts{SKU: l.SKU, Name: l.Name, Category: l.Category,
			Units: l.Quantity, Value: l.UnitPrice*l.Quantity - l.Discount})
	}
	return f, nil
}
