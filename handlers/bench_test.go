package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// The shopper's hot paths through the whole Echo app on a real SQLite file,
// with allocations per operation (make bench): the lookup, the item page,
// the creation of a return, its status page and its label. The orders are
// shaped like those of the performance run (../shared/bench/compare.sh):
// ten lines, delivered three days ago, in Germany.

// BenchmarkLookupAPI is a whole lookup through the Echo app on a real SQLite
// file: routing, JSON, the order, its history and policy from the database,
// the eligibility decision and a signed token.
func BenchmarkLookupAPI(b *testing.B) {
	a := newTestApp(b)
	body := map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}
	b.ReportAllocs()
	for b.Loop() {
		if res := a.do(request{method: "POST", path: "/api/v1/returns/lookup", body: body}); res.Code != http.StatusOK {
			b.Fatalf("lookup: %d %s", res.Code, res.Body)
		}
	}
}

// BenchmarkItemPage is the form after a lookup (GET /order?t=) of an order
// of ten lines: the token, the order, its history and the policy, every
// line's eligibility and the page in the order's language.
func BenchmarkItemPage(b *testing.B) {
	a := newTestApp(b)
	numbers := benchOrders(b, a, 1, 1)
	path := "/order?t=" + url.QueryEscape(a.lookupToken(numbers[0]))
	b.ReportAllocs()
	for b.Loop() {
		if res := a.do(request{method: "GET", path: path}); res.Code != http.StatusOK {
			b.Fatalf("item page: %d %s", res.Code, res.Body)
		}
	}
}

// BenchmarkCreateReturnAPI creates returns of one unit each
// (POST /api/v1/returns), going round the lines of 200 orders so that each
// order's history grows slowly, as in a shop.
func BenchmarkCreateReturnAPI(b *testing.B) {
	a := newTestApp(b)
	const orders, qty = 200, 1000
	numbers := benchOrders(b, a, orders, qty)
	bodies := make([]map[string]any, 0, orders*10)
	for line := 1; line <= 10; line++ {
		for _, n := range numbers {
			bodies = append(bodies, map[string]any{"token": a.lookupToken(n), "refund_method": "original_payment",
				"items": []any{map[string]any{"line_id": fmt.Sprintf("L%d", line), "quantity": 1, "reason": "changed_mind"}}})
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if res := a.do(request{method: "POST", path: "/api/v1/returns", body: bodies[i%len(bodies)]}); res.Code != http.StatusCreated {
			b.Fatalf("create: %d %s", res.Code, res.Body)
		}
		i++
	}
}

// BenchmarkStatusPage is a return's status page (GET /r/{rma}?t=).
func BenchmarkStatusPage(b *testing.B) {
	a := newTestApp(b)
	numbers := benchOrders(b, a, 1, 1)
	m := a.createReturn(a.lookupToken(numbers[0]), "L1", 1, "original_payment")
	path := relative(b, m["status_url"].(string))
	b.ReportAllocs()
	for b.Loop() {
		if res := a.do(request{method: "GET", path: path}); res.Code != http.StatusOK {
			b.Fatalf("status page: %d %s", res.Code, res.Body)
		}
	}
}

// BenchmarkLabelPDF downloads a return's 4x6 label again and again
// (GET /r/{rma}/label.pdf?t=): what a shopper's repeated download costs.
func BenchmarkLabelPDF(b *testing.B) {
	a := newTestApp(b)
	numbers := benchOrders(b, a, 1, 1)
	m := a.createReturn(a.lookupToken(numbers[0]), "L1", 1, "original_payment")
	path := relative(b, m["label_url"].(string))
	b.ReportAllocs()
	for b.Loop() {
		if res := a.do(request{method: "GET", path: path}); res.Code != http.StatusOK {
			b.Fatalf("label: %d %s", res.Code, res.Body)
		}
	}
}

// relative is the path and query of an absolute link of the app.
func relative(b *testing.B, link string) string {
	b.Helper()
	u, err := url.Parse(link)
	if err != nil {
		b.Fatal(err)
	}
	return u.RequestURI()
}

// benchOrders pushes n orders of ten lines of qty units each through the
// merchant API (PUT /api/v1/orders/{number}), shaped like the performance
// run's, for the demo shopper's e-mail; it returns their numbers.
func benchOrders(b *testing.B, a *testApp, n, qty int) []string {
	b.Helper()
	ts := func(days int) string { return a.now().Add(-time.Duration(days) * 24 * time.Hour).Format(time.RFC3339) }
	names := []string{"Wollpullover", "Jeans Slim Fit", "Sneaker Leder", "Regenjacke", "T-Shirt Basic"}
	numbers := make([]string, n)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("P-%07d", i+1)
		lines := make([]map[string]any, 10)
		for j := range lines {
			lines[j] = map[string]any{"id": fmt.Sprintf("L%d", j+1), "sku": fmt.Sprintf("SKU-%05d", (i*7+j)%50000),
				"name": names[(i+j)%5], "variant": "M", "quantity": qty, "unit_price": 1000 + (i*13+j*7)%9000,
				"category": "apparel", "hs_code": "610910", "origin_country": "PT", "weight_grams": 300}
		}
		order := map[string]any{"email": demo.Email, "customer_name": "Erika Mustermann", "locale": "de", "currency": "EUR",
			"placed_at": ts(6), "shipped_at": ts(5), "delivered_at": ts(3),
			"shipping_address": map[string]any{"name": "Erika Mustermann", "line1": "Hauptstr. 1", "city": "Berlin",
				"postal_code": "10115", "country": "DE"},
			"shipping": map[string]any{"amount": 495, "method": "standard", "standard_amount": 495},
			"payment":  map[string]any{"method": "card", "provider": "stripe", "reference": "pi_x"},
			"lines":    lines}
		if res := a.do(request{method: "PUT", path: "/api/v1/orders/" + numbers[i], body: order, header: a.auth()}); res.Code != http.StatusCreated {
			b.Fatalf("put order %s: %d %s", numbers[i], res.Code, res.Body)
		}
	}
	return numbers
}
