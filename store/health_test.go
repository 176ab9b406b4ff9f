package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
)

func TestStorageError(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"full", sqlite3.Error{Code: sqlite3.ErrFull}, ErrStorageFull},
		{"full, wrapped", fmt.Errorf("store: x: %w", sqlite3.Error{Code: sqlite3.ErrFull}), ErrStorageFull},
		{"read-only", sqlite3.Error{Code: sqlite3.ErrReadonly, ExtendedCode: sqlite3.ErrReadonlyDbMoved}, ErrStorageReadOnly},
		{"I/O", sqlite3.Error{Code: sqlite3.ErrIoErr}, ErrStorageFailed},
		{"a constraint is the data's", sqlite3.Error{Code: sqlite3.ErrConstraint}, nil},
		{"busy is not a fault of the disk", sqlite3.Error{Code: sqlite3.ErrBusy}, nil},
		{"not sqlite", ErrConflict, nil},
	} {
		got := storageError(tc.err)
		if !errors.Is(got, tc.err) {
			t.Errorf("%s: the original error is lost: %v", tc.name, got)
		}
		for _, f := range []error{ErrStorageFull, ErrStorageReadOnly, ErrStorageFailed} {
			if errors.Is(got, f) != (f == tc.want) {
				t.Errorf("%s: %v is %v: %v", tc.name, got, f, errors.Is(got, f))
			}
		}
	}
	if storageError(nil) != nil {
		t.Error("nil is an error")
	}
}

func TestStorageFaultsFade(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	full := fmt.Errorf("%w: x", ErrStorageFull)
	for _, tc := range []struct {
		name  string
		steps []error // the writes' outcomes, a second apart
		at    time.Duration
		want  error
	}{
		{"nothing failed", nil, 0, nil},
		{"a write refused by the storage", []error{full}, time.Second, full},
		{"a minute later, still", []error{full}, faultMemory, full},
		{"then faded", []error{full}, faultMemory + time.Second, nil},
		{"a write that went through since", []error{full, nil}, 2 * time.Second, nil},
		{"a write refused for its data says nothing", []error{full, ErrConflict}, 2 * time.Second, full},
		{"the last refusal counts", []error{nil, full}, 2 * time.Second, full},
	} {
		var f storageFaults
		for i, err := range tc.steps {
			f.note(err, t0.Add(time.Duration(i)*time.Second))
		}
		if got := f.recent(t0.Add(tc.at)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestStorageHealth(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.StorageHealth(ctx); err != nil {
		t.Fatalf("healthy: %v", err)
	}
	if err := s.SimulateFault(ctx, FaultReadOnly); err != nil {
		t.Fatal(err)
	}
	if err := s.StorageHealth(ctx); !errors.Is(err, ErrStorageReadOnly) {
		t.Errorf("read-only, the probe: %v", err)
	}
	if _, err := s.UpsertOrder(ctx, sampleOrder("H-1")); !errors.Is(err, ErrStorageReadOnly) {
		t.Errorf("read-only, a write: %v", err)
	}
	if err := s.SimulateFault(ctx, StorageFault(99)); err == nil {
		t.Error("an unknown fault was simulated")
	}
}

// TestStorageFullRemembered: on a full database the probe's small row may
// still be written; the write that failed keeps /healthz unhealthy.
func TestStorageFullRemembered(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.SimulateFault(ctx, FaultFull); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := range 200 { // orders until one needs a page the cap does not give
		if _, err = s.UpsertOrder(ctx, sampleOrder(fmt.Sprintf("F-%d", i))); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrStorageFull) {
		t.Fatalf("the writes never filled the capped database: %v", err)
	}
	if err := s.StorageHealth(ctx); !errors.Is(err, ErrStorageFull) {
		t.Errorf("health after a refused write: %v", err)
	}
}
