package returns

import (
	"slices"
	"time"
)

// ShipmentState is how far a return's parcel has come as its carrier
// reports it. It is not a status of the return (Status): a parcel may be
// in transit while the return is approved, or delivered before staff
// receive it.
type ShipmentState string

// The states of a parcel.
const (
	// ShipmentLabelCreated: the label exists; the carrier has not seen
	// the parcel yet.
	ShipmentLabelCreated ShipmentState = "label_created"
	// ShipmentInTransit: the carrier has the parcel (picked up, dropped off,
	// sorted, at customs, waiting at a service point...).
	ShipmentInTransit ShipmentState = "in_transit"
	// ShipmentOutForDelivery: on the van to the hub.
	ShipmentOutForDelivery ShipmentState = "out_for_delivery"
	// ShipmentDelivered: delivered at the hub.
	ShipmentDelivered ShipmentState = "delivered"
	// ShipmentException: the carrier reports a problem (a failed delivery,
	// an address it cannot deliver to, the parcel going back to the
	// sender).
	ShipmentException ShipmentState = "exception"
)

// ShipmentStates are the states in the order a parcel normally goes
// through them (exception aside).
var ShipmentStates = []ShipmentState{ShipmentLabelCreated, ShipmentInTransit, ShipmentOutForDelivery,
	ShipmentDelivered, ShipmentException}

// Valid reports whether s is one of the states.
func (s ShipmentState) Valid() bool { return slices.Contains(ShipmentStates, s) }

// Scanned reports whether a parcel in this state is in the carrier's
// hands: a scan in transit, out for delivery or at delivery. A label
// created is not (the shopper may never send the parcel), nor is an
// exception (the carrier may report one about a label alone).
func (s ShipmentState) Scanned() bool {
	return s == ShipmentInTransit || s == ShipmentOutForDelivery || s == ShipmentDelivered
}

// rank orders the states of scans at the same instant: the further one
// wins.
func (s ShipmentState) rank() int {
	switch s {
	case ShipmentLabelCreated:
		return 1
	case ShipmentInTransit:
		return 2
	case ShipmentException:
		return 3
	case ShipmentOutForDelivery:
		return 4
	case ShipmentDelivered:
		return 5
	}
	return 0
}

// Scan is one tracking event of a parcel: the state it reports, when the
// carrier saw it (the carrier's time, not the time the event reached us)
// and where ("" when the carrier does not say).
type Scan struct {
	State ShipmentState
	At    time.Time
	Place string
}

// ShipmentProgress is where a parcel is, folded from its scans.
type ShipmentProgress struct {
	// State is "" while no scan is known.
	State ShipmentState
	// At and Place are the time and place of the scan that decided State.
	At    time.Time
	Place string
	// FirstScanAt is the carrier's time of the earliest scan that put the
	// parcel in its hands (ShipmentState.Scanned), nil before one.
	FirstScanAt *time.Time
	// DeliveredAt is the carrier's time of the delivery, nil before it.
	DeliveredAt *time.Time
}

// Progress folds a parcel's scans, in any order and with duplicates, into
// where it is. Carriers' feeds arrive late and out of order, so the scan
// with the latest carrier time decides (at the same instant, the further
// state), except that a delivered parcel stays delivered: a late "in
// transit" does not undo the delivery. Scans with an unknown state are
// ignored.
func Progress(scans []Scan) ShipmentProgress {
	var p ShipmentProgress
	var last *Scan
	for i := range scans {
		sc := &scans[i]
		if !sc.State.Valid() {
			continue
		}
		if sc.State.Scanned() && (p.FirstScanAt == nil || sc.At.Before(*p.FirstScanAt)) {
			at := sc.At
			p.FirstScanAt = &at
		}
		if sc.State == ShipmentDelivered && (p.DeliveredAt == nil || sc.At.Before(*p.DeliveredAt)) {
			at := sc.At
			p.DeliveredAt = &at
		}
		if last == nil || sc.At.After(last.At) || (sc.At.Equal(last.At) && sc.State.rank() > last.State.rank()) {
			last = sc
		}
	}
	if last == nil {
		return p
	}
	p.State, p.At, p.Place = last.State, last.At, last.Place
	if p.DeliveredAt != nil && p.State != ShipmentDelivered {
		p.State, p.At, p.Place = ShipmentDelivered, *p.DeliveredAt, deliveredPlace(scans, *p.DeliveredAt)
	}
	return p
}

// deliveredPlace is the place of the delivery scan at at.
func deliveredPlace(scans []Scan, at time.Time) string {
	for _, sc := range scans {
		if sc.State == ShipmentDelivered && sc.At.Equal(at) {
			return sc.Place
		}
	}
	return ""
}
