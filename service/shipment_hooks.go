package service

import (
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Carrier work joins the transaction of the change that calls for it, as
// the outbox rows do (announce.go), and is done afterwards by the carrier
// worker (carrier_worker.go): a change never happens without its work
// being recorded, and no platform is called inside a transaction.

// carrierHooks writes the carrier work a status change calls for: an
// approved return whose hub buys carrier labels gets its shipment and the
// label job; a return called off (cancelled, rejected, expired) that has a
// shipment gets a void job; a received return is paid back when its
// refund trigger fires on the receipt. under gives the order and policy r
// was decided under (decisionIn reads them in the transaction; a creation
// passes those it has just decided with, sparing the writer a read).
func (s *Service) carrierHooks(tx *store.Tx, r returns.Return, under decision) error {
	switch {
	case r.Status == returns.StatusApproved && r.Returnless():
		return nil // the shopper keeps the items: no parcel, no label (returns.CheckReturnLabel)
	case r.Status == returns.StatusApproved:
		o, p, err := under()
		if err != nil {
			return err
		}
		hub, ok := p.HubByCode(p.Effective(s.legal, o.ShippingAddress.Country).Hub)
		if !ok || !hub.CarrierLabels() {
			return nil // the portal draws the label when it is downloaded
		}
		return tx.CreateShipment(r.ID, hub.Provider())
	case calledOff(r.Status):
		if _, ok, err := tx.Shipment(r.ID); err != nil || !ok {
			return err
		}
		_, err := tx.EnqueueJob(r.ID, store.JobVoid, "")
		return err
	case r.Status == returns.StatusReceived:
		return s.refundOnTrigger(tx, r, returns.ParcelReceived)
	}
	return nil
}

// decision gives the order and the policy a return was decided under.
type decision func() (returns.Order, returns.Policy, error)

// decisionIn reads them in tx (Service.decidedUnder reads them outside a
// transaction).
func decisionIn(tx *store.Tx, rma string) decision {
	return func() (returns.Order, returns.Policy, error) { return tx.DecidedUnder(rma) }
}

// decisionHeld is a decision the caller holds.
func decisionHeld(o returns.Order, p returns.Policy) decision {
	return func() (returns.Order, returns.Policy, error) { return o, p, nil }
}

// calledOff reports whether a return in this state will never need its
// label again (returns.CheckLabel: unavailable, not merely not ready).
func calledOff(s returns.Status) bool {
	de, ok := returns.CheckLabel(s).(*returns.Error)
	return ok && de.Code == returns.CodeLabelUnavailable
}

// refundOnTrigger writes the refund job of a return whose policy pays it
// back without staff when event happens to its parcel
// (returns.AutoRefundDue), under the policy version it was decided under.
// One refund job per return at most (the store's UNIQUE), and the refund
// itself is the one exactly-once use case (Refund).
func (s *Service) refundOnTrigger(tx *store.Tx, r returns.Return, event string) error {
	o, p, err := tx.DecidedUnder(r.RMA)
	if err != nil {
		return err
	}
	e := p.Effective(s.legal, o.ShippingAddress.Country)
	if !returns.AutoRefundDue(e, event, r) {
		return nil
	}
	_, err = tx.EnqueueJob(r.ID, store.JobRefund, e.RefundTrigger)
	return err
}

// CarrierWork signals (at most one pending signal) that carrier jobs have
// been committed: the carrier worker of this process takes them at once
// instead of at its next poll.
func (s *Service) CarrierWork() <-chan struct{} { return s.carrierWake }

func (s *Service) nudgeCarriers() {
	select {
	case s.carrierWake <- struct{}{}:
	default:
	}
}
