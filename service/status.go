package service

import (
	"context"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// ReturnStatus is what there is to know about a return besides the return:
// its order, the policy version it was decided under (shared with every
// other request: read it, never change it), its estimated timeline and the
// audit trail of its changes.
type ReturnStatus struct {
	Order    returns.Order
	Policy   returns.Policy
	Timeline returns.Timeline
	Events   []store.Event
	// Customs: the parcel crosses a customs border on its way to the hub,
	// so the return has a customs declaration besides its label.
	Customs bool
}

// Status loads a return's details.
func (s *Service) Status(ctx context.Context, r returns.Return) (ReturnStatus, error) {
	o, p, err := s.decidedUnder(ctx, r)
	if err != nil {
		return ReturnStatus{}, err
	}
	events, err := s.st.Events(ctx, r.RMA)
	if err != nil {
		return ReturnStatus{}, err
	}
	st := ReturnStatus{Order: o, Policy: p, Events: events,
		Timeline: returns.EstimateTimeline(o, p, s.legal, r.Basis, r.CreatedAt)}
	if hub, ok := p.HubByCode(p.Effective(s.legal, o.ShippingAddress.Country).Hub); ok {
		st.Customs = returns.NeedsCustoms(s.legal, o.ShippingAddress.Country, hub.Address.Country)
	}
	return st, nil
}

// decidedUnder loads a return's order and the policy version the return
// was decided under (shared: read-only).
func (s *Service) decidedUnder(ctx context.Context, r returns.Return) (returns.Order, returns.Policy, error) {
	o, err := s.st.GetOrder(ctx, r.OrderNumber)
	if err != nil {
		return returns.Order{}, returns.Policy{}, err
	}
	p, err := s.st.SharedPolicyVersion(ctx, r.PolicyVersion)
	return o, p, err
}

// Return loads a return by RMA (as typed or scanned), for staff.
func (s *Service) Return(ctx context.Context, rma string) (returns.Return, error) {
	return s.st.GetReturn(ctx, rma)
}
