package platforms

import (
	"strings"
	"testing"
)

// TestLineProductIDs: both platforms name each line's product (exchanges
// find the other variants by it) from the published samples; a custom item
// without a product (Shopify's null, WooCommerce's 0) names none.
func TestLineProductIDs(t *testing.T) {
	shopify := string(fixture(t, "shopify-orders-create.json"))
	woo := string(fixture(t, "woocommerce-order-727.json"))
	cases := []struct {
		name, platform, body string
		want                 []string
	}{
		{"shopify sample", Shopify, shopify, []string{"9313716535612", "9313716601148"}},
		{"shopify custom item", Shopify, strings.Replace(shopify, `"product_id":9313716601148`, `"product_id":null`, 1),
			[]string{"9313716535612", ""}},
		{"shopify without the field", Shopify, strings.Replace(shopify, `"product_id":9313716535612,`, ``, 1),
			[]string{"", "9313716601148"}},
		{"woocommerce sample", WooCommerce, woo, []string{"93", "22"}},
		{"woocommerce item without a product", WooCommerce, strings.Replace(woo, `"product_id": 93,`, `"product_id": 0,`, 1),
			[]string{"", "22"}},
	}
	for _, c := range cases {
		var lines []string
		switch c.platform {
		case Shopify:
			ev, err := ParseShopify(TopicOrdersCreate, []byte(c.body), Mapping{})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, l := range ev.Order.Lines {
				lines = append(lines, l.ProductID)
			}
		case WooCommerce:
			ev, err := ParseWooCommerce(TopicOrderCreated, []byte(c.body), Mapping{})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, l := range ev.Order.Lines {
				lines = append(lines, l.ProductID)
			}
		}
		if strings.Join(lines, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: product ids %q, want %q", c.name, lines, c.want)
		}
	}
}
