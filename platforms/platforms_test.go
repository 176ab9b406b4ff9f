package platforms

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerify(t *testing.T) {
	body := fixture(t, "shopify-orders-create.json")
	sig := Sign(body, "hush")
	cases := []struct {
		name        string
		body        []byte
		sig, secret string
		want        bool
	}{
		{"right", body, sig, "hush", true},
		{"other secret", body, sig, "hush!", false},
		{"body changed", append([]byte(" "), body...), sig, "hush", false},
		{"no signature", body, "", "hush", false},
		{"no secret", body, Sign(body, ""), "", false},
		{"not base64", body, "***", "hush", false},
		{"hex instead of base64", body, "6a09e667", "hush", false},
	}
	for _, c := range cases {
		if got := Verify(c.body, c.sig, c.secret); got != c.want {
			t.Errorf("%s: Verify = %v", c.name, got)
		}
	}
}

// TestShopifySample maps Shopify's documented orders/create sample.
func TestShopifySample(t *testing.T) {
	ev, err := ParseShopify(TopicOrdersCreate, fixture(t, "shopify-orders-create.json"),
		Mapping{Rules: []Rule{{Match: "tag:tag2", FinalSale: true}, {Match: "tag:tag1", Category: "boards"}}})
	if err != nil {
		t.Fatal(err)
	}
	o := ev.Order
	if ev.ExternalID != "820982911946154508" || o.Number != "9999" || o.Email != "jon@example.com" || o.Locale != "en" ||
		o.Currency != "USD" || o.CustomerName != "John Smith" {
		t.Fatalf("order %+v", o)
	}
	if o.Payment != (returns.Payment{Method: "visa", Provider: Shopify, Reference: "gid://shopify/Order/820982911946154508"}) {
		t.Errorf("payment %+v", o.Payment)
	}
	if a := o.ShippingAddress; a.Country != "US" || a.Region != "KY" || a.PostalCode != "40003" || a.Name != "Steve Shipper" {
		t.Errorf("address %+v", a)
	}
	if !o.PlacedAt.Equal(time.Date(2024, 6, 26, 16, 33, 21, 0, time.UTC)) || o.DeliveredAt != nil || o.ShippedAt != nil {
		t.Errorf("times %v %v %v", o.PlacedAt, o.DeliveredAt, o.ShippedAt)
	}
	if o.Shipping.Amount != 1000 || o.Shipping.Method != "Generic Shipping" {
		t.Errorf("shipping %+v", o.Shipping)
	}
	if len(o.Lines) != 2 {
		t.Fatalf("lines %+v", o.Lines)
	}
	l := o.Lines[0]
	if l.ID != "866550311766439020" || l.Name != "The Videographer Snowboard" || l.UnitPrice != 88595 || l.Discount != 0 ||
		l.Quantity != 1 || l.Category != "boards" || !l.FinalSale || l.Paid() != 88595 {
		t.Errorf("line %+v", l)
	}
	if o.Lines[1].UnitPrice != 69995 || o.Lines[1].WeightGrams != 4536 {
		t.Errorf("line 2 %+v", o.Lines[1])
	}
	if fe := returns.ValidateOrder(*o, returns.LoadLegal()); len(fe) > 0 {
		t.Errorf("the mapped order does not validate: %v", fe)
	}
}

