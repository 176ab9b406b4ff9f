package returns

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// valOrderJSON is the ingest example of the foundation issue.
const valOrderJSON = `{"email":"ana@example.com","customer_name":"Ana Silva","locale":"pt-PT","currency":"EUR",
 "placed_at":"2026-11-01T10:00:00Z","shipped_at":"2026-11-02T09:00:00Z","delivered_at":"2026-11-05T12:00:00Z",
 "shipping_address":{"name":"Ana Silva","line1":"Rua Augusta 1","line2":"","city":"Lisboa","postal_code":"1100-048","region":"","country":"PT","phone":""},
 "shipping":{"amount":495,"method":"standard","standard_amount":495},
 "payment":{"method":"card","provider":"stripe","reference":"pi_123"},
 "gift":false,
 "lines":[{"id":"L1","sku":"TEE-M-BLU","name":"T-shirt","variant":"M / Blue","quantity":2,
           "unit_price":2500,"discount":500,"tax":399,"category":"apparel","exemption":"",
           "final_sale":false,"hs_code":"610910","origin_country":"PT","weight_grams":200},
          {"id":"L2","sku":"MUG","name":"Mug","quantity":1,"unit_price":1200,"exemption":"personalised"}]}`

func valExampleOrder(t *testing.T) Order {
	t.Helper()
	var o Order
	if err := json.Unmarshal([]byte(valOrderJSON), &o); err != nil {
		t.Fatal(err)
	}
	o.Number = "1001"
	return o
}

func vPtr[T any](v T) *T { return &v }

func TestValidateOrderExample(t *testing.T) {
	if fe := ValidateOrder(valExampleOrder(t), LoadLegal()); fe != nil {
		t.Fatalf("example order invalid: %v", fe)
	}
}

