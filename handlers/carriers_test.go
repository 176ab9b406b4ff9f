package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/carriers/carrierstest"
	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

const epWebhookSecret = "whsec_handlers_test"

// carrierApp is the app with EasyPost's stand-in configured and the Berlin
// hub buying its labels there, and the service at hand to run the carrier
// worker's rounds.
type carrierApp struct {
	*testApp
	svc *service.Service
	ep  *carrierstest.EasyPost
}

func newCarrierApp(t *testing.T) *carrierApp {
	t.Helper()
	ctx := context.Background()
	legal := returns.LoadLegal()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "returns.db"), legal)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, st: st, clock: time.Now().UTC().Truncate(time.Second)}
	info, err := demo.Seed(ctx, st, legal, a.clock)
	if err != nil {
		t.Fatal(err)
	}
	a.key = info.APIKey
	for _, role := range []string{store.RoleViewer, store.RoleAgent} {
		if _, err := st.CreateStaff(ctx, role+"@example.com", staffPassword, role); err != nil {
			t.Fatal(err)
		}
	}
	ep := carrierstest.NewEasyPost(t)
	providers, err := service.NewCarrierProviders(service.CarrierEnv{EasyPostKey: ep.Key, EasyPostAPIURL: ep.URL,
		EasyPostWebhookSecret: epWebhookSecret})
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	svc, err := service.New(service.Config{Store: st, Legal: legal, Now: a.now, Tokens: signer, Carriers: providers})
	if err != nil {
		t.Fatal(err)
	}
	catalog, _ := locales.Load()
	if a.e, err = New(Config{Service: svc, Catalog: catalog, BaseURL: "https://returns.example"}); err != nil {
		t.Fatal(err)
	}
	_, p, _ := svc.Policy(ctx)
	for i := range p.Hubs {
		if p.Hubs[i].Code == "eu-berlin" {
			p.Hubs[i].LabelProvider, p.Hubs[i].Carrier, p.Hubs[i].Service = returns.LabelProviderEasyPost, "USPS", ""
		}
	}
	if _, _, err := svc.ReplacePolicy(ctx, p, "test"); err != nil {
		t.Fatal(err)
	}
	return &carrierApp{testApp: a, svc: svc, ep: ep}
}

