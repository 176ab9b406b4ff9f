package service

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/carriers/carrierstest"
	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// payingCarrierRig is the carrier rig whose refunds go to a payment
// executor (the demo's featured order is paid by Stripe), with the
// payments tests' short leases so that the refund worker takes a stalled
// refund over at once.
func payingCarrierRig(t *testing.T, ex payments.Executor) *carrierRig {
	t.Helper()
	rig := newCarrierRig(t)
	var err error
	rig.Service, err = New(Config{Store: rig.st, Legal: returns.LoadLegal(), Now: rig.now, Tokens: rig.Service.tokens,
		Carriers: rig.Service.carriers, Connectors: ConnectorEnv{StripeKey: "sk_test_x"},
		Executors:   func(payments.Config, string) (payments.Executor, error) { return ex, nil },
		RefundLease: 30 * time.Millisecond, RefundRetryBase: time.Millisecond, RefundCallTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return rig
}

// TestFirstScanPaysOnceAtTheProvider: the refund on the first scan is the
// payments' claim → call → finalise, so the payment provider is asked for
// one refund whatever happens around it: many webhooks and carrier workers
// at once, and a process that dies after the provider paid but before the
// refund was recorded (the refund worker finishes it with the same
// idempotency key).
func TestFirstScanPaysOnceAtTheProvider(t *testing.T) {
	for _, fault := range []string{"", "after_call", "timeout"} {
		t.Run("fault "+fault, func(t *testing.T) {
			ctx := context.Background()
			prov := &fakeProvider{delay: 10 * time.Millisecond}
			rig := payingCarrierRig(t, &faulty{inner: prov, fault: fault})
			rig.setPolicy(t, func(p *returns.Policy) {
				berlinVia(returns.LabelProviderEasyPost, "USPS", "")(p)
				first := returns.RefundOnFirstScan
				p.Default.RefundTrigger = &first
			})
			c := rig.createOne(t, demo.FeaturedOrder, "L1")
			rig.work(t)
			rma := c.Return.RMA
			tracking := rig.shipment(t, rma).Shipment.Tracking()
			picked := carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: rig.now().Add(time.Hour)}
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if _, err := rig.easyPostScan(t, "evt_"+string(rune('a'+i)), tracking, picked); err != nil {
						t.Error(err)
					}
				})
				wg.Go(func() { _, _ = rig.CarrierRound(ctx) })
			}
			wg.Wait()
			f := store.Refund{State: store.RefundPending}
			for range 100 {
				rig.work(t)
				if _, err := rig.ResumeRefunds(ctx); err != nil {
					t.Fatal(err)
				}
				var err error
				if f, err = rig.st.GetRefund(ctx, rma); err == nil && f.State == store.RefundSucceeded {
					break
				}
				time.Sleep(40 * time.Millisecond)
			}
			if f.State != store.RefundSucceeded {
				t.Fatalf("refund %+v", f)
			}
			prov.mu.Lock()
			defer prov.mu.Unlock()
			r, _ := rig.Return(ctx, rma)
			if len(prov.refunds) != 1 || r.Status != returns.StatusRefunded {
				t.Fatalf("%d refunds at the provider (%d calls), status %s", len(prov.refunds), prov.calls, r.Status)
			}
			for _, amount := range prov.amounts {
				if amount != r.Quote.Total {
					t.Errorf("paid %d, want %d", amount, r.Quote.Total)
				}
			}
			if n, _ := rig.st.CountRefunds(ctx, rma); n != 1 {
				t.Errorf("%d refund rows", n)
			}
		})
	}
}
