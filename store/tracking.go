package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Tracking events (migration 00014): the scans the carrier platforms post,
// each kept once.

// NewTrackingEvent is a tracking event as a platform reported it.
type NewTrackingEvent struct {
	Provider, EventID, TrackingNumber string
	// State is "" when the event says nothing about where the parcel is.
	State                returns.ShipmentState
	Code, Message, Place string
	At                   time.Time
}

// dedupeKey identifies an event whatever webhook carried it: the same
// scan in a repeated delivery or a later update is the same key.
func (e NewTrackingEvent) dedupeKey() string {
	h := sha256.New()
	for _, part := range []string{e.Provider, e.TrackingNumber, dbTime(e.At).Format(time.RFC3339Nano), e.Code, e.Message} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TrackingEvent is a stored event.
type TrackingEvent struct {
	ID             int64     `db:"id"`
	Provider       string    `db:"provider"`
	ShipmentID     *int64    `db:"shipment_id"`
	TrackingNumber string    `db:"tracking_number"`
	EventID        string    `db:"event_id"`
	State          string    `db:"state"`
	Code           string    `db:"code"`
	Message        string    `db:"message"`
	Place          string    `db:"place"`
	OccurredAt     time.Time `db:"occurred_at"`
	ReceivedAt     time.Time `db:"received_at"`
}

// AddedEvents is what AddTrackingEvents did: how many events were new, and
// the shipments (ids) that got new ones.
type AddedEvents struct {
	New, Duplicates, Unmatched int
	Shipments                  []int64
}

// AddTrackingEvents stores the events that are new (a duplicate of a
// stored one is dropped), each attached to the shipment of its platform
// and tracking number, or to none (kept, and attached when a label with
// that number is recorded).
func (t *Tx) AddTrackingEvents(evs []NewTrackingEvent) (AddedEvents, error) {
	var out AddedEvents
	err := t.do("add tracking events", func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		for _, e := range evs {
			var ship []int64
			if err := sel(ctx, tx, &ship, `SELECT id FROM shipments WHERE provider = ? AND tracking_number = ?`,
				e.Provider, e.TrackingNumber); err != nil {
				return err
			}
			var shipID any
			if len(ship) > 0 {
				shipID = ship[0]
			}
			res, err := exec(ctx, tx, `INSERT INTO tracking_events (provider, dedupe_key, shipment_id, tracking_number, event_id,
				state, code, message, place, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (dedupe_key) DO NOTHING`,
				e.Provider, e.dedupeKey(), shipID, truncate(e.TrackingNumber, 100), truncate(e.EventID, 200), string(e.State),
				truncate(e.Code, 100), truncate(e.Message, 500), truncate(e.Place, 200), dbTime(e.At), now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				out.Duplicates++
				continue
			}
			out.New++
			if len(ship) == 0 {
				out.Unmatched++
			} else if !slices.Contains(out.Shipments, ship[0]) {
				out.Shipments = append(out.Shipments, ship[0])
			}
		}
		return nil
	})
	return out, err
}

// ShipmentScans are a shipment's events as the domain folds them
// (returns.Progress).
func (t *Tx) ShipmentScans(shipmentID int64) ([]returns.Scan, error) {
	var rows []struct {
		State string    `db:"state"`
		At    time.Time `db:"occurred_at"`
		Place string    `db:"place"`
	}
	err := t.do("shipment scans", func(ctx context.Context, tx *sqlx.Tx) error {
		return sel(ctx, tx, &rows, `SELECT state, occurred_at, place FROM tracking_events WHERE shipment_id = CAST(? AS BIGINT)
			ORDER BY occurred_at, id`, shipmentID)
	})
	scans := make([]returns.Scan, len(rows))
	for i, r := range rows {
		scans[i] = returns.Scan{State: returns.ShipmentState(r.State), At: r.At.UTC(), Place: r.Place}
	}
	return scans, err
}

// ShipmentByID loads a shipment in the transaction.
func (t *Tx) ShipmentByID(id int64) (Shipment, error) {
	var sh Shipment
	err := t.do("shipment by id", func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		sh, err = loadShipment(ctx, tx, "sh.id = CAST(? AS BIGINT)", id)
		return err
	})
	return sh, err
}

// TrackingEvents lists a return's tracking events, newest first by the
// carrier's time.
func (s *Store) TrackingEvents(ctx context.Context, rma string) ([]TrackingEvent, error) {
	var out []TrackingEvent
	err := sel(ctx, s.r, &out, `SELECT e.id, e.provider, e.shipment_id, e.tracking_number, e.event_id, e.state, e.code,
		e.message, e.place, e.occurred_at, e.received_at FROM tracking_events e
		JOIN shipments sh ON sh.id = e.shipment_id JOIN returns r ON r.id = sh.return_id
		WHERE r.rma = CAST(? AS TEXT) ORDER BY e.occurred_at DESC, e.id DESC`, canonicalRMA(rma))
	if err != nil {
		return nil, fmt.Errorf("store: tracking events of %q: %w", rma, err)
	}
	for i := range out {
		out[i].OccurredAt, out[i].ReceivedAt = out[i].OccurredAt.UTC(), out[i].ReceivedAt.UTC()
	}
	return out, nil
}

// UnmatchedEvents counts the stored events whose tracking number matches
// no shipment, for staff and tests.
func (s *Store) UnmatchedEvents(ctx context.Context, provider string) (int, error) {
	var n int
	if err := get(ctx, s.r, &n, `SELECT COUNT(*) FROM tracking_events WHERE shipment_id IS NULL AND provider = ?`,
		provider); err != nil {
		return 0, fmt.Errorf("store: unmatched events: %w", err)
	}
	return n, nil
}

// Queue filters on the parcel (QueueFilter.Shipment).
const (
	// ShipmentFilterInTransit: the carrier has the parcel, on its way.
	ShipmentFilterInTransit = "in_transit"
	// ShipmentFilterDelivered: delivered at the hub, not yet received
	// there.
	ShipmentFilterDelivered = "delivered_not_received"
)

// ShipmentFilters are the queue's parcel filters.
var ShipmentFilters = []string{ShipmentFilterInTransit, ShipmentFilterDelivered}

// shipmentCondition is the queue's condition for a parcel filter: the
// returns come from shipments_state (the few with a parcel in that state),
// not from a walk over every return.
func shipmentCondition(filter string) (string, []any, bool) {
	switch filter {
	case ShipmentFilterInTransit:
		return "r.id IN (SELECT sh.return_id FROM shipments sh WHERE sh.state IN (?, ?))",
			[]any{string(returns.ShipmentInTransit), string(returns.ShipmentOutForDelivery)}, true
	case ShipmentFilterDelivered:
		return "r.id IN (SELECT sh.return_id FROM shipments sh WHERE sh.state = ?) AND r.received_at IS NULL",
			[]any{string(returns.ShipmentDelivered)}, true
	}
	return "", nil, false
}
