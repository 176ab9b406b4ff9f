package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The carrier worker does the jobs the use cases write (shipment_hooks.go,
// tracking.go) outside any transaction, as the outbox worker sends e-mails:
// it claims due jobs under a lease, calls the platform (or the refund use
// case), and records the outcome with what it changes in one transaction.
// A crash loses nothing: a claimed job whose lease runs out is claimed
// again, and a purchase resumes the shipment it saved before paying.

// Carrier worker settings.
const (
	carrierPoll     = 5 * time.Second
	carrierLease    = 2 * time.Minute // longer than a purchase's calls
	carrierBatch    = 20
	carrierParallel = 4
	// notReadyDelay is the wait before asking a platform again for a label
	// it is still making; notReadyAttempts bound the waiting (about
	// 30 minutes) before staff are told.
	notReadyDelay    = 15 * time.Second
	notReadyAttempts = 120
)

// carrierRetries is the schedule of a job after a failure worth retrying
// (no answer, a 5xx): about a day, then staff are told.
var carrierRetries = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour,
	3 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// nextCarrierAttempt is when to try a job again after its attempts-th
// failure (1 = the first), or false when its schedule is used up.
func nextCarrierAttempt(attempts int, now time.Time) (time.Time, bool) {
	if attempts < 1 || attempts > len(carrierRetries) {
		return time.Time{}, false
	}
	return now.Add(carrierRetries[attempts-1]), true
}

// RunCarrierWorker does carrier jobs until ctx is done: at once, then
// whenever jobs are committed (CarrierWork) or carrierPoll has passed.
// Jobs in flight when ctx is done finish their calls and record them.
func (s *Service) RunCarrierWorker(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.carrierWake:
		}
		for ctx.Err() == nil {
			n, err := s.CarrierRound(ctx)
			if err != nil {
				s.log.Error("carrier jobs", "err", err)
				break
			}
			if n < carrierBatch {
				break
			}
		}
		timer.Reset(carrierPoll)
	}
}

// CarrierRound claims one batch of due carrier jobs and does them; it
// returns how many it claimed. RunCarrierWorker calls it; tests may too.
func (s *Service) CarrierRound(ctx context.Context) (int, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return 0, err
	}
	owner := "cw-" + hex.EncodeToString(b)
	jobs, err := s.st.ClaimJobs(ctx, owner, s.now(), carrierLease, carrierBatch)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, carrierParallel)
	for _, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			s.doJob(ctx, owner, j)
		})
	}
	wg.Wait()
	return len(jobs), nil
}

// jobOutcome is what an attempt at a job leads to, with the changes to
// record with it.
type jobOutcome struct {
	result store.JobResult
	also   func(*store.Tx) error
}

