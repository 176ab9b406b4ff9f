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
	shopperFR = Address{Name: "Jo Shopper", Line1: "Rue de Rivoli 1", City: "Paris", PostalCode: "75001", Country: "FR",
		Email: "jo@example.com"}
	shopperCH = Address{Name: "Urs Shopper", Line1: "Bahnhofstrasse 1", City: "Zürich", PostalCode: "8001", Region: "ZH",
		Country: "CH"}
	hubBerlin = Address{Name: "Returns Centre Berlin", Line1: "Lagerstraße 12", City: "Berlin", PostalCode: "10115", Country: "DE"}
)

func euShipment() Shipment {
	return Shipment{Reference: "R-AB12-CD34", OrderNumber: "DE-1001", From: shopperFR, To: hubBerlin, Carrier: "DPD",
		Service: "dpd:return/return", WeightGrams: 450, Currency: "EUR",
		Items: []Item{{Description: "Men's T-shirt, 100% cotton", SKU: "TEE-M", Quantity: 1, Value: 2000, WeightGrams: 200,
			HSCode: "610910", Origin: "PT"}}}
}

func newSendcloud(t *testing.T) (*carrierstest.Sendcloud, *Sendcloud) {
	fake := carrierstest.NewSendcloud(t)
	p, err := NewSendcloud(fake.Key, fake.Secret, fake.URL, "w")
	if err != nil {
		t.Fatal(err)
	}
	return fake, p
}

func TestSendcloudBuy(t *testing.T) {
	fake, p := newSendcloud(t)
	var sv saver
	l, err := p.Buy(context.Background(), euShipment(), Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	rs := fake.Returns()
	if len(rs) != 1 || len(sv.saved) != 1 || sv.saved[0] != (Progress{ShipmentID: rs[0].ID, ParcelID: rs[0].Parcel}) {
		t.Fatalf("returns %+v saved %+v", rs, sv.saved)
	}
	if l.TrackingNumber != rs[0].Tracking || l.Carrier != "DPD" || l.Service != "dpd:return/return" || l.Price != 575 ||
		l.PriceCurrency != "EUR" || l.Customs != nil || l.QRCode != nil {
		t.Errorf("label %+v", l)
	}
	if !bytes.Contains(l.PDF, []byte("RETURN LABEL - Sendcloud")) || !bytes.Contains(l.PDFA4, []byte("RETURN LABEL A4")) ||
		!bytes.Contains(l.PDF, []byte(l.TrackingNumber)) {
		t.Error("labels not downloaded in A6 and A4")
	}
	// Validated before it was created, with the same body.
	calls := fake.Calls()
	if len(calls) < 2 || calls[0].Path != "/api/v3/returns/validate" || calls[1].Path != "/api/v3/returns" ||
		!bytes.Equal(calls[0].Body, calls[1].Body) {
		t.Fatalf("calls %v", calls)
	}
	var req map[string]any
	_ = json.Unmarshal(rs[0].Request, &req)
	sw := req["ship_with"].(map[string]any)
	if sw["type"] != "shipping_option_code" || sw["shipping_option_code"] != "dpd:return/return" ||
		req["external_reference"] != "R-AB12-CD34" || req["order_number"] != "DE-1001" ||
		req["from_address"].(map[string]any)["city"] != "Paris" || req["to_address"].(map[string]any)["city"] != "Berlin" {
		t.Errorf("request %s", rs[0].Request)
	}
	// Within the EU: no customs block.
	if req["customs_invoice_nr"] != nil || req["customs_information"] != nil {
		t.Errorf("customs within the EU: %s", rs[0].Request)
	}
	if !bytes.Contains(rs[0].Request, []byte(`"weight":{"value":0.450,"unit":"kg"}`)) ||
		!bytes.Contains(rs[0].Request, []byte(`"price":{"value":20.00,"currency":"EUR"}`)) {
		t.Errorf("weight or price: %s", rs[0].Request)
	}
}

func TestSendcloudBuyInternational(t *testing.T) {
	fake, p := newSendcloud(t)
	s := euShipment()
	s.From, s.Customs = shopperCH, true
	var sv saver
	l, err := p.Buy(context.Background(), s, Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(l.Customs, []byte("CN23")) {
		t.Error("the carrier's customs declaration was not downloaded")
	}
	raw := fake.Returns()[0].Request
	for _, want := range []string{`"customs_invoice_nr":"R-AB12-CD34"`, `"export_reason":"returned_goods"`,
		`"hs_code":"610910"`, `"origin_country":"PT"`, `"state_province_code":"CH-ZH"`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("request lacks %s: %s", want, raw)
		}
	}
}

func TestSendcloudNotAnnouncedYet(t *testing.T) {
	fake, p := newSendcloud(t)
	fake.AnnounceAfter(2)
	var sv saver
	ctx := context.Background()
	_, err := p.Buy(ctx, euShipment(), Progress{}, sv.save)
	if !errors.Is(err, ErrNotReady) || !Temporary(err) || len(sv.saved) != 1 {
		t.Fatalf("first: %v, saved %v", err, sv.saved)
	}
	if _, err := p.Buy(ctx, euShipment(), sv.saved[0], sv.save); !errors.Is(err, ErrNotReady) {
		t.Fatalf("second: %v", err)
	}
	l, err := p.Buy(ctx, euShipment(), sv.saved[0], sv.save)
	if err != nil || l.TrackingNumber == "" {
		t.Fatalf("third: %+v %v", l, err)
	}
	if n := len(fake.Returns()); n != 1 || fake.CallsTo(http.MethodPost, "/returns") != 2 { // one validate, one create
		t.Errorf("%d returns, %d posts", n, fake.CallsTo(http.MethodPost, "/returns"))
	}
}

func TestSendcloudRefusals(t *testing.T) {
	fake, p := newSendcloud(t)
	var sv saver
	ctx := context.Background()
	fake.FailNext("validate", carrierstest.Canned{Status: http.StatusBadRequest, Fixture: "sendcloud/errors-400.json"})
	_, err := p.Buy(ctx, euShipment(), Progress{}, sv.save)
	var e *Error
	if !errors.As(err, &e) || e.Temporary || e.Code != "invalid" ||
		e.Message != "from_address.postal_code: Postal code is not valid for the country." {
		t.Errorf("validation refused: %#v", err)
	}
	if len(fake.Returns()) != 0 || len(sv.saved) != 0 {
		t.Error("a refused validation created a return")
	}
	wrong, _ := NewSendcloud(fake.Key, "not-the-secret", fake.URL, "w")
	if _, err := wrong.Buy(ctx, euShipment(), Progress{}, sv.save); !errors.As(err, &e) || e.Status != http.StatusUnauthorized || e.Temporary {
		t.Errorf("wrong secret: %v", err)
	}
	fake.FailNext("create", carrierstest.Canned{Status: http.StatusInternalServerError, Fixture: "sendcloud/errors-400.json"})
	if _, err := p.Buy(ctx, euShipment(), Progress{}, sv.save); !Temporary(err) {
		t.Errorf("500: %v", err)
	}
}

func TestSendcloudVoid(t *testing.T) {
	fake, p := newSendcloud(t)
	var sv saver
	l, err := p.Buy(context.Background(), euShipment(), Progress{}, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Void(context.Background(), l); err != nil || !fake.Returns()[0].Cancelled {
		t.Fatalf("void: %v", err)
	}
	fake.CancelConflict()
	err = p.Void(context.Background(), l)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusConflict || e.Temporary || e.Message != "returns: Return is not cancellable." {
		t.Errorf("409: %#v", err)
	}
}
