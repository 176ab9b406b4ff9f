package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The catalog for exchanges: the shop pushes its products with the units
// available for exchanges (PUT /api/v1/products/{id}); the portal reserves
// from them while returns run (store.AddToReturn).

// ProductView is a product as the API shows it: each variant's inventory
// is what is left for exchanges (the shop's figure less open reservations
// and the units exchanged since), with the shop's figure and the
// reservations beside it.
type ProductView struct {
	ID        string        `json:"id"`
	Title     string        `json:"title"`
	Variants  []VariantView `json:"variants"`
	UpdatedAt string        `json:"updated_at"`
}

// VariantView is a variant as the API shows it.
type VariantView struct {
	SKU     string            `json:"sku"`
	Title   string            `json:"title"`
	Options map[string]string `json:"options"`
	Prices  map[string]int64  `json:"prices"`
	// Inventory is what is available for exchanges now.
	Inventory int `json:"inventory"`
	// ShopInventory is the shop's figure as last PUT; Reserved the units
	// open reservations hold; Issued those exchanged since the last PUT.
	ShopInventory int `json:"shop_inventory"`
	Reserved      int `json:"reserved"`
	Issued        int `json:"issued"`
}

func productView(p store.CatalogProduct) ProductView {
	out := ProductView{ID: p.Product.ID, Title: p.Product.Title, Variants: []VariantView{},
		UpdatedAt: p.UpdatedAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00")}
	for _, v := range p.Product.Variants {
		out.Variants = append(out.Variants, VariantView{SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices,
			Inventory: p.Available(v), ShopInventory: v.Inventory, Reserved: p.Reserved[v.SKU], Issued: p.Issued[v.SKU]})
	}
	return out
}

// PutProduct validates a product (returns.ValidateProduct: every invalid
// field) and stores it, creating or replacing it; it reports whether it
// was created. A SKU of another product, or dropping a variant that open
// reservations hold, is refused (store.PutProduct).
func (s *Service) PutProduct(ctx context.Context, p returns.Product) (ProductView, bool, error) {
	if fe := returns.ValidateProduct(p); fe != nil {
		return ProductView{}, false, fe
	}
	created, err := s.st.PutProduct(ctx, p)
	if err != nil {
		return ProductView{}, false, err
	}
	v, err := s.Product(ctx, p.ID)
	return v, created, err
}

// Product loads a product of the catalog (ErrNotFound when there is none).
func (s *Service) Product(ctx context.Context, id string) (ProductView, error) {
	if !returns.ValidOrderNumber(id) {
		return ProductView{}, ErrNotFound
	}
	p, err := s.st.GetProduct(ctx, id)
	if err != nil {
		return ProductView{}, err
	}
	return productView(p), nil
}

// DeleteProduct removes a product from the catalog, unless open
// reservations hold one of its variants (409 product_reserved).
func (s *Service) DeleteProduct(ctx context.Context, id string) error {
	if !returns.ValidOrderNumber(id) {
		return ErrNotFound
	}
	return s.st.DeleteProduct(ctx, id)
}

// maxProductsListed bounds the staff area's list of products.
const maxProductsListed = 500

// Products lists the catalog (at most 500 products, by id), for staff.
func (s *Service) Products(ctx context.Context) ([]ProductView, error) {
	ps, err := s.st.Products(ctx, maxProductsListed)
	if err != nil {
		return nil, err
	}
	out := make([]ProductView, 0, len(ps))
	for _, p := range ps {
		out = append(out, productView(p))
	}
	return out, nil
}

// stockFor is what the catalog holds for exchanges of an order's lines,
// read through the read pool (for showing the options and pricing).
func (s *Service) stockFor(ctx context.Context, o returns.Order) (returns.ExchangeStock, error) {
	ids := orderProducts(o)
	if len(ids) == 0 {
		return returns.ExchangeStock{}, nil
	}
	return s.st.ExchangeStock(ctx, ids)
}

// orderProducts are the ids of the products an order's lines name.
func orderProducts(o returns.Order) []string {
	var ids []string
	seen := map[string]bool{}
	for _, l := range o.Lines {
		if l.ProductID != "" && !seen[l.ProductID] {
			seen[l.ProductID] = true
			ids = append(ids, l.ProductID)
		}
	}
	return ids
}
