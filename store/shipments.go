package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Shipments (migration 00014): the parcel of a return whose label a
// carrier platform sells. The row is written when the return is approved;
// the label is bought later by the carrier worker (carrier_jobs.go) and
// recorded here with the carrier's documents; the tracking events
// (tracking.go) move its state.

// Label states of a shipment.
const (
	LabelPending    = "pending"
	LabelBought     = "bought"
	LabelFailed     = "failed"
	LabelVoided     = "voided"
	LabelVoidFailed = "void_failed"
	LabelCancelled  = "cancelled"
)

// Shipment is a return's carrier shipment, without its documents.
type Shipment struct {
	ID                 int64      `db:"id"`
	ReturnID           int64      `db:"return_id"`
	RMA                string     `db:"rma"`
	Provider           string     `db:"provider"`
	LabelStatus        string     `db:"label_status"`
	ProviderShipmentID string     `db:"provider_shipment_id"`
	ProviderParcelID   string     `db:"provider_parcel_id"`
	TrackingNumber     *string    `db:"tracking_number"`
	Carrier            string     `db:"carrier"`
	Service            string     `db:"service"`
	Price              *int64     `db:"price"`
	PriceCurrency      string     `db:"price_currency"`
	HasA4              bool       `db:"has_a4"`
	HasQR              bool       `db:"has_qr"`
	HasCustoms         bool       `db:"has_customs"`
	LastError          string     `db:"last_error"`
	State              *string    `db:"state"`
	StateAt            *time.Time `db:"state_at"`
	StatePlace         string     `db:"state_place"`
	FirstScanAt        *time.Time `db:"first_scan_at"`
	DeliveredAt        *time.Time `db:"delivered_at"`
	CreatedAt          time.Time  `db:"created_at"`
	UpdatedAt          time.Time  `db:"updated_at"`
}

// Tracking is the shipment's tracking number ("" before the label).
func (s Shipment) Tracking() string {
	if s.TrackingNumber == nil {
		return ""
	}
	return *s.TrackingNumber
}

// Progress is the shipment's stored progress.
func (s Shipment) Progress() returns.ShipmentProgress {
	p := returns.ShipmentProgress{Place: s.StatePlace, FirstScanAt: s.FirstScanAt, DeliveredAt: s.DeliveredAt}
	if s.State != nil {
		p.State = returns.ShipmentState(*s.State)
	}
	if s.StateAt != nil {
		p.At = *s.StateAt
	}
	return p
}

func (s *Shipment) utc() {
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	s.StateAt, s.FirstScanAt, s.DeliveredAt = utcPtr(s.StateAt), utcPtr(s.FirstScanAt), utcPtr(s.DeliveredAt)
}

const shipmentSelect = `SELECT sh.id, sh.return_id, r.rma, sh.provider, sh.label_status, sh.provider_shipment_id,
	sh.provider_parcel_id, sh.tracking_number, sh.carrier, sh.service, sh.price, sh.price_currency,
	sh.label_a4 IS NOT NULL AS has_a4, sh.qr_png IS NOT NULL AS has_qr, sh.customs_pdf IS NOT NULL AS has_customs,
	sh.last_error, sh.state, sh.state_at, sh.state_place, sh.first_scan_at, sh.delivered_at, sh.created_at, sh.updated_at
	FROM shipments sh JOIN returns r ON r.id = sh.return_id`

func loadShipment(ctx context.Context, q sqlx.ExtContext, where string, args ...any) (Shipment, error) {
	var sh Shipment
	if err := get(ctx, q, &sh, shipmentSelect+" WHERE "+where, args...); err != nil {
		return Shipment{}, err
	}
	sh.utc()
	return sh, nil
}

// Shipment loads a return's carrier shipment; ok is false when its labels
// are the portal's own (no shipment).
func (s *Store) Shipment(ctx context.Context, rma string) (sh Shipment, ok bool, err error) {
	sh, err = loadShipment(ctx, s.r, "r.rma = CAST(? AS TEXT)", canonicalRMA(rma)) // store.go: bound
	switch {
	case errors.Is(err, ErrNotFound):
		return Shipment{}, false, nil
	case err != nil:
		return Shipment{}, false, fmt.Errorf("store: shipment of %q: %w", rma, err)
	}
	return sh, true, nil
}

// ShipmentByReturnID is Store.Shipment by the return's row id.
func (s *Store) ShipmentByReturnID(ctx context.Context, returnID int64) (Shipment, error) {
	sh, err := loadShipment(ctx, s.r, "sh.return_id = CAST(? AS BIGINT)", returnID)
	if err != nil {
		return Shipment{}, fmt.Errorf("store: shipment of return %d: %w", returnID, err)
	}
	return sh, nil
}

// Shipment is Store.Shipment in the transaction.
func (t *Tx) Shipment(returnID int64) (sh Shipment, ok bool, err error) {
	err = t.do("shipment", func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		sh, err = loadShipment(ctx, tx, "sh.return_id = CAST(? AS BIGINT)", returnID)
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return Shipment{}, false, nil
	case err != nil:
		return Shipment{}, false, err
	}
	return sh, true, nil
}

// Documents of a shipment (ShipmentDocument).
const (
	DocumentLabel   = "label_pdf"
	DocumentLabelA4 = "label_a4"
	DocumentQR      = "qr_png"
	DocumentCustoms = "customs_pdf"
)

