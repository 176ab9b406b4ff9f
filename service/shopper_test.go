package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestUpsertOrderImageHosts: a line's picture comes from a configured host,
// over https, or the order is refused with the line's field.
func TestUpsertOrderImageHosts(t *testing.T) {
	ts := newTestService(t, Settings{ImageHosts: []string{"https://CDN.shop.example", "img.example:8443"}})
	ctx := context.Background()
	order := func(image string) OrderInput {
		q, p := 1, int64(100)
		placed := "2026-11-01T10:00:00Z"
		return OrderInput{Email: "ana@example.com", Currency: "EUR", PlacedAt: &placed,
			ShippingAddress: returns.Address{Country: "PT"},
			Lines:           []LineInput{{Line: returns.Line{ID: "L1", ImageURL: image}, Quantity: &q, UnitPrice: &p}}}
	}
	tests := []struct{ image, want string }{
		{"", ""},
		{"https://cdn.shop.example/tee.jpg", ""},
		{"https://img.example:8443/tee.jpg", ""},
		{"https://img.example/tee.jpg", "lines[0].image_url:" + returns.FieldImageHost},
		{"https://elsewhere.example/tee.jpg", "lines[0].image_url:" + returns.FieldImageHost},
		{"http://cdn.shop.example/tee.jpg", "lines[0].image_url:" + returns.FieldHTTPSRequired},
	}
	for _, tt := range tests {
		_, err := ts.UpsertOrder(ctx, "IMG-1", order(tt.image))
		if got := fieldCode(err); got != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("image %q: %q %v, want %q", tt.image, got, err, tt.want)
		}
	}
	if o, err := ts.st.GetOrder(ctx, "IMG-1"); err != nil || o.Lines[0].ImageURL != "https://img.example:8443/tee.jpg" {
		t.Errorf("stored image %q (%v)", o.Lines[0].ImageURL, err)
	}
	if got := strings.Join(ts.ImageOrigins(), " "); got != "https://cdn.shop.example https://img.example:8443" {
		t.Errorf("ImageOrigins = %q", got)
	}
	if _, err := New(Config{Store: ts.st, Legal: ts.legal, Tokens: ts.tokens,
		Settings: Settings{ImageHosts: []string{"http://cdn.shop.example"}}}); err == nil {
		t.Error("an http image host was accepted")
	}
}

// TestShopperCountries: the policy page offers every country the law's
// data or the policy names, and every country orders went to (Kuwait,
// which neither names).
func TestShopperCountries(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	_, p, err := ts.Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ts.PolicyCountries(p), "KW") {
		t.Fatal("the fixture no longer tests anything: KW is in the policy or the law's data")
	}
	got, err := ts.ShopperCountries(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"KW", "DE", "US", "JP", "CH", "NO", "SA"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s missing from %v", want, got)
		}
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("not sorted or not unique: %v", got)
	}
}

// TestOrderReturnsAndStatusDocuments: the lookup lists an order's returns
// newest first; a return knows whether it has a customs declaration.
func TestOrderReturnsAndStatusDocuments(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	rs, err := ts.OrderReturns(ctx, OrderAccess{Number: demo.PartialOrder})
	if err != nil || len(rs) != 1 {
		t.Fatalf("returns of %s: %v %v", demo.PartialOrder, rs, err)
	}
	a := OrderAccess{Number: demo.PartialOrder, Locale: "es"}
	created, err := ts.CreateReturn(ctx, a, ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}}, RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		t.Fatal(err)
	}
	rs, err = ts.OrderReturns(ctx, a)
	if err != nil || len(rs) != 2 || rs[0].RMA != created.Return.RMA {
		t.Fatalf("newest first: %v %v", rs, err)
	}
	of, err := ts.Offer(ctx, mustOrder(t, ts, demo.PartialOrder))
	if err != nil || of.InReturns["L1"] != 2 {
		t.Errorf("units in returns %v (%v), want L1: 2", of.InReturns, err)
	}
	if _, err := ts.OrderReturns(ctx, OrderAccess{Number: "NOPE-1"}); err == nil {
		t.Error("returns of an unknown order")
	}
	for order, customs := range map[string]bool{"CH-1011": true, "DE-1001": false} {
		o := mustOrder(t, ts, order)
		c, err := ts.CreateReturn(ctx, OrderAccess{Number: order, Locale: "en"}, ReturnRequest{QuoteRequest: returns.QuoteRequest{
			Items: []returns.QuoteItem{{LineID: o.Lines[0].ID, Quantity: 1, Reason: "wrong_item"}}, RefundMethod: returns.MethodOriginalPayment}})
		if err != nil {
			t.Fatalf("%s: %v", order, err)
		}
		st, err := ts.Status(ctx, c.Return)
		if err != nil || st.Customs != customs {
			t.Errorf("%s: customs %v (%v), want %v", order, st.Customs, err, customs)
		}
	}
}

func mustOrder(t *testing.T, ts *testService, number string) returns.Order {
	t.Helper()
	o, err := ts.st.GetOrder(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestStagedPhotosMakeTheReturn: photos staged on the order form count as
// the items' evidence when the return is made, and move into it; another
// order's token cannot use them; staging is bounded per order.
func TestStagedPhotosMakeTheReturn(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	a := OrderAccess{Number: demo.FeaturedOrder, Locale: "de"}
	photo := store.PhotoUpload{LineID: "L1", ContentType: "image/jpeg", Width: 1, Height: 1, Data: []byte("jpeg")}
	req := ReturnRequest{QuoteRequest: returns.QuoteRequest{
		Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "damaged"}}, RefundMethod: returns.MethodOriginalPayment}}
	if _, err := ts.CreateReturn(ctx, a, req); fieldOrCode(err) != returns.CodePhotoRequired {
		t.Fatalf("without a photo: %v", err)
	}
	staged, err := ts.StagePhotos(ctx, a, []store.PhotoUpload{photo})
	if err != nil || len(staged) != 1 {
		t.Fatal(staged, err)
	}
	// Another order's token does not see it, nor make a return with it.
	other := OrderAccess{Number: "IT-1002", Locale: "it"}
	if got, err := ts.StagedPhotos(ctx, other, []string{staged[0].ID}); err != nil || len(got) != 0 {
		t.Errorf("another order sees the staged photo: %v %v", got, err)
	}
	req.Staged = []string{staged[0].ID}
	created, err := ts.CreateReturn(ctx, a, req)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := ts.st.ReturnPhotos(ctx, created.Return.RMA); err != nil || len(list) != 1 || list[0].LineID != "L1" {
		t.Errorf("the return's photos: %+v %v", list, err)
	}
	many := make([]store.PhotoUpload, maxStagedPhotos+1)
	for i := range many {
		many[i] = photo
	}
	if _, err := ts.StagePhotos(ctx, a, many); fieldOrCode(err) != returns.CodeTooManyPhotos {
		t.Errorf("staging %d photos: %v", len(many), err)
	}
}

func fieldOrCode(err error) string {
	var de *returns.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return fmt.Sprint(err)
}
