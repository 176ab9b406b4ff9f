package service

import (
	"bytes"
	"context"
	"iter"
	"runtime"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// ImportBatch is how many orders of an import share a transaction (and its
// commit): a million historic orders would otherwise take a million fsyncs.
const ImportBatch = 500

// ImportOptions tune ImportOrders.
type ImportOptions struct {
	// Rejected is told each line that was not imported, and why.
	Rejected func(line int, err error)
	// Recount leaves the imported orders out of the report tables while
	// they are written and recounts the tables once at the end: for a
	// history imported into a database that holds little (RecountPays),
	// several times faster than adding every order to every rollup. The
	// reports miss the imported orders until the import ends; should it
	// stop before, the portal recounts them at its next start.
	Recount bool
}

// RecountPays reports whether an import into this database is better
// recounted (ImportOptions.Recount): the recount reads every order, so
// it pays while the database holds fewer than recountBelow of them.
func (s *Service) RecountPays(ctx context.Context) (bool, error) {
	n, err := s.st.CountOrders(ctx)
	return n < recountBelow, err
}

// recountBelow: a recount costs about a fifth of adding an order to the
// rollups per order it reads (50,000 orders: 1.1 s recounted, 4.6 s
// added), so below this many stored orders it adds well under a second
// to any import.
const recountBelow = 20_000

// ImportOrders upserts the orders of an `import orders` file, given as its
// numbered non-blank lines: each line is decoded and validated exactly as
// ImportOrder (and the API) does, and the valid orders are stored
// ImportBatch to a transaction. A line that fails, whether invalid or
// refused by the store (an update that contradicts the order's returns),
// is reported to opts.Rejected, in the order of the lines, and the others
// are imported. It returns how many were imported.
//
// The batches are decoded and validated on every core while the one before
// is written: decoding an order costs about as much as storing it.
func (s *Service) ImportOrders(ctx context.Context, lines iter.Seq2[int, []byte], opts ImportOptions) (int, error) {
	if opts.Rejected == nil {
		opts.Rejected = func(int, error) {}
	}
	if opts.Recount {
		if err := s.st.StaleReports(ctx); err != nil {
			return 0, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		lines []int
		raw   [][]byte
		items []importItem
		ready chan struct{} // closed once items are decoded
	}
	work := make(chan *job)
	queue := make(chan *job, importAhead) // in line order, to the writer
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for j := range work {
				j.items = make([]importItem, len(j.raw))
				for i, raw := range j.raw {
					o, err := s.importedOrder(raw)
					j.items[i] = importItem{line: j.lines[i], order: o, err: err}
				}
				close(j.ready)
			}
		}()
	}
	imported := 0
	var writeErr error
	written := make(chan struct{})
	go func() {
		defer close(written)
		for j := range queue {
			<-j.ready
			if writeErr != nil {
				continue
			}
			n, err := s.importBatch(ctx, j.items, opts)
			imported += n
			if err != nil {
				writeErr = err
				cancel()
			}
		}
	}()
	submit := func(j *job) bool {
		select {
		case queue <- j:
		case <-ctx.Done():
			return false
		}
		work <- j
		return true
	}
	j := &job{ready: make(chan struct{})}
	for no, line := range lines {
		j.lines = append(j.lines, no)
		j.raw = append(j.raw, bytes.Clone(line))
		if len(j.raw) == ImportBatch {
			if !submit(j) {
				break
			}
			j = &job{ready: make(chan struct{})}
		}
	}
	if len(j.raw) > 0 {
		submit(j)
	}
	close(work)
	close(queue)
	<-written
	if writeErr == nil {
		writeErr = ctx.Err()
	}
	if writeErr == nil && opts.Recount {
		writeErr = s.st.RebuildAnalytics(ctx)
	}
	return imported, writeErr
}

// importAhead is how many batches may be decoded ahead of the one being
// written.
const importAhead = 4

// importItem is one line of an import: its order, or why it has none.
type importItem struct {
	line  int
	order returns.Order
	err   error
}

// importBatch stores the valid orders of a batch in one transaction. When
// one of them is refused, the transaction is undone and the batch stored
// one order per transaction, so that only the refused ones are left out.
// It reports the batch's failures in line order.
func (s *Service) importBatch(ctx context.Context, batch []importItem, opts ImportOptions) (int, error) {
	rejected := opts.Rejected
	valid := 0
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if opts.Recount {
			tx.Uncounted()
		}
		for _, it := range batch {
			if it.err != nil {
				continue
			}
			if _, err := tx.UpsertOrder(it.order); err != nil {
				return err
			}
			valid++
		}
		return nil
	})
	if err == nil {
		for _, it := range batch {
			if it.err != nil {
				rejected(it.line, it.err)
			}
		}
		return valid, nil
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	imported := 0
	for _, it := range batch {
		if it.err == nil {
			_, it.err = inTx(ctx, s, func(tx *store.Tx) (bool, error) {
				if opts.Recount {
					tx.Uncounted()
				}
				return tx.UpsertOrder(it.order)
			})
		}
		if it.err != nil {
			rejected(it.line, it.err)
			continue
		}
		imported++
	}
	return imported, nil
}
