package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Inspect records staff's verdict on every item of a received return
// (returns.CheckInspection) and re-quotes it for the accepted units through
// the rules engine (returns.RequoteAccepted), in one transaction with its
// announcement (the shopper hears of it when the amount changed). Its
// exchanges are settled in the same transaction: those of the units
// accepted issued (exchange.created), the others released; a return that
// then owes no money is exchanged.
func (s *Service) Inspect(ctx context.Context, rma, actor string, items []returns.InspectedItem) (returns.Return, error) {
	var before returns.Quote // the quote the inspection replaces
	requote := func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, accepted map[string]int) (returns.Quote, error) {
		before = r.Quote
		return returns.RequoteAccepted(o, p, s.legal, h, r, accepted)
	}
	return inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		r, err := tx.Inspect(rma, actor, items, requote)
		if err != nil {
			return r, err
		}
		if err := s.announce(tx, notice{r: r, a: returns.InspectionAnnouncement(before, r.Quote), at: r.UpdatedAt,
			facts: map[string]any{"before": before.Total, "after": r.Quote.Total, "currency": r.Quote.Currency}}); err != nil {
			return r, err
		}
		// The exchanges of the units accepted are issued, the others
		// released (tx.Inspect checked the items: returns.CheckInspection).
		accepted := make(map[string]int, len(items))
		for _, it := range items {
			accepted[it.LineID] = it.Accepted
		}
		return s.settleExchanges(tx, r, accepted, actor) // exchanges.go
	})
}
