package service

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// wooOrder723 is WooCommerce's documented order 723 (completed; lines 311
// at 9.00 and 313 at 20.00, shipping 10.00: 39.00 paid) delivered three
// days ago, listing the given refunds.
func wooOrder723(t *testing.T, refunds []map[string]any) []byte {
	t.Helper()
	raw, err := os.ReadFile("../platforms/testdata/woocommerce-order-723.json")
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-72 * time.Hour).Format("2006-01-02T15:04:05")
	o["date_created_gmt"], o["date_completed_gmt"] = at, at
	o["refunds"] = refunds
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wooRefundEntry(id int, reason, total string) map[string]any {
	return map[string]any{"id": id, "reason": reason, "total": total}
}

// TestWooCommerceShopRefundsCountAgainstCap: refunds made in WooCommerce,
// listed by order.created and order.updated, lower what the portal may
// still refund of the order, each counted once however often it is
// listed; the portal's own refund (its reason names it) is not counted.
// Order 723 paid 39.00; a return of line 313 owes 20.00.
func TestWooCommerceShopRefundsCountAgainstCap(t *testing.T) {
	theirs := []map[string]any{wooRefundEntry(726, "", "-10.00"), wooRefundEntry(724, "", "-9.00")}
	cases := []struct {
		name        string
		deliveries  [][]map[string]any
		wantRefused bool
	}{
		{"the documented refunds leave 20.00", [][]map[string]any{theirs}, false},
		{"listed again by every update, counted once", [][]map[string]any{theirs, theirs, theirs}, false},
		{"one more refund in the shop leaves too little",
			[][]map[string]any{theirs, append(theirs[:2:2], wooRefundEntry(728, "goodwill", "-0.01"))}, true},
		{"a refund the portal made is not counted twice",
			[][]map[string]any{append(theirs[:2:2], wooRefundEntry(729, "Return R-AAAA-BBBB (returns-portal:rf_X)", "-5.00"))}, false},
		{"a refund the shop's record no longer lists stays counted",
			[][]map[string]any{append(theirs[:2:2], wooRefundEntry(728, "", "-0.01")), theirs}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := refundService(t, ConnectorEnv{WooWebhookSecret: "hush"}, nil)
			ctx := context.Background()
			for i, refunds := range c.deliveries {
				body := wooOrder723(t, refunds)
				topic := platforms.TopicOrderUpdated
				if i == 0 {
					topic = platforms.TopicOrderCreated
				}
				out, err := s.ReceiveWebhook(ctx, WebhookDelivery{Platform: platforms.WooCommerce, ID: fmt.Sprint("d", i),
					Topic: topic, Signature: platforms.Sign(body, "hush"), Body: body})
				if err != nil || out != store.WebhookApplied {
					t.Fatalf("delivery %d: %q %v", i, out, err)
				}
			}
			l, err := s.Lookup(ctx, LookupRequest{OrderNumber: "723", Email: "joao.silva@example.com", ClientIP: "192.0.2.1"})
			if err != nil {
				t.Fatal(err)
			}
			c0, err := s.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
				QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: "313", Quantity: 1, Reason: "wrong_item"}},
					RefundMethod: returns.MethodOriginalPayment}})
			if err != nil {
				t.Fatal(err)
			}
			rma := c0.Return.RMA
			if c0.Return.Quote.Total != 2000 {
				t.Fatalf("quote %+v, want 20.00", c0.Return.Quote)
			}
			if _, err := s.Receive(ctx, rma, "staff:t"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Inspect(ctx, rma, "staff:t", []returns.InspectedItem{{LineID: "313", Accepted: 1,
				Condition: returns.ConditionResellable}}); err != nil {
				t.Fatal(err)
			}
			res, err := s.Refund(ctx, RefundRequest{RMA: rma, Key: "k", RequestHash: "h", Actor: "staff:t"})
			switch {
			case c.wantRefused && !isConflict(err, returns.CodeRefundExceedsPaid):
				t.Errorf("refund %s %s %v, want refund_exceeds_paid", res.State, res.Body, err)
			case !c.wantRefused && (err != nil || res.State != store.RefundSucceeded):
				t.Errorf("refund %s %s %v, want it paid", res.State, res.Body, err)
			}
		})
	}
}
