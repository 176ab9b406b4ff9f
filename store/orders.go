package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// orderRow is the orders table as sqlx scans it.
type orderRow struct {
	ID                     int64      `db:"id"`
	Number                 string     `db:"number"`
	Email                  string     `db:"email"`
	CustomerName           string     `db:"customer_name"`
	Locale                 string     `db:"locale"`
	Currency               string     `db:"currency"`
	PlacedAt               time.Time  `db:"placed_at"`
	ShippedAt              *time.Time `db:"shipped_at"`
	DeliveredAt            *time.Time `db:"delivered_at"`
	Address                string     `db:"address"`
	ShippingAmount         int64      `db:"shipping_amount"`
	ShippingMethod         string     `db:"shipping_method"`
	ShippingStandardAmount *int64     `db:"shipping_standard_amount"`
	Payment                string     `db:"payment"`
	Gift                   bool       `db:"gift"`
}

const orderColumns = `id, number, email, customer_name, locale, currency, placed_at,
	shipped_at, delivered_at, address, shipping_amount, shipping_method,
	shipping_standard_amount, payment, gift`

// lineRow is the order_lines table as sqlx scans it.
type lineRow struct {
	LineID        string `db:"line_id"`
	SKU           string `db:"sku"`
	Name          string `db:"name"`
	Variant       string `db:"variant"`
	Quantity      int    `db:"quantity"`
	UnitPrice     int64  `db:"unit_price"`
	Discount      int64  `db:"discount"`
	Tax           int64  `db:"tax"`
	Category      string `db:"category"`
	Exemption     string `db:"exemption"`
	FinalSale     bool   `db:"final_sale"`
	HSCode        string `db:"hs_code"`
	OriginCountry string `db:"origin_country"`
	WeightGrams   int    `db:"weight_grams"`
	// CustomsDescription came with migration 00006, ImageURL with 00008.
	CustomsDescription string `db:"customs_description"`
	ImageURL           string `db:"image_url"`
	// ProductID came with migration 00015.
	ProductID string `db:"product_id"`
}

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
		old, id, err := loadOrder(ctx, tx, o.Number)
		switch {
		case errors.Is(err, ErrNotFound):
			created = true
			row := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO orders (number, email, email_norm,
				customer_name, locale, currency, placed_at, shipped_at, delivered_at,
				ship_country, ship_region, address, shipping_amount, shipping_method,
				shipping_standard_amount, payment, gift, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				RETURNING id`),
				o.Number, o.Email, NormalizeEmail(o.Email), o.CustomerName, o.Locale, o.Currency, dbTime(o.PlacedAt),
				dbTimePtr(o.ShippedAt), dbTimePtr(o.DeliveredAt),
				o.ShippingAddress.Country, o.ShippingAddress.Region, string(address),
				o.Shipping.Amount, o.Shipping.Method, o.Shipping.StandardAmount,
				string(payment), o.Gift, now, now)
			if err := row.Scan(&id); err != nil {
				return err
			}
			t.trackNewOrder(id) // analytics_track.go
		case err != nil:
			return err
		default:
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
				updated_at = ?
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
		for i, l := range o.Lines {
			if _, err := exec(ctx, tx, `INSERT INTO order_lines (order_id, position,
				line_id, sku, name, variant, quantity, unit_price, discount, tax,
				category, exemption, final_sale, hs_code, origin_country, weight_grams,
				customs_description, image_url, product_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (order_id, line_id) DO UPDATE SET
					position = excluded.position, sku = excluded.sku,
					name = excluded.name, variant = excluded.variant,
					quantity = excluded.quantity, unit_price = excluded.unit_price,
					discount = excluded.discount, tax = excluded.tax,
					category = excluded.category, exemption = excluded.exemption,
					final_sale = excluded.final_sale, hs_code = excluded.hs_code,
					origin_country = excluded.origin_country,
					weight_grams = excluded.weight_grams,
					customs_description = excluded.customs_description,
					image_url = excluded.image_url, product_id = excluded.product_id`,
				id, i, l.ID, l.SKU, l.Name, l.Variant, l.Quantity, l.UnitPrice,
				l.Discount, l.Tax, l.Category, l.Exemption, l.FinalSale, l.HSCode,
				l.OriginCountry, l.WeightGrams, l.CustomsDescription, l.ImageURL, l.ProductID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return created, nil
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
	var id int64
	err := get(ctx, s.r, &id, `SELECT id FROM orders WHERE number = ?`, number)
	if err == nil {
		var h returns.History
		h, err = loadHistory(ctx, s.r, id)
		if err == nil {
			return h, nil
		}
	}
	return returns.History{}, fmt.Errorf("store: order history %q: %w", number, err)
}

// loadOrder reads an order and its lines through q (the read pool, or the
// writer's transaction when the result decides a write).
func loadOrder(ctx context.Context, q sqlx.ExtContext, number string) (returns.Order, int64, error) {
	var row orderRow
	if err := get(ctx, q, &row, `SELECT `+orderColumns+` FROM orders WHERE number = ?`, number); err != nil {
		return returns.Order{}, 0, err
	}
	o := returns.Order{
		Number:       row.Number,
		Email:        row.Email,
		CustomerName: row.CustomerName,
		Locale:       row.Locale,
		Currency:     row.Currency,
		PlacedAt:     row.PlacedAt.UTC(),
		ShippedAt:    utcPtr(row.ShippedAt),
		DeliveredAt:  utcPtr(row.DeliveredAt),
		Shipping: returns.Shipping{
			Amount:         row.ShippingAmount,
			Method:         row.ShippingMethod,
			StandardAmount: row.ShippingStandardAmount,
		},
		Gift:  row.Gift,
		Lines: []returns.Line{},
	}
	if err := json.Unmarshal([]byte(row.Address), &o.ShippingAddress); err != nil {
		return returns.Order{}, 0, fmt.Errorf("decode address: %w", err)
	}
	if err := json.Unmarshal([]byte(row.Payment), &o.Payment); err != nil {
		return returns.Order{}, 0, fmt.Errorf("decode payment: %w", err)
	}
	var lines []lineRow
	if err := sel(ctx, q, &lines, `SELECT line_id, sku, name, variant, quantity,
		unit_price, discount, tax, category, exemption, final_sale, hs_code,
		origin_country, weight_grams, customs_description, image_url, product_id
		FROM order_lines WHERE order_id = ? ORDER BY position, id`, row.ID); err != nil {
		return returns.Order{}, 0, err
	}
	for _, l := range lines {
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
			ImageURL:           l.ImageURL,
			ProductID:          l.ProductID,
		})
	}
	return o, row.ID, nil
}

// loadHistory computes an order's History from its returns that still hold
// units (status neither cancelled nor rejected, as returns.Status.Active).
func loadHistory(ctx context.Context, q sqlx.ExtContext, orderID int64) (returns.History, error) {
	return historyBefore(ctx, q, orderID, math.MaxInt64)
}
