package returns

import (
	"maps"
	"slices"
	"strings"

	"github.com/bojanz/currency"
)

// Product is a product of the shop's catalog as the shop pushes it for
// exchanges (PUT /api/v1/products/{id}): its variants, each with a price
// per currency and the units the shop says are available for exchanges.
type Product struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Variants []Variant `json:"variants"`
}

// Variant is one variant of a product. Options name what tells it apart
// ({"Size": "M", "Color": "Blue"}); Prices are gross, in minor units per
// currency; Inventory is the shop's figure of units available for
// exchanges (the portal's reservations count against it).
type Variant struct {
	SKU       string            `json:"sku"`
	Title     string            `json:"title"`
	Options   map[string]string `json:"options"`
	Prices    map[string]int64  `json:"prices"`
	Inventory int               `json:"inventory"`
}

// Variant returns the product's variant with the given SKU.
func (p Product) Variant(sku string) (Variant, bool) {
	for _, v := range p.Variants {
		if v.SKU == sku {
			return v, true
		}
	}
	return Variant{}, false
}

// OptionNames are the names of a variant's options, sorted, so that a page
// shows them in the same order for every variant.
func (v Variant) OptionNames() []string {
	return slices.Sorted(maps.Keys(v.Options))
}

// Limits of a product document.
const (
	maxVariants  = 500
	maxOptions   = 5
	maxInventory = 1_000_000_000
)

// ValidateProduct checks a product as PUT (its ID included, which the
// handler copies from the URL) and returns every invalid field by its JSON
// path, or nil: an ID like an order number's, a title, at least one
// variant, each with a SKU no other variant of the product has, options
// whose names every variant shares (the picker asks by option) and whose
// combination tells it apart, a price in at least one known currency,
// and an inventory that is not negative.
func ValidateProduct(p Product) FieldErrors {
	var fe FieldErrors
	switch {
	case p.ID == "":
		fe.add("id", FieldRequired)
	case !ValidOrderNumber(p.ID):
		fe.add("id", FieldInvalid)
	}
	if strings.TrimSpace(p.Title) == "" {
		fe.add("title", FieldRequired)
	} else {
		checkText(&fe, "title", p.Title, maxText)
	}
	switch {
	case len(p.Variants) == 0:
		fe.add("variants", FieldRequired)
	case len(p.Variants) > maxVariants:
		fe.add("variants", FieldTooLarge)
		return fe
	}
	skus := make(map[string]bool, len(p.Variants))
	combos := make(map[string]bool, len(p.Variants))
	var names []string
	for i, v := range p.Variants {
		path := func(parts ...any) string { return fieldPath(append([]any{"variants", i}, parts...)...) }
		switch {
		case strings.TrimSpace(v.SKU) == "":
			fe.add(path("sku"), FieldRequired)
		case skus[v.SKU]:
			fe.add(path("sku"), FieldDuplicate)
		default:
			skus[v.SKU] = true
			checkText(&fe, path("sku"), v.SKU, maxID)
		}
		checkText(&fe, path("title"), v.Title, maxText)
		validateOptions(&fe, path, v, i, &names, combos)
		if len(v.Prices) == 0 {
			fe.add(path("prices"), FieldRequired)
		}
		for _, cur := range valSortedKeys(v.Prices) {
			if cur == "" || !currency.IsValid(cur) {
				fe.add(path("prices", cur), FieldUnknownCurrency)
				continue
			}
			checkAmount(&fe, path("prices", cur), v.Prices[cur])
		}
		switch {
		case v.Inventory < 0:
			fe.add(path("inventory"), FieldNegative)
		case v.Inventory > maxInventory:
			fe.add(path("inventory"), FieldTooLarge)
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// validateOptions checks a variant's options: plain names and values, at
// most maxOptions, the same names as the first variant's, and a
// combination of values no earlier variant has.
func validateOptions(fe *FieldErrors, path func(...any) string, v Variant, i int, names *[]string, combos map[string]bool) {
	if len(v.Options) > maxOptions {
		fe.add(path("options"), FieldTooLarge)
		return
	}
	ok := true
	for _, name := range v.OptionNames() {
		if strings.TrimSpace(name) == "" {
			fe.add(path("options"), FieldInvalid)
			ok = false
			continue
		}
		ok = checkText(fe, path("options", name), name, maxID) && ok
		if strings.TrimSpace(v.Options[name]) == "" {
			fe.add(path("options", name), FieldRequired)
			ok = false
			continue
		}
		ok = checkText(fe, path("options", name), v.Options[name], maxID) && ok
	}
	if !ok {
		return
	}
	if i == 0 {
		*names = v.OptionNames()
	} else if !slices.Equal(*names, v.OptionNames()) {
		fe.add(path("options"), FieldInvalid)
		return
	}
	var key strings.Builder
	for _, name := range v.OptionNames() {
		key.WriteString(name + "\x00" + v.Options[name] + "\x00")
	}
	if len(v.Options) > 0 && combos[key.String()] {
		fe.add(path("options"), FieldDuplicate)
	}
	combos[key.String()] = true
}

// Codes of the catalog's conflicts with what is stored (answered 409).
const (
	// CodeSKUTaken: a variant's SKU belongs to another product.
	CodeSKUTaken = "sku_taken"
	// CodeVariantReserved: a PUT drops a variant open reservations hold.
	CodeVariantReserved = "variant_reserved"
	// CodeProductReserved: open reservations hold a variant of the product
	// to delete.
	CodeProductReserved = "product_reserved"
)
