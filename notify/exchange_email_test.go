package notify

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// TestExchangeEmail: when the inspection issues an exchange, the shopper
// gets the exchange.created e-mail in her language, naming what the shop
// sends instead, with a working link to the return's page.
func TestExchangeEmail(t *testing.T) {
	for _, tc := range []struct{ lang, subject, item string }{
		{"en", "Your exchange for return %s (order DE-1001)", "1 × T-Shirt: exchange for L / Blue"},
		{"de", "Ihr Umtausch zur Rücksendung %s (Bestellung DE-1001)", "1 × T-Shirt: Umtausch gegen L / Blue"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, harnessOpts{})
			ctx := context.Background()
			l, err := h.svc.Lookup(ctx, service.LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.1", Locale: tc.lang})
			if err != nil {
				t.Fatal(err)
			}
			c, err := h.svc.CreateReturn(ctx, service.OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, service.ReturnRequest{
				QuoteRequest: returns.QuoteRequest{RefundMethod: returns.MethodOriginalPayment, Items: []returns.QuoteItem{
					{LineID: "L1", Quantity: 1, Reason: "wrong_size", Resolution: returns.ResolutionExchange, ExchangeSKU: "TEE-L-BLU"}}}})
			if err != nil {
				t.Fatal(err)
			}
			rma := c.Return.RMA
			if _, err := h.svc.Receive(ctx, rma, "staff:test"); err != nil {
				t.Fatal(err)
			}
			if _, err := h.svc.Inspect(ctx, rma, "staff:test", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}); err != nil {
				t.Fatal(err)
			}
			h.drain()
			var got parsed
			want := strings.Replace(tc.subject, "%s", rma, 1)
			for _, m := range h.sink.messages() {
				if p := parse(t, m.Data); p.Subject == want {
					got = p
				}
			}
			if got.Text == "" {
				t.Fatalf("no e-mail %q", want)
			}
			if !strings.Contains(unisolate(got.Text), tc.item) {
				t.Errorf("the e-mail lacks %q:\n%s", tc.item, got.Text)
			}
			res, _ := get(t, got.link(t, h.base, "/r/"+rma))
			if res.StatusCode != http.StatusOK {
				t.Errorf("status link: %d", res.StatusCode)
			}
		})
	}
}

// unisolate drops the bidi isolates around the variables of a text.
func unisolate(s string) string { return strings.NewReplacer("\u2068", "", "\u2069", "").Replace(s) }
