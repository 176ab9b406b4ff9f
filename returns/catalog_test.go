package returns

import (
	"reflect"
	"testing"
)

func TestValidateProduct(t *testing.T) {
	valid := func() Product { return tee() }
	tests := []struct {
		name string
		mod  func(*Product)
		want FieldErrors
	}{
		{"valid", func(*Product) {}, nil},
		{"no id", func(p *Product) { p.ID = "" }, FieldErrors{{"id", FieldRequired}}},
		{"an id no order number could be", func(p *Product) { p.ID = "P/1" }, FieldErrors{{"id", FieldInvalid}}},
		{"no title", func(p *Product) { p.Title = " " }, FieldErrors{{"title", FieldRequired}}},
		{"a title with a direction control", func(p *Product) { p.Title = "T\u202eshirt" }, FieldErrors{{"title", FieldDirectionControl}}},
		{"no variants", func(p *Product) { p.Variants = nil }, FieldErrors{{"variants", FieldRequired}}},
		{"too many variants", func(p *Product) { p.Variants = make([]Variant, maxVariants+1) }, FieldErrors{{"variants", FieldTooLarge}}},
		{"no SKU", func(p *Product) { p.Variants[1].SKU = "" }, FieldErrors{{"variants[1].sku", FieldRequired}}},
		{"duplicate SKU", func(p *Product) { p.Variants[2].SKU = p.Variants[0].SKU }, FieldErrors{{"variants[2].sku", FieldDuplicate}}},
		{"negative inventory", func(p *Product) { p.Variants[0].Inventory = -1 }, FieldErrors{{"variants[0].inventory", FieldNegative}}},
		{"absurd inventory", func(p *Product) { p.Variants[0].Inventory = maxInventory + 1 }, FieldErrors{{"variants[0].inventory", FieldTooLarge}}},
		{"unknown currency", func(p *Product) { p.Variants[0].Prices["XXY"] = 100 }, FieldErrors{{"variants[0].prices.XXY", FieldUnknownCurrency}}},
		{"negative price", func(p *Product) { p.Variants[3].Prices["EUR"] = -5 }, FieldErrors{{"variants[3].prices.EUR", FieldNegative}}},
		{"no price", func(p *Product) { p.Variants[0].Prices = nil }, FieldErrors{{"variants[0].prices", FieldRequired}}},
		{"an option without value", func(p *Product) { p.Variants[1].Options["Size"] = "" }, FieldErrors{{"variants[1].options.Size", FieldRequired}}},
		{"options named differently", func(p *Product) { p.Variants[1].Options = map[string]string{"Size": "S", "Colour": "Blue"} },
			FieldErrors{{"variants[1].options", FieldInvalid}}},
		{"two variants alike", func(p *Product) { p.Variants[2].Options = map[string]string{"Size": "S", "Color": "Blue"} },
			FieldErrors{{"variants[2].options", FieldDuplicate}}},
		{"a control character in an option", func(p *Product) { p.Variants[1].Options["Size"] = "S\n" },
			FieldErrors{{"variants[1].options.Size", FieldInvalid}}},
		{"every problem at once", func(p *Product) {
			p.Variants[0].SKU, p.Variants[0].Inventory = "", -2
			p.Variants[1].Prices = map[string]int64{"": 1}
		}, FieldErrors{{"variants[0].sku", FieldRequired}, {"variants[0].inventory", FieldNegative}, {"variants[1].prices.", FieldUnknownCurrency}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.mod(&p)
			if got := ValidateProduct(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateOrderProductID(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z", engLine("A", product("P-TEE")), engLine("B", product("P TEE")))
	o.Number = "1001"
	got := ValidateOrder(o, LoadLegal())
	if !reflect.DeepEqual(got, FieldErrors{{"lines[1].product_id", FieldInvalid}}) {
		t.Errorf("got %v", got)
	}
}
