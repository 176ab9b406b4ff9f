package service

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/carriers/carrierstest"
	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// carrierRig is the service on the demo data with the EasyPost and
// Sendcloud stand-ins configured.
type carrierRig struct {
	*testService
	ep *carrierstest.EasyPost
	sc *carrierstest.Sendcloud
}

const (
	epSecret = "whsec_easypost_test"
	scSecret = "sendcloud_signature_key"
)

func newCarrierRig(t testing.TB) *carrierRig {
	t.Helper()
	ctx := context.Background()
	legal := returns.LoadLegal()
	st, err := store.Open(ctx, testDSN(t, filepath.Join(t.TempDir(), "returns.db")), legal)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ts := &testService{st: st, clock: time.Now().UTC().Truncate(time.Second)}
	if _, err := demo.Seed(ctx, st, legal, ts.clock); err != nil {
		t.Fatal(err)
	}
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	rig := &carrierRig{testService: ts, ep: carrierstest.NewEasyPost(t), sc: carrierstest.NewSendcloud(t)}
	providers, err := NewCarrierProviders(CarrierEnv{EasyPostKey: rig.ep.Key, EasyPostAPIURL: rig.ep.URL,
		EasyPostWebhookSecret: epSecret, SendcloudKey: rig.sc.Key, SendcloudSecret: rig.sc.Secret,
		SendcloudAPIURL: rig.sc.URL, SendcloudWebhookSecret: scSecret})
	if err != nil {
		t.Fatal(err)
	}
	if ts.Service, err = New(Config{Store: st, Legal: legal, Now: ts.now, Tokens: signer, Carriers: providers}); err != nil {
		t.Fatal(err)
	}
	return rig
}

// setHubs changes the demo policy's hubs and rules and saves it.
func (rig *carrierRig) setPolicy(t testing.TB, change func(p *returns.Policy)) {
	t.Helper()
	ctx := context.Background()
	_, p, err := rig.Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	change(&p)
	if _, _, err := rig.ReplacePolicy(ctx, p, "test"); err != nil {
		t.Fatal(err)
	}
}

func hubNamed(p *returns.Policy, code string) *returns.Hub {
	for i := range p.Hubs {
		if p.Hubs[i].Code == code {
			return &p.Hubs[i]
		}
	}
	panic("no hub " + code)
}

// berlinVia makes the Berlin hub buy its labels from provider.
func berlinVia(provider, carrier, service string) func(p *returns.Policy) {
	return func(p *returns.Policy) {
		h := hubNamed(p, "eu-berlin")
		h.LabelProvider, h.Carrier, h.Service = provider, carrier, service
	}
}