func TestValidateOrder(t *testing.T) {
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return &v
	}
	tests := []struct {
		name   string
		mutate func(o *Order)
		want   []FieldError // exactly these, in this order; nil = valid
	}{
		{"valid", func(o *Order) {}, nil},
		{"no number", func(o *Order) { o.Number = "" }, []FieldError{{"number", "required"}}},
		{"number with slash", func(o *Order) { o.Number = "A/1" }, []FieldError{{"number", "invalid"}}},
		{"no email", func(o *Order) { o.Email = "" }, []FieldError{{"email", "required"}}},
		{"email without at", func(o *Order) { o.Email = "ana.example.com" }, []FieldError{{"email", "invalid"}}},
		{"email two ats", func(o *Order) { o.Email = "ana@x@example.com" }, []FieldError{{"email", "invalid"}}},
		{"email space", func(o *Order) { o.Email = "ana silva@example.com" }, []FieldError{{"email", "invalid"}}},
		{"email CRLF", func(o *Order) { o.Email = "ana@example.com\r\nBcc: x@y.z" }, []FieldError{{"email", "invalid"}}},
		{"email LF", func(o *Order) { o.Email = "ana@example.com\n" }, []FieldError{{"email", "invalid"}}},
		{"email comma", func(o *Order) { o.Email = "ana@example.com,eve@example.com" }, []FieldError{{"email", "invalid"}}},
		{"email no local", func(o *Order) { o.Email = "@example.com" }, []FieldError{{"email", "invalid"}}},
		{"email no domain", func(o *Order) { o.Email = "ana@" }, []FieldError{{"email", "invalid"}}},
		{"email empty label", func(o *Order) { o.Email = "ana@example..com" }, []FieldError{{"email", "invalid"}}},
		{"email plus and idn ok", func(o *Order) { o.Email = "ana+shop@müller.de" }, nil},
		{"email too long", func(o *Order) { o.Email = "a@" + strings.Repeat("b", 260) + ".de" }, []FieldError{{"email", "too_long"}}},
		{"no customer name ok", func(o *Order) { o.CustomerName = "" }, nil},
		{"customer name newline", func(o *Order) { o.CustomerName = "Ana\nSilva" }, []FieldError{{"customer_name", "invalid"}}},
		{"customer name 500 runes ok", func(o *Order) { o.CustomerName = strings.Repeat("é", 500) }, nil},
		{"customer name 501 runes", func(o *Order) { o.CustomerName = strings.Repeat("é", 501) }, []FieldError{{"customer_name", "too_long"}}},
		{"no locale ok", func(o *Order) { o.Locale = "" }, nil},
		{"locale de", func(o *Order) { o.Locale = "de" }, nil},
		{"locale zh-Hant-TW", func(o *Order) { o.Locale = "zh-Hant-TW" }, nil},
		{"locale garbage", func(o *Order) { o.Locale = "not a locale" }, []FieldError{{"locale", "invalid"}}},
		{"no currency", func(o *Order) { o.Currency = "" }, []FieldError{{"currency", "required"}}},
		{"unknown currency", func(o *Order) { o.Currency = "XYZ" }, []FieldError{{"currency", "unknown_currency"}}},
		{"lower-case currency", func(o *Order) { o.Currency = "eur" }, []FieldError{{"currency", "unknown_currency"}}},
		{"JPY ok", func(o *Order) { o.Currency = "JPY" }, nil},
		{"KWD ok", func(o *Order) { o.Currency = "KWD" }, nil},
		{"no placed_at", func(o *Order) { o.PlacedAt = time.Time{} }, []FieldError{{"placed_at", "required"}}},
		{"not shipped ok", func(o *Order) { o.ShippedAt, o.DeliveredAt = nil, nil }, nil},
		{"delivered, shipping unknown ok", func(o *Order) { o.ShippedAt = nil }, nil},
		{"shipped before placed", func(o *Order) { o.ShippedAt = at("2026-11-01T09:59:59Z") },
			[]FieldError{{"shipped_at", "before_placed"}}},
		{"shipped when placed ok", func(o *Order) { o.ShippedAt = at("2026-11-01T10:00:00Z") }, nil},
		{"delivered before placed", func(o *Order) { o.ShippedAt = nil; o.DeliveredAt = at("2026-10-31T10:00:00Z") },
			[]FieldError{{"delivered_at", "before_placed"}}},
		{"delivered before shipped", func(o *Order) { o.DeliveredAt = at("2026-11-02T08:00:00Z") },
			[]FieldError{{"delivered_at", "before_shipped"}}},
		{"other zone same instant ok", func(o *Order) { o.ShippedAt = at("2026-11-01T11:00:00+01:00") }, nil},
		{"no country", func(o *Order) { o.ShippingAddress.Country = "" },
			[]FieldError{{"shipping_address.country", "required"}}},
		{"unknown country", func(o *Order) { o.ShippingAddress.Country = "XX" },
			[]FieldError{{"shipping_address.country", "unknown_country"}}},
		{"lower-case country", func(o *Order) { o.ShippingAddress.Country = "pt" },
			[]FieldError{{"shipping_address.country", "unknown_country"}}},
		{"region CA ok", func(o *Order) { o.ShippingAddress.Country = "US"; o.ShippingAddress.Region = "CA" }, nil},
		{"region with country prefix", func(o *Order) { o.ShippingAddress.Country = "US"; o.ShippingAddress.Region = "US-CA" },
			[]FieldError{{"shipping_address.region", "invalid"}}},
		{"region name", func(o *Order) { o.ShippingAddress.Region = "California" },
			[]FieldError{{"shipping_address.region", "invalid"}}},
		{"latin address", func(o *Order) {
			o.ShippingAddress.Latin = &LatinAddress{Name: "Ana", Line1: strings.Repeat("x", 501)}
		}, []FieldError{{"shipping_address.latin.line1", "too_long"}}},
		{"negative shipping", func(o *Order) { o.Shipping.Amount = -1 }, []FieldError{{"shipping.amount", "negative"}}},
		{"negative standard", func(o *Order) { o.Shipping.StandardAmount = vPtr(int64(-5)) },
			[]FieldError{{"shipping.standard_amount", "negative"}}},
		{"no standard ok", func(o *Order) { o.Shipping.StandardAmount = nil }, nil},
		{"free shipping ok", func(o *Order) { o.Shipping.Amount = 0; o.Shipping.StandardAmount = vPtr(int64(0)) }, nil},
		{"no lines", func(o *Order) { o.Lines = nil }, []FieldError{{"lines", "required"}}},
		{"empty lines", func(o *Order) { o.Lines = []Line{} }, []FieldError{{"lines", "required"}}},
		{"line without id", func(o *Order) { o.Lines[1].ID = "" }, []FieldError{{"lines[1].id", "required"}}},
		{"duplicate line id", func(o *Order) { o.Lines[1].ID = "L1" }, []FieldError{{"lines[1].id", "duplicate"}}},
		{"line id too long", func(o *Order) { o.Lines[0].ID = strings.Repeat("x", 101) }, []FieldError{{"lines[0].id", "too_long"}}},
		{"quantity 0", func(o *Order) { o.Lines[0].Quantity = 0 }, []FieldError{{"lines[0].quantity", "required"}}},
		{"quantity -1", func(o *Order) { o.Lines[0].Quantity = -1 }, []FieldError{{"lines[0].quantity", "negative"}}},
		{"quantity 10000 ok", func(o *Order) { o.Lines[0].Quantity = 10000 }, nil},
		{"quantity 10001", func(o *Order) { o.Lines[0].Quantity = 10001 }, []FieldError{{"lines[0].quantity", "too_large"}}},
		{"price 0 ok", func(o *Order) { o.Lines[1].UnitPrice = 0 }, nil},
		{"negative price", func(o *Order) { o.Lines[1].UnitPrice = -1 }, []FieldError{{"lines[1].unit_price", "negative"}}},
		{"price 1e12 ok", func(o *Order) { o.Lines[1].UnitPrice = 1e12 }, nil},
		{"price over 1e12", func(o *Order) { o.Lines[1].UnitPrice = 1e12 + 1 }, []FieldError{{"lines[1].unit_price", "too_large"}}},
		{"price near int64 max", func(o *Order) { o.Lines[0].UnitPrice = 1 << 62; o.Lines[0].Discount = 0 },
			[]FieldError{{"lines[0].unit_price", "too_large"}}},
		{"negative discount", func(o *Order) { o.Lines[0].Discount = -1 }, []FieldError{{"lines[0].discount", "negative"}}},
		{"discount equals total ok", func(o *Order) { o.Lines[0].Discount = 5000; o.Lines[0].Tax = 0 }, nil},
		{"discount over total", func(o *Order) { o.Lines[0].Discount = 5001 }, []FieldError{{"lines[0].discount", "too_large"}}},
		{"negative tax", func(o *Order) { o.Lines[0].Tax = -1 }, []FieldError{{"lines[0].tax", "negative"}}},
		{"tax over price", func(o *Order) { o.Lines[0].Tax = 5001 }, []FieldError{{"lines[0].tax", "too_large"}}},
		{"unknown exemption", func(o *Order) { o.Lines[0].Exemption = "fragile" }, []FieldError{{"lines[0].exemption", "unknown_class"}}},
		{"every class ok", func(o *Order) {
			o.Lines = o.Lines[:0]
			for c := range LoadLegal().Classes {
				o.Lines = append(o.Lines, Line{ID: c, Quantity: 1, UnitPrice: 100, Exemption: c})
			}
		}, nil},
		{"unknown origin", func(o *Order) { o.Lines[0].OriginCountry = "EU" }, []FieldError{{"lines[0].origin_country", "unknown_country"}}},
		{"no origin ok", func(o *Order) { o.Lines[0].OriginCountry = "" }, nil},
		{"negative weight", func(o *Order) { o.Lines[0].WeightGrams = -200 }, []FieldError{{"lines[0].weight_grams", "negative"}}},
		{"sku too long", func(o *Order) { o.Lines[0].SKU = strings.Repeat("S", 101) }, []FieldError{{"lines[0].sku", "too_long"}}},
		{"name too long", func(o *Order) { o.Lines[0].Name = strings.Repeat("n", 501) }, []FieldError{{"lines[0].name", "too_long"}}},
		{"number not canonical", func(o *Order) { o.Number = " 1001" }, []FieldError{{"number", "invalid"}}},
		{"number with plus ok", func(o *Order) { o.Number = "A+1" }, nil},
		{"number percent-encoded", func(o *Order) { o.Number = "A%2B1" }, []FieldError{{"number", "invalid"}}},
		// HS codes: 6 to 10 digits, nothing else.
		{"hs 6 digits ok", func(o *Order) { o.Lines[0].HSCode = "910211" }, nil},
		{"hs 10 digits ok", func(o *Order) { o.Lines[0].HSCode = "9102110000" }, nil},
		{"no hs ok", func(o *Order) { o.Lines[0].HSCode = "" }, nil},
		{"hs 5 digits", func(o *Order) { o.Lines[0].HSCode = "61091" }, []FieldError{{"lines[0].hs_code", "hs_code_format"}}},
		{"hs 11 digits", func(o *Order) { o.Lines[0].HSCode = "91021100001" }, []FieldError{{"lines[0].hs_code", "hs_code_format"}}},
		{"hs dotted", func(o *Order) { o.Lines[0].HSCode = "6109.10" }, []FieldError{{"lines[0].hs_code", "hs_code_format"}}},
		{"hs letters", func(o *Order) { o.Lines[1].HSCode = "cotton" }, []FieldError{{"lines[1].hs_code", "hs_code_format"}}},
		// The customs description: optional, Latin script, one line, 500 characters.
		{"customs description ok", func(o *Order) { o.Lines[0].CustomsDescription = "Men's T-shirt, 100% cotton, knitted" }, nil},
		{"customs description accents ok", func(o *Order) { o.Lines[0].CustomsDescription = "Crème brûlée dish, ceramic (Ø 12 cm)" }, nil},
		{"customs description 500 ok", func(o *Order) { o.Lines[0].CustomsDescription = strings.Repeat("a", 500) }, nil},
		{"customs description 501", func(o *Order) { o.Lines[0].CustomsDescription = strings.Repeat("a", 501) },
			[]FieldError{{"lines[0].customs_description", "too_long"}}},
		{"customs description arabic", func(o *Order) { o.Lines[0].CustomsDescription = "عباية" },
			[]FieldError{{"lines[0].customs_description", "not_latin"}}},
		{"customs description japanese", func(o *Order) { o.Lines[1].CustomsDescription = "Tシャツ" },
			[]FieldError{{"lines[1].customs_description", "not_latin"}}},
		{"customs description greek", func(o *Order) { o.Lines[0].CustomsDescription = "Olive oil Ελαιόλαδο" },
			[]FieldError{{"lines[0].customs_description", "not_latin"}}},
		{"customs description full-width", func(o *Order) { o.Lines[0].CustomsDescription = "Ｔ-shirt" },
			[]FieldError{{"lines[0].customs_description", "not_latin"}}},
		{"customs description arabic digits", func(o *Order) { o.Lines[0].CustomsDescription = "Scarf ٣" },
			[]FieldError{{"lines[0].customs_description", "not_latin"}}},
		{"customs description newline", func(o *Order) { o.Lines[0].CustomsDescription = "T-shirt\nBcc" },
			[]FieldError{{"lines[0].customs_description", "invalid"}}},
		{"customs description RLO", func(o *Order) { o.Lines[0].CustomsDescription = "T-shirt \u202e" },
			[]FieldError{{"lines[0].customs_description", "direction_control"}}},
		{"several at once", func(o *Order) {
			o.Email = ""
			o.Currency = "ABC"
			o.Lines[1].UnitPrice = -3
			o.Lines[1].Quantity = 0
		}, []FieldError{{"email", "required"}, {"currency", "unknown_currency"},
			{"lines[1].quantity", "required"}, {"lines[1].unit_price", "negative"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valExampleOrder(t)
			tt.mutate(&o)
			got := ValidateOrder(o, LoadLegal())
			if tt.want == nil {
				if got != nil {
					t.Fatalf("want valid, got %v", got)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("[%d] got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestDirectionControls: every free-text field of an order refuses each of
// the nine direction controls, with the field's path; the marks LRM, RLM and
// ALM, which Arabic and Hebrew text needs, stay allowed.
func TestDirectionControls(t *testing.T) {
	fields := map[string]func(o *Order, v string){
		"customer_name":                func(o *Order, v string) { o.CustomerName = v },
		"shipping_address.name":        func(o *Order, v string) { o.ShippingAddress.Name = v },
		"shipping_address.line1":       func(o *Order, v string) { o.ShippingAddress.Line1 = v },
		"shipping_address.line2":       func(o *Order, v string) { o.ShippingAddress.Line2 = v },
		"shipping_address.city":        func(o *Order, v string) { o.ShippingAddress.City = v },
		"shipping_address.postal_code": func(o *Order, v string) { o.ShippingAddress.PostalCode = v },
		"shipping_address.phone":       func(o *Order, v string) { o.ShippingAddress.Phone = v },
		"shipping_address.latin.name":  func(o *Order, v string) { o.ShippingAddress.Latin = &LatinAddress{Name: v} },
		"shipping_address.latin.line1": func(o *Order, v string) { o.ShippingAddress.Latin = &LatinAddress{Line1: v} },
		"shipping_address.latin.line2": func(o *Order, v string) { o.ShippingAddress.Latin = &LatinAddress{Line2: v} },
		"shipping_address.latin.city":  func(o *Order, v string) { o.ShippingAddress.Latin = &LatinAddress{City: v} },
		"shipping.method":              func(o *Order, v string) { o.Shipping.Method = v },
		"payment.method":               func(o *Order, v string) { o.Payment.Method = v },
		"payment.provider":             func(o *Order, v string) { o.Payment.Provider = v },
		"payment.reference":            func(o *Order, v string) { o.Payment.Reference = v },
		"lines[0].id":                  func(o *Order, v string) { o.Lines[0].ID = v },
		"lines[0].sku":                 func(o *Order, v string) { o.Lines[0].SKU = v },
		"lines[0].name":                func(o *Order, v string) { o.Lines[0].Name = v },
		"lines[1].variant":             func(o *Order, v string) { o.Lines[1].Variant = v },
		"lines[1].category":            func(o *Order, v string) { o.Lines[1].Category = v },
		"lines[1].customs_description": func(o *Order, v string) { o.Lines[1].CustomsDescription = v },
		"email":                        func(o *Order, v string) { o.Email = v },
	}
	controls := []rune{'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'}
	for path, set := range fields {
		for _, c := range controls {
			o := valExampleOrder(t)
			// An address (or name) whose second half would show reversed.
			v := "ana" + string(c) + "moc.elpmaxe@"
			if path != "email" {
				v = "Ana " + string(c) + "Silva"
			}
			set(&o, v)
			got := ValidateOrder(o, LoadLegal())
			if len(got) != 1 || got[0] != (FieldError{path, FieldDirectionControl}) {
				t.Errorf("%s with U+%04X: got %v, want [%s direction_control]", path, c, got, path)
			}
		}
	}
	// Marks are not controls: an Arabic name with RLM/ALM and a Hebrew
	// address with LRM around a house number are valid.
	o := valExampleOrder(t)
	o.CustomerName = "فاطمة\u200f العلي\u061c"
	o.ShippingAddress.Line1 = "רחוב הרצל \u200e12\u200e"
	if got := ValidateOrder(o, LoadLegal()); got != nil {
		t.Errorf("marks refused: %v", got)
	}
}

func TestCheckOrderUpdate(t *testing.T) {
	held := func(m map[string]int) History { return History{UnitsHeld: m} }
	tests := []struct {
		name   string
		h      History
		mutate func(o *Order)
		want   *Error
	}{
		{"unchanged", held(map[string]int{"L1": 2}), func(o *Order) {}, nil},
		{"no history, anything but dropping", History{}, func(o *Order) {
			o.Currency = "USD"
			o.Lines[0].Quantity = 1
			o.Lines[0].UnitPrice = 1
			o.Lines[0].Discount = 0
		}, nil},
		{"add a line", held(map[string]int{"L1": 1}), func(o *Order) {
			o.Lines = append(o.Lines, Line{ID: "L3", Quantity: 1})
		}, nil},
		{"reorder lines", held(map[string]int{"L1": 1}), func(o *Order) {
			o.Lines[0], o.Lines[1] = o.Lines[1], o.Lines[0]
		}, nil},
		{"drop a line without returns", History{}, func(o *Order) { o.Lines = o.Lines[:1] },
			&Error{Code: "line_removed", Field: "lines"}},
		{"drop a line with returns", held(map[string]int{"L2": 1}), func(o *Order) { o.Lines = o.Lines[:1] },
			&Error{Code: "line_removed", Field: "lines"}},
		{"quantity down to held ok", held(map[string]int{"L1": 1}), func(o *Order) { o.Lines[0].Quantity = 1 }, nil},
		{"quantity below held", held(map[string]int{"L1": 2}), func(o *Order) { o.Lines[0].Quantity = 1 },
			&Error{Code: "quantity_below_returned", Field: "lines[0].quantity"}},
		{"quantity below held, moved line", held(map[string]int{"L1": 2}), func(o *Order) {
			o.Lines[0], o.Lines[1] = o.Lines[1], o.Lines[0]
			o.Lines[1].Quantity = 1
		}, &Error{Code: "quantity_below_returned", Field: "lines[1].quantity"}},
		{"quantity up ok", held(map[string]int{"L1": 2}), func(o *Order) { o.Lines[0].Quantity = 3 }, nil},
		{"price of line with returns", held(map[string]int{"L1": 1}), func(o *Order) { o.Lines[0].UnitPrice = 2400 },
			&Error{Code: "line_has_returns", Field: "lines[0].unit_price"}},
		{"discount of line with returns", held(map[string]int{"L1": 1}), func(o *Order) { o.Lines[0].Discount = 0 },
			&Error{Code: "line_has_returns", Field: "lines[0].discount"}},
		{"price of other line ok", held(map[string]int{"L1": 1}), func(o *Order) { o.Lines[1].UnitPrice = 1000 }, nil},
		{"zero held counts as none", held(map[string]int{"L1": 0}), func(o *Order) {
			o.Lines[0].UnitPrice = 1
			o.Currency = "GBP"
		}, nil},
		{"currency with returns", held(map[string]int{"L2": 1}), func(o *Order) { o.Currency = "USD" },
			&Error{Code: "currency_locked", Field: "currency"}},
		{"other fields free", held(map[string]int{"L1": 2}), func(o *Order) {
			o.Email = "new@example.com"
			d := o.PlacedAt.Add(96 * time.Hour)
			o.DeliveredAt = &d
			o.Lines[0].Name = "Tee"
			o.Lines[0].Tax = 400
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := valExampleOrder(t)
			upd := valExampleOrder(t)
			tt.mutate(&upd)
			got := CheckOrderUpdate(old, upd, tt.h)
			switch {
			case got == nil && tt.want == nil:
			case got == nil || tt.want == nil || *got != *tt.want:
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
