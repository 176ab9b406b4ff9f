package handlers

import (
	"context"
	"net/http"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
)

// TestOrderNumberInPath: the path segment is percent-decoded exactly once
// and normalised; what is stored is what its shopper types and finds, by the
// JSON lookup and the portal's form alike.
func TestOrderNumberInPath(t *testing.T) {
	a := newTestApp(t)
	tests := []struct {
		name, segment string
		wantCode      int
		wantNumber    string   // as stored and answered
		typed         []string // what shoppers type that finds it
	}{
		{"escaped plus", "A%2B1", 201, "A+1", []string{"A+1", " A+1 ", "#A+1", "Ａ＋１"}},
		{"plain plus", "B+2", 201, "B+2", []string{"B+2"}},
		{"escaped hash of a shop's #1003", "%231003", 201, "1003", []string{"1003", "#1003"}},
		{"full-width, escaped UTF-8", "%EF%BC%AA%EF%BC%B0-7", 201, "JP-7", []string{"JP-7", "ＪＰ-7"}},
		{"escaped letters decode too", "%43%2D9", 201, "C-9", []string{"C-9"}},
		// Decoded once: %252B is "%2B", and '%' is not allowed.
		{"double-escaped plus", "A%252B1", 422, "", nil},
		{"double-escaped percent", "%2525", 422, "", nil},
		{"escaped space", "a%20b", 422, "", nil},
		{"escaped slash", "A%2F1", 422, "", nil},
		{"escaped RLO", "A%E2%80%AE1", 422, "", nil},
		{"escaped newline", "A%0A1", 422, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/" + tc.segment, body: orderBody(), header: a.auth()})
			if code != tc.wantCode {
				t.Fatalf("PUT %s: %d, want %d: %v", tc.segment, code, tc.wantCode, m)
			}
			if tc.wantCode == 422 {
				if errorCode(m) != "invalid_order" || errorFields(m)["number"] != "invalid" {
					t.Fatalf("PUT %s: %v, want invalid_order with number: invalid", tc.segment, m)
				}
				return
			}
			if m["number"] != tc.wantNumber {
				t.Fatalf("PUT %s stored %v, want %q", tc.segment, m["number"], tc.wantNumber)
			}
			if _, err := a.st.GetOrder(context.Background(), tc.wantNumber); err != nil {
				t.Fatalf("stored under another number: %v", err)
			}
			for _, typed := range tc.typed {
				code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
					body: map[string]string{"order_number": typed, "email": "ana@example.com"}})
				if code != 200 || m["order"].(map[string]any)["number"] != tc.wantNumber {
					t.Errorf("JSON lookup of %q: %d %v", typed, code, m)
				}
				res := a.post("/lookup", lookupForm(typed, "ana@example.com", ""), false)
				if res.res.Code != http.StatusSeeOther {
					t.Errorf("portal lookup of %q: %d", typed, res.res.Code)
				}
			}
		})
	}
	// A number no order can have answers like an unknown one.
	_, unknown := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": "NOPE-1", "email": "ana@example.com"}})
	for _, typed := range []string{"A%2B1", "A 1", "A\u202e1"} {
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
			body: map[string]string{"order_number": typed, "email": "ana@example.com"}})
		if code != 404 || errorCode(m) != errorCode(unknown) {
			t.Errorf("lookup of %q: %d %v, want the unknown order's answer", typed, code, m)
		}
	}
}

// TestOrderTextValidation: direction controls, customs descriptions and HS
// codes are refused with 422, the field's path and code, and the code's
// message in the request's language (all six).
func TestOrderTextValidation(t *testing.T) {
	a := newTestApp(t)
	catalog, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	line := func(o map[string]any) map[string]any { return o["lines"].([]any)[0].(map[string]any) }
	tests := []struct {
		name     string
		mutate   func(o map[string]any)
		path     string
		wantCode string
	}{
		{"RLO in the customer name", func(o map[string]any) { o["customer_name"] = "Ana \u202eavliS" },
			"customer_name", returns.FieldDirectionControl},
		{"LRI in an address line", func(o map[string]any) { o["shipping_address"].(map[string]any)["line1"] = "\u2066Rua Augusta 1" },
			"shipping_address.line1", returns.FieldDirectionControl},
		{"PDI in a line name", func(o map[string]any) { line(o)["name"] = "T-shirt\u2069" },
			"lines[0].name", returns.FieldDirectionControl},
		{"RLE in a variant", func(o map[string]any) { line(o)["variant"] = "\u202bM" },
			"lines[0].variant", returns.FieldDirectionControl},
		{"Arabic customs description", func(o map[string]any) { line(o)["customs_description"] = "قميص قطني" },
			"lines[0].customs_description", returns.FieldNotLatin},
		{"dotted HS code", func(o map[string]any) { line(o)["hs_code"] = "6109.10" },
			"lines[0].hs_code", returns.FieldHSCodeFormat},
	}
	for _, tc := range tests {
		for _, lang := range []string{"en", "de", "fr", "es", "ja", "ar"} {
			body := orderBody()
			tc.mutate(body)
			code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/V-1?lang=" + lang, body: body, header: a.auth()})
			if code != 422 || errorCode(m) != "invalid_order" {
				t.Fatalf("%s (%s): %d %v", tc.name, lang, code, m)
			}
			fields := m["error"].(map[string]any)["fields"].([]any)
			if len(fields) != 1 {
				t.Fatalf("%s: fields %v, want exactly %s", tc.name, fields, tc.path)
			}
			f := fields[0].(map[string]any)
			want, err := catalog.NewLocalizer(lang).Localize(&i18n.LocalizeConfig{MessageID: "admin.field." + tc.wantCode})
			if err != nil {
				t.Fatal(err)
			}
			if f["path"] != tc.path || f["code"] != tc.wantCode || f["message"] != want {
				t.Errorf("%s (%s): field %v, want %s %s %q", tc.name, lang, f, tc.path, tc.wantCode, want)
			}
		}
	}
	// Valid customs descriptions and HS codes are stored as sent.
	body := orderBody()
	line(body)["customs_description"] = "Men's T-shirt, 100% cotton"
	line(body)["hs_code"] = "6109100010"
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/V-2", body: body, header: a.auth()}); code != 201 {
		t.Fatalf("valid: %d %v", code, m)
	}
	o, err := a.st.GetOrder(context.Background(), "V-2")
	if err != nil || o.Lines[0].CustomsDescription != "Men's T-shirt, 100% cotton" || o.Lines[0].HSCode != "6109100010" {
		t.Fatalf("stored %+v, %v", o.Lines, err)
	}
}
