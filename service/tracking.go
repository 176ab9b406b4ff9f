package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// ErrWebhookSignature: a carrier webhook's signature is missing or does
// not match (the platform, or someone else, must not be believed).
var ErrWebhookSignature = errors.New("webhook signature does not match")

// Outcomes of a carrier webhook (CarrierWebhook): all are answered 2xx, so
// that the platform does not send again what was stored or cannot be used.
const (
	// WebhookApplied: new events moved a shipment on.
	WebhookApplied = "applied"
	// WebhookDuplicate: every event was known already.
	WebhookDuplicate = "duplicate"
	// WebhookUnknownTracking: the events were kept, but their tracking
	// number matches no shipment (yet: they are attached when a label with
	// that number is recorded).
	WebhookUnknownTracking = "unknown_tracking"
	// WebhookIgnored: no tracking event in it (another kind of webhook, or
	// a body that cannot be read).
	WebhookIgnored = "ignored"
)

// CarrierWebhook takes a carrier platform's tracking webhook: the
// signature is checked over the raw body before anything is read
// (ErrWebhookSignature; a platform that is not configured is ErrNotFound),
// the events are stored once each, and every shipment with new events is
// moved on in the same transaction: its state, a refund on the first scan
// and the receipt on delivery where the policy says so.
func (s *Service) CarrierWebhook(ctx context.Context, provider string, h http.Header, body []byte) (string, error) {
	p, ok := s.carriers[provider]
	if !ok {
		return "", ErrNotFound
	}
	if err := p.VerifyWebhook(h, body); err != nil {
		return "", ErrWebhookSignature
	}
	events, err := p.ParseWebhook(body)
	if err != nil {
		s.log.Warn("carrier webhook cannot be read", "provider", provider, "err", err)
		return WebhookIgnored, nil
	}
	if len(events) == 0 {
		return WebhookIgnored, nil
	}
	rows := make([]store.NewTrackingEvent, len(events))
	for i, e := range events {
		rows[i] = trackingRow(provider, e)
	}
	added, err := inTx(ctx, s, func(tx *store.Tx) (store.AddedEvents, error) {
		added, err := tx.AddTrackingEvents(rows)
		if err != nil {
			return added, err
		}
		for _, id := range added.Shipments {
			if err := s.applyProgress(tx, id); err != nil {
				return added, err
			}
		}
		return added, nil
	})
	switch {
	case err != nil:
		return "", err
	case added.New == 0:
		return WebhookDuplicate, nil
	case len(added.Shipments) == 0:
		return WebhookUnknownTracking, nil
	}
	return WebhookApplied, nil
}

func trackingRow(provider string, e carriers.Event) store.NewTrackingEvent {
	return store.NewTrackingEvent{Provider: provider, EventID: e.ID, TrackingNumber: e.TrackingNumber, State: e.State,
		Code: e.Code, Message: e.Message, Place: e.Place, At: e.At}
}

// applyProgress folds a shipment's events into its state
// (returns.Progress) and does what the change calls for: the first scan
// may pay the return back (refund trigger), the delivery may receive it.
func (s *Service) applyProgress(tx *store.Tx, shipmentID int64) error {
	sh, err := tx.ShipmentByID(shipmentID)
	if err != nil {
		return err
	}
	scans, err := tx.ShipmentScans(shipmentID)
	if err != nil {
		return err
	}
	before, now := sh.Progress(), returns.Progress(scans)
	if err := tx.SetShipmentProgress(shipmentID, now); err != nil {
		return err
	}
	r, err := tx.Return(sh.RMA)
	if err != nil {
		return err
	}
	if before.FirstScanAt == nil && now.FirstScanAt != nil {
		if err := s.refundOnTrigger(tx, r, returns.ParcelFirstScan); err != nil {
			return err
		}
	}
	if before.DeliveredAt == nil && now.DeliveredAt != nil {
		return s.receiveOnDelivery(tx, r, sh.Provider)
	}
	return nil
}

// receiveOnDelivery receives a return whose parcel the carrier delivered
// at the hub, where the policy receives on delivery, as a scan at the
// receiving bench would (with its announcement and refund trigger). A
// return that cannot be received (in review, received already) is left
// as it is.
func (s *Service) receiveOnDelivery(tx *store.Tx, r returns.Return, provider string) error {
	o, p, err := tx.DecidedUnder(r.RMA)
	if err != nil {
		return err
	}
	if !p.Effective(s.legal, o.ShippingAddress.Country).ReceiveOnDelivery {
		return nil
	}
	got, err := tx.Receive(r.RMA, "carrier:"+provider)
	if errors.Is(err, returns.ErrTransition) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.announceTransition(tx, got, map[string]any{"received_at": got.UpdatedAt})
}
