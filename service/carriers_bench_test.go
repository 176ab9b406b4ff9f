package service

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/carriers/carrierstest"
	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// BenchmarkCarrierWebhook is one signed EasyPost tracker update through
// the use case (signature, parse, store once, fold the state, in one
// transaction) for a parcel whose history grows by a scan per update, as
// EasyPost sends it: every earlier scan again (dropped as known), up to 30.
func BenchmarkCarrierWebhook(b *testing.B) {
	ctx := context.Background()
	rig := newCarrierRig(b)
	rig.setPolicy(b, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
	l, err := rig.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.10"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := rig.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}},
			RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		b.Fatal(err)
	}
	rig.work(b)
	v, _, err := rig.ReturnShipment(ctx, c.Return.RMA)
	if err != nil {
		b.Fatal(err)
	}
	tracking := v.Shipment.Tracking()
	base := time.Now().Add(-1000 * time.Hour).Truncate(time.Second)
	var details []carrierstest.TrackingDetail
	i := 0
	for b.Loop() {
		details = append(details, carrierstest.TrackingDetail{Status: "in_transit", Message: "Sorted",
			At: base.Add(time.Duration(i) * time.Minute), City: "Leipzig"})
		if len(details) > 30 {
			details = details[1:]
		}
		i++
		body := carrierstest.TrackerEvent("evt_b", tracking, details...)
		h := http.Header{}
		h.Set(carriers.EasyPostSignatureHeader, carriers.EasyPostSignature(epSecret, body))
		if out, err := rig.CarrierWebhook(ctx, returns.LabelProviderEasyPost, h, body); err != nil || out != WebhookApplied {
			b.Fatal(out, err)
		}
	}
}
