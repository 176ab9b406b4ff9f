package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Writes can fail because of the storage rather than the data: the disk is
// full, the file system went read-only (as Linux remounts one after I/O
// errors), the disk fails to write. Every write's error says which
// (storageError), so that the HTTP side answers 503 with the reason instead
// of a generic 500, and /healthz reports it (StorageHealth).
var (
	// ErrStorageFull: the disk (or the database's size limit) has no room.
	ErrStorageFull = errors.New("storage full")
	// ErrStorageReadOnly: the database cannot be written at all.
	ErrStorageReadOnly = errors.New("storage read-only")
	// ErrStorageFailed: the disk failed to write (an I/O error).
	ErrStorageFailed = errors.New("storage failed")
)

// faultMemory is how long a write refused by the storage keeps /healthz
// unhealthy when no write has succeeded since. A full disk refuses the
// writes that need room and may still take the probe's one small row: the
// writes that failed are the better witness. It fades (rather than
// waiting for a write to succeed) because a load balancer that believes
// /healthz sends no more writes to try.
const faultMemory = time.Minute

// storageFaults remembers the last write the storage refused.
type storageFaults struct {
	mu  sync.Mutex
	err error // nil: the last write went through
	at  time.Time
}

// note records how a write ended: a storage fault is remembered, a success
// forgets it.
func (f *storageFaults) note(err error, now time.Time) {
	fault := errors.Is(err, ErrStorageFull) || errors.Is(err, ErrStorageReadOnly) || errors.Is(err, ErrStorageFailed)
	if err != nil && !fault {
		return // the data's fault, not the storage's: says nothing about it
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err, f.at = nil, time.Time{}
	if fault {
		f.err, f.at = err, now
	}
}

func (f *storageFaults) recent(now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil && now.Sub(f.at) <= faultMemory {
		return f.err
	}
	return nil
}

// StorageHealth says whether the database can be written: the error of a
// write through the writer now (WriteProbe), else that of the last write
// the storage refused in the past minute with none succeeding since, else
// nil. A storage error is ErrStorageFull, ErrStorageReadOnly or
// ErrStorageFailed (errors.Is).
func (s *Store) StorageHealth(ctx context.Context) error {
	if err := s.WriteProbe(ctx); err != nil {
		return err
	}
	return s.faults.recent(s.now())
}

// WriteProbe writes the probe's row through the writer and commits, as
// every change is written, without counting as a change (a probe that
// goes through does not make the storage's last refusal forgotten).
func (s *Store) WriteProbe(ctx context.Context) error {
	tx, err := s.w.BeginTxx(ctx, nil)
	if err == nil {
		_, err = exec(ctx, tx, `INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`, s.stamp())
		if err == nil {
			err = tx.Commit()
		} else {
			_ = tx.Rollback()
		}
	}
	if err != nil {
		return fmt.Errorf("store: write probe: %w", storageError(err))
	}
	return nil
}

// StorageFault is a failure of the storage that SimulateFault imitates.
type StorageFault int

const (
	// FaultFull: no room for another page, as on a full disk.
	FaultFull StorageFault = iota + 1
	// FaultReadOnly: no write at all, as on a file system remounted
	// read-only.
	FaultReadOnly
)

// SimulateFault makes the writer connection fail as the storage would,
// for as long as that connection lives: FaultFull caps the database at its
// current size (PRAGMA max_page_count), so that a write needing another
// page fails with SQLITE_FULL; FaultReadOnly refuses every write (PRAGMA
// query_only). It lets tests see what /healthz, staff and shoppers are told
// when the disk is full or read-only without filling or breaking one.
func (s *Store) SimulateFault(ctx context.Context, f StorageFault) error {
	switch f {
	case FaultFull:
		var pages int64
		if err := s.w.GetContext(ctx, &pages, `PRAGMA page_count`); err != nil {
			return err
		}
		_, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages))
		return err
	case FaultReadOnly:
		_, err := s.w.ExecContext(ctx, `PRAGMA query_only = ON`)
		return err
	}
	return fmt.Errorf("store: no storage fault %d", f)
}
