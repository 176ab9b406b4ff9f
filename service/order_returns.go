package service

import (
	"context"
	"slices"

	"github.com/returns-portal/returns/returns"
)

// OrderReturns are an order's returns, newest first, as the shopper who
// opened the order sees them after the lookup: each with its status and
// date, to follow its link (ManageToken) instead of starting again.
func (s *Service) OrderReturns(ctx context.Context, a OrderAccess) ([]returns.Return, error) {
	rs, err := s.st.ReturnsForOrder(ctx, a.Number)
	if err != nil {
		return nil, err
	}
	slices.Reverse(rs)
	return rs, nil
}