// TestShopifyMoney: presentment amounts, discounts from the allocations,
// tax added when prices exclude it, yen without decimals, and lines whose
// paid amount does not divide by the quantity.
func TestShopifyMoney(t *testing.T) {
	cases := []struct {
		name                       string
		body                       string
		wantUnit, wantDisc, wantTx int64
		wantErr                    bool
	}{
		{"tax excluded, discount allocated", `{"name":"#1","presentment_currency":"EUR","currency":"USD","created_at":"2026-01-02T10:00:00Z","taxes_included":false,
			"shipping_address":{"country_code":"DE"},"line_items":[{"id":1,"title":"T","quantity":3,
			"price_set":{"presentment_money":{"amount":"10.00"}},"discount_allocations":[{"amount_set":{"presentment_money":{"amount":"1.00"}}}],
			"tax_lines":[{"price_set":{"presentment_money":{"amount":"5.51"}}}]}]}`, 1184, 101, 551, false},
		{"tax included", `{"name":"#2","presentment_currency":"EUR","created_at":"2026-01-02T10:00:00Z","taxes_included":true,
			"shipping_address":{"country_code":"DE"},"line_items":[{"id":1,"title":"T","quantity":2,
			"price_set":{"presentment_money":{"amount":"19.99"}},"total_discount_set":{"presentment_money":{"amount":"0.01"}},
			"tax_lines":[{"price_set":{"presentment_money":{"amount":"6.38"}}}]}]}`, 1999, 1, 638, false},
		{"yen", `{"name":"#3","presentment_currency":"JPY","created_at":"2026-01-02T10:00:00Z","taxes_included":true,
			"shipping_address":{"country_code":"JP"},"line_items":[{"id":1,"title":"T","quantity":1,"price_set":{"presentment_money":{"amount":"1500"}}}]}`, 1500, 0, 0, false},
		{"yen with decimals", `{"name":"#4","presentment_currency":"JPY","created_at":"2026-01-02T10:00:00Z",
			"shipping_address":{"country_code":"JP"},"line_items":[{"id":1,"title":"T","quantity":1,"price_set":{"presentment_money":{"amount":"15.5"}}}]}`, 0, 0, 0, true},
		{"no address", `{"name":"#5","presentment_currency":"EUR","created_at":"2026-01-02T10:00:00Z","line_items":[]}`, 0, 0, 0, true},
		{"bad name", `{"name":"#a b","presentment_currency":"EUR","created_at":"2026-01-02T10:00:00Z","shipping_address":{"country_code":"DE"}}`, 0, 0, 0, true},
		{"bad time", `{"name":"#6","presentment_currency":"EUR","created_at":"yesterday","shipping_address":{"country_code":"DE"}}`, 0, 0, 0, true},
		{"not JSON", `{"name":`, 0, 0, 0, true},
	}
	for _, c := range cases {
		ev, err := ParseShopify(TopicOrdersUpdated, []byte(c.body), Mapping{})
		if _, unm := IsUnmappable(err); c.wantErr != (err != nil) || (err != nil && !unm) {
			t.Errorf("%s: err = %v", c.name, err)
			continue
		}
		if c.wantErr {
			continue
		}
		l := ev.Order.Lines[0]
		if l.UnitPrice != c.wantUnit || l.Discount != c.wantDisc || l.Tax != c.wantTx {
			t.Errorf("%s: line %+v", c.name, l)
		}
	}
}

func TestShopifyEvents(t *testing.T) {
	ev, err := ParseShopify(TopicFulfillmentsUpdate, []byte(`{"id":1,"order_id":820982911946154508,"status":"success",
		"shipment_status":"delivered","created_at":"2024-06-27T10:00:00-04:00","updated_at":"2024-06-29T10:00:00-04:00"}`), Mapping{})
	if err != nil || ev.ExternalID != "820982911946154508" || ev.Delivered == nil ||
		!ev.Delivered.Equal(time.Date(2024, 6, 29, 14, 0, 0, 0, time.UTC)) || ev.Shipped != nil {
		t.Fatalf("delivered: %+v %v", ev, err)
	}
	ev, err = ParseShopify(TopicFulfillmentsCreate, []byte(`{"id":1,"order_id":7,"status":"success","shipment_status":"in_transit",
		"created_at":"2024-06-27T10:00:00Z"}`), Mapping{})
	if err != nil || ev.Shipped == nil || ev.Delivered != nil {
		t.Fatalf("in transit: %+v %v", ev, err)
	}
	ev, err = ParseShopify(TopicRefundsCreate, []byte(`{"id":890088186047892319,"order_id":820982911946154508,"note":"damaged",
		"transactions":[{"kind":"refund","status":"success","amount":"41.94","currency":"USD"},
		{"kind":"refund","status":"failure","amount":"9.00","currency":"USD"}]}`), Mapping{})
	if err != nil || ev.Refund == nil || ev.Refund.Amount != 4194 || ev.Refund.Ours || ev.Refund.ID != "890088186047892319" {
		t.Fatalf("refund: %+v %v", ev.Refund, err)
	}
	ev, err = ParseShopify(TopicRefundsCreate, []byte(`{"id":2,"order_id":3,"note":"returns-portal:rf_ABC R-1234-5678","transactions":[]}`), Mapping{})
	if err != nil || !ev.Refund.Ours {
		t.Fatalf("our refund: %+v %v", ev.Refund, err)
	}
	if ev, err := ParseShopify("products/create", []byte(`{}`), Mapping{}); err != nil || ev.Ignored == "" {
		t.Fatalf("other topic: %+v %v", ev, err)
	}
}

