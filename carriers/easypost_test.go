package carriers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/returns-portal/returns/carriers/carrierstest"
)

var (
	shopperUS = Address{Name: "Jo Shopper", Line1: "1 Main St", City: "Los Angeles", PostalCode: "90001", Region: "CA",
		Country: "US", Phone: "+12135550100", Email: "jo@example.com"}
	hubNewark = Address{Name: "Returns Center Newark", Company: "Shop Inc.", Line1: "400 Port Street", City: "Newark",
		PostalCode: "07114", Region: "NJ", Country: "US"}
	shopperCA = Address{Name: "Sam Shopper", Line1: "1 Rue Sainte-Catherine", City: "Montréal", PostalCode: "H2X 1K4",
		Region: "QC", Country: "CA"}
)

func usShipment() Shipment {
	return Shipment{Reference: "R-7K3P-9XQ2", OrderNumber: "US-1005", From: shopperUS, To: hubNewark,
		Carrier: "USPS", Service: "GroundAdvantage", WeightGrams: 500, Currency: "USD",
		Items: []Item{{Description: "Men's T-shirt, 100% cotton", SKU: "TEE-M", Quantity: 2, Value: 4000, WeightGrams: 400,
			HSCode: "610910", Origin: "PT"}}}
}

// saver records what Buy saves, as the store would.
type saver struct{ saved []Progress }

func (s *saver) save(_ context.Context, p Progress) error { s.saved = append(s.saved, p); return nil }

