package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// UpsertOrder stores an order as the shop sent it, creating it or replacing
// the stored one, and reports whether it was created. An update is checked
// against the order's returns (returns.CheckOrderUpdate) in the same
// transaction that writes it, so a return created meanwhile cannot slip in
// between the check and the write; a refused update wraps both ErrConflict
// and the *returns.Error that says why. Lines keep their identity by line id.
func (s *Store) UpsertOrder(ctx context.Context, o returns.Order) (created bool, err error) {
	err = s.Write(ctx, func(t *Tx) error { created, err = t.UpsertOrder(o); return err })
	return created, err
}

// UpsertOrder is Store.UpsertOrder in the transaction.
func (t *Tx) UpsertOrder(o returns.Order) (created bool, err error) {
	// A repeated line id would silently merge two lines in the upsert below;
	// validation should have refused it, so this is a programming error.
	seen := make(map[string]bool, len(o.Lines))
	for _, l := range o.Lines {
		if seen[l.ID] {
			return false, fmt.Errorf("store: upsert order %q: duplicate line id %q", o.Number, l.ID)
		}
		seen[l.ID] = true
	}
	address, err := json.Marshal(o.ShippingAddress)
	if err != nil {
		return false, fmt.Errorf("store: upsert order %q: %w", o.Number, err)
	}
	payment, err := json.Marshal(o.Payment)
	if err != nil {
		return false, fmt.Errorf("store: upsert order %q: %w", o.Number, err)
	}
	err = t.do(fmt.Sprintf("upsert order %q", o.Number), func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		// A new order is inserted at once (an import is mostly new
		// orders); a number already taken inserts nothing and is updated.
		var id int64
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO orders (number, email, email_norm,
			customer_name, locale, currency, placed_at, shipped_at, delivered_at,
			ship_country, ship_region, address, shipping_amount, shipping_method,
			shipping_standard_amount, payment, gift, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (number) DO NOTHING
			RETURNING id`),
			o.Number, o.Email, NormalizeEmail(o.Email), o.CustomerName, o.Locale, o.Currency, dbTime(o.PlacedAt),
			dbTimePtr(o.ShippedAt), dbTimePtr(o.DeliveredAt),
			o.ShippingAddress.Country, o.ShippingAddress.Region, string(address),
			o.Shipping.Amount, o.Shipping.Method, o.Shipping.StandardAmount,
			string(payment), o.Gift, now, now).Scan(&id)
		switch {
		case err == nil:
			created = true
			t.trackNewOrder(id, o) // analytics_track.go
		case !errors.Is(err, sql.ErrNoRows):
			return err
		default:
			var old returns.Order
			if old, id, err = loadOrder(ctx, tx, o.Number); err != nil {
				return err
			}
			h, err := loadHistory(ctx, tx, id)
			if err != nil {
				return err
			}
			if e := returns.CheckOrderUpdate(old, o, h); e != nil {
				return fmt.Errorf("%w: %w", ErrConflict, e)
			}
			if err := t.trackOrder(ctx, tx, id); err != nil {
				return err
			}
			if _, err := exec(ctx, tx, `UPDATE orders SET email = ?, email_norm = ?, customer_name = ?,
				locale = ?, currency = ?, placed_at = ?, shipped_at = ?, delivered_at = ?,
				ship_country = ?, ship_region = ?, address = ?, shipping_amount = ?,
				shipping_method = ?, shipping_standard_amount = ?, payment = ?, gift = ?,
				updated_at = ?, revision = revision + 1
				WHERE id = ?`,
				o.Email, NormalizeEmail(o.Email), o.CustomerName, o.Locale, o.Currency, dbTime(o.PlacedAt),
				dbTimePtr(o.ShippedAt), dbTimePtr(o.DeliveredAt),
				o.ShippingAddress.Country, o.ShippingAddress.Region, string(address),
				o.Shipping.Amount, o.Shipping.Method, o.Shipping.StandardAmount,
				string(payment), o.Gift, now, id); err != nil {
				return err
			}
			// Lines that the update no longer lists go (CheckOrderUpdate
			// has refused the update if returns hold any of them).
			keep := make(map[string]bool, len(o.Lines))
			for _, l := range o.Lines {
				keep[l.ID] = true
			}
			for _, l := range old.Lines {
				if !keep[l.ID] {
					if _, err := exec(ctx, tx, `DELETE FROM order_lines
						WHERE order_id = ? AND line_id = ?`, id, l.ID); err != nil {
						return err
					}
				}
			}
		}
		return upsertLines(ctx, tx, id, o.Lines)
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// linesPerStatement bounds the lines one INSERT writes (19 parameters each,
// well under SQLite's 32766).
const linesPerStatement = 500

// upsertLines writes an order's lines, as many per statement as fit: a new
// line is inserted, a line of the same id updated (lines keep their
// identity by line id).
func upsertLines(ctx context.Context, tx *sqlx.Tx, orderID int64, lines []returns.Line) error {
	for start := 0; start < len(lines); start += linesPerStatement {
		chunk := lines[start:min(len(lines), start+linesPerStatement)]
		var q strings.Builder
		q.WriteString(`INSERT INTO order_lines (order_id, position,
			line_id, sku, name, variant, quantity, unit_price, discount, tax,
			category, exemption, final_sale, hs_code, origin_country, weight_grams,
			customs_description, image_url, product_id) VALUES `)
		args := make([]any, 0, 19*len(chunk))
		for i, l := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, orderID, start+i, l.ID, l.SKU, l.Name, l.Variant, l.Quantity, l.UnitPrice,
				l.Discount, l.Tax, l.Category, l.Exemption, l.FinalSale, l.HSCode,
				l.OriginCountry, l.WeightGrams, l.CustomsDescription, l.ImageURL, l.ProductID)
		}
		q.WriteString(` ON CONFLICT (order_id, line_id) DO UPDATE SET
			position = excluded.position, sku = excluded.sku,
			name = excluded.name, variant = excluded.variant,
			quantity = excluded.quantity, unit_price = excluded.unit_price,
			discount = excluded.discount, tax = excluded.tax,
			category = excluded.category, exemption = excluded.exemption,
			final_sale = excluded.final_sale, hs_code = excluded.hs_code,
			origin_country = excluded.origin_country,
			weight_grams = excluded.weight_grams,
			customs_description = excluded.customs_description,
			image_url = excluded.image_url, product_id = excluded.product_id`)
		if err := run(ctx, tx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// GetOrder returns the order with the given number, its lines in the order
// the shop sent them.
func (s *Store) GetOrder(ctx context.Context, number string) (returns.Order, error) {
	o, _, err := loadOrder(ctx, s.r, number)
	if err != nil {
		return returns.Order{}, fmt.Errorf("store: get order %q: %w", number, err)
	}
	return o, nil
}

// OrderFacts is an order with what the decisions about it rest on besides
// the law: its history and the current policy (shared with other callers:
// read it, never change it; PolicyVersion 0: none was ever saved), read as
// one snapshot. AnyReturns says whether the order has a return in any
// status (cancelled and rejected included), so that a page listing them
// needs no query for most orders.
type OrderFacts struct {
	Order         returns.Order
	History       returns.History
	Policy        returns.Policy
	PolicyVersion int64
	AnyReturns    bool
}

// OrderFacts reads an order with its history and the current policy in
// one read transaction — what GetOrder and DecisionInputs read in two.
func (s *Store) OrderFacts(ctx context.Context, number string) (OrderFacts, error) {
	d, err := loadOrderDecision(ctx, s.r, number)
	var p returns.Policy
	if err == nil && d.version != 0 {
		p, err = s.policies.shared(ctx, s.r, d.version)
	}
	if err != nil {
		return OrderFacts{}, fmt.Errorf("store: order facts %q: %w", number, err)
	}
	return OrderFacts{Order: d.order, History: d.history, Policy: p, PolicyVersion: d.version, AnyReturns: d.anyReturns}, nil
}

// CountOrders returns the number of stored orders; `serve --demo` seeds only
// an empty database.
func (s *Store) CountOrders(ctx context.Context) (int, error) {
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM orders`); err != nil {
		return 0, fmt.Errorf("store: count orders: %w", err)
	}
	return n, nil
}

// OrderCountries returns the countries orders were shipped to (ISO codes,
// sorted), read from the orders_ship_country index.
func (s *Store) OrderCountries(ctx context.Context) ([]string, error) {
	var out []string
	if err := sel(ctx, s.r, &out, `SELECT DISTINCT ship_country FROM orders
		WHERE ship_country <> '' ORDER BY ship_country`); err != nil {
		return nil, fmt.Errorf("store: order countries: %w", err)
	}
	return out, nil
}

// OrderHistory returns what the order's returns hold: units per line in
// returns that are neither cancelled nor rejected, and whether one of them
// already refunds the outbound shipping.
func (s *Store) OrderHistory(ctx context.Context, number string) (returns.History, error) {
	st, err := loadOrderState(ctx, s.r, number)
	if err != nil {
		return returns.History{}, fmt.Errorf("store: order history %q: %w", number, err)
	}
	return st.history, nil
}

// DecisionInputs returns what a decision about an order needs besides the
// order, read in one query: its history (OrderHistory) and the current
// policy with its version (ErrNotFound when none was ever saved). The
// policy is shared with other callers: read it, never change it.
func (s *Store) DecisionInputs(ctx context.Context, number string) (returns.History, int64, returns.Policy, error) {
	st, err := loadOrderState(ctx, s.r, number)
	if err != nil {
		return returns.History{}, 0, returns.Policy{}, fmt.Errorf("store: order history %q: %w", number, err)
	}
	if st.version == 0 {
		return returns.History{}, 0, returns.Policy{}, fmt.Errorf("store: current policy: %w", ErrNotFound)
	}
	p, err := s.policies.shared(ctx, s.r, st.version)
	if err != nil {
		return returns.History{}, 0, returns.Policy{}, fmt.Errorf("store: current policy: %w", err)
	}
	return st.history, st.version, p, nil
}

// loadHistory computes an order's History from its returns that still hold
// units (status neither cancelled nor rejected, as returns.Status.Active).
func loadHistory(ctx context.Context, q sqlx.ExtContext, orderID int64) (returns.History, error) {
	return historyBefore(ctx, q, orderID, math.MaxInt64)
}
