package handlers

import (
	"net/http"
	"testing"

	"github.com/returns-portal/returns/demo"
)

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
