package handlers

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// BenchmarkCreateExchange creates returns of one unit each through the
// JSON API, as BenchmarkCreatePath does, on orders whose lines name a
// product of the catalog: "refund" returns them for the money, "exchange"
// for another variant (the policy offers exchanges), which reserves a unit
// by a guarded UPDATE and writes an exchange line in the same
// transaction. The difference is what reservations add to the create
// path.
func BenchmarkCreateExchange(b *testing.B) {
	for _, resolution := range []string{"refund", "exchange"} {
		b.Run(resolution, func(b *testing.B) {
			a := newTestApp(b)
			const orders, qty = 100, 1000
			variant := func(sku string) map[string]any {
				return map[string]any{"sku": sku, "title": sku, "options": map[string]string{"Size": sku},
					"prices": map[string]int64{"EUR": 1000}, "inventory": 10_000_000}
			}
			if res := a.do(request{method: "PUT", path: "/api/v1/products/P-BENCH", header: a.auth(),
				body: map[string]any{"title": "Bench", "variants": []any{variant("BENCH-M"), variant("BENCH-L")}}}); res.Code != http.StatusCreated {
				b.Fatalf("put product: %d %s", res.Code, res.Body)
			}
			ts := func(days int) string { return a.now().Add(-time.Duration(days) * 24 * time.Hour).Format(time.RFC3339) }
			var bodies []map[string]any
			for i := range orders {
				number := fmt.Sprintf("X-%07d", i+1)
				lines := make([]map[string]any, 10)
				for j := range lines {
					lines[j] = map[string]any{"id": fmt.Sprintf("L%d", j+1), "sku": "BENCH-M", "product_id": "P-BENCH",
						"name": "T-Shirt", "quantity": qty, "unit_price": 1000, "category": "apparel",
						"hs_code": "610910", "origin_country": "PT", "weight_grams": 300}
				}
				order := map[string]any{"email": demo.Email, "customer_name": "Erika Mustermann", "locale": "de", "currency": "EUR",
					"placed_at": ts(6), "shipped_at": ts(5), "delivered_at": ts(3),
					"shipping_address": map[string]any{"name": "Erika Mustermann", "line1": "Hauptstr. 1", "city": "Berlin",
						"postal_code": "10115", "region": "BE", "country": "DE"},
					"shipping": map[string]any{"amount": 495, "method": "standard", "standard_amount": 495},
					"payment":  map[string]any{"method": "card", "provider": "stripe", "reference": "pi_x"},
					"lines":    lines}
				if res := a.do(request{method: "PUT", path: "/api/v1/orders/" + number, body: order, header: a.auth()}); res.Code != http.StatusCreated {
					b.Fatalf("put order %s: %d %s", number, res.Code, res.Body)
				}
				token := a.lookupToken(number)
				for j := range 10 {
					item := map[string]any{"line_id": fmt.Sprintf("L%d", j+1), "quantity": 1, "reason": "wrong_size"}
					if resolution == "exchange" {
						item["resolution"], item["exchange_sku"] = "exchange", "BENCH-L"
					}
					bodies = append(bodies, map[string]any{"token": token, "refund_method": "original_payment", "items": []any{item}})
				}
			}
			b.ReportAllocs()
			i := 0
			cpu := createPathCPU()
			for b.Loop() {
				if res := a.do(request{method: "POST", path: "/api/v1/returns", body: bodies[i%len(bodies)]}); res.Code != http.StatusCreated {
					b.Fatalf("create: %d %s", res.Code, res.Body)
				}
				i++
			}
			b.ReportMetric(float64(createPathCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
