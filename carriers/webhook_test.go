package carriers

import (
	"net/http"
	"testing"
	"time"

	"github.com/returns-portal/returns/carriers/carrierstest"
	"github.com/returns-portal/returns/returns"
)

// The expected signatures were computed with Python's hmac and
// unicodedata.normalize("NFKD", secret) (fixtures/README.md); Sendcloud's
// is the example of its webhook documentation.
func TestSignatures(t *testing.T) {
	body := []byte(`{"description":"tracker.updated","id":"evt_1"}`)
	for _, secret := range []string{"s\u00e9cret", "se\u0301cret"} { // composed and decomposed é sign alike
		if got, want := EasyPostSignature(secret, body),
			"hmac-sha256-hex=a3ee1114b9d16304f45281390ea5e06c5573503fc9b8950328c720ab6c75cf54"; got != want {
			t.Errorf("EasyPost %q: %s, want %s", secret, got, want)
		}
	}
	if got := EasyPostSignature("whsec-plain", body); got != "hmac-sha256-hex=25c54fc31aebec3be5a2d9fc259525dd0785d5732482649b4136f4b791c9ce08" {
		t.Errorf("EasyPost ascii: %s", got)
	}
	if got := SendcloudSignature("secretkey", []byte(`{"key": "value"}`)); got != "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a" {
		t.Errorf("Sendcloud documented example: %s", got)
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"description":"tracker.updated"}`)
	ep, _ := NewEasyPost("k", "", "sécret")
	sc, _ := NewSendcloud("k", "s", "", "whsec")
	noSecret, _ := NewEasyPost("k", "", "")
	h := func(k, v string) http.Header { x := http.Header{}; x.Set(k, v); return x }
	tests := []struct {
		name string
		p    Provider
		h    http.Header
		body []byte
		ok   bool
	}{
		{"easypost good", ep, h(EasyPostSignatureHeader, EasyPostSignature("sécret", body)), body, true},
		{"easypost other secret", ep, h(EasyPostSignatureHeader, EasyPostSignature("secret", body)), body, false},
		{"easypost body changed", ep, h(EasyPostSignatureHeader, EasyPostSignature("sécret", body)), append(body, ' '), false},
		{"easypost without the prefix", ep, h(EasyPostSignatureHeader, EasyPostSignature("sécret", body)[len("hmac-sha256-hex="):]), body, false},
		{"easypost missing", ep, http.Header{}, body, false},
		{"easypost no secret configured", noSecret, h(EasyPostSignatureHeader, EasyPostSignature("", body)), body, false},
		{"sendcloud good", sc, h(SendcloudSignatureHeader, SendcloudSignature("whsec", body)), body, true},
		{"sendcloud upper-case hex", sc, h(SendcloudSignatureHeader, upper(SendcloudSignature("whsec", body))), body, true},
		{"sendcloud wrong", sc, h(SendcloudSignatureHeader, SendcloudSignature("other", body)), body, false},
		{"sendcloud missing", sc, http.Header{}, body, false},
	}
	for _, tt := range tests {
		err := tt.p.VerifyWebhook(tt.h, tt.body)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestEasyPostParseWebhook(t *testing.T) {
	ep, _ := NewEasyPost("k", "", "s")
	body := carrierstest.Fixture("easypost/tracker-updated.json", "__EVENT_ID__", "evt_42", "__TRACKING__", "9400111899000000000001",
		"__SHIPMENT_ID__", "shp_1")
	events, err := ep.ParseWebhook(body)
	if err != nil || len(events) != 2 {
		t.Fatalf("events %+v, %v", events, err)
	}
	want := []Event{
		{ID: "evt_42", TrackingNumber: "9400111899000000000001", Carrier: "USPS", State: returns.ShipmentLabelCreated,
			Code: "pre_transit/label_created", Message: "Shipping Label Created", At: time.Date(2026, 3, 2, 9, 0, 5, 0, time.UTC)},
		{ID: "evt_42", TrackingNumber: "9400111899000000000001", Carrier: "USPS", State: returns.ShipmentInTransit,
			Code: "in_transit/arrived_at_facility", Message: "Accepted at USPS Origin Facility", Place: "LOS ANGELES, CA, US",
			At: time.Date(2026, 3, 3, 8, 41, 0, 0, time.UTC)},
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("[%d] %+v\nwant %+v", i, events[i], want[i])
		}
	}
	// Every EasyPost status maps to a state or to none on purpose.
	statuses := map[string]returns.ShipmentState{"unknown": "", "pre_transit": returns.ShipmentLabelCreated,
		"in_transit": returns.ShipmentInTransit, "out_for_delivery": returns.ShipmentOutForDelivery,
		"delivered": returns.ShipmentDelivered, "available_for_pickup": returns.ShipmentInTransit,
		"return_to_sender": returns.ShipmentException, "failure": returns.ShipmentException,
		"cancelled": "", "error": returns.ShipmentException}
	for st, state := range statuses {
		evs, err := ep.ParseWebhook(carrierstest.TrackerEvent("evt_1", "T1", carrierstest.TrackingDetail{Status: st, At: time.Now()}))
		if err != nil || len(evs) != 1 || evs[0].State != state {
			t.Errorf("%s: %+v %v, want %q", st, evs, err, state)
		}
	}
	// Not a tracker event, and not JSON.
	if evs, err := ep.ParseWebhook([]byte(`{"object":"Event","description":"batch.updated","result":{"object":"Batch"}}`)); err != nil || evs != nil {
		t.Errorf("batch event: %v %v", evs, err)
	}
	if _, err := ep.ParseWebhook([]byte(`{`)); err == nil {
		t.Error("broken JSON parsed")
	}
}

func TestSendcloudParseWebhook(t *testing.T) {
	sc, _ := NewSendcloud("k", "s", "", "w")
	at := time.Date(2026, 3, 3, 8, 41, 0, 0, time.UTC)
	events, err := sc.ParseWebhook(carrierstest.ParcelStatusChanged("67801", "05222000000001DE", 22, "Shipment picked up by driver", at))
	if err != nil || len(events) != 1 {
		t.Fatalf("%+v %v", events, err)
	}
	want := Event{ID: "67801:22:" + "1772527260000", TrackingNumber: "05222000000001DE", Carrier: "dpd", State: returns.ShipmentInTransit,
		Code: "22", Message: "Shipment picked up by driver", At: at}
	if events[0] != want {
		t.Errorf("%+v\nwant %+v", events[0], want)
	}
	for id, state := range map[int]returns.ShipmentState{1: returns.ShipmentLabelCreated, 1000: returns.ShipmentLabelCreated,
		3: returns.ShipmentInTransit, 12: returns.ShipmentInTransit, 92: returns.ShipmentOutForDelivery, 11: returns.ShipmentDelivered,
		8: returns.ShipmentException, 80: returns.ShipmentException, 2000: "", 1999: "", 1337: ""} {
		evs, err := sc.ParseWebhook(carrierstest.ParcelStatusChanged("1", "T", id, "m", at))
		if err != nil || len(evs) != 1 || evs[0].State != state {
			t.Errorf("status %d: %+v %v, want %q", id, evs, err, state)
		}
	}
	// Without the carrier's time, Sendcloud's own.
	evs, _ := sc.ParseWebhook([]byte(`{"action":"parcel_status_changed","timestamp":1772527260000,"carrier_status_change_timestamp":null,"parcel":{"id":1,"tracking_number":"T","status":{"id":11,"message":"Delivered"}}}`))
	if len(evs) != 1 || !evs[0].At.Equal(at) {
		t.Errorf("fallback time: %+v", evs)
	}
	if evs, err := sc.ParseWebhook([]byte(`{"action":"integration_updated","timestamp":1}`)); err != nil || evs != nil {
		t.Errorf("integration webhook: %v %v", evs, err)
	}
}
