package service

import (
	"context"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestImportOrderNormalisesTheNumber: `import orders` reads the number
// with the same rule as the API (returns.NormalizeOrderNumber).
func TestImportOrderNormalisesTheNumber(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	body := func(number string) []byte {
		return []byte(`{"number":"` + number + `","email":"ana@example.com","currency":"EUR","placed_at":"2026-11-01T10:00:00Z",
			"shipping_address":{"country":"PT"},"lines":[{"id":"L1","quantity":1,"unit_price":100}]}`)
	}
	for in, want := range map[string]string{"#1001": "1001", " A+1 ": "A+1", "ＤＥ-5": "DE-5"} {
		if err := ts.ImportOrder(ctx, body(in)); err != nil {
			t.Errorf("number %q: %v", in, err)
			continue
		}
		if o, err := ts.st.GetOrder(ctx, want); err != nil || o.Number != want {
			t.Errorf("number %q: stored as %q (%v), want %q", in, o.Number, err, want)
		}
	}
	for _, in := range []string{"A%2B1", "A/1", "", "A\u20661"} {
		if got := fieldCode(ts.ImportOrder(ctx, body(in))); got != "number:"+returns.FieldInvalid {
			t.Errorf("number %q: %q, want number:%s", in, got, returns.FieldInvalid)
		}
	}
}
