package handlers

import (
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// BenchmarkCreatePath creates returns of one unit each through the JSON API
// (POST /api/v1/returns), going round the ten lines of 200 orders: the
// create path whose cost the report tables add to (they are written in the
// same transaction). Run it before and after a change to the tables.
func BenchmarkCreatePath(b *testing.B) {
	a := newTestApp(b)
	const orders, qty = 200, 1000
	ts := func(days int) string { return a.now().Add(-time.Duration(days) * 24 * time.Hour).Format(time.RFC3339) }
	var bodies []map[string]any
	for i := range orders {
		number := fmt.Sprintf("P-%07d", i+1)
		lines := make([]map[string]any, 10)
		for j := range lines {
			lines[j] = map[string]any{"id": fmt.Sprintf("L%d", j+1), "sku": fmt.Sprintf("SKU-%05d", (i*7+j)%50000),
				"name": "T-Shirt", "quantity": qty, "unit_price": 1000 + (i*13+j*7)%9000, "category": "apparel",
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
			bodies = append(bodies, map[string]any{"token": token, "refund_method": "original_payment",
				"items": []any{map[string]any{"line_id": fmt.Sprintf("L%d", j+1), "quantity": 1, "reason": "changed_mind"}}})
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
	// CPU time per return besides the wall time, which also counts the
	// machine's other work.
	b.ReportMetric(float64(createPathCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// createPathCPU is the CPU time (user and system) the process has used.
func createPathCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
