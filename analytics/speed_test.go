package analytics

import (
	"sort"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	for _, c := range []struct {
		seconds int64
		want    int
	}{
		{-5, 0}, {0, 0}, {3599, 0}, {3600, 1}, {2*3600 - 1, 1}, {2 * 3600, 2},
		{24*3600 - 1, 5}, {24 * 3600, 6}, {72 * 3600, 9},
		{720*3600 - 1, 15}, {720 * 3600, 16}, {9999 * 3600, 16},
	} {
		if got := Bucket(c.seconds); got != c.want {
			t.Errorf("Bucket(%d) = %d, want %d", c.seconds, got, c.want)
		}
	}
	if from, to := BucketRange(0); from != 0 || to != 1 {
		t.Errorf("BucketRange(0) = %d, %d", from, to)
	}
	if from, to := BucketRange(Buckets - 1); from != 720 || to != 0 {
		t.Errorf("BucketRange(last) = %d, %d", from, to)
	}
	a := time.Date(2026, 1, 1, 10, 0, 0, 900_000_000, time.UTC)
	if got := Seconds(a, a.Add(3599*time.Second+200*time.Millisecond)); got != 3600 {
		// whole seconds of each instant, as SQL's unixepoch counts them
		t.Errorf("Seconds = %d", got)
	}
}

// TestPercentileAgainstSortedValues: the bucket of the nearest-rank
// percentile of raw durations, found by sorting them, is the bucket the
// histogram names, for many sets of durations.
func TestPercentileAgainstSortedValues(t *testing.T) {
	var h Histogram
	if _, ok := h.Percentile(50); ok {
		t.Error("a percentile of nothing")
	}
	seed := uint64(7)
	next := func() int64 { seed = seed*6364136223846793005 + 1442695040888963407; return int64(seed >> 40) }
	for round := 0; round < 200; round++ {
		n := 1 + int(next()%60)
		var vals []int64
		h = Histogram{}
		for i := 0; i < n; i++ {
			v := next() % (40 * 24 * 3600)
			vals = append(vals, v)
			h[Bucket(v)]++
		}
		sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
		for _, p := range []int{1, 50, 90, 100} {
			rank := (p*n + 99) / 100 // ceil
			want := Bucket(vals[rank-1])
			if got, ok := h.Percentile(p); !ok || got != want {
				t.Fatalf("p%d of %v = %d, want %d", p, vals, got, want)
			}
		}
	}
	if _, ok := (Histogram{1}).Percentile(0); ok {
		t.Error("p0 accepted")
	}
}