// work runs carrier rounds until no job is due. The store stamps what it
// writes with the real time, so the test's clock is brought up to it
// first (never back).
func (rig *carrierRig) work(t testing.TB) {
	t.Helper()
	rig.mu.Lock()
	if real := time.Now().UTC().Add(time.Second); rig.clock.Before(real) {
		rig.clock = real
	}
	rig.mu.Unlock()
	for range 20 {
		n, err := rig.CarrierRound(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("carrier jobs never settle")
}

func (rig *carrierRig) shipment(t *testing.T, rma string) ShipmentView {
	t.Helper()
	v, ok, err := rig.ReturnShipment(context.Background(), rma)
	if err != nil || !ok {
		t.Fatalf("shipment of %s: %v %v", rma, ok, err)
	}
	return v
}

func (rig *carrierRig) documents(t *testing.T, c Created) (Documents, error) {
	t.Helper()
	a, err := rig.OpenReturn(context.Background(), c.Return.RMA, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	en := func(id string) string { return id }
	return rig.Documents(context.Background(), a, func(tok string) string { return "https://returns.example/r/x?t=" + tok }, Words{English: en})
}

// signedEasyPost posts a tracker event as EasyPost signs it.
func (rig *carrierRig) easyPostScan(t *testing.T, eventID, tracking string, details ...carrierstest.TrackingDetail) (string, error) {
	t.Helper()
	body := carrierstest.TrackerEvent(eventID, tracking, details...)
	h := http.Header{}
	h.Set(carriers.EasyPostSignatureHeader, carriers.EasyPostSignature(epSecret, body))
	return rig.CarrierWebhook(context.Background(), returns.LabelProviderEasyPost, h, body)
}

func TestCarrierLabelBoughtAfterApproval(t *testing.T) {
	rig := newCarrierRig(t)
	rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", "GroundAdvantage"))
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	if c.Return.Status != returns.StatusApproved {
		t.Fatalf("status %s", c.Return.Status)
	}
	// Bought in the background, never in the request: until then the
	// shopper is told the label is being prepared.
	if len(rig.ep.Calls()) != 0 {
		t.Fatal("the platform was called inside the request")
	}
	sh := rig.shipment(t, c.Return.RMA)
	if sh.Shipment.LabelStatus != store.LabelPending || len(sh.Jobs) != 1 || sh.Jobs[0].Kind != store.JobLabel {
		t.Fatalf("before the purchase: %+v", sh)
	}
	if _, err := rig.documents(t, c); !isConflict(err, returns.CodeLabelPreparing) {
		t.Fatalf("documents before the purchase: %v", err)
	}
	select {
	case <-rig.CarrierWork():
	default:
		t.Error("the carrier worker was not woken after the approval committed")
	}
	rig.work(t)
	sh = rig.shipment(t, c.Return.RMA)
	fake := rig.ep.Shipments()
	if len(fake) != 1 || fake[0].Buys != 1 || sh.Shipment.LabelStatus != store.LabelBought ||
		sh.Shipment.Tracking() != fake[0].Tracking || sh.Shipment.Carrier != "USPS" || *sh.Shipment.Price != 820 {
		t.Fatalf("after the purchase: %+v, fake %+v", sh.Shipment, fake)
	}
	d, err := rig.documents(t, c)
	if err != nil || !d.CarrierLabel() {
		t.Fatalf("documents: %v", err)
	}
	for _, size := range []labels.Size{labels.Size4x6, labels.SizeA4} { // no A4 from EasyPost: its 4x6
		pdf, err := rig.LabelPDF(context.Background(), d, size)
		if err != nil || !bytes.Contains(pdf, []byte(fake[0].Tracking)) {
			t.Errorf("label %v: %v", size, err)
		}
	}
	// Within the EU: no customs document, neither the carrier's nor ours.
	if _, err := rig.CustomsPDF(context.Background(), d); !errors.Is(err, ErrNotFound) {
		t.Errorf("customs: %v", err)
	}
	a, _ := rig.OpenReturn(context.Background(), c.Return.RMA, c.Token)
	if qr, err := rig.LabelQR(context.Background(), a); err != nil || len(qr) == 0 {
		t.Errorf("USPS QR code: %v", err)
	}
	// Nothing more to do; the label is bought once.
	rig.work(t)
	if rig.ep.Shipments()[0].Buys != 1 || len(rig.ep.Shipments()) != 1 {
		t.Error("bought again")
	}
}

func TestOwnLabelHubsBuyNothing(t *testing.T) {
	rig := newCarrierRig(t)
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	if _, ok, _ := rig.ReturnShipment(context.Background(), c.Return.RMA); ok {
		t.Fatal("an own-label hub got a shipment")
	}
	d, err := rig.documents(t, c)
	if err != nil || d.CarrierLabel() {
		t.Fatalf("own documents: %v", err)
	}
	rig.work(t)
	if len(rig.ep.Calls())+len(rig.sc.Calls()) != 0 {
		t.Error("a platform was called")
	}
}

func TestCarrierLabelCrossBorder(t *testing.T) {
	rig := newCarrierRig(t)
	rig.setPolicy(t, berlinVia(returns.LabelProviderSendcloud, "DPD", "dpd:return/return"))
	c := rig.createOne(t, "CH-1011", "L1")
	rig.work(t)
	rs := rig.sc.Returns()
	if len(rs) != 1 {
		t.Fatalf("returns %+v", rs)
	}
	req := string(rs[0].Request)
	for _, want := range []string{`"country_code":"CH"`, `"country_code":"DE"`, `"customs_invoice_nr":"` + c.Return.RMA + `"`,
		`"export_reason":"returned_goods"`, `"external_reference":"` + c.Return.RMA + `"`, `"currency":"CHF"`} {
		if !strings.Contains(req, want) {
			t.Errorf("request lacks %s:\n%s", want, req)
		}
	}
	d, err := rig.documents(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if customs, err := rig.CustomsPDF(context.Background(), d); err != nil || !bytes.Contains(customs, []byte("CN23")) {
		t.Errorf("the carrier's customs declaration: %v", err)
	}
	if a4, err := rig.LabelPDF(context.Background(), d, labels.SizeA4); err != nil || !bytes.Contains(a4, []byte("A4")) {
		t.Errorf("Sendcloud's A4 label: %v", err)
	}
}

func TestCarrierLabelAfterReview(t *testing.T) {
	rig := newCarrierRig(t)
	rig.setPolicy(t, func(p *returns.Policy) {
		berlinVia(returns.LabelProviderEasyPost, "UPS", "")(p)
		no := false
		p.Default.AutoApprove = &no
	})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	if c.Return.Status != returns.StatusRequested {
		t.Fatalf("status %s", c.Return.Status)
	}
	if _, ok, _ := rig.ReturnShipment(context.Background(), c.Return.RMA); ok {
		t.Fatal("a return in review got a shipment")
	}
	if _, err := rig.Approve(context.Background(), c.Return.RMA, "staff:ana"); err != nil {
		t.Fatal(err)
	}
	rig.work(t)
	if sh := rig.shipment(t, c.Return.RMA).Shipment; sh.LabelStatus != store.LabelBought || sh.Carrier != "UPS" ||
		sh.Service != "Ground" {
		t.Fatalf("%+v", sh)
	}
}

func TestCancelVoidsTheLabel(t *testing.T) {
	ctx := context.Background()
	t.Run("before the purchase: nothing bought", func(t *testing.T) {
		rig := newCarrierRig(t)
		rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
		c := rig.createOne(t, demo.FeaturedOrder, "L1")
		a, _ := rig.OpenReturn(ctx, c.Return.RMA, c.Token)
		if _, err := rig.Cancel(ctx, a); err != nil {
			t.Fatal(err)
		}
		rig.work(t)
		if len(rig.ep.Calls()) != 0 {
			t.Errorf("calls for a cancelled return: %v", rig.ep.Calls())
		}
		if sh := rig.shipment(t, c.Return.RMA); sh.Shipment.LabelStatus != store.LabelCancelled {
			t.Errorf("%+v", sh.Shipment)
		}
	})
	t.Run("after the purchase: voided", func(t *testing.T) {
		rig := newCarrierRig(t)
		rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
		c := rig.createOne(t, demo.FeaturedOrder, "L1")
		rig.work(t)
		a, _ := rig.OpenReturn(ctx, c.Return.RMA, c.Token)
		if _, err := rig.Cancel(ctx, a); err != nil {
			t.Fatal(err)
		}
		rig.work(t)
		if got := rig.ep.Shipments()[0].Refunded; got != "submitted" {
			t.Errorf("refund status %q", got)
		}
		if sh := rig.shipment(t, c.Return.RMA); sh.Shipment.LabelStatus != store.LabelVoided {
			t.Errorf("%+v", sh.Shipment)
		}
	})
	t.Run("after the first scan: kept", func(t *testing.T) {
		rig := newCarrierRig(t)
		rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
		c := rig.createOne(t, demo.FeaturedOrder, "L1")
		rig.work(t)
		tracking := rig.shipment(t, c.Return.RMA).Shipment.Tracking()
		picked := carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: rig.now().Add(time.Hour)}
		if _, err := rig.easyPostScan(t, "evt_1", tracking, picked); err != nil {
			t.Fatal(err)
		}
		a, _ := rig.OpenReturn(ctx, c.Return.RMA, c.Token)
		if _, err := rig.Cancel(ctx, a); err != nil {
			t.Fatal(err)
		}
		rig.work(t)
		if got := rig.ep.Shipments()[0].Refunded; got != "" {
			t.Errorf("a used label was voided: refund status %q", got)
		}
		sh := rig.shipment(t, c.Return.RMA)
		voids := 0
		for _, j := range sh.Jobs {
			if j.Kind == store.JobVoid {
				voids++
				if j.Status != store.JobDone || j.LastError != labelInUse {
					t.Errorf("void job %+v", j)
				}
			}
		}
		if voids != 1 || sh.Shipment.LabelStatus != store.LabelBought {
			t.Errorf("%d void jobs, label %+v", voids, sh.Shipment)
		}
	})
	t.Run("the carrier refuses: staff see it", func(t *testing.T) {
		rig := newCarrierRig(t)
		rig.setPolicy(t, berlinVia(returns.LabelProviderSendcloud, "DPD", "dpd:return/return"))
		c := rig.createOne(t, demo.FeaturedOrder, "L1")
		rig.work(t)
		rig.sc.CancelConflict()
		a, _ := rig.OpenReturn(ctx, c.Return.RMA, c.Token)
		if _, err := rig.Cancel(ctx, a); err != nil {
			t.Fatal(err)
		}
		rig.work(t)
		sh := rig.shipment(t, c.Return.RMA)
		if sh.Shipment.LabelStatus != store.LabelVoidFailed || !strings.Contains(sh.Shipment.LastError, "not cancellable") {
			t.Errorf("%+v", sh.Shipment)
		}
	})
}

func TestLabelFailuresAreRetriedThenShown(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
	// A server error: retried later, on the schedule.
	rig.ep.FailNext("create", carrierstest.Canned{Status: http.StatusServiceUnavailable, Fixture: "easypost/error-422.json"})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	sh := rig.shipment(t, c.Return.RMA)
	if sh.Shipment.LabelStatus != store.LabelPending || sh.Jobs[0].Attempts != 1 || !sh.Jobs[0].DueAt.After(rig.now()) {
		t.Fatalf("after a 503: %+v %+v", sh.Shipment, sh.Jobs)
	}
	rig.advance(time.Minute)
	rig.work(t)
	if sh := rig.shipment(t, c.Return.RMA); sh.Shipment.LabelStatus != store.LabelBought {
		t.Fatalf("after the retry: %+v", sh.Shipment)
	}
	// A refusal: failed at once, shown to staff with the platform's words,
	// and tried again by staff.
	rig.ep.FailNext("create", carrierstest.Canned{Status: http.StatusUnprocessableEntity, Fixture: "easypost/error-422.json"})
	c2 := rig.createOne(t, "IT-1002", "L1")
	rig.work(t)
	sh = rig.shipment(t, c2.Return.RMA)
	if sh.Shipment.LabelStatus != store.LabelFailed || !strings.Contains(sh.Shipment.LastError, "Missing required parameter") ||
		sh.Jobs[0].Status != store.JobFailed {
		t.Fatalf("after a 422: %+v %+v", sh.Shipment, sh.Jobs)
	}
	if _, err := rig.documents(t, c2); !isConflict(err, returns.CodeLabelPreparing) {
		t.Errorf("documents of a failed label: %v", err)
	}
	if err := rig.RetryCarrierJob(ctx, c2.Return.RMA, store.JobVoid, "staff:ana"); !errors.Is(err, ErrConflict) && !isConflict(err, CodeJobNotFailed) {
		t.Errorf("retry of a job that did not fail: %v", err)
	}
	if err := rig.RetryCarrierJob(ctx, c2.Return.RMA, store.JobLabel, "staff:ana"); err != nil {
		t.Fatal(err)
	}
	rig.work(t)
	if sh := rig.shipment(t, c2.Return.RMA); sh.Shipment.LabelStatus != store.LabelBought {
		t.Fatalf("after staff's retry: %+v", sh.Shipment)
	}
	// A platform that is not configured: failed, saying so.
	rig2 := newCarrierRig(t)
	delete(rig2.carriers, returns.LabelProviderSendcloud)
	rig2.setPolicy(t, berlinVia(returns.LabelProviderSendcloud, "DPD", "dpd:return/return"))
	c3 := rig2.createOne(t, demo.FeaturedOrder, "L1")
	rig2.work(t)
	if sh := rig2.shipment(t, c3.Return.RMA); sh.Shipment.LabelStatus != store.LabelFailed ||
		!strings.Contains(sh.Shipment.LastError, "not configured") {
		t.Errorf("unconfigured platform: %+v", sh.Shipment)
	}
}

func TestSendcloudLabelWhileAnnouncing(t *testing.T) {
	rig := newCarrierRig(t)
	rig.setPolicy(t, berlinVia(returns.LabelProviderSendcloud, "DPD", "dpd:return/return"))
	rig.sc.AnnounceAfter(2)
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	if sh := rig.shipment(t, c.Return.RMA); sh.Shipment.LabelStatus != store.LabelPending || sh.Shipment.ProviderShipmentID == "" {
		t.Fatalf("announcing: %+v", sh.Shipment)
	}
	// A webhook about the parcel arrives before its label is recorded.
	tracking := rig.sc.Returns()[0].Tracking
	parcel := rig.sc.Returns()[0].Parcel
	body := carrierstest.ParcelStatusChanged(parcel, tracking, 1000, "Ready to send", rig.now())
	h := http.Header{}
	h.Set(carriers.SendcloudSignatureHeader, carriers.SendcloudSignature(scSecret, body))
	if out, err := rig.CarrierWebhook(context.Background(), returns.LabelProviderSendcloud, h, body); err != nil || out != WebhookUnknownTracking {
		t.Fatalf("early webhook: %q %v", out, err)
	}
	for range 2 {
		rig.advance(notReadyDelay)
		rig.work(t)
	}
	sh := rig.shipment(t, c.Return.RMA)
	if sh.Shipment.LabelStatus != store.LabelBought || sh.Shipment.Tracking() != tracking || len(sh.Events) != 1 ||
		sh.Shipment.Progress().State != returns.ShipmentLabelCreated {
		t.Fatalf("after the announcement: %+v, events %+v", sh.Shipment, sh.Events)
	}
	if n := len(rig.sc.Returns()); n != 1 {
		t.Errorf("%d returns created", n)
	}
}

func TestTrackingWebhooks(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, berlinVia(returns.LabelProviderEasyPost, "USPS", ""))
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	tracking := rig.shipment(t, c.Return.RMA).Shipment.Tracking()
	at := rig.now().Add(2 * time.Hour).Truncate(time.Second) // carriers send whole seconds
	picked := carrierstest.TrackingDetail{Status: "in_transit", StatusDetail: "arrived_at_facility",
		Message: "Accepted at USPS Origin Facility", At: at, City: "BERLIN", Country: "DE"}
	out, err := rig.easyPostScan(t, "evt_1", tracking, picked)
	if err != nil || out != WebhookApplied {
		t.Fatalf("scan: %q %v", out, err)
	}
	sh := rig.shipment(t, c.Return.RMA)
	p := sh.Shipment.Progress()
	if p.State != returns.ShipmentInTransit || !p.At.Equal(at) || p.Place != "BERLIN, DE" || len(sh.Events) != 1 {
		t.Fatalf("progress %+v events %+v", p, sh.Events)
	}
	// The same event again, and a later update repeating the scan: nothing new.
	if out, _ := rig.easyPostScan(t, "evt_1", tracking, picked); out != WebhookDuplicate {
		t.Errorf("repeat: %q", out)
	}
	// The default policy: no refund, no receipt on delivery.
	delivered := carrierstest.TrackingDetail{Status: "delivered", Message: "Delivered", At: at.Add(48 * time.Hour), City: "BERLIN"}
	if out, _ := rig.easyPostScan(t, "evt_2", tracking, picked, delivered); out != WebhookApplied {
		t.Errorf("delivery: %q", out)
	}
	r, _ := rig.Return(ctx, c.Return.RMA)
	if r.Status != returns.StatusApproved || rig.shipment(t, c.Return.RMA).Shipment.Progress().State != returns.ShipmentDelivered {
		t.Errorf("after the delivery: %s", r.Status)
	}
	// A wrong signature, an unknown number, an unconfigured platform.
	body := carrierstest.TrackerEvent("evt_3", tracking, delivered)
	h := http.Header{}
	h.Set(carriers.EasyPostSignatureHeader, carriers.EasyPostSignature("not the secret", body))
	if _, err := rig.CarrierWebhook(ctx, returns.LabelProviderEasyPost, h, body); !errors.Is(err, ErrWebhookSignature) {
		t.Errorf("wrong signature: %v", err)
	}
	if out, err := rig.easyPostScan(t, "evt_4", "9999", picked); err != nil || out != WebhookUnknownTracking {
		t.Errorf("unknown number: %q %v", out, err)
	}
	if n, _ := rig.st.UnmatchedEvents(ctx, returns.LabelProviderEasyPost); n != 1 {
		t.Errorf("unmatched kept: %d", n)
	}
	rig.carriers = map[string]carriers.Provider{}
	if _, err := rig.CarrierWebhook(ctx, returns.LabelProviderEasyPost, h, body); !errors.Is(err, ErrNotFound) {
		t.Errorf("unconfigured: %v", err)
	}
}

func TestFirstScanRefundsExactlyOnce(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, func(p *returns.Policy) {
		berlinVia(returns.LabelProviderEasyPost, "USPS", "")(p)
		first, yes := returns.RefundOnFirstScan, true
		p.Default.RefundTrigger, p.Default.ReceiveOnDelivery = &first, &yes
	})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	rma := c.Return.RMA
	tracking := rig.shipment(t, rma).Shipment.Tracking()
	base := rig.now().Add(time.Hour)
	created := carrierstest.TrackingDetail{Status: "pre_transit", Message: "Shipping Label Created", At: base}
	// The label's own event is no scan: no refund.
	if _, err := rig.easyPostScan(t, "evt_0", tracking, created); err != nil {
		t.Fatal(err)
	}
	rig.work(t)
	if n, _ := rig.st.CountRefunds(ctx, rma); n != 0 {
		t.Fatal("refunded on the label's creation")
	}
	// Twenty webhooks at once, with the first scan and a later one, in
	// various orders and ids.
	picked := carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: base.Add(time.Hour), City: "BERLIN"}
	sorted := carrierstest.TrackingDetail{Status: "in_transit", Message: "Sorted", At: base.Add(3 * time.Hour), City: "LEIPZIG"}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			details := []carrierstest.TrackingDetail{created, picked}
			if i%2 == 1 {
				details = []carrierstest.TrackingDetail{created, sorted, picked}
			}
			if _, err := rig.easyPostScan(t, "evt_c"+string(rune('a'+i)), tracking, details...); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	jobs := rig.shipment(t, rma).Jobs
	refundJobs := 0
	for _, j := range jobs {
		if j.Kind == store.JobRefund {
			refundJobs++
		}
	}
	if refundJobs != 1 {
		t.Fatalf("%d refund jobs, want 1: %+v", refundJobs, jobs)
	}
	// Several workers at once: one refund.
	var wg2 sync.WaitGroup
	for range 4 {
		wg2.Go(func() { _, _ = rig.CarrierRound(ctx) })
	}
	wg2.Wait()
	rig.work(t)
	r, _ := rig.Return(ctx, rma)
	if n, _ := rig.st.CountRefunds(ctx, rma); n != 1 || r.Status != returns.StatusRefunded {
		t.Fatalf("%d refunds, status %s", n, r.Status)
	}
	x, _ := rig.Extras(ctx, rma)
	if x.Refund == nil || x.Refund.Actor != "refund_trigger:first_scan" || x.Refund.Amount != r.Quote.Total {
		t.Errorf("refund %+v", x.Refund)
	}
	// The parcel arrives: received on delivery, which closes the return
	// that was paid back before it came; still one refund.
	delivered := carrierstest.TrackingDetail{Status: "delivered", Message: "Delivered", At: base.Add(30 * time.Hour), City: "BERLIN"}
	if out, err := rig.easyPostScan(t, "evt_d", tracking, created, picked, delivered); err != nil || out != WebhookApplied {
		t.Fatalf("delivery: %q %v", out, err)
	}
	rig.work(t)
	r, _ = rig.Return(ctx, rma)
	if n, _ := rig.st.CountRefunds(ctx, rma); n != 1 || r.Status != returns.StatusClosed {
		t.Fatalf("after the delivery: %d refunds, status %s", n, r.Status)
	}
}

