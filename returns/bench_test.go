package returns_test

import (
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// The engine runs on every lookup, quote and create: these measure it on the
// demo's EU order (three lines, statutory and merchant windows, holiday
// extension).
func benchInputs(b *testing.B) (returns.Order, returns.Policy, *returns.Legal, time.Time) {
	b.Helper()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, o := range demo.Orders(now) {
		if o.Number == demo.FeaturedOrder {
			return o, demo.Policy(), returns.LoadLegal(), now
		}
	}
	b.Fatal("no featured demo order")
	return returns.Order{}, returns.Policy{}, nil, now
}

func BenchmarkEvaluate(b *testing.B) {
	o, p, legal, now := benchInputs(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := returns.Evaluate(o, p, legal, returns.History{}, now); len(got) != len(o.Lines) {
			b.Fatal(got)
		}
	}
}

func BenchmarkBuildQuote(b *testing.B) {
	o, p, legal, now := benchInputs(b)
	req := returns.QuoteRequest{RefundMethod: returns.MethodOriginalPayment, Items: []returns.QuoteItem{
		{LineID: "L1", Quantity: 2, Reason: "wrong_size"}, {LineID: "L2", Quantity: 1, Reason: "changed_mind"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := returns.BuildQuote(o, p, legal, returns.History{}, req, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckIBAN: the registry and national checks of an IBAN, as the
// portal's inline check runs them on every change of the field.
func BenchmarkCheckIBAN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := returns.NormalizeIBAN("FR14 2004 1010 0505 0001 3M02 606"); !ok {
			b.Fatal("invalid")
		}
	}
}
