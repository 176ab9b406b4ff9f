package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// BenchmarkWorkerSMTP is the worker's sending rate against a real SMTP
// server on this machine (emersion/go-smtp in the test process): each
// iteration makes a batch of returns (untimed), then the worker writes and
// sends their e-mails (timed), one SMTP session per round of up to 50:
//
//	go test -run '^$' -bench WorkerSMTP ./notify/
func BenchmarkWorkerSMTP(b *testing.B) {
	const batch = 50
	h := newHarness(b, harnessOpts{})
	h.w.cfg.Batch = batch
	ctx := context.Background()
	sent := 0
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		number := fmt.Sprintf("WB-%05d", i)
		putBenchOrder(b, h, number, batch)
		for range batch {
			if _, err := h.svc.CreateReturn(ctx, service.OrderAccess{Number: number, Locale: "de"}, service.ReturnRequest{
				QuoteRequest: returns.QuoteRequest{RefundMethod: returns.MethodOriginalPayment,
					Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}}}}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		for {
			n, err := h.w.Round(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		sent += batch
	}
	b.StopTimer()
	if got := len(h.sink.messages()); got != sent {
		b.Fatalf("%d e-mails received, %d sent", got, sent)
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "mails/s")
}

func putBenchOrder(b *testing.B, h *harness, number string, units int) {
	b.Helper()
	now := h.now()
	delivered, shipped := now.Add(-24*time.Hour), now.Add(-48*time.Hour)
	o := returns.Order{Number: number, Email: "bench@example.com", CustomerName: "Bench", Locale: "de-DE", Currency: "EUR",
		PlacedAt: now.Add(-72 * time.Hour), ShippedAt: &shipped, DeliveredAt: &delivered,
		ShippingAddress: returns.Address{Name: "Bench", Line1: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Shipping:        returns.Shipping{Amount: 495, Method: "standard"},
		Payment:         returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_" + number},
		Lines: []returns.Line{{ID: "L1", SKU: "TEE", Name: "T-Shirt", Quantity: units, UnitPrice: 2500, Category: "apparel",
			HSCode: "610910", OriginCountry: "PT", WeightGrams: 200}}}
	if _, err := h.st.UpsertOrder(context.Background(), o); err != nil {
		b.Fatal(err)
	}
}