// work runs the carrier worker until nothing is due (the store stamps
// with the real time: the app's clock is brought up to it first).
func (a *carrierApp) work() {
	a.t.Helper()
	a.mu.Lock()
	if real := time.Now().UTC().Add(time.Second); a.clock.Before(real) {
		a.clock = real
	}
	a.mu.Unlock()
	for range 10 {
		n, err := a.svc.CarrierRound(context.Background())
		if err != nil {
			a.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// statusPath is the path and query of a new return's status page.
func (a *carrierApp) newCarrierReturn() (rma, status string) {
	a.t.Helper()
	m := a.createReturn(a.lookupToken(demo.FeaturedOrder), "L1", 1, "original_payment")
	u, err := url.Parse(m["status_url"].(string))
	if err != nil {
		a.t.Fatal(err)
	}
	return m["rma"].(string), u.RequestURI()
}

func (a *carrierApp) scan(eventID, tracking string, details ...carrierstest.TrackingDetail) response {
	body := carrierstest.TrackerEvent(eventID, tracking, details...)
	return a.do(request{method: "POST", path: "/webhooks/easypost", body: body,
		header: map[string]string{carriers.EasyPostSignatureHeader: carriers.EasyPostSignature(epWebhookSecret, body)}})
}

func TestCarrierLabelForTheShopper(t *testing.T) {
	a := newCarrierApp(t)
	rma, statusPath := a.newCarrierReturn()
	tok := strings.TrimPrefix(statusPath[strings.Index(statusPath, "?"):], "?")

	// Being prepared: a block that polls itself, and no label link yet.
	st := a.get(statusPath, false)
	block := st.one("label-preparing")
	poll := attr(block, "hx-get")
	if !strings.HasPrefix(poll, "/r/"+rma+"/label-status?") || attr(block, "hx-trigger") != "every 3s" ||
		attr(block, "hx-target") != "this" || st.has("label-link") {
		t.Fatalf("preparing block: hx-get %q trigger %q, label link %v", poll, attr(block, "hx-trigger"), st.has("label-link"))
	}
	if href := attr(st.one("label-refresh"), "href"); !strings.HasPrefix(href, "/r/"+rma+"?") {
		t.Errorf("refresh link %q", href)
	}
	if res := a.do(request{method: "GET", path: "/r/" + rma + "/label.pdf?" + tok}); res.Code != http.StatusConflict {
		t.Errorf("label before the purchase: %d", res.Code)
	}
	if frag := a.get(poll, true); !frag.has("label-preparing") || frag.has("status-heading") {
		t.Errorf("poll while preparing: %s", frag.res.Body)
	}

	a.work()
	tracking := a.ep.Shipments()[0].Tracking
	frag := a.get(poll, true)
	if frag.has("label-preparing") || text(frag.one("tracking-number")) != tracking {
		t.Fatalf("poll once bought: %s", frag.res.Body)
	}
	if hasAttr(frag.one("carrier-label"), "hx-get") {
		t.Error("the ready block still polls")
	}
	st = a.get(statusPath, false)
	label := attr(st.one("label-link"), "href")
	res := a.do(request{method: "GET", path: label})
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "application/pdf" ||
		!bytes.Contains(res.Body.Bytes(), []byte(tracking)) || res.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("carrier label: %d %q", res.Code, res.Header())
	}
	imgs := all(st.one("label-qr"), func(n *html.Node) bool { return n.Data == "img" })
	if len(imgs) != 1 || attr(imgs[0], "alt") == "" {
		t.Fatalf("QR image %v", imgs)
	}
	qr := attr(imgs[0], "src")
	if res := a.do(request{method: "GET", path: qr}); res.Code != http.StatusOK || res.Header().Get("Content-Type") != "image/png" {
		t.Errorf("QR code %q: %d", qr, res.Code)
	}
	// Another return's token opens neither.
	other := a.createReturn(a.lookupToken("IT-1002"), "L1", 1, "original_payment")
	ou, _ := url.Parse(other["status_url"].(string))
	if res := a.do(request{method: "GET", path: "/r/" + rma + "/qr.png?" + ou.RawQuery}); res.Code != http.StatusNotFound {
		t.Errorf("QR with another return's token: %d", res.Code)
	}

	// A scan on the timeline, in the shopper's zone.
	at := a.now().Add(3 * time.Hour).Truncate(time.Second)
	picked := carrierstest.TrackingDetail{Status: "in_transit", Message: "Accepted at origin", At: at, City: "Berlin", Country: "DE"}
	if res := a.scan("evt_1", tracking, picked); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"applied"`) {
		t.Fatalf("webhook: %d %s", res.Code, res.Body)
	}
	st = a.get(statusPath, false)
	scans := st.all("scan")
	if len(scans) != 1 || attr(scans[0], "data-state") != "in_transit" || !strings.Contains(text(scans[0]), "Berlin, DE") {
		t.Fatalf("scans %d: %s", len(scans), st.res.Body)
	}
	if res := a.scan("evt_1", tracking, picked); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"duplicate"`) {
		t.Errorf("duplicate: %d %s", res.Code, res.Body)
	}
}

func TestCarrierWebhookRefusals(t *testing.T) {
	a := newCarrierApp(t)
	body := carrierstest.TrackerEvent("evt_1", "T1", carrierstest.TrackingDetail{Status: "in_transit", At: time.Now()})
	for name, tc := range map[string]struct {
		path string
		hdr  map[string]string
		want int
	}{
		"no signature":         {"/webhooks/easypost", nil, http.StatusUnauthorized},
		"wrong secret":         {"/webhooks/easypost", map[string]string{carriers.EasyPostSignatureHeader: carriers.EasyPostSignature("x", body)}, http.StatusUnauthorized},
		"not configured":       {"/webhooks/sendcloud", map[string]string{carriers.SendcloudSignatureHeader: "00"}, http.StatusNotFound},
		"unknown platform":     {"/webhooks/dhl", nil, http.StatusNotFound},
		"unknown tracking: ok": {"/webhooks/easypost", map[string]string{carriers.EasyPostSignatureHeader: carriers.EasyPostSignature(epWebhookSecret, body)}, http.StatusOK},
	} {
		if res := a.do(request{method: "POST", path: tc.path, body: body, header: tc.hdr}); res.Code != tc.want {
			t.Errorf("%s: %d %s, want %d", name, res.Code, res.Body, tc.want)
		}
	}
	// A signed body that is not JSON is acknowledged, never a 500.
	junk := []byte("not json")
	res := a.do(request{method: "POST", path: "/webhooks/easypost", body: junk,
		header: map[string]string{carriers.EasyPostSignatureHeader: carriers.EasyPostSignature(epWebhookSecret, junk)}})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"ignored"`) {
		t.Errorf("junk: %d %s", res.Code, res.Body)
	}
}

func TestCarrierShipmentForStaff(t *testing.T) {
	a := newCarrierApp(t)
	a.ep.FailNext("create", carrierstest.Canned{Status: http.StatusUnprocessableEntity, Fixture: "easypost/error-422.json"})
	rma, _ := a.newCarrierReturn()
	a.work()
	agent := a.staff().login(store.RoleAgent)
	pg := agent.get("/admin/returns/" + rma)
	if st := pg.one("label-status"); attr(st, "data-status") != store.LabelFailed ||
		!strings.Contains(text(pg.one("label-error")), "Missing required parameter") {
		t.Fatalf("failed label: %s", pg.res.Body)
	}
	if viewer := a.staff().login(store.RoleViewer).get("/admin/returns/" + rma); viewer.has("retry-label") {
		t.Error("a viewer may retry")
	}
	res := agent.post("/admin/returns/"+rma+"/carrier-retry", url.Values{"kind": {"label"}})
	if res.res.Code != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", res.res.Code, res.res.Body)
	}
	if again := agent.post("/admin/returns/"+rma+"/carrier-retry", url.Values{"kind": {"label"}}); again.res.Code != http.StatusConflict {
		t.Errorf("retry of a pending job: %d", again.res.Code)
	}
	a.work()
	pg = agent.get("/admin/returns/" + rma)
	tracking := a.ep.Shipments()[0].Tracking
	if attr(pg.one("label-status"), "data-status") != store.LabelBought || text(pg.one("shipment-tracking")) != tracking {
		t.Fatalf("bought: %s", pg.res.Body)
	}
	// In transit: the queue's filters find it.
	a.scan("evt_1", tracking, carrierstest.TrackingDetail{Status: "in_transit", Message: "Picked up", At: time.Now()})
	queue := func(filter string) []string {
		var out []string
		for _, row := range agent.get("/admin/returns?shipment=" + filter).all("queue-row") {
			out = append(out, attr(row, "data-rma"))
		}
		return out
	}
	if got := queue(store.ShipmentFilterInTransit); len(got) != 1 || got[0] != rma {
		t.Errorf("in transit: %v", got)
	}
	if got := queue(store.ShipmentFilterDelivered); len(got) != 0 {
		t.Errorf("delivered, not received: %v", got)
	}
	a.scan("evt_2", tracking, carrierstest.TrackingDetail{Status: "delivered", Message: "Delivered", At: time.Now().Add(time.Hour)})
	if got := queue(store.ShipmentFilterDelivered); len(got) != 1 || got[0] != rma {
		t.Errorf("delivered, not received: %v", got)
	}
	pg = agent.get("/admin/returns/" + rma)
	if attr(pg.one("shipment-state"), "data-state") != "delivered" || len(pg.all("scan")) != 2 {
		t.Errorf("staff page after the delivery: %s", pg.res.Body)
	}
	// An unknown parcel filter is dropped, and the form says so.
	if p := agent.get("/admin/returns?shipment=lost"); p.res.Code != http.StatusOK || !p.has("filter-error") || len(p.all("queue-row")) < 2 {
		t.Errorf("an unknown filter: %d, error shown %v", p.res.Code, p.has("filter-error"))
	}
}