// TestWooCommerceSamples maps WooCommerce's documented orders 727
// (processing) and 723 (completed).
func TestWooCommerceSamples(t *testing.T) {
	ev, err := ParseWooCommerce(TopicOrderCreated, fixture(t, "woocommerce-order-727.json"),
		Mapping{Rules: []Rule{{Match: "sku:bar", Category: "ideas"}}})
	if err != nil {
		t.Fatal(err)
	}
	o := ev.Order
	if ev.ExternalID != "727" || o.Number != "727" || o.Email != "john.doe@example.com" || o.Currency != "USD" ||
		o.DeliveredAt != nil || o.ShippingAddress.Country != "US" || o.ShippingAddress.Region != "CA" {
		t.Fatalf("order %+v", o)
	}
	if o.Payment != (returns.Payment{Method: "bacs", Provider: WooCommerce, Reference: "727"}) || o.Shipping.Amount != 1000 {
		t.Errorf("payment %+v shipping %+v", o.Payment, o.Shipping)
	}
	// 2 × 3.00 + 0.45 tax: 6.45 paid, unit 3.23 rounded up, 0.01 discount.
	l := o.Lines[0]
	if l.ID != "315" || l.Quantity != 2 || l.Paid() != 645 || l.UnitPrice != 323 || l.Discount != 1 || l.Tax != 45 {
		t.Errorf("line 315 %+v", l)
	}
	l = o.Lines[1]
	if l.ID != "316" || l.SKU != "Bar3" || l.Name != "Ship Your Idea – Color: Black, Size: M Test" || l.Variant != "black / M Test" ||
		l.Paid() != 1290 || l.Category != "ideas" {
		t.Errorf("line 316 %+v", l)
	}
	if fe := returns.ValidateOrder(*o, returns.LoadLegal()); len(fe) > 0 {
		t.Errorf("727 does not validate: %v", fe)
	}
	ev, err = ParseWooCommerce(TopicOrderUpdated, fixture(t, "woocommerce-order-723.json"), Mapping{})
	if err != nil {
		t.Fatal(err)
	}
	o = ev.Order
	want := time.Date(2017, 3, 21, 19, 54, 51, 0, time.UTC)
	if o.DeliveredAt == nil || !o.DeliveredAt.Equal(want) || o.ShippingAddress.Country != "BR" || o.Lines[1].Paid() != 2000 {
		t.Fatalf("723 %+v", o)
	}
	if ev, err := ParseWooCommerce(TopicOrderDeleted, []byte(`{"id":723}`), Mapping{}); err != nil || ev.Ignored == "" {
		t.Errorf("deleted: %+v %v", ev, err)
	}
	if _, err := ParseWooCommerce(TopicOrderUpdated, []byte(`{"id":1,"number":"1","currency":"USD","date_created_gmt":"bad"}`), Mapping{}); err == nil {
		t.Error("a bad time mapped")
	}
}