func TestFirstScanRefundLimit(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, func(p *returns.Policy) {
		berlinVia(returns.LabelProviderEasyPost, "USPS", "")(p)
		first := returns.RefundOnFirstScan
		p.Default.RefundTrigger = &first
		p.Default.RefundTriggerMax = &map[string]int64{"EUR": 100} // 1.00 EUR: every demo item is above
	})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	tracking := rig.shipment(t, c.Return.RMA).Shipment.Tracking()
	scan := carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: rig.now().Add(time.Hour)}
	if _, err := rig.easyPostScan(t, "evt_1", tracking, scan); err != nil {
		t.Fatal(err)
	}
	rig.work(t)
	if n, _ := rig.st.CountRefunds(ctx, c.Return.RMA); n != 0 {
		t.Fatal("refunded above the limit")
	}
	r, _ := rig.Return(ctx, c.Return.RMA)
	if r.Status != returns.StatusApproved {
		t.Errorf("status %s", r.Status)
	}
}

func TestReceiveOnDeliveryAndRefundOnReceipt(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, func(p *returns.Policy) {
		berlinVia(returns.LabelProviderEasyPost, "USPS", "")(p)
		received, yes := returns.RefundOnReceived, true
		p.Default.RefundTrigger, p.Default.ReceiveOnDelivery = &received, &yes
	})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	tracking := rig.shipment(t, c.Return.RMA).Shipment.Tracking()
	at := rig.now().Add(time.Hour)
	scan := carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: at}
	if _, err := rig.easyPostScan(t, "evt_1", tracking, scan); err != nil {
		t.Fatal(err)
	}
	rig.work(t)
	if n, _ := rig.st.CountRefunds(ctx, c.Return.RMA); n != 0 {
		t.Fatal("a receipt trigger refunded on the first scan")
	}
	delivered := carrierstest.TrackingDetail{Status: "delivered", Message: "Delivered", At: at.Add(24 * time.Hour)}
	if _, err := rig.easyPostScan(t, "evt_2", tracking, scan, delivered); err != nil {
		t.Fatal(err)
	}
	r, _ := rig.Return(ctx, c.Return.RMA)
	ev, _ := rig.st.Events(ctx, c.Return.RMA)
	if r.Status != returns.StatusReceived || ev[len(ev)-1].Actor != "carrier:easypost" {
		t.Fatalf("after the delivery: %s, %+v", r.Status, ev[len(ev)-1])
	}
	rig.work(t)
	r, _ = rig.Return(ctx, c.Return.RMA)
	if n, _ := rig.st.CountRefunds(ctx, c.Return.RMA); n != 1 || r.Status != returns.StatusRefunded {
		t.Fatalf("after the receipt: %d refunds, %s", n, r.Status)
	}
}

