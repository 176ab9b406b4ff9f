package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// BenchmarkCreateReturn is a shopper's return made through the service,
// without its outbox rows (the baseline), with them (the e-mail and the
// drop-off reminder), and with a webhook endpoint subscribed as well (one
// delivery more, carrying the return as the merchant API shows it):
//
//	go test -run '^$' -bench CreateReturn -benchmem ./service/
//
// compares them in one run. Each order is returned 50 times at most, so
// that the order's history stays the same size whatever b.N.
func BenchmarkCreateReturn(b *testing.B) {
	for _, bc := range []struct {
		name     string
		announce bool
		webhook  bool
	}{
		{"without_outbox", false, false},
		{"with_outbox", true, false},
		{"with_outbox_and_webhook", true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ts := newTestService(b, Settings{LookupLimitIP: 0, LookupLimitOrder: 0})
			ts.announceOff = !bc.announce
			ctx := context.Background()
			if bc.webhook {
				if _, err := ts.CreateWebhook(ctx, WebhookInput{URL: "https://hooks.shop.example/r", Events: returns.WebhookEvents}); err != nil {
					b.Fatal(err)
				}
			}
			const perOrder = 50
			var orders []string
			for i := 0; i*perOrder < b.N; i++ {
				orders = append(orders, benchOrder(b, ts.st, fmt.Sprintf("BN-%05d", i), ts.now()))
			}
			req := ReturnRequest{QuoteRequest: returns.QuoteRequest{RefundMethod: returns.MethodOriginalPayment,
				Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}}}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := ts.CreateReturn(ctx, OrderAccess{Number: orders[i/perOrder], Locale: "de"}, req); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			ts.drained()
			rows, err := ts.st.ListOutbox(ctx, store.OutboxFilter{Limit: 1})
			if err != nil {
				b.Fatal(err)
			}
			if (len(rows) > 0) != bc.announce {
				b.Fatalf("outbox rows written: %v, want %v", len(rows) > 0, bc.announce)
			}
		})
	}
}

// benchOrder stores an order of 100 T-shirts delivered to Germany
// yesterday.
func benchOrder(b *testing.B, st *store.Store, number string, now time.Time) string {
	b.Helper()
	delivered := now.Add(-24 * time.Hour)
	shipped := now.Add(-48 * time.Hour)
	o := returns.Order{Number: number, Email: "bench@example.com", CustomerName: "Bench", Locale: "de-DE", Currency: "EUR",
		PlacedAt: now.Add(-72 * time.Hour), ShippedAt: &shipped, DeliveredAt: &delivered,
		ShippingAddress: returns.Address{Name: "Bench", Line1: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Shipping:        returns.Shipping{Amount: 495, Method: "standard"},
		Payment:         returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_" + number},
		Lines: []returns.Line{{ID: "L1", SKU: "TEE", Name: "T-Shirt", Quantity: 100, UnitPrice: 2500, Category: "apparel",
			HSCode: "610910", OriginCountry: "PT", WeightGrams: 200}}}
	if _, err := st.UpsertOrder(context.Background(), o); err != nil {
		b.Fatal(err)
	}
	return number
}
