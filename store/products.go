package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// CatalogProduct is a product of the catalog as stored: the shop's
// document (each variant's Inventory the shop's figure) and, per SKU, the
// units the portal's open reservations hold and the units exchanged since
// the shop's last figure.
type CatalogProduct struct {
	Product   returns.Product
	Reserved  map[string]int
	Issued    map[string]int
	UpdatedAt time.Time
}

// Available is what is left of a variant for exchanges: the shop's figure
// less reservations and recent exchanges, never below 0.
func (p CatalogProduct) Available(v returns.Variant) int {
	return max(v.Inventory-p.Reserved[v.SKU]-p.Issued[v.SKU], 0)
}

// variantRow is product_variants as sqlx scans it, with its product's id.
type variantRow struct {
	ProductID string `db:"product_id"`
	SKU       string `db:"sku"`
	Title     string `db:"title"`
	Options   string `db:"options"`
	Prices    string `db:"prices"`
	Inventory int    `db:"inventory"`
	Reserved  int    `db:"reserved"`
	Issued    int    `db:"issued"`
}

func (v variantRow) variant() (returns.Variant, error) {
	out := returns.Variant{SKU: v.SKU, Title: v.Title, Inventory: v.Inventory}
	if err := json.Unmarshal([]byte(v.Options), &out.Options); err != nil {
		return out, fmt.Errorf("decode options of %q: %w", v.SKU, err)
	}
	if err := json.Unmarshal([]byte(v.Prices), &out.Prices); err != nil {
		return out, fmt.Errorf("decode prices of %q: %w", v.SKU, err)
	}
	return out, nil
}

// PutProduct stores a product as the shop sent it (returns.ValidateProduct
// has checked it), creating it or replacing the stored one, and reports
// whether it was created. The shop's figures replace the stored ones; open
// reservations keep counting against them, and units exchanged before
// this PUT no longer do (the shop's figure now reflects its replacement
// orders). A SKU of another product, or dropping a variant that open
// reservations hold, is refused (ErrConflict with returns.Error sku_taken
// or variant_reserved).
func (s *Store) PutProduct(ctx context.Context, p returns.Product) (created bool, err error) {
	err = s.Write(ctx, func(t *Tx) error {
		return t.do(fmt.Sprintf("put product %q", p.ID), func(ctx context.Context, tx *sqlx.Tx) error {
			created, err = putProduct(ctx, tx, p, t.s.stamp())
			return err
		})
	})
	return created, err
}

