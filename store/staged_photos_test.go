package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestStagedPhotos: photos staged for an order are found only under it,
// move into the return that takes them (and are gone from the stage), make
// the creation fail when one is gone meanwhile, expire after a while, and
// are bounded per order.
func TestStagedPhotos(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.UpsertOrder(ctx, sampleOrder("O-2")); err != nil {
		t.Fatal(err)
	}
	photo := PhotoUpload{LineID: "L1", ContentType: "image/jpeg", Width: 2, Height: 1, Data: []byte("jpeg-bytes")}
	now := time.Now()
	staged, err := s.StagePhotos(ctx, "O-1", []PhotoUpload{photo, photo}, now.Add(-24*time.Hour), 3)
	if err != nil || len(staged) != 2 || staged[0].ID == staged[1].ID || staged[0].LineID != "L1" {
		t.Fatalf("%+v %v", staged, err)
	}
	if _, err := s.StagePhotos(ctx, "O-1", []PhotoUpload{photo, photo}, now.Add(-24*time.Hour), 3); !errors.Is(err, ErrConflict) {
		t.Errorf("a fourth staged photo of one order: %v", err)
	}
	other, err := s.StagePhotos(ctx, "O-2", []PhotoUpload{photo}, now.Add(-24*time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{staged[1].ID, "st_unknown", other[0].ID, staged[0].ID}
	got, err := s.StagedPhotos(ctx, "O-1", ids)
	if err != nil || len(got) != 2 || got[0].ID != staged[1].ID || got[1].ID != staged[0].ID {
		t.Errorf("staged photos of O-1 among %v: %+v %v", ids, got, err)
	}

	// Another order's staged photo fails the creation, and nothing moves.
	err = s.Write(ctx, func(tx *Tx) error {
		_, err := tx.CreateReturnWithStagedPhotos("O-1", "shopper", build(item("L1", 1)), nil, []string{staged[0].ID, other[0].ID})
		return err
	})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("creation with another order's photo: %v", err)
	}
	if n := countRows(t, s, "return_photos"); n != 0 {
		t.Errorf("%d photos moved by a refused creation", n)
	}
	var r struct{ RMA string }
	err = s.Write(ctx, func(tx *Tx) error {
		ret, err := tx.CreateReturnWithStagedPhotos("O-1", "shopper", build(item("L1", 1)), []PhotoUpload{photo}, []string{staged[0].ID, staged[1].ID})
		r.RMA = ret.RMA
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ReturnPhotos(ctx, r.RMA)
	if err != nil || len(list) != 3 {
		t.Fatalf("the return's photos: %+v %v", list, err)
	}
	if _, data, err := s.PhotoData(ctx, r.RMA, list[2].ID); err != nil || string(data) != "jpeg-bytes" {
		t.Errorf("moved photo %q %v", data, err)
	}
	if got, _ := s.StagedPhotos(ctx, "O-1", ids); len(got) != 0 {
		t.Errorf("taken photos still staged: %+v", got)
	}
	// A day later, staging anything drops what nobody took.
	if _, err := s.StagePhotos(ctx, "O-1", []PhotoUpload{photo}, now.Add(time.Minute), 3); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.StagedPhotos(ctx, "O-2", []string{other[0].ID}); len(got) != 0 {
		t.Errorf("an expired staged photo survived: %+v", got)
	}
}
