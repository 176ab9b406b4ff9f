// Package analytics holds the pure parts of the merchant's reports: how a
// return and an order contribute to the report tables (rollups), how days
// are grouped into the blocks those tables keep, the duration buckets of
// the speed report, percentiles read from them, and ratios written as exact
// decimals. It does no I/O: the store loads a return's facts, asks for its
// contribution and writes the difference in the transaction of the change;
// the service reads the sums back and finishes the figures here.
//
// The one rule every table follows: the stored sums equal the contributions
// of the rows as they are now, so that a recount from the raw rows
// (store.RebuildAnalytics) gives the same tables.
package analytics