func TestMapping(t *testing.T) {
	for _, bad := range []string{`{"rules":[{"match":"color:red"}]}`, `{"rules":[{"match":"tag:"}]}`,
		`{"rules":[{"match":"tag:x","colour":"red"}]}`, `[`} {
		if _, err := ParseMapping([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	m, err := ParseMapping([]byte(`{"rules":[{"match":"gift_card","category":"vouchers"},{"match":"tag:x","exemption":"no_such_class"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Check(returns.LoadLegal()) == nil {
		t.Error("an unknown exemption class passed")
	}
	var l returns.Line
	Mapping{}.apply(&l, item{GiftCard: true})
	if l.Category != "gift_card" {
		t.Errorf("gift card default %q", l.Category)
	}
	m.apply(&l, item{GiftCard: true})
	if l.Category != "vouchers" {
		t.Errorf("gift card mapped %q", l.Category)
	}
}

// TestWooCommerceShopRefunds: the refunds an order.updated payload lists
// (WooCommerce's documented order 723 has two) count against what the
// portal may still refund, except the portal's own; both spellings of the
// reason key are read.
func TestWooCommerceShopRefunds(t *testing.T) {
	ev, err := ParseWooCommerce(TopicOrderUpdated, fixture(t, "woocommerce-order-723.json"), Mapping{})
	if err != nil {
		t.Fatal(err)
	}
	want := []ShopRefund{{ID: "726", Amount: 1000, Currency: "USD"}, {ID: "724", Amount: 900, Currency: "USD"}}
	if !reflect.DeepEqual(ev.ShopRefunds, want) {
		t.Errorf("723: refunds %+v, want %+v", ev.ShopRefunds, want)
	}
	order := func(currency, refunds string) []byte {
		return []byte(`{"id":9,"number":"9","status":"processing","currency":"` + currency + `",
			"date_created_gmt":"2026-01-02T10:00:00","billing":{"email":"a@example.com","country":"DE"},
			"line_items":[{"id":1,"name":"T","quantity":1,"subtotal":"10","subtotal_tax":"0","total":"10","total_tax":"0"}]` +
			refunds + `}`)
	}
	cases := []struct {
		name    string
		body    []byte
		want    []ShopRefund
		wantErr bool
	}{
		{"no refunds key", order("EUR", ``), nil, false},
		{"none", order("EUR", `,"refunds":[]`), []ShopRefund{}, false},
		{"reason key", order("EUR", `,"refunds":[{"id":5,"reason":"broken","total":"-2.50"}]`),
			[]ShopRefund{{ID: "5", Amount: 250, Currency: "EUR"}}, false},
		{"ours by reason", order("EUR", `,"refunds":[{"id":5,"reason":"Return R-7K3P-9XQ2 (returns-portal:rf_ABC)","total":"-2.50"},
			{"id":6,"refund":"Return R-AAAA-BBBB (returns-portal:rf_DEF)","total":"-1.00"}]`),
			[]ShopRefund{{ID: "5", Amount: 250, Currency: "EUR", Ours: true}, {ID: "6", Amount: 100, Currency: "EUR", Ours: true}}, false},
		{"the marker alone in another text is not ours", order("EUR", `,"refunds":[{"id":5,"reason":"see returns-portal:rf_X","total":"-2.50"}]`),
			[]ShopRefund{{ID: "5", Amount: 250, Currency: "EUR"}}, false},
		{"yen", order("JPY", `,"refunds":[{"id":7,"reason":"","total":"-1500"}]`),
			[]ShopRefund{{ID: "7", Amount: 1500, Currency: "JPY"}}, false},
		{"dinar", order("KWD", `,"refunds":[{"id":7,"reason":"","total":"-1.250"}]`),
			[]ShopRefund{{ID: "7", Amount: 1250, Currency: "KWD"}}, false},
		{"a positive total reads the same", order("EUR", `,"refunds":[{"id":5,"reason":"","total":"2.50"}]`),
			[]ShopRefund{{ID: "5", Amount: 250, Currency: "EUR"}}, false},
		{"more decimals than the currency", order("JPY", `,"refunds":[{"id":5,"reason":"","total":"-15.5"}]`), nil, true},
		{"not an amount", order("EUR", `,"refunds":[{"id":5,"reason":"","total":"ten"}]`), nil, true},
		{"no id", order("EUR", `,"refunds":[{"reason":"","total":"-1.00"}]`), nil, true},
	}
	for _, c := range cases {
		ev, err := ParseWooCommerce(TopicOrderUpdated, c.body, Mapping{})
		if _, unm := IsUnmappable(err); c.wantErr != (err != nil) || (err != nil && !unm) {
			t.Errorf("%s: err = %v", c.name, err)
			continue
		}
		if !c.wantErr && !reflect.DeepEqual(ev.ShopRefunds, c.want) {
			t.Errorf("%s: refunds %#v, want %#v", c.name, ev.ShopRefunds, c.want)
		}
	}
}

// TestRuleProblem: what the connectors form refuses in a mapping rule.
func TestRuleProblem(t *testing.T) {
	legal := returns.LoadLegal()
	cases := []struct {
		r    Rule
		want string
	}{
		{Rule{Match: "tag:final-sale", FinalSale: true}, ""},
		{Rule{Match: "product_type:Gift Cards", Category: "gift_card"}, ""},
		{Rule{Match: "gift_card", Category: "vouchers"}, ""},
		{Rule{Match: "sku:PERS-", Exemption: "personalised"}, ""},
		{Rule{Match: "vendor:Acme", Category: "boards", FinalSale: true, Exemption: "hygiene_sealed"}, ""},
		{Rule{Match: "", Category: "x"}, RuleMatch},
		{Rule{Match: "tag:", Category: "x"}, RuleMatch},
		{Rule{Match: "tag:  ", Category: "x"}, RuleMatch},
		{Rule{Match: "colour:red", Category: "x"}, RuleMatch},
		{Rule{Match: "gift_card:yes", Category: "x"}, RuleMatch},
		{Rule{Match: "tag:x"}, RuleEffect},
		{Rule{Match: "tag:x", Category: strings.Repeat("c", MaxCategory+1)}, RuleCategory},
		{Rule{Match: "tag:x", Category: "two\nlines"}, RuleCategory},
		{Rule{Match: "tag:x", Exemption: "haunted"}, RuleExemption},
		{Rule{Match: "tag:x", Category: "boards\u202e"}, RuleCategory},
		{Rule{Match: "sku:AB\u2066", FinalSale: true}, RuleMatch},
		{Rule{Match: "vendor:" + strings.Repeat("v", MaxCategory+1), FinalSale: true}, RuleMatch},
	}
	for _, c := range cases {
		if got := c.r.Problem(legal); got != c.want {
			t.Errorf("%+v: %q, want %q", c.r, got, c.want)
		}
	}
}
