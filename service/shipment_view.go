package service

import (
	"context"
	"errors"
	"slices"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// ShipmentView is a return's carrier shipment as the status page and the
// staff area show it: the label's state, the parcel's state, its tracking
// events (newest first) and the carrier jobs (for staff).
type ShipmentView struct {
	Shipment store.Shipment
	Events   []store.TrackingEvent
	Jobs     []store.CarrierJob
}

// ReturnShipment loads a return's carrier shipment; ok is false when its
// hub draws its own labels.
func (s *Service) ReturnShipment(ctx context.Context, rma string) (ShipmentView, bool, error) {
	sh, ok, err := s.st.Shipment(ctx, rma)
	if err != nil || !ok {
		return ShipmentView{}, false, err
	}
	v := ShipmentView{Shipment: sh}
	if v.Events, err = s.st.TrackingEvents(ctx, rma); err != nil {
		return ShipmentView{}, false, err
	}
	if v.Jobs, err = s.st.Jobs(ctx, rma); err != nil {
		return ShipmentView{}, false, err
	}
	return v, true, nil
}

// LabelQR is the QR code a carrier gave for label-free drop-off, for an
// opened return whose label can be downloaded (ErrNotFound when there is
// none).
func (s *Service) LabelQR(ctx context.Context, a ReturnAccess) ([]byte, error) {
	if !a.May.Documents {
		return nil, ErrNotPermitted
	}
	if err := returns.CheckLabel(a.Return.Status); err != nil {
		return nil, err
	}
	return s.st.ShipmentDocument(ctx, a.Return.RMA, store.DocumentQR)
}

// Codes of the carrier jobs' ConflictErrors.
const (
	// CodeJobNotFailed: only a failed carrier job can be tried again.
	CodeJobNotFailed = "job_not_failed"
)

// RetryableJobs are the carrier jobs staff may try again once failed.
var RetryableJobs = []string{store.JobLabel, store.JobVoid, store.JobRefund}

// RetryCarrierJob tries a failed carrier job of a return again at once,
// with a fresh schedule, for staff (the label's or void's state goes back
// to what the job starts from). A job that did not fail is ConflictError
// job_not_failed.
func (s *Service) RetryCarrierJob(ctx context.Context, rma, kind, actor string) error {
	if !slices.Contains(RetryableJobs, kind) {
		return ErrNotFound
	}
	_, err := inTx(ctx, s, func(tx *store.Tx) (struct{}, error) {
		r, err := tx.Return(rma)
		if err != nil {
			return struct{}{}, err
		}
		if err := tx.RetryJob(r.ID, kind); err != nil {
			return struct{}{}, err
		}
		switch kind {
		case store.JobLabel:
			err = tx.SetLabelStatus(r.ID, store.LabelPending, "")
		case store.JobVoid:
			err = tx.SetLabelStatus(r.ID, store.LabelBought, "")
		}
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.AddNote(r.RMA, actor, "carrier job "+kind+" tried again")
	})
	if errors.Is(err, ErrConflict) {
		return &ConflictError{Code: CodeJobNotFailed}
	}
	if err == nil {
		s.log.Info("carrier job tried again", "rma", rma, "kind", kind, "actor", actor)
	}
	return err
}