func TestSeedCarrierSettings(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, Settings{})
	box, err := secrets.New(strings.Repeat("s", 40))
	if err != nil {
		t.Fatal(err)
	}
	env := CarrierEnv{EasyPostKey: "EZAK_live_secret", EasyPostWebhookSecret: "whsec_1", EasyPostAPIURL: "https://ep.test",
		SendcloudKey: "sc_key", SendcloudSecret: "sc_secret"}
	got, err := SeedCarrierSettings(ctx, ts.st, box, env, nil)
	if err != nil || got != env {
		t.Fatalf("in force %+v %v", got, err)
	}
	stored, _ := ts.st.Settings(ctx, "carrier.easypost.key", "carrier.easypost.api_url", "carrier.sendcloud.secret")
	if !secrets.IsSealed(stored["carrier.easypost.key"]) || strings.Contains(stored["carrier.easypost.key"], "EZAK") ||
		!secrets.IsSealed(stored["carrier.sendcloud.secret"]) || stored["carrier.easypost.api_url"] != "https://ep.test" {
		t.Fatalf("stored %v", stored)
	}
	// A later start without the environment: the stored values, opened.
	if got, err := SeedCarrierSettings(ctx, ts.st, box, CarrierEnv{}, nil); err != nil || got != env {
		t.Fatalf("from the settings %+v %v", got, err)
	}
	// The environment wins.
	if got, _ := SeedCarrierSettings(ctx, ts.st, box, CarrierEnv{EasyPostKey: "EZAK_new"}, nil); got.EasyPostKey != "EZAK_new" {
		t.Errorf("env did not win: %+v", got)
	}
	// Without the secrets key: credentials from the environment only,
	// never stored; the stored ones cannot be used.
	ts2 := newTestService(t, Settings{})
	got, _ = SeedCarrierSettings(ctx, ts2.st, nil, env, nil)
	if got != env {
		t.Errorf("without a key: %+v", got)
	}
	if stored, _ := ts2.st.Settings(ctx, "carrier.easypost.key", "carrier.sendcloud.key"); len(stored) != 0 {
		t.Errorf("stored without a key: %v", stored)
	}
	if got, _ := SeedCarrierSettings(ctx, ts.st, nil, CarrierEnv{}, nil); got.EasyPostKey != "" || got.EasyPostAPIURL != "https://ep.test" {
		t.Errorf("sealed values opened without the key: %+v", got)
	}
	// Halfway configurations are refused.
	for _, bad := range []CarrierEnv{{EasyPostWebhookSecret: "x"}, {SendcloudKey: "k"}, {EasyPostKey: "k", EasyPostAPIURL: "ftp://x"}} {
		if _, err := NewCarrierProviders(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// TestSendcloudScans: Sendcloud's parcel status webhooks, one status per
// call, move the parcel along as EasyPost's do: the first scan pays the
// return back once (the same webhook again, and a later scan, do not pay
// twice), the delivery at the hub receives it, which closes the return
// paid back before it came; a wrong signature is refused.
func TestSendcloudScans(t *testing.T) {
	ctx := context.Background()
	rig := newCarrierRig(t)
	rig.setPolicy(t, func(p *returns.Policy) {
		berlinVia(returns.LabelProviderSendcloud, "DPD", "dpd:return/return")(p)
		first, yes := returns.RefundOnFirstScan, true
		p.Default.RefundTrigger, p.Default.ReceiveOnDelivery = &first, &yes
	})
	c := rig.createOne(t, demo.FeaturedOrder, "L1")
	rig.work(t)
	rma := c.Return.RMA
	sh := rig.shipment(t, rma)
	if sh.Shipment.LabelStatus != store.LabelBought {
		t.Fatalf("label %+v", sh.Shipment)
	}
	tracking, parcel := sh.Shipment.Tracking(), rig.sc.Returns()[0].Parcel
	at := rig.now().Add(time.Hour).Truncate(time.Second)
	post := func(secret string, statusID int, message string, when time.Time) (string, error) {
		body := carrierstest.ParcelStatusChanged(parcel, tracking, statusID, message, when)
		h := http.Header{}
		h.Set(carriers.SendcloudSignatureHeader, carriers.SendcloudSignature(secret, body))
		return rig.CarrierWebhook(ctx, returns.LabelProviderSendcloud, h, body)
	}
	refunds := func() int {
		n, err := rig.st.CountRefunds(ctx, rma)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	if _, err := post("not the key", 22, "Shipment picked up by driver", at); !errors.Is(err, ErrWebhookSignature) {
		t.Fatalf("wrong signature: %v", err)
	}
	if out, err := post(scSecret, 1000, "Ready to send", at.Add(-time.Minute)); err != nil || out != WebhookApplied {
		t.Fatalf("ready to send: %q %v", out, err)
	}
	rig.work(t)
	if n := refunds(); n != 0 {
		t.Fatal("refunded before the carrier had the parcel")
	}
	for range 2 { // Sendcloud sends again what was not acknowledged in time
		if _, err := post(scSecret, 22, "Shipment picked up by driver", at); err != nil {
			t.Fatal(err)
		}
	}
	if out, _ := post(scSecret, 22, "Shipment picked up by driver", at); out != WebhookDuplicate {
		t.Errorf("the same status again: %q", out)
	}
	if out, err := post(scSecret, 5, "Sorted", at.Add(3*time.Hour)); err != nil || out != WebhookApplied {
		t.Fatalf("sorted: %q %v", out, err)
	}
	p := rig.shipment(t, rma).Shipment.Progress()
	if p.State != returns.ShipmentInTransit || !p.At.Equal(at.Add(3*time.Hour)) || p.FirstScanAt == nil || !p.FirstScanAt.Equal(at) {
		t.Fatalf("in transit: %+v", p)
	}
	rig.work(t)
	r, _ := rig.Return(ctx, rma)
	if n := refunds(); n != 1 || r.Status != returns.StatusRefunded {
		t.Fatalf("after the first scan: %d refunds, %s", n, r.Status)
	}
	if out, err := post(scSecret, 11, "Delivered", at.Add(26*time.Hour)); err != nil || out != WebhookApplied {
		t.Fatalf("delivered: %q %v", out, err)
	}
	rig.work(t)
	r, _ = rig.Return(ctx, rma)
	sh = rig.shipment(t, rma)
	if n := refunds(); n != 1 || r.Status != returns.StatusClosed || sh.Shipment.Progress().State != returns.ShipmentDelivered || len(sh.Events) != 4 {
		t.Fatalf("after the delivery: %d refunds, %s, %+v, %d events", n, r.Status, sh.Shipment.Progress(), len(sh.Events))
	}
}