// ShipmentDocument reads one of a bought label's documents; ErrNotFound
// when the carrier gave none.
func (s *Store) ShipmentDocument(ctx context.Context, rma, doc string) ([]byte, error) {
	switch doc {
	case DocumentLabel, DocumentLabelA4, DocumentQR, DocumentCustoms:
	default:
		return nil, fmt.Errorf("store: unknown shipment document %q", doc)
	}
	var b []byte
	err := get(ctx, s.r, &b, `SELECT sh.`+doc+` FROM shipments sh JOIN returns r ON r.id = sh.return_id
		WHERE r.rma = ? AND sh.label_status = ? AND sh.`+doc+` IS NOT NULL`, canonicalRMA(rma), LabelBought)
	if err != nil {
		return nil, fmt.Errorf("store: %s of %q: %w", doc, rma, err)
	}
	return b, nil
}

// CreateShipment writes a return's shipment, its label to be bought by
// provider, and the label job, in the transaction (approval). A return
// that has one already keeps it.
func (t *Tx) CreateShipment(returnID int64, provider string) error {
	return t.do("create shipment", func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		res, err := exec(ctx, tx, `INSERT INTO shipments (return_id, provider, label_status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (return_id) DO NOTHING`, returnID, provider, LabelPending, now, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = enqueueJob(ctx, tx, returnID, JobLabel, "", now)
		if err == nil {
			t.jobs++
		}
		return err
	})
}

// SaveShipmentProgress records what a purchase saved before paying (the
// platform's shipment and parcel ids), in its own short transaction.
func (s *Store) SaveShipmentProgress(ctx context.Context, returnID int64, shipmentID, parcelID string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `UPDATE shipments SET provider_shipment_id = ?, provider_parcel_id = ?, updated_at = ?
			WHERE return_id = ?`, shipmentID, parcelID, s.stamp(), returnID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save shipment progress of return %d: %w", returnID, err)
	}
	return nil
}

// BoughtLabel is a label as recorded.
type BoughtLabel struct {
	ShipmentID, ParcelID, TrackingNumber, Carrier, Service string
	Price                                                  int64
	PriceCurrency                                          string
	PDF, PDFA4, QR, Customs                                []byte
}

// RecordLabel records a bought label on the return's shipment and attaches
// the tracking events that arrived for its number before it was known.
func (t *Tx) RecordLabel(returnID int64, l BoughtLabel) error {
	return t.do("record label", func(ctx context.Context, tx *sqlx.Tx) error {
		var price any
		if l.PriceCurrency != "" {
			price = l.Price
		}
		now := t.s.stamp()
		if _, err := exec(ctx, tx, `UPDATE shipments SET label_status = ?, provider_shipment_id = ?, provider_parcel_id = ?,
			tracking_number = ?, carrier = ?, service = ?, price = ?, price_currency = ?, label_pdf = ?, label_a4 = ?,
			qr_png = ?, customs_pdf = ?, last_error = '', updated_at = ? WHERE return_id = ?`,
			LabelBought, l.ShipmentID, l.ParcelID, l.TrackingNumber, l.Carrier, l.Service, price, l.PriceCurrency,
			blob(l.PDF), blob(l.PDFA4), blob(l.QR), blob(l.Customs), now, returnID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, `UPDATE tracking_events SET shipment_id = (SELECT id FROM shipments WHERE return_id = ?)
			WHERE shipment_id IS NULL AND provider = (SELECT provider FROM shipments WHERE return_id = ?) AND tracking_number = ?`,
			returnID, returnID, l.TrackingNumber)
		return err
	})
}

// blob stores nil as NULL (an absent document), not as an empty blob.
func blob(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// SetLabelStatus changes a shipment's label state with the error that
// explains it ("" clears it).
func (t *Tx) SetLabelStatus(returnID int64, status, lastError string) error {
	return t.do("set label status", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := exec(ctx, tx, `UPDATE shipments SET label_status = ?, last_error = ?, updated_at = ? WHERE return_id = ?`,
			status, truncate(lastError, 1000), t.s.stamp(), returnID)
		return err
	})
}

// SetShipmentProgress stores where a shipment's parcel is.
func (t *Tx) SetShipmentProgress(shipmentID int64, p returns.ShipmentProgress) error {
	return t.do("set shipment progress", func(ctx context.Context, tx *sqlx.Tx) error {
		var state, at any
		if p.State != "" {
			state, at = string(p.State), dbTime(p.At)
		}
		_, err := exec(ctx, tx, `UPDATE shipments SET state = ?, state_at = ?, state_place = ?, first_scan_at = ?,
			delivered_at = ?, updated_at = ? WHERE id = ?`, state, at, p.Place, dbTimePtr(p.FirstScanAt),
			dbTimePtr(p.DeliveredAt), t.s.stamp(), shipmentID)
		return err
	})
}

// DecidedUnder loads, in the transaction, the order of a return and the
// policy version it was decided under.
func (t *Tx) DecidedUnder(rma string) (returns.Order, returns.Policy, error) {
	var rc returnContext
	err := t.do(fmt.Sprintf("decided under %q", rma), func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		rc, err = loadReturnContext(ctx, tx, rma)
		return err
	})
	return rc.order, rc.policy, err
}
