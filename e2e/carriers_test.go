package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/carriers/carrierstest"
)

// TestBrowserCarrierLabel: the real binary, started as `make run` starts
// it plus the EasyPost settings an operator would give in the environment
// (pointing at EasyPost's stand-in) and a secrets key. The Berlin hub buys
// its labels from EasyPost, returns wait for review, and the policy pays
// back on the carrier's first scan. The shopper makes a return; staff
// approve it in the staff area; the shopper's status page says the label
// is being prepared (the purchase is held) and, once EasyPost answers,
// shows the carrier's label with its tracking number (htmx polls; no
// reload). A signed tracking webhook then puts the scan on the status
// page, and the return is paid back once.
func TestBrowserCarrierLabel(t *testing.T) {
	ep := carrierstest.NewEasyPost(t)
	ep.HoldPurchases()
	const secret = "whsec_e2e_carrier"
	p := startPortalEnv(t, []string{"RETURNS_EASYPOST_KEY=" + ep.Key, "RETURNS_EASYPOST_API_URL=" + ep.URL,
		"RETURNS_EASYPOST_WEBHOOK_SECRET=" + secret, "RETURNS_SECRETS_KEY=" + strings.Repeat("e2e-secrets-key-", 3)})
	if !strings.Contains(p.log.String(), `"carrier labels enabled","provider":"easypost"`) {
		t.Fatalf("EasyPost not enabled:\n%s", p.log)
	}
	setCarrierPolicy(t, p)

	// The shopper's return waits for review.
	shop, shopCons := privateTab(t, 90*time.Second)
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, shop, "open", chromedp.Navigate(p.URL+"/"))
	rma := returnFlow(t, shop, nil, "carrier", true)
	// htmx swapped the status page in without a new address: its link is
	// the one the page gives the shopper to keep.
	statusURL, err := chromedp.Run(shop, chromedp.Value(testID("status-url")))
	if err != nil || !strings.HasPrefix(statusURL, p.URL+"/r/"+rma+"?t=") {
		t.Fatalf("status link %q: %v", statusURL, err)
	}
	if st := attrOf(t, shop, "status", "data-status"); st != "requested" {
		t.Fatalf("status %q, want requested", st)
	}

	// Staff approve it.
	staff, staffCons := privateTab(t, 60*time.Second)
	login(t, staff, p, p.URL)
	must(t, staff, "approve", chromedp.Navigate(p.URL+"/admin/returns/"+rma), wait(testID("approve-form")),
		chromedp.Click(testID("approve-submit")), wait(testID("shipment")))
	if st := attrOf(t, staff, "label-status", "data-status"); st != "pending" {
		t.Errorf("label status for staff %q", st)
	}

	// The shopper sees the label being prepared.
	must(t, shop, "status after the approval", chromedp.Navigate(statusURL), wait(testID("label-preparing")))
	shot(t, shop, "carrier-1-preparing")
	noAxeViolations(t, shop, "label being prepared")
	if n := count(t, shop, `[data-testid="label-link"]`); n != 0 {
		t.Fatal("a label link before the label exists")
	}

	// EasyPost answers: the block turns into the carrier's label, polled
	// in place.
	ep.Release()
	must(t, shop, "the label arrives", wait(testID("tracking-number")))
	tracking := text(t, shop, "tracking-number")
	shs := ep.Shipments()
	if len(shs) != 1 || shs[0].Tracking != tracking || shs[0].Buys != 1 {
		t.Fatalf("tracking %q, EasyPost shipments %+v", tracking, shs)
	}
	shot(t, shop, "carrier-2-label")
	noAxeViolations(t, shop, "carrier label")
	href := attrOf(t, shop, "label-link", "href")
	res, err := http.Get(p.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("label download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if txt := pdfText(t, pdf); !strings.Contains(txt, "TRACKING # "+tracking) {
		t.Errorf("the downloaded label does not carry the tracking number:\n%s", txt)
	}

	// A signed webhook with the first scan: on the status page, and the
	// refund on the first scan is made once (twice sent, once paid).
	body := carrierstest.TrackerEvent("evt_e2e_1", tracking, carrierstest.TrackingDetail{Status: "pre_transit",
		Message: "Shipping Label Created", At: time.Now().Add(-time.Hour)}, carrierstest.TrackingDetail{Status: "in_transit",
		Message: "Accepted at USPS Origin Facility", At: time.Now().Add(-10 * time.Minute), City: "Berlin", Country: "DE"})
	for range 2 {
		req, _ := http.NewRequest(http.MethodPost, "http://"+p.Addr+"/webhooks/easypost", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(carriers.EasyPostSignatureHeader, carriers.EasyPostSignature(secret, body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("webhook: %d", res.StatusCode)
		}
	}
	refunded := false
	for range 50 { // the carrier worker pays it back within moments
		must(t, shop, "status", chromedp.Navigate(statusURL), wait(testID("scans")))
		if attrOf(t, shop, "status", "data-status") == "refunded" {
			refunded = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !refunded {
		t.Fatalf("not refunded on the first scan:\n%s", p.log)
	}
	if scans := text(t, shop, "scans"); !strings.Contains(scans, "Berlin, DE") || !strings.Contains(scans, "Accepted at USPS Origin Facility") {
		t.Errorf("scans on the status page: %q", scans)
	}
	if n := count(t, shop, `[data-testid="scan"]`); n != 2 {
		t.Errorf("%d scans shown, want 2", n)
	}
	shot(t, shop, "carrier-3-scan")
	noAxeViolations(t, shop, "status with scans")
	var rec struct {
		Refunds []any `json:"refunds"`
	}
	getJSON(t, p, "/api/v1/returns/"+rma, &rec)
	if len(rec.Refunds) != 1 {
		t.Errorf("%d refunds, want 1", len(rec.Refunds))
	}
	noViolations(t, shopCons, staffCons)
}

// setCarrierPolicy makes the demo's Berlin hub buy USPS labels from
// EasyPost, returns wait for review, and refunds come on the first scan,
// through the merchant API as an operator would.
func setCarrierPolicy(t *testing.T, p *portal) {
	t.Helper()
	var doc map[string]any
	getJSON(t, p, "/api/v1/policy", &doc)
	def := doc["default"].(map[string]any)
	def["auto_approve"], def["refund_trigger"] = false, "first_scan"
	// The regions that would approve on their own keep to the defaults.
	for _, r := range doc["regions"].([]any) {
		delete(r.(map[string]any), "auto_approve")
	}
	for _, h := range doc["hubs"].([]any) {
		if hub := h.(map[string]any); hub["code"] == "eu-berlin" {
			hub["label_provider"], hub["carrier"], hub["service"] = "easypost", "USPS", ""
		}
	}
	b, _ := json.Marshal(doc)
	req, _ := http.NewRequest(http.MethodPut, "http://"+p.Addr+"/api/v1/policy", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		out, _ := io.ReadAll(res.Body)
		t.Fatalf("policy: %d %s", res.StatusCode, out)
	}
}

func getJSON(t *testing.T, p *portal, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.Addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// attrOf is an attribute of the element with a test id.
func attrOf(t *testing.T, ctx context.Context, id, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="`+id+`"]').getAttribute(`+jsString(name)+`) || ""`))
	if err != nil {
		t.Fatalf("%s[%s]: %v", id, name, err)
	}
	return v
}

// pdfText is a PDF's text (poppler's pdftotext, as the label tests read
// labels).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}
