package service

import (
	"context"
	"slices"

	"github.com/returns-portal/returns/returns"
)

// OrderReturns are an order's returns, newest first, as the shopper who
// opened the order sees them after the lookup: each with its status and
// date, to follow its link (ManageToken) instead of starting again. A
// gift's recipient (OrderAccess.Gift) sees only the returns she made, the
// buyer only the others.
func (s *Service) OrderReturns(ctx context.Context, a OrderAccess) ([]returns.Return, error) {
	rs, err := s.st.ReturnsForOrder(ctx, a.Number)
	if err != nil {
		return nil, err
	}
	// A gift's recipient sees her own returns, the buyer hers.
	rs = slices.DeleteFunc(rs, func(r returns.Return) bool { return r.Gift != a.Gift })
	slices.Reverse(rs)
	return rs, nil
}
