package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Inspect records staff's verdict on every item of a received return
// (returns.CheckInspection) and re-quotes it for the accepted units through
// the rules engine (returns.RequoteAccepted), in one transaction.
func (s *Service) Inspect(ctx context.Context, rma, actor string, items []returns.InspectedItem) (returns.Return, error) {
	requote := func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, accepted map[string]int) (returns.Quote, error) {
		return returns.RequoteAccepted(o, p, s.legal, h, r, accepted)
	}
	return inTx(ctx, s.st, func(tx *store.Tx) (returns.Return, error) {
		return tx.Inspect(rma, actor, items, requote)
	})
}