// doJob runs a job and records its outcome; recording runs even when ctx
// is done (the call happened and must be recorded).
func (s *Service) doJob(ctx context.Context, owner string, j store.CarrierJob) {
	var out jobOutcome
	switch j.Kind {
	case store.JobLabel:
		out = s.buyLabel(ctx, j)
	case store.JobVoid:
		out = s.voidLabel(ctx, j)
	case store.JobRefund:
		out = s.refundJob(ctx, j)
	default:
		out = jobOutcome{result: store.JobResult{Status: store.JobFailed, Error: "unknown job kind " + j.Kind}}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	jobs := 0
	also := func(tx *store.Tx) error {
		if out.also != nil {
			if err := out.also(tx); err != nil {
				return err
			}
		}
		jobs = tx.Jobs()
		return nil
	}
	err := s.st.FinishJob(rctx, j.ID, owner, out.result, also)
	switch {
	case errors.Is(err, store.ErrLeaseLost):
		s.log.Warn("carrier job: lease lost before the outcome was recorded", "job", j.ID, "kind", j.Kind, "rma", j.RMA)
	case err != nil:
		s.log.Error("carrier job: recording the outcome", "job", j.ID, "kind", j.Kind, "rma", j.RMA, "err", err)
	case jobs > 0:
		s.nudgeCarriers()
	}
	if out.result.Status == store.JobFailed {
		s.log.Warn("carrier job failed", "job", j.ID, "kind", j.Kind, "rma", j.RMA, "err", out.result.Error)
	}
}

// retryOrFail is the outcome of a failed attempt: again later while the
// error is worth retrying and the schedule lasts, else failed, with fail
// run in the same transaction (the shipment's state for staff).
func (s *Service) retryOrFail(j store.CarrierJob, err error, fail func(*store.Tx) error) jobOutcome {
	msg := err.Error()
	if errors.Is(err, carriers.ErrNotReady) && j.Attempts+1 < notReadyAttempts {
		return jobOutcome{result: store.JobResult{Status: store.JobPending, DueAt: s.now().Add(notReadyDelay), Counts: true, Error: msg}}
	}
	if carriers.Temporary(err) && !errors.Is(err, carriers.ErrNotReady) {
		if next, ok := nextCarrierAttempt(j.Attempts+1, s.now()); ok {
			return jobOutcome{result: store.JobResult{Status: store.JobPending, DueAt: next, Counts: true, Error: msg}}
		}
	}
	return jobOutcome{result: store.JobResult{Status: store.JobFailed, Counts: true, Error: msg}, also: fail}
}

// buyLabel buys a return's label from its platform. A return that ended
// meanwhile gets none; one whose platform is not configured fails at once.
func (s *Service) buyLabel(ctx context.Context, j store.CarrierJob) jobOutcome {
	failLabel := func(msg string) func(*store.Tx) error {
		return func(tx *store.Tx) error { return tx.SetLabelStatus(j.ReturnID, store.LabelFailed, msg) }
	}
	r, err := s.st.GetReturn(ctx, j.RMA)
	if err != nil {
		return s.retryOrFail(j, err, failLabel(err.Error()))
	}
	if calledOff(r.Status) {
		return jobOutcome{result: store.JobResult{Status: store.JobCancelled, Error: "the return is " + string(r.Status)},
			also: func(tx *store.Tx) error { return tx.SetLabelStatus(j.ReturnID, store.LabelCancelled, "") }}
	}
	sh, err := s.st.ShipmentByReturnID(ctx, j.ReturnID)
	if err != nil {
		return s.retryOrFail(j, err, failLabel(err.Error()))
	}
	p, ok := s.carriers[sh.Provider]
	if !ok {
		msg := "the label provider " + sh.Provider + " is not configured"
		return jobOutcome{result: store.JobResult{Status: store.JobFailed, Counts: true, Error: msg}, also: failLabel(msg)}
	}
	req, err := s.shipmentRequest(ctx, r)
	if err != nil {
		return s.retryOrFail(j, err, failLabel(err.Error()))
	}
	save := func(ctx context.Context, pr carriers.Progress) error {
		return s.st.SaveShipmentProgress(ctx, j.ReturnID, pr.ShipmentID, pr.ParcelID)
	}
	l, err := p.Buy(ctx, req, carriers.Progress{ShipmentID: sh.ProviderShipmentID, ParcelID: sh.ProviderParcelID}, save)
	if err != nil {
		return s.retryOrFail(j, err, failLabel(err.Error()))
	}
	bought := store.BoughtLabel{ShipmentID: l.ShipmentID, ParcelID: l.ParcelID, TrackingNumber: l.TrackingNumber,
		Carrier: l.Carrier, Service: l.Service, Price: l.Price, PriceCurrency: l.PriceCurrency, PDF: l.PDF, PDFA4: l.PDFA4,
		QR: l.QRCode, Customs: l.Customs}
	return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true}, also: func(tx *store.Tx) error {
		if err := tx.RecordLabel(j.ReturnID, bought); err != nil {
			return err
		}
		// Events that came before the label now count.
		return s.applyProgress(tx, sh.ID)
	}}
}

// shipmentRequest is what a platform is asked to carry: the shopper's
// address (its Latin form when there is one) to the hub of the policy
// version the return was decided under, the units and their value and
// weight (as the own label and customs declaration show them), declared
// when the parcel crosses a customs border.
func (s *Service) shipmentRequest(ctx context.Context, r returns.Return) (carriers.Shipment, error) {
	o, p, err := s.decidedUnder(ctx, r)
	if err != nil {
		return carriers.Shipment{}, err
	}
	code := p.Effective(s.legal, o.ShippingAddress.Country).Hub
	hub, ok := p.HubByCode(code)
	if !ok {
		return carriers.Shipment{}, fmt.Errorf("policy version %d has no hub %q", r.PolicyVersion, code)
	}
	label, customs := labels.ForReturn(o, r, hub, "", s.legal)
	a := o.ShippingAddress
	from := carriers.Address{Name: a.Name, Line1: a.Line1, Line2: a.Line2, City: a.City, PostalCode: a.PostalCode,
		Region: a.Region, Country: a.Country, Phone: a.Phone, Email: o.Email}
	if l := a.Latin; l != nil {
		from.Name, from.Line1, from.Line2, from.City = l.Name, l.Line1, l.Line2, l.City
	}
	h := hub.Address
	to := carriers.Address{Name: hub.Name, Line1: h.Line1, Line2: h.Line2, City: h.City, PostalCode: h.PostalCode,
		Region: h.Region, Country: h.Country}
	req := carriers.Shipment{Reference: r.RMA, OrderNumber: o.Number, From: from, To: to, Carrier: hub.Carrier,
		Service: hub.Service, WeightGrams: label.WeightGrams, Currency: customs.Currency, Customs: label.Customs}
	for _, it := range customs.Items {
		desc := it.Description
		if desc == "" {
			desc = it.Name
		}
		req.Items = append(req.Items, carriers.Item{Description: desc, SKU: it.SKU, Quantity: it.Quantity, Value: it.Value,
			WeightGrams: it.WeightGrams, HSCode: it.HSCode, Origin: it.Origin})
	}
	return req, nil
}

