package returns

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWithoutPersonalData(t *testing.T) {
	delivered := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	o := Order{
		Number: "DE-1001", Email: "ana@example.com", CustomerName: "Ana Silva", Locale: "de-DE", Currency: "EUR",
		PlacedAt: delivered.AddDate(0, 0, -3), DeliveredAt: &delivered,
		ShippingAddress: Address{Name: "Ana Silva", Line1: "Hauptstraße 1", Line2: "Hinterhaus", City: "München",
			PostalCode: "80331", Region: "BY", Country: "DE", Phone: "+49 89 123456",
			Latin: &LatinAddress{Name: "Ana Silva", Line1: "Hauptstrasse 1", City: "Muenchen"}},
		Shipping: Shipping{Amount: 495, Method: "standard"},
		Payment:  Payment{Method: "card", Provider: "stripe", Reference: "pi_123"},
		Lines:    []Line{{ID: "L1", Name: "T-shirt", Quantity: 2, UnitPrice: 2500}},
	}
	got := o.WithoutPersonalData()
	want := o
	want.Email, want.CustomerName = "", ""
	want.ShippingAddress = Address{Region: "BY", Country: "DE"}
	want.Payment = Payment{Method: "card", Provider: "stripe"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %+v\nwant %+v", got, want)
	}
	if o.Email == "" || o.ShippingAddress.Latin == nil {
		t.Error("the original order was changed")
	}
	// Nothing personal is left anywhere in the value.
	for _, s := range []string{"ana@", "Ana", "Haupt", "Hinterhaus", "München", "Muenchen", "80331", "+49", "pi_123"} {
		if strings.Contains(fmtValue(got), s) {
			t.Errorf("order still holds %q", s)
		}
	}

	r := Return{RMA: "R-7K3P-9XQ2", OrderNumber: "DE-1001", Status: StatusApproved, RefundMethod: MethodBankTransfer,
		BankIBAN: "DE89370400440532013000", BankHolder: "Ana Silva", Comment: "Call me on +49 89 123456", Locale: "de-DE",
		Items: []QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}}}
	gr := r.WithoutPersonalData()
	wr := r
	wr.BankIBAN, wr.BankHolder, wr.Comment = "", "", ""
	if !reflect.DeepEqual(gr, wr) {
		t.Errorf("return:\n got %+v\nwant %+v", gr, wr)
	}
	for _, s := range []string{"DE89", "Ana", "+49"} {
		if strings.Contains(fmtValue(gr), s) {
			t.Errorf("return still holds %q", s)
		}
	}
}

// fmtValue prints a value with every field, pointers followed.
func fmtValue(v any) string {
	var b strings.Builder
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(k)
				walk(v.MapIndex(k))
			}
		case reflect.String:
			b.WriteString(v.String() + "\n")
		}
	}
	walk(reflect.ValueOf(v))
	return b.String()
}

func TestMaskIBAN(t *testing.T) {
	for _, tc := range []struct{ iban, want string }{
		{"DE89370400440532013000", "DE89 … 3000"},
		{"NO9386011117947", "NO93 … 7947"}, // the shortest IBAN (15)
		{"LC55HEMM000100010012001200023015", "LC55 … 3015"},
		{"DE8937040", "DE89 … 7040"},
		{"DE893704", "…"},
		{"", "…"},
	} {
		if got := MaskIBAN(tc.iban); got != tc.want {
			t.Errorf("MaskIBAN(%q) = %q, want %q", tc.iban, got, tc.want)
		}
	}
}