func TestEasyPostBuyDomestic(t *testing.T) {
	fake := carrierstest.NewEasyPost(t)
	p, err := NewEasyPost(fake.Key, fake.URL, "s")
	if err != nil {
		t.Fatal(err)
	}
	var sv saver
	l, err := p.Buy(context.Background(), usShipment(), Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	shs := fake.Shipments()
	if len(shs) != 1 || !shs[0].Bought || shs[0].Buys != 1 {
		t.Fatalf("shipments %+v", shs)
	}
	if len(sv.saved) != 1 || sv.saved[0].ShipmentID != shs[0].ID || l.ShipmentID != shs[0].ID {
		t.Errorf("saved %+v, label %+v", sv.saved, l.Progress)
	}
	if l.TrackingNumber != shs[0].Tracking || l.Carrier != "USPS" || l.Service != "GroundAdvantage" ||
		l.Price != 820 || l.PriceCurrency != "USD" {
		t.Errorf("label %+v", l)
	}
	if !bytes.HasPrefix(l.PDF, []byte("%PDF-")) || !bytes.Contains(l.PDF, []byte(l.TrackingNumber)) || l.PDFA4 != nil {
		t.Errorf("PDF %q / A4 %d bytes", l.PDF[:min(20, len(l.PDF))], len(l.PDFA4))
	}
	if l.Customs != nil {
		t.Error("a domestic parcel got a customs form")
	}
	if !bytes.HasPrefix(l.QRCode, []byte("\x89PNG")) {
		t.Error("USPS label without its QR code")
	}
	// The request as EasyPost documents a return: is_return, the shopper as
	// to_address (EasyPost turns a return around), the hub as from_address,
	// ounces, a PDF label, no customs at home.
	var req map[string]any
	_ = json.Unmarshal(shs[0].Request, &req)
	to, from := req["to_address"].(map[string]any), req["from_address"].(map[string]any)
	if req["is_return"] != true || to["name"] != "Jo Shopper" || to["zip"] != "90001" || from["street1"] != "400 Port Street" ||
		from["state"] != "NJ" || req["reference"] != "R-7K3P-9XQ2" || req["customs_info"] != nil {
		t.Errorf("request %s", shs[0].Request)
	}
	if w := req["parcel"].(map[string]any)["weight"]; w != 17.7 {
		t.Errorf("weight %v, want 17.7 oz", w)
	}
	if fake.CallsTo(http.MethodPost, "/v2/shipments/"+shs[0].ID+"/forms") != 1 {
		t.Error("no QR form asked for")
	}
}

func TestEasyPostBuyCrossBorder(t *testing.T) {
	fake := carrierstest.NewEasyPost(t)
	p, _ := NewEasyPost(fake.Key, fake.URL, "s")
	s := usShipment()
	s.From, s.Customs, s.Carrier, s.Service = shopperCA, true, "UPS", ""
	s.Items = append(s.Items, Item{Description: "Leather belt", Quantity: 1, Value: 2995, WeightGrams: 180, HSCode: "420330", Origin: "IT"})
	var sv saver
	l, err := p.Buy(context.Background(), s, Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	if l.Carrier != "UPS" || l.Service != "Ground" || l.Price != 1101 || l.QRCode != nil {
		t.Errorf("label %+v", l)
	}
	if !bytes.Contains(l.Customs, []byte("COMMERCIAL INVOICE")) {
		t.Error("the carrier's customs form was not downloaded")
	}
	var req struct {
		CustomsInfo struct {
			ContentsType  string `json:"contents_type"`
			CustomsSigner string `json:"customs_signer"`
			Items         []struct {
				Description, Currency, HS, Origin string
				Value, Weight                     json.Number
				Quantity                          json.Number
			} `json:"customs_items"`
		} `json:"customs_info"`
		Options map[string]string `json:"options"`
	}
	if err := json.Unmarshal(fake.Shipments()[0].Request, &req); err != nil {
		t.Fatal(err)
	}
	ci := req.CustomsInfo
	if ci.ContentsType != "returned_goods" || ci.CustomsSigner != "Sam Shopper" || len(ci.Items) != 2 ||
		req.Options["invoice_number"] != "R-7K3P-9XQ2" {
		t.Fatalf("customs %+v options %v", ci, req.Options)
	}
	raw := string(fake.Shipments()[0].Request)
	for _, want := range []string{`"value":40.00`, `"currency":"USD"`, `"weight":14.2`, `"hs_tariff_number":"610910"`,
		`"origin_country":"PT"`, `"value":29.95`, `"weight":6.4`} {
		if !bytes.Contains([]byte(raw), []byte(want)) {
			t.Errorf("customs block lacks %s: %s", want, raw)
		}
	}
}

func TestEasyPostRetryBuysOnce(t *testing.T) {
	fake := carrierstest.NewEasyPost(t)
	p, _ := NewEasyPost(fake.Key, fake.URL, "s")
	ctx := context.Background()
	var sv saver
	// The purchase fails after the shipment was created and saved.
	fake.FailNext("buy", carrierstest.Canned{Status: http.StatusServiceUnavailable, Fixture: "easypost/error-422.json"})
	_, err := p.Buy(ctx, usShipment(), Progress{}, sv.save)
	if !Temporary(err) || len(sv.saved) != 1 {
		t.Fatalf("err %v (temporary %v), saved %v", err, Temporary(err), sv.saved)
	}
	// The next attempt continues the saved shipment: no second one.
	l, err := p.Buy(ctx, usShipment(), sv.saved[0], sv.save)
	if err != nil {
		t.Fatal(err)
	}
	// A crash after the purchase, before the label was recorded: the next
	// attempt finds the label bought and buys nothing.
	l2, err := p.Buy(ctx, usShipment(), sv.saved[0], sv.save)
	if err != nil || l2.TrackingNumber != l.TrackingNumber {
		t.Fatalf("%+v %v", l2, err)
	}
	shs := fake.Shipments()
	if len(shs) != 1 || shs[0].Buys != 1 || fake.CallsTo(http.MethodPost, "/v2/shipments") != 1+2+2 {
		// 1 create, 2 buys (the failed one and the real one), 2 QR forms
		t.Errorf("shipments %+v, calls %d", shs, fake.CallsTo(http.MethodPost, "/v2/shipments"))
	}
}

func TestEasyPostRefusals(t *testing.T) {
	fake := carrierstest.NewEasyPost(t)
	ctx := context.Background()
	var sv saver
	// A wrong key: refused for good.
	bad, _ := NewEasyPost("EZTK_wrong", fake.URL, "s")
	_, err := bad.Buy(ctx, usShipment(), Progress{}, sv.save)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusUnauthorized || e.Temporary || e.Code != "APIKEY.REQUIRED" {
		t.Errorf("wrong key: %v", err)
	}
	p, _ := NewEasyPost(fake.Key, fake.URL, "s")
	// A documented 422: its code and messages reach staff.
	fake.FailNext("create", carrierstest.Canned{Status: http.StatusUnprocessableEntity, Fixture: "easypost/error-422.json"})
	_, err = p.Buy(ctx, usShipment(), Progress{}, sv.save)
	if !errors.As(err, &e) || e.Temporary || e.Code != "PARAMETER.REQUIRED" ||
		e.Message != "Missing required parameter. shipment: cannot be blank." {
		t.Errorf("422: %#v", err)
	}
	// No rate of the hub's carrier.
	s := usShipment()
	s.Carrier = "FedEx"
	_, err = p.Buy(ctx, s, Progress{}, sv.save)
	if !errors.As(err, &e) || e.Code != "no_matching_rate" || e.Temporary {
		t.Errorf("no rate: %v", err)
	}
	// The server down: try again later.
	fake.FailNext("create", carrierstest.Canned{Status: http.StatusBadGateway, Fixture: "easypost/error-422.json"})
	if _, err := p.Buy(ctx, usShipment(), Progress{}, sv.save); !Temporary(err) {
		t.Errorf("502: %v", err)
	}
	// Nothing answers.
	gone, _ := NewEasyPost(fake.Key, "http://127.0.0.1:1", "s")
	if _, err := gone.Buy(ctx, usShipment(), Progress{}, sv.save); !Temporary(err) {
		t.Errorf("no server: %v", err)
	}
	for _, s := range fake.Shipments() {
		if s.Bought {
			t.Errorf("refused purchases bought %s", s.ID)
		}
	}
}

func TestEasyPostVoid(t *testing.T) {
	fake := carrierstest.NewEasyPost(t)
	p, _ := NewEasyPost(fake.Key, fake.URL, "s")
	var sv saver
	l, err := p.Buy(context.Background(), usShipment(), Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Void(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	if got := fake.Shipments()[0].Refunded; got != "submitted" {
		t.Errorf("refund status %q", got)
	}
	fake.RefundStatus("rejected")
	err = p.Void(context.Background(), l)
	var e *Error
	if !errors.As(err, &e) || e.Temporary || e.Code != "refund_rejected" {
		t.Errorf("rejected: %v", err)
	}
}
