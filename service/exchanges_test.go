package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// exchangeShop sets the test service up for exchanges: the demo policy
// with exchanges (free return shipping), a returnless rule for socks up
// to €10 and review rules (a blocked e-mail, orders above €500); the
// T-shirt product (L: one unit left); order EX-1 (Germany, delivered 3
// days ago: two T-shirts M, socks, a jacket) and the gift order GIFT-1
// (shipped to postal code SW1A 1AA).
func exchangeShop(t *testing.T, ts *testService) {
	t.Helper()
	ctx := context.Background()
	p := demo.Policy()
	p.Default.Exchanges = &returns.ExchangePolicy{Enabled: true, FreeReturnShipping: true}
	p.Returnless = []returns.ReturnlessRule{{MaxItemValue: map[string]int64{"EUR": 1000}, Categories: []string{"socks"}}}
	p.ReviewRules = []returns.ReviewRule{{Rule: returns.RuleBlockList, Emails: []string{"blocked@example.com"}},
		{Rule: returns.RuleOrderValue, Above: map[string]int64{"EUR": 50000}}}
	if _, err := ts.st.SavePolicy(ctx, p, "test"); err != nil {
		t.Fatal(err)
	}
	tee := returns.Product{ID: "P-TEE", Title: "T-shirt", Variants: []returns.Variant{
		{SKU: "TEE-M-BLU", Title: "M / Blue", Options: map[string]string{"Size": "M", "Color": "Blue"}, Prices: map[string]int64{"EUR": 2500}, Inventory: 4},
		{SKU: "TEE-L-BLU", Title: "L / Blue", Options: map[string]string{"Size": "L", "Color": "Blue"}, Prices: map[string]int64{"EUR": 2500}, Inventory: 1},
		{SKU: "TEE-S-BLU", Title: "S / Blue", Options: map[string]string{"Size": "S", "Color": "Blue"}, Prices: map[string]int64{"EUR": 2500}, Inventory: 6},
	}}
	if _, _, err := ts.PutProduct(ctx, tee); err != nil {
		t.Fatal(err)
	}
	delivered := ts.now().Add(-3 * 24 * time.Hour)
	order := func(number, email, postal string, gift bool) returns.Order {
		placed, shipped := delivered.Add(-72*time.Hour), delivered.Add(-48*time.Hour)
		return returns.Order{Number: number, Email: email, CustomerName: "Lena Vogel", Locale: "de-DE", Currency: "EUR",
			PlacedAt: placed, ShippedAt: &shipped, DeliveredAt: &delivered, Gift: gift,
			ShippingAddress: returns.Address{Name: "Lena Vogel", Line1: "Hauptstraße 5", City: "Berlin", PostalCode: postal, Country: "DE"},
			Shipping:        returns.Shipping{Amount: 495, Method: "standard"},
			Payment:         returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_" + number},
			Lines: []returns.Line{
				{ID: "L1", SKU: "TEE-M-BLU", Name: "T-shirt", Variant: "M / Blue", Quantity: 2, UnitPrice: 2500, Category: "apparel", ProductID: "P-TEE"},
				{ID: "L2", SKU: "SOCKS", Name: "Socks", Quantity: 1, UnitPrice: 900, Category: "socks"},
				{ID: "L3", SKU: "JACKET", Name: "Jacket", Quantity: 1, UnitPrice: 8000, Category: "apparel"},
			}}
	}
	for _, o := range []returns.Order{order("EX-1", "lena@example.com", "10115", false),
		order("GIFT-1", "buyer@example.com", "SW1A 1AA", true), order("BLK-1", "Blocked@Example.com", "10115", false)} {
		if _, err := ts.st.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
}

func exchangeItem(line string, q int, sku string) returns.QuoteItem {
	return returns.QuoteItem{LineID: line, Quantity: q, Reason: "wrong_size", Resolution: returns.ResolutionExchange, ExchangeSKU: sku}
}

func refundItem(line string, q int, reason string) returns.QuoteItem {
	return returns.QuoteItem{LineID: line, Quantity: q, Reason: reason}
}

func (ts *testService) available(t *testing.T, sku string) int {
	t.Helper()
	p, err := ts.Product(context.Background(), "P-TEE")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p.Variants {
		if v.SKU == sku {
			return v.Inventory
		}
	}
	t.Fatalf("no variant %s", sku)
	return 0
}

func TestExchangeOnlyReturn(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	a := OrderAccess{Number: "EX-1", Locale: "de"}
	of, err := ts.Offer(ctx, mustOrder(t, ts, "EX-1"))
	if err != nil {
		t.Fatal(err)
	}
	var skus []string
	for _, o := range of.Exchanges["L1"] {
		skus = append(skus, o.Variant.SKU)
	}
	if !slices.Equal(skus, []string{"TEE-L-BLU", "TEE-S-BLU"}) || len(of.Exchanges["L2"]) != 0 {
		t.Fatalf("exchange options %v, socks %v", skus, of.Exchanges["L2"])
	}
	ts.subscribeAll(t)
	c, err := ts.CreateReturn(ctx, a, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-L-BLU")}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Return
	if r.Quote.Total != 0 || r.RefundMethod != returns.MethodExchange || r.Status != returns.StatusApproved ||
		len(r.Exchanges) != 1 || r.Exchanges[0].State != returns.ExchangeReserved || r.Exchanges[0].Title != "L / Blue" {
		t.Fatalf("created %+v", r)
	}
	if n := ts.available(t, "TEE-L-BLU"); n != 0 {
		t.Errorf("available after the reservation: %d", n)
	}
	// The last L is gone for everyone else.
	_, err = ts.CreateReturn(ctx, a, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-L-BLU")}}})
	if fieldOrCode(err) != returns.CodeOutOfStock {
		t.Fatalf("the last unit again: %v", err)
	}
	if _, err := ts.Receive(ctx, r.RMA, "staff:t"); err != nil {
		t.Fatal(err)
	}
	r, err = ts.Inspect(ctx, r.RMA, "staff:t", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != returns.StatusExchanged || r.Exchanges[0].State != returns.ExchangeIssued {
		t.Fatalf("after inspection: %s, %+v", r.Status, r.Exchanges)
	}
	if n := ts.available(t, "TEE-L-BLU"); n != 0 {
		t.Errorf("the issued unit counts until the shop's next figure: available %d", n)
	}
	// Announced: the shopper's e-mail and exchange.created with what the
	// shop needs for the replacement order.
	var hook *store.OutboxMessage
	rows := ts.outboxRows(t, r.RMA)
	for i, m := range rows {
		if m.Channel == store.ChannelWebhook && m.Event == returns.EventExchangeCreated {
			hook = &rows[i]
		}
	}
	if !slices.Contains(kinds(rows), "email exchange.created pending") || hook == nil {
		t.Fatalf("outbox %v", kinds(rows))
	}
	var body struct {
		Type string          `json:"type"`
		Data ExchangeCreated `json:"data"`
	}
	if err := json.Unmarshal([]byte(hook.Payload), &body); err != nil {
		t.Fatal(err)
	}
	d := body.Data
	if body.Type != returns.EventExchangeCreated || len(d.Lines) != 1 || d.Lines[0].SKU != "TEE-L-BLU" || d.Lines[0].Replaces != "L1" ||
		d.ShipTo.PostalCode != "10115" || d.Order.Number != "EX-1" || d.Email != "lena@example.com" || d.Return.Status != returns.StatusExchanged {
		t.Errorf("exchange.created %+v", body)
	}
	// Nothing to refund.
	if _, err := ts.Refund(ctx, RefundRequest{RMA: r.RMA, Key: "k1", RequestHash: "h", Actor: "staff:t"}); err == nil {
		t.Error("an exchanged return was refunded")
	}
	agreeTables(t, ts, "an exchange issued")
}

func TestMixedReturnRefundsTheRest(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	c, err := ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items:        []returns.QuoteItem{exchangeItem("L1", 2, "TEE-S-BLU"), refundItem("L3", 1, "changed_mind")},
		RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Return
	// The jacket's refund, no return fee (an exchange ships free), and no
	// outbound shipping although every T-shirt and the jacket come back:
	// the socks stay, and exchanged units are not returned anyway.
	if r.Quote.ItemsRefund != 8000 || r.Quote.ReturnShippingFee != 0 || r.Quote.Total != 8000 || r.RefundMethod != returns.MethodOriginalPayment {
		t.Fatalf("quote %+v, method %s", r.Quote, r.RefundMethod)
	}
	if _, err := ts.Receive(ctx, r.RMA, "staff:t"); err != nil {
		t.Fatal(err)
	}
	// One T-shirt arrives unusable: one exchanged, one released.
	r, err = ts.Inspect(ctx, r.RMA, "staff:t", []returns.InspectedItem{
		{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable},
		{LineID: "L1", Accepted: 0, Condition: returns.ConditionDamaged}}[:1])
	if err == nil {
		t.Fatal("an inspection without the jacket was taken")
	}
	r, err = ts.Inspect(ctx, c.Return.RMA, "staff:t", []returns.InspectedItem{
		{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable},
		{LineID: "L3", Accepted: 1, Condition: returns.ConditionResellable}})
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, x := range r.Exchanges {
		states = append(states, x.State)
	}
	if r.Status != returns.StatusInspected || !slices.Equal(states, []string{returns.ExchangeIssued, returns.ExchangeReleased}) {
		t.Fatalf("after inspection: %s %v", r.Status, states)
	}
	if n := ts.available(t, "TEE-S-BLU"); n != 5 {
		t.Errorf("S available %d, want 6 less the one issued", n)
	}
	res, err := ts.Refund(ctx, RefundRequest{RMA: r.RMA, Key: "k1", RequestHash: "h", Actor: "staff:t"})
	if err != nil || res.State != store.RefundSucceeded {
		t.Fatalf("refund %+v, %v", res, err)
	}
	f, err := ts.st.GetRefund(ctx, r.RMA)
	if err != nil || f.Amount != 8000 {
		t.Fatalf("refund %+v, %v", f, err)
	}
	req, err := ts.executorRequest(ctx, f)
	if err != nil || len(req.Lines) != 1 || req.Lines[0].LineID != "L3" {
		t.Errorf("the executor is asked to refund %+v (%v): the jacket only", req.Lines, err)
	}
	if r, _ = ts.Return(ctx, r.RMA); r.Status != returns.StatusRefunded {
		t.Errorf("status %s", r.Status)
	}
	agreeTables(t, ts, "a mixed return refunded")
}

func TestCancelAndRejectReleaseReservations(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	a := OrderAccess{Number: "EX-1", Locale: "de"}
	req := ReturnRequest{QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-L-BLU")}}}
	c, err := ts.CreateReturn(ctx, a, req)
	if err != nil {
		t.Fatal(err)
	}
	access, err := ts.OpenReturn(ctx, c.Return.RMA, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Cancel(ctx, access); err != nil {
		t.Fatal(err)
	}
	if n := ts.available(t, "TEE-L-BLU"); n != 1 {
		t.Fatalf("after cancel: available %d", n)
	}
	c, err = ts.CreateReturn(ctx, a, req)
	if err != nil {
		t.Fatalf("the released unit again: %v", err)
	}
	r, err := ts.Reject(ctx, c.Return.RMA, "staff:t", "not ours")
	if err != nil || r.Exchanges[0].State != returns.ExchangeReleased {
		t.Fatalf("reject: %+v, %v", r.Exchanges, err)
	}
	if n := ts.available(t, "TEE-L-BLU"); n != 1 {
		t.Errorf("after reject: available %d", n)
	}
	agreeTables(t, ts, "exchanges cancelled and rejected")
}

// TestTheLastUnitOnce: many shoppers exchange for the last unit at once
// through the service; one return is made, the others are refused.
func TestTheLastUnitOnce(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	const n = 16
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		made, oos int
		other     []error
		start     = make(chan struct{})
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
				Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-L-BLU")}}})
			mu.Lock()
			defer mu.Unlock()
			var de *returns.Error
			switch {
			case err == nil:
				made++
			case errors.As(err, &de) && (de.Code == returns.CodeOutOfStock || de.Code == returns.CodeExceedsReturnable):
				oos++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if made != 1 || oos != n-1 || len(other) > 0 {
		t.Fatalf("made %d, refused %d, other %v", made, oos, other)
	}
	if got := ts.available(t, "TEE-L-BLU"); got != 0 {
		t.Errorf("available %d", got)
	}
}

func TestReturnlessIsSettledAtOnce(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	ts.subscribeAll(t)
	q := returns.QuoteRequest{Items: []returns.QuoteItem{refundItem("L2", 1, "changed_mind")}, RefundMethod: returns.MethodOriginalPayment}
	_, quote, err := ts.Quote(ctx, "EX-1", q)
	if err != nil || !quote.Returnless {
		t.Fatalf("the quote says keep it: %+v, %v", quote, err)
	}
	c, err := ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: q})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Return
	if !r.Returnless() || r.Status != returns.StatusRefunded {
		t.Fatalf("created: returnless %v, status %s", r.Returnless(), r.Status)
	}
	if err := returns.CheckReturnLabel(r); err == nil {
		t.Error("a returnless return has a label")
	}
	f, err := ts.st.GetRefund(ctx, r.RMA)
	if err != nil || f.State != store.RefundSucceeded || f.Amount != r.Quote.Total || f.Actor != actorSystem {
		t.Fatalf("refund %+v, %v", f, err)
	}
	// The same exactly-once path: another refund of it is refused.
	if _, err := ts.Refund(ctx, RefundRequest{RMA: r.RMA, Key: "other", RequestHash: "h", Actor: "staff:t"}); !isConflict(err, CodeAlreadyRefunded) {
		t.Errorf("a second refund: %v", err)
	}
	got := kinds(ts.outboxRows(t, r.RMA))
	for _, want := range []string{"email return.created pending", "email return.refunded pending", "webhook return.refunded pending"} {
		if !slices.Contains(got, want) {
			t.Errorf("outbox %v lacks %q", got, want)
		}
	}
	if slices.Contains(got, "email return.reminder pending") {
		t.Errorf("a drop-off reminder for a parcel that is not sent: %v", got)
	}
	total, open, err := ts.st.ReturnlessCount(ctx)
	if err != nil || total != 1 || open != 0 {
		t.Errorf("returnless count %d, open %d, %v", total, open, err)
	}
	// The socks and a T-shirt: not every item is kept, so the parcel goes.
	c, err = ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items:        []returns.QuoteItem{refundItem("L1", 1, "changed_mind"), refundItem("L3", 1, "changed_mind")},
		RefundMethod: returns.MethodOriginalPayment}})
	if err != nil || c.Return.Returnless() || c.Return.Status != returns.StatusApproved {
		t.Errorf("a return with a parcel: %+v, %v", c.Return, err)
	}
	agreeTables(t, ts, "a returnless return settled")
}

func TestReviewRulesSendToReview(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	// The blocked e-mail's return of socks: kept, but only after review.
	c, err := ts.CreateReturn(ctx, OrderAccess{Number: "BLK-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{refundItem("L2", 1, "changed_mind")}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Return
	if r.Status != returns.StatusRequested || !r.Quote.ManualReview || !r.Returnless() {
		t.Fatalf("created %s, review %v", r.Status, r.Quote.ManualReview)
	}
	x, err := ts.st.ReturnExtras(ctx, r.RMA)
	if err != nil || len(x.ReviewFlags) != 1 || x.ReviewFlags[0].Rule != returns.RuleBlockList || x.ReviewFlags[0].Index != 0 {
		t.Fatalf("flags %+v, %v", x.ReviewFlags, err)
	}
	if _, err := ts.Refund(ctx, RefundRequest{RMA: r.RMA, Key: "k", RequestHash: "h", Actor: "staff:t"}); err == nil {
		t.Fatal("refunded before review")
	}
	// Approved: settled at once, as it would have been without review.
	r, err = ts.Approve(ctx, r.RMA, "staff:t")
	if err != nil || r.Status != returns.StatusRefunded {
		t.Fatalf("approved: %s, %v", r.Status, err)
	}
	// An order of someone else: no rule matches.
	c, err = ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{refundItem("L3", 1, "changed_mind")}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil || c.Return.Status != returns.StatusApproved {
		t.Fatalf("EX-1: %s, %v", c.Return.Status, err)
	}
	if x, _ := ts.st.ReturnExtras(ctx, c.Return.RMA); len(x.ReviewFlags) != 0 {
		t.Errorf("flags %+v", x.ReviewFlags)
	}
}

func TestReviewRuleReturnsByEmail(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	_, p, _ := ts.st.CurrentPolicy(ctx)
	p.ReviewRules = []returns.ReviewRule{{Rule: returns.RuleReturnsByEmail, MoreThan: 1, Days: 30}}
	if _, err := ts.st.SavePolicy(ctx, p, "test"); err != nil {
		t.Fatal(err)
	}
	status := func(line string) returns.Status {
		t.Helper()
		c, err := ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
			Items: []returns.QuoteItem{refundItem(line, 1, "wrong_size")}, RefundMethod: returns.MethodOriginalPayment}})
		if err != nil {
			t.Fatal(err)
		}
		return c.Return.Status
	}
	if s := status("L1"); s != returns.StatusApproved {
		t.Errorf("the first return: %s", s)
	}
	if s := status("L3"); s != returns.StatusRequested {
		t.Errorf("the second within 30 days: %s", s)
	}
}

func TestGiftLookup(t *testing.T) {
	ts := newTestService(t, Settings{LookupLimitIP: 100, LookupLimitOrder: 100})
	exchangeShop(t, ts)
	ctx := context.Background()
	l, err := ts.GiftLookup(ctx, GiftLookupRequest{OrderNumber: "GIFT-1", PostalCode: "sw1a1aa", ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ts.VerifyShopperToken(l.Token)
	if err != nil || !a.Gift || a.Number != "GIFT-1" {
		t.Fatalf("token opens %+v, %v", a, err)
	}
	if _, err := ts.VerifyOrderToken(l.Token); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a gift token passed as a lookup token: %v", err)
	}
	for _, c := range []struct{ name, number, postal string }{
		{"a wrong postal code", "GIFT-1", "SW1A 1AB"},
		{"not a gift", "EX-1", "10115"},
		{"an unknown order", "NOPE-1", "10115"},
		{"no postal code", "GIFT-1", " "},
		{"a number no order has", "!!", "10115"},
	} {
		if _, err := ts.GiftLookup(ctx, GiftLookupRequest{OrderNumber: c.number, PostalCode: c.postal, ClientIP: "192.0.2.1"}); !errors.Is(err, ErrOrderNotFound) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// The same limits as the lookup's, per order number.
	limited := newTestService(t, Settings{LookupLimitIP: 100, LookupLimitOrder: 2})
	exchangeShop(t, limited)
	for i := range 3 {
		_, err := limited.GiftLookup(ctx, GiftLookupRequest{OrderNumber: "GIFT-1", PostalCode: "X", ClientIP: "192.0.2.1"})
		var rl *RateLimitedError
		if i == 2 && !errors.As(err, &rl) {
			t.Errorf("attempt %d: %v", i+1, err)
		}
	}
}

func TestGiftReturn(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	a := OrderAccess{Number: "GIFT-1", Locale: "en", Gift: true}
	req := ReturnRequest{QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{refundItem("L3", 1, "wrong_size")},
		RefundMethod: returns.MethodOriginalPayment}, GiftEmail: "kim@example.com"}
	if _, err := ts.CreateReturn(ctx, a, req); fieldOrCode(err) != returns.CodeGiftStoreCreditOnly {
		t.Fatalf("to the buyer's card: %v", err)
	}
	req.RefundMethod, req.Consent, req.GiftEmail = returns.MethodStoreCredit, true, "not an address"
	if _, err := ts.CreateReturn(ctx, a, req); fieldOrCode(err) != returns.CodeGiftEmail {
		t.Fatalf("without an address: %v", err)
	}
	req.GiftEmail = " kim@example.com "
	c, err := ts.CreateReturn(ctx, a, req)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Return
	if !r.Gift || r.GiftEmail != "kim@example.com" {
		t.Fatalf("gift %v %q", r.Gift, r.GiftEmail)
	}
	for _, m := range ts.outboxRows(t, r.RMA) {
		if m.Channel == store.ChannelEmail && m.Recipient != "kim@example.com" {
			t.Errorf("%s e-mailed to %s", m.Event, m.Recipient)
		}
	}
	// The gift token opens the recipient's return; the buyer's lookup
	// neither opens nor lists it, and the recipient does not see the
	// buyer's.
	gift, _ := ts.tokens.ForGift("GIFT-1", "en", ts.now())
	buyer, _ := ts.tokens.ForOrder("GIFT-1", "en", ts.now())
	if acc, err := ts.OpenReturn(ctx, r.RMA, gift); err != nil || !acc.May.Cancel || !acc.Return.Gift {
		t.Errorf("the gift token: %+v, %v", acc.May, err)
	}
	if _, err := ts.OpenReturn(ctx, r.RMA, buyer); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("the buyer's token opened the gift return: %v", err)
	}
	own, err := ts.CreateReturn(ctx, OrderAccess{Number: "GIFT-1", Locale: "en"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{refundItem("L2", 1, "wrong_size")}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.OpenReturn(ctx, own.Return.RMA, gift); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("the gift token opened the buyer's return: %v", err)
	}
	list := func(a OrderAccess) []string {
		rs, err := ts.OrderReturns(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.RMA)
		}
		return out
	}
	if got := list(a); !slices.Equal(got, []string{r.RMA}) {
		t.Errorf("the recipient lists %v", got)
	}
	if got := list(OrderAccess{Number: "GIFT-1"}); !slices.Equal(got, []string{own.Return.RMA}) {
		t.Errorf("the buyer lists %v", got)
	}
	// An exchange needs no store credit.
	c, err = ts.CreateReturn(ctx, a, ReturnRequest{QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-S-BLU")}},
		GiftEmail: "kim@example.com"})
	if err != nil || c.Return.RefundMethod != returns.MethodExchange {
		t.Errorf("a gift exchange: %+v, %v", c.Return, err)
	}
}

func TestCatalogUseCases(t *testing.T) {
	ts := newTestService(t, Settings{})
	exchangeShop(t, ts)
	ctx := context.Background()
	if _, _, err := ts.PutProduct(ctx, returns.Product{ID: "P-X", Title: "X", Variants: []returns.Variant{{SKU: "X-1", Inventory: -1}}}); fieldCode(err) == "" {
		t.Errorf("an invalid product: %v", err)
	}
	if _, err := ts.CreateReturn(ctx, OrderAccess{Number: "EX-1", Locale: "de"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{exchangeItem("L1", 1, "TEE-S-BLU")}}}); err != nil {
		t.Fatal(err)
	}
	// A new figure from the shop: the reservation still counts.
	p, err := ts.Product(ctx, "P-TEE")
	if err != nil {
		t.Fatal(err)
	}
	doc := returns.Product{ID: p.ID, Title: p.Title}
	for _, v := range p.Variants {
		doc.Variants = append(doc.Variants, returns.Variant{SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices, Inventory: 10})
	}
	v, created, err := ts.PutProduct(ctx, doc)
	if err != nil || created {
		t.Fatal(created, err)
	}
	for _, x := range v.Variants {
		want := 10
		if x.SKU == "TEE-S-BLU" {
			want = 9
		}
		if x.Inventory != want || x.ShopInventory != 10 {
			t.Errorf("%s: inventory %d (shop %d), want %d", x.SKU, x.Inventory, x.ShopInventory, want)
		}
	}
	if err := ts.DeleteProduct(ctx, "P-TEE"); fieldOrCode(err) != returns.CodeProductReserved {
		t.Errorf("delete with a reservation: %v", err)
	}
	if _, err := ts.Product(ctx, "../etc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a malformed id: %v", err)
	}
	list, err := ts.Products(ctx)
	if err != nil || len(list) != 1 {
		t.Errorf("products %d, %v", len(list), err)
	}
}
