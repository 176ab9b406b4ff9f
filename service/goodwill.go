package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Goodwill grants an admin's goodwill on a return: money on top of the
// quote for an item the rules refused (g.LineID) or above the quote, with a
// mandatory reason. The domain validates it (returns.CheckGoodwill) against
// the return as it is in the transaction that records it with its audit
// event; the refund pays it.
func (s *Service) Goodwill(ctx context.Context, rma, actor string, g returns.GoodwillRequest) (returns.Goodwill, error) {
	check := func(o returns.Order, r returns.Return) error { return returns.CheckGoodwill(o, r, g) }
	return inTx(ctx, s, func(tx *store.Tx) (returns.Goodwill, error) {
		return tx.AddGoodwill(rma, actor, g, check)
	})
}