func putProduct(ctx context.Context, tx *sqlx.Tx, p returns.Product, now time.Time) (bool, error) {
	var id int64
	err := get(ctx, tx, &id, `SELECT id FROM products WHERE product_id = ?`, p.ID)
	created := errors.Is(err, ErrNotFound)
	switch {
	case created:
		if err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO products (product_id, title, created_at, updated_at)
			VALUES (?, ?, ?, ?) RETURNING id`), p.ID, p.Title, now, now).Scan(&id); err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	default:
		if _, err := exec(ctx, tx, `UPDATE products SET title = ?, updated_at = ? WHERE id = ?`, p.Title, now, id); err != nil {
			return false, err
		}
	}
	var stored []struct {
		ProductID int64  `db:"product_id"`
		SKU       string `db:"sku"`
		Reserved  int    `db:"reserved"`
	}
	skus := make([]any, 0, len(p.Variants))
	keep := make(map[string]bool, len(p.Variants))
	for _, v := range p.Variants {
		skus = append(skus, v.SKU)
		keep[v.SKU] = true
	}
	q, args, err := sqlx.In(`SELECT product_id, sku, reserved FROM product_variants WHERE sku IN (?) OR product_id = ?`, skus, id)
	if err != nil {
		return false, err
	}
	if err := sel(ctx, tx, &stored, q, args...); err != nil {
		return false, err
	}
	for _, v := range stored {
		switch {
		case v.ProductID != id:
			i := 0
			for j, pv := range p.Variants {
				if pv.SKU == v.SKU {
					i = j
				}
			}
			return false, fmt.Errorf("%w: %w", ErrConflict,
				&returns.Error{Code: returns.CodeSKUTaken, Field: fmt.Sprintf("variants[%d].sku", i)})
		case !keep[v.SKU] && v.Reserved > 0:
			return false, fmt.Errorf("%w: %w", ErrConflict, &returns.Error{Code: returns.CodeVariantReserved, Field: "variants"})
		case !keep[v.SKU]:
			if _, err := exec(ctx, tx, `DELETE FROM product_variants WHERE sku = ?`, v.SKU); err != nil {
				return false, err
			}
		}
	}
	for i, v := range p.Variants {
		options, err := json.Marshal(nonNilMap(v.Options))
		if err != nil {
			return false, err
		}
		prices, err := json.Marshal(nonNilMap(v.Prices))
		if err != nil {
			return false, err
		}
		if _, err := exec(ctx, tx, `INSERT INTO product_variants (product_id, position, sku, title, options,
			prices, inventory, reserved, issued) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)
			ON CONFLICT (sku) DO UPDATE SET position = excluded.position, title = excluded.title,
				options = excluded.options, prices = excluded.prices, inventory = excluded.inventory, issued = 0`,
			id, i, v.SKU, v.Title, string(options), string(prices), v.Inventory); err != nil {
			return false, err
		}
	}
	return created, nil
}

func nonNilMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

// GetProduct loads a product of the catalog by the shop's id.
func (s *Store) GetProduct(ctx context.Context, productID string) (CatalogProduct, error) {
	ps, err := loadProducts(ctx, s.r, []string{productID})
	if err == nil && len(ps) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return CatalogProduct{}, fmt.Errorf("store: get product %q: %w", productID, err)
	}
	return ps[0], nil
}

// DeleteProduct removes a product and its variants, unless open
// reservations hold one of them (ErrConflict with returns.Error
// product_reserved); ErrNotFound when there is none.
func (s *Store) DeleteProduct(ctx context.Context, productID string) error {
	return s.Write(ctx, func(t *Tx) error {
		return t.do(fmt.Sprintf("delete product %q", productID), func(ctx context.Context, tx *sqlx.Tx) error {
			var held struct {
				ID       int64 `db:"id"`
				Reserved int   `db:"reserved"`
			}
			if err := get(ctx, tx, &held, `SELECT p.id AS id, COALESCE(SUM(v.reserved), 0) AS reserved
				FROM products p LEFT JOIN product_variants v ON v.product_id = p.id
				WHERE p.product_id = ? GROUP BY p.id`, productID); err != nil {
				return err
			}
			if held.Reserved > 0 {
				return fmt.Errorf("%w: %w", ErrConflict, &returns.Error{Code: returns.CodeProductReserved})
			}
			_, err := exec(ctx, tx, `DELETE FROM products WHERE id = ?`, held.ID)
			return err
		})
	})
}

// Products lists the catalog's products by the shop's id, up to limit.
func (s *Store) Products(ctx context.Context, limit int) ([]CatalogProduct, error) {
	var ids []string
	if err := sel(ctx, s.r, &ids, `SELECT product_id FROM products ORDER BY product_id LIMIT ?`, limit); err != nil {
		return nil, fmt.Errorf("store: products: %w", err)
	}
	ps, err := loadProducts(ctx, s.r, ids)
	if err != nil {
		return nil, fmt.Errorf("store: products: %w", err)
	}
	return ps, nil
}

// loadProducts reads the products with the given ids (those that exist),
// in the order of ids, through q.
func loadProducts(ctx context.Context, q sqlx.ExtContext, ids []string) ([]CatalogProduct, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var heads []struct {
		ID        int64     `db:"id"`
		ProductID string    `db:"product_id"`
		Title     string    `db:"title"`
		UpdatedAt time.Time `db:"updated_at"`
	}
	query, args, err := sqlx.In(`SELECT id, product_id, title, updated_at FROM products WHERE product_id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	if err := sel(ctx, q, &heads, query, args...); err != nil {
		return nil, err
	}
	var rows []variantRow
	query, args, err = sqlx.In(`SELECT p.product_id AS product_id, v.sku, v.title, v.options, v.prices,
		v.inventory, v.reserved, v.issued
		FROM product_variants v JOIN products p ON p.id = v.product_id
		WHERE p.product_id IN (?) ORDER BY v.product_id, v.position`, ids)
	if err != nil {
		return nil, err
	}
	if err := sel(ctx, q, &rows, query, args...); err != nil {
		return nil, err
	}
	byID := make(map[string]*CatalogProduct, len(heads))
	for _, h := range heads {
		byID[h.ProductID] = &CatalogProduct{Product: returns.Product{ID: h.ProductID, Title: h.Title, Variants: []returns.Variant{}},
			Reserved: map[string]int{}, Issued: map[string]int{}, UpdatedAt: h.UpdatedAt.UTC()}
	}
	for _, r := range rows {
		p := byID[r.ProductID]
		v, err := r.variant()
		if err != nil {
			return nil, err
		}
		p.Product.Variants = append(p.Product.Variants, v)
		p.Reserved[r.SKU], p.Issued[r.SKU] = r.Reserved, r.Issued
	}
	out := make([]CatalogProduct, 0, len(byID))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, *p)
			delete(byID, id) // an id listed twice is returned once
		}
	}
	return out, nil
}

// ExchangeStock is what the catalog holds for exchanges of the products
// with the given ids (returns.ExchangeStock): read through the read pool,
// for showing the options.
func (s *Store) ExchangeStock(ctx context.Context, productIDs []string) (returns.ExchangeStock, error) {
	st, err := exchangeStock(ctx, s.r, productIDs)
	if err != nil {
		return st, fmt.Errorf("store: exchange stock: %w", err)
	}
	return st, nil
}

// ExchangeStock is Store.ExchangeStock in the transaction: what a new
// return's exchanges are decided on, which stays true until it commits.
func (t *Tx) ExchangeStock(productIDs []string) (returns.ExchangeStock, error) {
	var st returns.ExchangeStock
	err := t.do("exchange stock", func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		st, err = exchangeStock(ctx, tx, productIDs)
		return err
	})
	return st, err
}

func exchangeStock(ctx context.Context, q sqlx.ExtContext, ids []string) (returns.ExchangeStock, error) {
	st := returns.ExchangeStock{Products: map[string]returns.Product{}, Available: map[string]int{}}
	ps, err := loadProducts(ctx, q, ids)
	if err != nil {
		return st, err
	}
	for _, p := range ps {
		st.Products[p.Product.ID] = p.Product
		for _, v := range p.Product.Variants {
			st.Available[v.SKU] = p.Available(v)
		}
	}
	return st, nil
}
