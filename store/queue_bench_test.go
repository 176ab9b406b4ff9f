package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/returns-portal/returns/internal/benchdata"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// BenchmarkQueueStore measures the queue's store queries alone (Queue and
// StatusCounts) on the large benchmark database; it skips unless
// RETURNS_BENCH_DB names its file (`make bench-admin`).
func BenchmarkQueueStore(b *testing.B) {
	path := os.Getenv("RETURNS_BENCH_DB")
	if path == "" {
		b.Skip("RETURNS_BENCH_DB is not set (run make bench-admin)")
	}
	n := 1_000_000
	if v := os.Getenv("RETURNS_BENCH_RETURNS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	info, err := benchdata.Ensure(ctx, path, n, benchLogf)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, path, returns.LoadLegal())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	for _, c := range benchdata.QueueCases(info) {
		b.Run(c.Name, func(b *testing.B) {
			rows, _, err := st.Queue(ctx, c.Filter)
			if err != nil || len(rows) < c.MinRows {
				b.Fatalf("queue: %d rows, %v", len(rows), err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := st.Queue(ctx, c.Filter); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	mid := benchdata.Middle()
	_, deep, err := st.Queue(ctx, store.QueueFilter{Now: benchdata.Now, Limit: 50, To: &mid})
	if err != nil || deep == "" {
		b.Fatal("no deep cursor: ", err)
	}
	b.Run("page_deep", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := st.Queue(ctx, store.QueueFilter{Now: benchdata.Now, Limit: 50, Cursor: deep}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.StatusCounts(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchLogf reports the building of the benchmark database on stderr, which
// a passing benchmark's log would not show.
func benchLogf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
