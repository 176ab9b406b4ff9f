package returns

import (
	"encoding/json"
	"testing"
	"time"
)

// engPolicyJSON is the example policy of the foundation issue (section 5).
const engPolicyJSON = `{"default":{"window_days":30,"window_starts":"delivery",
   "refund_methods":["original_payment","store_credit","bank_transfer"],
   "store_credit_bonus_percent":10,"restocking_fee_percent":0,
   "return_shipping_fee":{"EUR":495,"GBP":395,"USD":595},
   "excluded_categories":["gift_card"],"final_sale_returnable":false,
   "hub":"eu-berlin","transit_days":4,"inspection_days":2,"drop_off_days":14,"auto_approve":true},
 "regions":[{"countries":["US","CA"],"window_days":60,"hub":"us-newark","return_shipping_fee":{}},
            {"countries":["JP"],"window_days":14,"refund_methods":["original_payment","store_credit"]}],
 "reasons":[{"code":"changed_mind","merchant_fault":false},{"code":"wrong_size","merchant_fault":false},
            {"code":"damaged","merchant_fault":true,"photo_required":true},
            {"code":"defective","merchant_fault":true,"photo_required":true},
            {"code":"not_as_described","merchant_fault":true},{"code":"wrong_item","merchant_fault":true}],
 "hubs":[{"code":"eu-berlin","name":"Returns Centre Berlin","address":{"line1":"...","city":"Berlin","postal_code":"10115","country":"DE"},"carrier":"DHL","service":"Return"}],
 "holiday_extension":{"from":"11-15","to":"12-31","until":"01-31"}}`

// engPolicy parses the example policy and applies mods to it.
func engPolicy(t *testing.T, mods ...func(*Policy)) Policy {
	t.Helper()
	var p Policy
	if err := json.Unmarshal([]byte(engPolicyJSON), &p); err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		m(&p)
	}
	return p
}

func engPtr[T any](v T) *T { return &v }

// Policy modifiers.
func withWindow(days int) func(*Policy) {
	return func(p *Policy) { p.Default.WindowDays = engPtr(days) }
}
func withRestocking(pct int) func(*Policy) {
	return func(p *Policy) { p.Default.RestockingFeePercent = engPtr(pct) }
}
func withMethods(ms ...string) func(*Policy) {
	return func(p *Policy) { p.Default.RefundMethods = &ms }
}
func withoutHoliday(p *Policy) { p.HolidayExtension = nil }
func withHoliday(from, to, until string) func(*Policy) {
	return func(p *Policy) { p.HolidayExtension = &HolidayExtension{From: from, To: to, Until: until} }
}

// withUSWindow changes the window of the US/CA region entry.
func withUSWindow(days int) func(*Policy) {
	return func(p *Policy) { p.Regions[0].WindowDays = engPtr(days) }
}
func withStarts(ev string) func(*Policy) {
	return func(p *Policy) {
		p.Default.WindowStarts = engPtr(ev)
	}
}

// engTime parses RFC 3339.
func engTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// engDate parses "2006-01-02"; "" is nil.
func engDate(t *testing.T, s string) *Date {
	t.Helper()
	if s == "" {
		return nil
	}
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// engLine is a realistic order line: quantity 1 at 2500 unless changed.
func engLine(id string, mods ...func(*Line)) Line {
	l := Line{ID: id, SKU: "SKU-" + id, Name: "Item " + id, Quantity: 1, UnitPrice: 2500,
		Tax: 399, Category: "apparel", HSCode: "610910", OriginCountry: "PT", WeightGrams: 200}
	for _, m := range mods {
		m(&l)
	}
	return l
}

func qty(n int) func(*Line)            { return func(l *Line) { l.Quantity = n } }
func price(p int64) func(*Line)        { return func(l *Line) { l.UnitPrice = p } }
func discount(d int64) func(*Line)     { return func(l *Line) { l.Discount = d } }
func category(c string) func(*Line)    { return func(l *Line) { l.Category = c } }
func exemption(c string) func(*Line)   { return func(l *Line) { l.Exemption = c } }
func finalSale(l *Line)                { l.FinalSale = true }
func engHeld(m map[string]int) History { return History{UnitsHeld: m} }

// engOrder is an order shipped to country/region, placed two days and
// shipped one day before delivered (RFC 3339; "" = not delivered).
func engOrder(t *testing.T, country, region, currency, delivered string, lines ...Line) Order {
	t.Helper()
	o := Order{Number: "1001", Email: "ana@example.com", CustomerName: "Ana Silva",
		Locale: "en", Currency: currency,
		ShippingAddress: Address{Name: "Ana Silva", Line1: "Street 1", City: "City",
			PostalCode: "12345", Region: region, Country: country},
		Shipping: Shipping{Amount: 495, Method: "standard"},
		Payment:  Payment{Method: "card", Provider: "stripe", Reference: "pi_123"},
		Lines:    lines,
	}
	if delivered == "" {
		o.PlacedAt = engTime(t, "2026-03-01T10:00:00Z")
		return o
	}
	d := engTime(t, delivered)
	o.PlacedAt = d.Add(-48 * time.Hour)
	s := d.Add(-24 * time.Hour)
	o.ShippedAt, o.DeliveredAt = &s, &d
	return o
}