// labelInUse is the void job's note when the carrier scanned the parcel
// before the return was called off.
const labelInUse = "not voided: the carrier has scanned the parcel"

// voidLabel voids the label of a return that was called off: once the
// purchase is over (a purchase in flight is waited for), a bought label
// the carrier has not scanned yet is voided and any other needs nothing.
func (s *Service) voidLabel(ctx context.Context, j store.CarrierJob) jobOutcome {
	failVoid := func(msg string) func(*store.Tx) error {
		return func(tx *store.Tx) error { return tx.SetLabelStatus(j.ReturnID, store.LabelVoidFailed, msg) }
	}
	sh, err := s.st.ShipmentByReturnID(ctx, j.ReturnID)
	if err != nil {
		return s.retryOrFail(j, err, nil)
	}
	switch {
	case sh.LabelStatus == store.LabelBought && sh.Progress().FirstScanAt != nil:
		// The carrier has the parcel: the label is used, and no platform
		// refunds a used label (EasyPost rejects it, Sendcloud answers
		// 409). Kept, with the reason for staff.
		return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true, Error: labelInUse}}
	case sh.LabelStatus == store.LabelBought:
	case sh.LabelStatus == store.LabelPending:
		// The purchase has not ended: ask again once it may have.
		return jobOutcome{result: store.JobResult{Status: store.JobPending, DueAt: s.now().Add(carrierLease)}}
	default: // never bought, or voided already
		return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true}}
	}
	p, ok := s.carriers[sh.Provider]
	if !ok {
		msg := "the label provider " + sh.Provider + " is not configured"
		return jobOutcome{result: store.JobResult{Status: store.JobFailed, Counts: true, Error: msg}, also: failVoid(msg)}
	}
	l := carriers.Label{Progress: carriers.Progress{ShipmentID: sh.ProviderShipmentID, ParcelID: sh.ProviderParcelID},
		TrackingNumber: sh.Tracking()}
	if err := p.Void(ctx, l); err != nil {
		return s.retryOrFail(j, err, failVoid(err.Error()))
	}
	return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true}, also: func(tx *store.Tx) error {
		return tx.SetLabelStatus(j.ReturnID, store.LabelVoided, "")
	}}
}

// refundJob pays a return back on its refund trigger through the one
// refund use case (Refund), with an idempotency key of its own: a retried
// job, or a trigger that fired twice, is the same refund, and a return
// refunded otherwise meanwhile is refunded once all the same.
func (s *Service) refundJob(ctx context.Context, j store.CarrierJob) jobOutcome {
	trigger := j.Payload
	hash := sha256.Sum256([]byte("refund_trigger:" + trigger))
	_, err := s.Refund(ctx, RefundRequest{RMA: j.RMA, Key: "trigger-" + trigger + "-" + j.RMA,
		RequestHash: hex.EncodeToString(hash[:]), Actor: "refund_trigger:" + trigger, Trigger: trigger})
	var ce *ConflictError
	switch {
	case err == nil:
		return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true}}
	case errors.As(err, &ce) && ce.Code == CodeAlreadyRefunded:
		return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true, Error: "refunded already"}}
	case errors.As(err, &ce) && (ce.Code == CodeRefundPending || ce.Code == CodeRefundFailed):
		// The refund exists and its own execution carries on (the refund
		// worker resumes a pending one; staff retry a failed one).
		return jobOutcome{result: store.JobResult{Status: store.JobDone, Counts: true, Error: ce.Code}}
	case errors.As(err, &ce), errors.Is(err, ErrIdempotencyKeyReused):
		// The domain refuses (nothing to refund, over what was paid, no
		// longer payable on the trigger): staff decide.
		return jobOutcome{result: store.JobResult{Status: store.JobFailed, Counts: true, Error: err.Error()}}
	}
	if next, ok := nextCarrierAttempt(j.Attempts+1, s.now()); ok {
		return jobOutcome{result: store.JobResult{Status: store.JobPending, DueAt: next, Counts: true, Error: err.Error()}}
	}
	return jobOutcome{result: store.JobResult{Status: store.JobFailed, Counts: true, Error: err.Error()}}
}
