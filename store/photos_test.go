package store

import (
	"context"
	"errors"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestPhotosWithTheReturn: photos are written in the return's transaction
// (a refused return leaves none) and are only found under their return.
func TestPhotosWithTheReturn(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	photos := []PhotoUpload{{LineID: "L1", ContentType: "image/jpeg", Width: 2, Height: 1, Data: []byte("jpeg-bytes")}}
	refused := func(o returns.Order, h returns.History, v int64, p returns.Policy) (returns.Return, error) {
		return returns.Return{}, &returns.Error{Code: returns.CodePhotoRequired}
	}
	if _, err := s.CreateReturnWithPhotos(ctx, "O-1", "shopper", refused, photos); err == nil {
		t.Fatal("a refused return was stored")
	}
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM return_photos`); err != nil || n != 0 {
		t.Fatalf("%d photos after a refused return (%v)", n, err)
	}
	r, err := s.CreateReturnWithPhotos(ctx, "O-1", "shopper", build(item("L1", 1)), append(photos, photos[0]))
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ReturnPhotos(ctx, r.RMA)
	if err != nil || len(list) != 2 || list[0].ID == list[1].ID || list[0].Size != int64(len("jpeg-bytes")) {
		t.Fatalf("%+v %v", list, err)
	}
	ph, data, err := s.PhotoData(ctx, r.RMA, list[0].ID)
	if err != nil || string(data) != "jpeg-bytes" || ph.ContentType != "image/jpeg" {
		t.Errorf("%+v %q %v", ph, data, err)
	}
	if _, _, err := s.PhotoData(ctx, other.RMA, list[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("photo under another return: %v", err)
	}
	if l, err := s.ReturnPhotos(ctx, other.RMA); err != nil || len(l) != 0 {
		t.Errorf("other return's photos: %v %v", l, err)
	}
}

// TestGoodwillRecorded: goodwill is checked inside the transaction, loaded
// with the return, logged with actor and reason, and paid with the refund
// as its own column.
func TestGoodwillRecorded(t *testing.T) {
	ctx := context.Background()
	s, r, decide := refundSetup(t)
	check := func(g returns.GoodwillRequest) GoodwillFunc {
		return func(o returns.Order, r returns.Return) error { return returns.CheckGoodwill(o, r, g) }
	}
	bad := returns.GoodwillRequest{Amount: 100}
	if _, err := s.AddGoodwill(ctx, r.RMA, "staff:root", bad, check(bad)); err == nil {
		t.Fatal("goodwill without a reason")
	}
	g := returns.GoodwillRequest{LineID: "L1", Amount: 300, Reason: "scratched in transit"}
	if _, err := s.AddGoodwill(ctx, r.RMA, "staff:root", g, check(g)); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetReturn(ctx, r.RMA)
	if err != nil || len(got.Goodwill) != 1 || got.Goodwill[0].Actor != "staff:root" || got.GoodwillTotal() != 300 {
		t.Fatalf("%+v %v", got.Goodwill, err)
	}
	events, _ := s.Events(ctx, r.RMA)
	last := events[len(events)-1]
	if last.Action != ActionGoodwill || last.Actor != "staff:root" || last.Note != "300 EUR L1: scratched in transit" {
		t.Errorf("event %+v", last)
	}
	if m, err := s.GoodwillReturns(ctx, []int64{got.ID, got.ID + 1000}); err != nil || !m[got.ID] || len(m) != 1 {
		t.Errorf("GoodwillReturns %v %v", m, err)
	}
	if _, _, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: "k", RequestHash: "h", Actor: "t"}, decide); err != nil {
		t.Fatal(err)
	}
	x, err := s.ReturnExtras(ctx, r.RMA)
	if err != nil || x.Refund == nil || x.Refund.Goodwill != 300 {
		t.Fatalf("refund %+v %v", x.Refund, err)
	}
	if _, err := s.AddGoodwill(ctx, r.RMA, "staff:root", g, check(g)); err == nil {
		t.Error("goodwill after the refund")
	}
}
