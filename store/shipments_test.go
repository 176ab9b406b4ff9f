package store

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

// shipmentFor creates a return of O-1 with its carrier shipment, as an
// approval does.
func shipmentFor(t *testing.T, s *Store, provider string) returns.Return {
	t.Helper()
	var r returns.Return
	err := s.Write(context.Background(), func(tx *Tx) error {
		var err error
		if r, err = tx.CreateReturn("O-1", "shopper", build(item("L1", 1))); err != nil {
			return err
		}
		if err := tx.CreateShipment(r.ID, provider); err != nil {
			return err
		}
		if tx.Jobs() != 1 {
			t.Errorf("jobs counted %d, want 1", tx.Jobs())
		}
		// A second approval keeps the shipment and its one job.
		return tx.CreateShipment(r.ID, provider)
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestShipmentLabelLifecycle(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r := shipmentFor(t, s, returns.LabelProviderEasyPost)
	sh, ok, err := s.Shipment(ctx, r.RMA)
	if err != nil || !ok || sh.LabelStatus != LabelPending || sh.Provider != "easypost" || sh.Tracking() != "" || sh.State != nil {
		t.Fatalf("new shipment %+v %v %v", sh, ok, err)
	}
	if _, ok, _ := s.Shipment(ctx, "R-0000-0000"); ok {
		t.Error("a return without a shipment has one")
	}
	if jobs, _ := s.Jobs(ctx, r.RMA); len(jobs) != 1 || jobs[0].Kind != JobLabel || jobs[0].Status != JobPending {
		t.Fatalf("jobs %+v", jobs)
	}
	if err := s.SaveShipmentProgress(ctx, r.ID, "shp_1", ""); err != nil {
		t.Fatal(err)
	}
	if sh, _ = s.ShipmentByReturnID(ctx, r.ID); sh.ProviderShipmentID != "shp_1" {
		t.Fatalf("progress not saved: %+v", sh)
	}
	// An event for the tracking number arrives before the label is
	// recorded: kept unmatched, attached with the label.
	at := time.Date(2026, 3, 3, 8, 41, 0, 0, time.UTC)
	err = s.Write(ctx, func(tx *Tx) error {
		added, err := tx.AddTrackingEvents([]NewTrackingEvent{{Provider: "easypost", TrackingNumber: "TRK1",
			State: returns.ShipmentInTransit, Code: "in_transit", Message: "Accepted", Place: "LA", At: at}})
		if added.New != 1 || added.Unmatched != 1 || len(added.Shipments) != 0 {
			t.Errorf("added %+v", added)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.UnmatchedEvents(ctx, "easypost"); n != 1 {
		t.Fatalf("unmatched %d", n)
	}
	pdf := []byte("%PDF-1.4 label")
	err = s.Write(ctx, func(tx *Tx) error {
		return tx.RecordLabel(r.ID, BoughtLabel{ShipmentID: "shp_1", TrackingNumber: "TRK1", Carrier: "USPS",
			Service: "GroundAdvantage", Price: 820, PriceCurrency: "USD", PDF: pdf, QR: []byte("png")})
	})
	if err != nil {
		t.Fatal(err)
	}
	sh, _, _ = s.Shipment(ctx, r.RMA)
	if sh.LabelStatus != LabelBought || sh.Tracking() != "TRK1" || *sh.Price != 820 || sh.HasA4 || !sh.HasQR || sh.HasCustoms {
		t.Fatalf("bought %+v", sh)
	}
	if b, err := s.ShipmentDocument(ctx, r.RMA, DocumentLabel); err != nil || !bytes.Equal(b, pdf) {
		t.Fatalf("label %q %v", b, err)
	}
	if _, err := s.ShipmentDocument(ctx, r.RMA, DocumentLabelA4); !errors.Is(err, ErrNotFound) {
		t.Fatalf("absent A4: %v", err)
	}
	if n, _ := s.UnmatchedEvents(ctx, "easypost"); n != 0 {
		t.Fatalf("the early event was not attached (%d unmatched)", n)
	}
	evs, err := s.TrackingEvents(ctx, r.RMA)
	if err != nil || len(evs) != 1 || evs[0].Place != "LA" || !evs[0].OccurredAt.Equal(at) {
		t.Fatalf("events %+v %v", evs, err)
	}
	// The progress is stored as the domain folds it.
	err = s.Write(ctx, func(tx *Tx) error {
		scans, err := tx.ShipmentScans(sh.ID)
		if err != nil {
			return err
		}
		return tx.SetShipmentProgress(sh.ID, returns.Progress(scans))
	})
	if err != nil {
		t.Fatal(err)
	}
	sh, _, _ = s.Shipment(ctx, r.RMA)
	if p := sh.Progress(); p.State != returns.ShipmentInTransit || !p.At.Equal(at) || p.Place != "LA" || p.FirstScanAt == nil ||
		!p.FirstScanAt.Equal(at) || p.DeliveredAt != nil {
		t.Fatalf("progress %+v", p)
	}
}

func TestTrackingEventsDeduplicated(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r := shipmentFor(t, s, returns.LabelProviderSendcloud)
	if err := s.Write(ctx, func(tx *Tx) error {
		return tx.RecordLabel(r.ID, BoughtLabel{ShipmentID: "1", ParcelID: "2", TrackingNumber: "T9", PDF: []byte("%PDF")})
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)
	ev := NewTrackingEvent{Provider: "sendcloud", EventID: "e1", TrackingNumber: "T9", State: returns.ShipmentInTransit,
		Code: "22", Message: "Picked up", At: at}
	other := ev
	other.Provider = "easypost" // the same number at another platform is another parcel
	// Twenty webhooks at once, each carrying the same scan.
	var wg sync.WaitGroup
	news := make(chan int, 20)
	for range 20 {
		wg.Go(func() {
			// Counted once committed: PostgreSQL may run a refused
			// transaction again (store/retry.go).
			added := 0
			if err := s.Write(ctx, func(tx *Tx) error {
				a, err := tx.AddTrackingEvents([]NewTrackingEvent{ev, other})
				added = a.New
				return err
			}); err != nil {
				t.Error(err)
				return
			}
			news <- added
		})
	}
	wg.Wait()
	close(news)
	total := 0
	for n := range news {
		total += n
	}
	if total != 2 {
		t.Fatalf("%d new events from 20 identical webhooks, want 2 (one per platform)", total)
	}
	if evs, _ := s.TrackingEvents(ctx, r.RMA); len(evs) != 1 {
		t.Fatalf("events %+v", evs)
	}
	if n, _ := s.UnmatchedEvents(ctx, "easypost"); n != 1 {
		t.Errorf("the other platform's event: %d unmatched", n)
	}
	// The same scan with another message or time is another event.
	later := ev
	later.At = at.Add(time.Hour)
	_ = s.Write(ctx, func(tx *Tx) error {
		a, err := tx.AddTrackingEvents([]NewTrackingEvent{later, ev})
		if a.New != 1 || a.Duplicates != 1 {
			t.Errorf("added %+v", a)
		}
		return err
	})
}

func TestCarrierJobs(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r := shipmentFor(t, s, returns.LabelProviderEasyPost)
	now := time.Now().UTC()
	got, err := s.ClaimJobs(ctx, "w1", now, time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].Kind != JobLabel || got[0].RMA != r.RMA {
		t.Fatalf("claim %+v %v", got, err)
	}
	// Leased: nobody else gets it.
	if again, _ := s.ClaimJobs(ctx, "w2", now, time.Minute, 10); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	// A retry later, counted.
	if err := s.FinishJob(ctx, got[0].ID, "w1", JobResult{Status: JobPending, DueAt: now.Add(time.Minute), Counts: true,
		Error: "503"}, nil); err != nil {
		t.Fatal(err)
	}
	if early, _ := s.ClaimJobs(ctx, "w2", now.Add(30*time.Second), time.Minute, 10); len(early) != 0 {
		t.Fatal("claimed before it was due")
	}
	got, _ = s.ClaimJobs(ctx, "w2", now.Add(2*time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "503" {
		t.Fatalf("due again %+v", got)
	}
	// The first worker's lease is gone: it cannot record an outcome.
	if err := s.FinishJob(ctx, got[0].ID, "w1", JobResult{Status: JobDone}, nil); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("stale finish: %v", err)
	}
	// Failed, with a change of the same transaction; then retried by staff.
	err = s.FinishJob(ctx, got[0].ID, "w2", JobResult{Status: JobFailed, Counts: true, Error: "refused"}, func(tx *Tx) error {
		return tx.SetLabelStatus(r.ID, LabelFailed, "refused")
	})
	if err != nil {
		t.Fatal(err)
	}
	if sh, _, _ := s.Shipment(ctx, r.RMA); sh.LabelStatus != LabelFailed || sh.LastError != "refused" {
		t.Fatalf("shipment %+v", sh)
	}
	err = s.Write(ctx, func(tx *Tx) error {
		if err := tx.RetryJob(r.ID, JobLabel); err != nil {
			return err
		}
		if err := tx.RetryJob(r.ID, JobVoid); !errors.Is(err, ErrConflict) {
			t.Errorf("retry of a job that does not exist: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimJobs(ctx, "w3", now.Add(3*time.Minute), time.Minute, 10); len(got) != 1 || got[0].Attempts != 0 {
		t.Fatalf("retried %+v", got)
	}
	// One job of a kind per return, however often it is asked for.
	err = s.Write(ctx, func(tx *Tx) error {
		for i := range 3 {
			wrote, err := tx.EnqueueJob(r.ID, JobRefund, returns.RefundOnFirstScan)
			if err != nil || wrote != (i == 0) {
				t.Errorf("enqueue %d: %v %v", i, wrote, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if jobs, _ := s.Jobs(ctx, r.RMA); len(jobs) != 2 || jobs[1].Payload != "first_scan" {
		t.Fatalf("jobs %+v", jobs)
	}
}

func TestQueueShipmentFilters(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	var rmas []string
	for i, state := range []returns.ShipmentState{returns.ShipmentInTransit, returns.ShipmentOutForDelivery,
		returns.ShipmentDelivered, returns.ShipmentDelivered, returns.ShipmentLabelCreated} {
		number := "Q-" + string(rune('1'+i))
		if _, err := s.UpsertOrder(ctx, sampleOrder(number)); err != nil {
			t.Fatal(err)
		}
		err := s.Write(ctx, func(tx *Tx) error {
			r, err := tx.CreateReturn(number, "shopper", build(item("L1", 1)))
			if err != nil {
				return err
			}
			rmas = append(rmas, r.RMA)
			if _, err := tx.Transition(r.RMA, returns.StatusApproved, "staff", ""); err != nil && !errors.Is(err, ErrConflict) {
				return err
			}
			if err := tx.CreateShipment(r.ID, "easypost"); err != nil {
				return err
			}
			sh, _, err := tx.Shipment(r.ID)
			if err != nil {
				return err
			}
			return tx.SetShipmentProgress(sh.ID, returns.ShipmentProgress{State: state, At: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The fourth parcel was received at the hub.
	if _, err := s.Receive(ctx, rmas[3], "staff"); err != nil {
		t.Fatal(err)
	}
	got := func(filter string) []string {
		rows, _, err := s.Queue(ctx, QueueFilter{Shipment: filter, Sort: SortOldest})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.RMA)
		}
		return out
	}
	if g := got(ShipmentFilterInTransit); len(g) != 2 || g[0] != rmas[0] || g[1] != rmas[1] {
		t.Errorf("in transit %v, want %v", g, rmas[:2])
	}
	if g := got(ShipmentFilterDelivered); len(g) != 1 || g[0] != rmas[2] {
		t.Errorf("delivered, not received %v, want %v", g, rmas[2])
	}
	if _, _, err := s.Queue(ctx, QueueFilter{Shipment: "lost"}); err == nil {
		t.Error("an unknown filter was accepted")
	}
}

func TestReceiveAfterEarlyRefund(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	var r returns.Return
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.CreateReturn("O-1", "shopper", build(item("L1", 1))); err != nil {
			return err
		}
		if r.Status == returns.StatusRequested {
			if r, err = tx.Transition(r.RMA, returns.StatusApproved, "staff", ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Paid back on the first scan, before the parcel came (claim, then
	// finalise as the refund use case does).
	err = s.Write(ctx, func(tx *Tx) error {
		c, err := tx.ClaimRefund(RefundRequest{RMA: r.RMA, Key: "k1", RequestHash: "h", Actor: "carrier"}, time.Minute,
			func(r returns.Return, o returns.Order, earlier int64) (RefundClaim, error) {
				d, err := returns.DecideRefundOn(r, returns.RefundOnFirstScan)
				return RefundClaim{Decision: d, Executor: "manual"}, err
			})
		if err != nil {
			return err
		}
		_, err = tx.FinishRefund(c.Refund.ID, RefundOutcome{State: RefundSucceeded, Reference: "manual:original_payment",
			Response: []byte(`{}`), ResponseStatus: 201}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetReturn(ctx, r.RMA); got.Status != returns.StatusRefunded {
		t.Fatalf("after the early refund: %s", got.Status)
	}
	// The reports count a refund made before the arrival, and the
	// arrival that closes it, as a recount of the rows does.
	agree(t, s, "refunded before the arrival")
	got, err := s.Receive(ctx, r.RMA, "staff")
	if err != nil || got.Status != returns.StatusClosed {
		t.Fatalf("arrival of a parcel paid back early: %v %v", got.Status, err)
	}
	x, _ := s.ReturnExtras(ctx, r.RMA)
	if x.ReceivedAt == nil {
		t.Error("the arrival was not recorded")
	}
	agree(t, s, "closed by the arrival")
	if _, err := s.Receive(ctx, r.RMA, "staff"); !errors.Is(err, returns.ErrTransition) {
		t.Fatalf("second arrival: %v", err)
	}
}

// TestCarrierJobsClaimedOnce: workers of several instances (stores on one
// database) claiming at once each get a job of their own: no job is
// claimed twice, none is left (on PostgreSQL the claim's SKIP LOCKED, on
// SQLite the one writer per file).
func TestCarrierJobsClaimedOnce(t *testing.T) {
	ctx := context.Background()
	s, dsn := setup(t)
	const orders = 12
	for i := range orders {
		number := "C-" + string(rune('A'+i))
		if _, err := s.UpsertOrder(ctx, sampleOrder(number)); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, func(tx *Tx) error {
			r, err := tx.CreateReturn(number, "shopper", build(item("L1", 1)))
			if err != nil {
				return err
			}
			return tx.CreateShipment(r.ID, returns.LabelProviderEasyPost)
		}); err != nil {
			t.Fatal(err)
		}
	}
	stores := []*Store{s, openAt(t, dsn), openAt(t, dsn)}
	now := time.Now().UTC()
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for i, st := range stores {
		for w := range 3 {
			wg.Go(func() {
				owner := string(rune('a'+i)) + string(rune('0'+w))
				for {
					got, err := st.ClaimJobs(ctx, owner, now, time.Minute, 2)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, j := range got {
						claimed[j.ID]++
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(claimed) != orders {
		t.Errorf("%d jobs claimed, want %d", len(claimed), orders)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("job %d claimed %d times", id, n)
		}
	}
}
