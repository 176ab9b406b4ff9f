package store_test

import (
	"context"
	"testing"

	"github.com/returns-portal/returns/internal/benchdata"
	"github.com/returns-portal/returns/store"
)

// BenchmarkQueueStore measures the queue's store queries alone (Queue and
// StatusCounts) on the large benchmark database, on each engine; it skips
// unless RETURNS_BENCH_DB names its file (`make bench-admin`).
func BenchmarkQueueStore(b *testing.B) {
	ctx := context.Background()
	st, info := benchdata.Open(b)
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
