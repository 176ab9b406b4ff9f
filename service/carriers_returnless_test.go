package service

import (
	"context"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestCarriersBuyNoLabelForKeptItems: with the Berlin hub buying its
// labels from EasyPost, a keep-the-item (returnless) return gets no
// shipment and no label job, neither when approved at once nor after
// review, and the platform is never called for it; a return with a parcel
// from the same order still gets its label, so the set-up does buy labels.
func TestCarriersBuyNoLabelForKeptItems(t *testing.T) {
	rig := newCarrierRig(t)
	exchangeShop(t, rig.testService)
	rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", "GroundAdvantage"))
	ctx := context.Background()
	socks := ReturnRequest{QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{refundItem("L2", 1, "changed_mind")},
		RefundMethod: returns.MethodOriginalPayment}}

	kept, err := rig.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, socks)
	if err != nil || !kept.Return.Returnless() || kept.Return.Status != returns.StatusRefunded {
		t.Fatalf("kept at once: %+v, %v", kept.Return, err)
	}
	// The blocked e-mail's socks: kept after review.
	reviewed, err := rig.CreateReturn(ctx, OrderAccess{Number: "BLK-1", Locale: "de"}, socks)
	if err != nil || !reviewed.Return.Returnless() || reviewed.Return.Status != returns.StatusRequested {
		t.Fatalf("kept after review: %+v, %v", reviewed.Return, err)
	}
	if r, err := rig.Approve(ctx, reviewed.Return.RMA, "staff:t"); err != nil || r.Status != returns.StatusRefunded {
		t.Fatalf("approved: %+v, %v", r, err)
	}
	rig.work(t)
	for _, rma := range []string{kept.Return.RMA, reviewed.Return.RMA} {
		if sh, ok, err := rig.ReturnShipment(ctx, rma); err != nil || ok {
			t.Errorf("%s: a kept return has a shipment %+v (%v)", rma, sh, err)
		}
	}
	if n := len(rig.ep.Calls()); n != 0 {
		t.Fatalf("the platform was called %d times for kept items", n)
	}

	// The jacket goes back in a parcel: its label is bought.
	parcel, err := rig.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{refundItem("L3", 1, "changed_mind")}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil || parcel.Return.Returnless() || parcel.Return.Status != returns.StatusApproved {
		t.Fatalf("parcel: %+v, %v", parcel.Return, err)
	}
	rig.work(t)
	if fake := rig.ep.Shipments(); len(fake) != 1 || fake[0].Buys != 1 || rig.shipment(t, parcel.Return.RMA).Shipment.Tracking() != fake[0].Tracking {
		t.Errorf("the parcel's label: %+v", fake)
	}
}
