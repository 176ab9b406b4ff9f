package analytics

import "time"

// The stages of a return whose durations the speed report measures.
const (
	StageRequestedReceived = iota // the shopper's request to the parcel's arrival
	StageReceivedInspected        // arrival to inspection
	StageInspectedRefunded        // inspection to refund
	StageRequestedRefunded        // request to refund, end to end
	Stages
)

// StageNames are the stages' names in the API and the message IDs.
var StageNames = [Stages]string{"requested_received", "received_inspected", "inspected_refunded", "requested_refunded"}

// BucketBounds are the upper bounds (exclusive) of the duration buckets, in
// hours; the last bucket has none. A percentile is reported as the bucket
// it falls in ("between 2 and 3 days"): exact enough to act on, and a
// histogram of fixed buckets adds up across rollup rows where exact
// durations would not.
var BucketBounds = [...]int64{1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720}

// Buckets is the number of duration buckets.
const Buckets = len(BucketBounds) + 1

// Bucket is the bucket of a duration measured in whole seconds: the
// duration between two instants is b.Unix() - a.Unix(), so that SQL
// (unixepoch) counts the same. Negative durations (clocks of two machines)
// count as zero.
func Bucket(seconds int64) int {
	for i, h := range BucketBounds {
		if seconds < h*3600 {
			return i
		}
	}
	return len(BucketBounds)
}

// Seconds is the duration from a to b in whole seconds, as Bucket counts it.
func Seconds(a, b time.Time) int64 { return b.Unix() - a.Unix() }

// BucketRange is a bucket's bounds in hours: from (inclusive) and to
// (exclusive); to is 0 for the open last bucket.
func BucketRange(i int) (fromHours, toHours int64) {
	if i > 0 {
		fromHours = BucketBounds[i-1]
	}
	if i < len(BucketBounds) {
		toHours = BucketBounds[i]
	}
	return fromHours, toHours
}

// Histogram counts durations per bucket.
type Histogram [Buckets]int64

// Total is the number of durations counted.
func (h Histogram) Total() int64 {
	var n int64
	for _, c := range h {
		n += c
	}
	return n
}

// Percentile is the bucket holding the p-th percentile (0 < p ≤ 100) of
// the durations: the bucket of the value at rank ceil(p/100 × n) in
// ascending order (the nearest-rank method); ok is false when there are no
// durations.
func (h Histogram) Percentile(p int) (bucket int, ok bool) {
	n := h.Total()
	if n == 0 || p <= 0 || p > 100 {
		return 0, false
	}
	rank := (int64(p)*n + 99) / 100
	var seen int64
	for i, c := range h {
		seen += c
		if seen >= rank {
			return i, true
		}
	}
	return Buckets - 1, true
}
