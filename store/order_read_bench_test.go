package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// BenchmarkOrderReads are the reads of the shopper's pages on an order of
// ten lines with a return: the order with its lines (GetOrder), what its
// returns hold with the current policy (DecisionInputs), both in one
// snapshot (OrderFacts: what the item page and the lookup read), and the
// read a return is decided from (DecideReturn's).
func BenchmarkOrderReads(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir()+"/returns.db", returns.LoadLegal())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	o := sampleOrder("O-10")
	for len(o.Lines) < 10 {
		l := o.Lines[0]
		l.ID = fmt.Sprintf("L%d", len(o.Lines)+1)
		o.Lines = append(o.Lines, l)
	}
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		b.Fatal(err)
	}
	if _, err := s.SavePolicy(ctx, samplePolicy(30), "bench"); err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateReturn(ctx, "O-10", "bench", build(item("L1", 1))); err != nil {
		b.Fatal(err)
	}
	b.Run("order", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.GetOrder(ctx, "O-10"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("history and policy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, _, err := s.DecisionInputs(ctx, "O-10"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("facts", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.OrderFacts(ctx, "O-10"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decision", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadOrderDecision(ctx, s.r, "O-10"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
