package carriers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/returns-portal/returns/returns"
)

// Sendcloud (https://sendcloud.dev, Returns API v3): a return is validated
// (POST /returns/validate, which buys nothing) and then created (POST
// /returns), which answers with the return's and its parcel's ids at once
// and announces the parcel to the carrier in the background; the tracking
// number and the label appear on the return (GET /returns/{id}) once it is
// announced, and the label and customs documents download from the Parcel
// documents API (GET /parcels/{id}/documents/{type}, A6 by default, A4
// with paper_size=A4). A cancelled return's label is cancelled with PATCH
// /returns/{id}/cancel. Authentication: HTTP basic with the API key and
// secret.

// SendcloudAPIURL is Sendcloud's production API (v3).
const SendcloudAPIURL = "https://panel.sendcloud.sc/api/v3"

// Sendcloud buys labels through Sendcloud.
type Sendcloud struct {
	c      *client
	secret string // webhook signing key ("" refuses every webhook)
}

// NewSendcloud makes the provider for an API key and secret, the API's
// base URL (SendcloudAPIURL unless testing) and the webhook signing key.
func NewSendcloud(key, secret, apiURL, webhookSecret string) (*Sendcloud, error) {
	if apiURL == "" {
		apiURL = SendcloudAPIURL
	}
	c, err := newClient(returns.LabelProviderSendcloud, apiURL, key, secret)
	if err != nil {
		return nil, err
	}
	return &Sendcloud{c: c, secret: webhookSecret}, nil
}

// Name implements Provider.
func (*Sendcloud) Name() string { return returns.LabelProviderSendcloud }

type scAddress struct {
	Name              string `json:"name"`
	CompanyName       string `json:"company_name,omitempty"`
	AddressLine1      string `json:"address_line_1"`
	AddressLine2      string `json:"address_line_2,omitempty"`
	PostalCode        string `json:"postal_code"`
	City              string `json:"city"`
	StateProvinceCode string `json:"state_province_code,omitempty"`
	CountryCode       string `json:"country_code"`
	Email             string `json:"email,omitempty"`
	PhoneNumber       string `json:"phone_number,omitempty"`
}

type scMeasure struct {
	Value json.Number `json:"value"`
	Unit  string      `json:"unit"`
}

type scPrice struct {
	Value    json.Number `json:"value"`
	Currency string      `json:"currency"`
}

type scItem struct {
	Description   string    `json:"description"`
	Quantity      int       `json:"quantity"`
	Weight        scMeasure `json:"weight"`
	Price         scPrice   `json:"price"`
	HSCode        string    `json:"hs_code,omitempty"`
	OriginCountry string    `json:"origin_country,omitempty"`
	SKU           string    `json:"sku,omitempty"`
}

type scShipWith struct {
	Type               string `json:"type"`
	ShippingOptionCode string `json:"shipping_option_code"`
}

type scCustoms struct {
	InvoiceNumber string `json:"invoice_number"`
	ExportReason  string `json:"export_reason"`
}

type scReturnRequest struct {
	FromAddress        scAddress  `json:"from_address"`
	ToAddress          scAddress  `json:"to_address"`
	ShipWith           scShipWith `json:"ship_with"`
	Weight             scMeasure  `json:"weight"`
	ColloCount         int        `json:"collo_count"`
	ParcelItems        []scItem   `json:"parcel_items"`
	SendTrackingEmails bool       `json:"send_tracking_emails"`
	OrderNumber        string     `json:"order_number"`
	ExternalReference  string     `json:"external_reference"`
	TotalOrderValue    *scPrice   `json:"total_order_value,omitempty"`
	CustomsInvoiceNr   string     `json:"customs_invoice_nr,omitempty"`
	CustomsInformation *scCustoms `json:"customs_information,omitempty"`
	DeliveryOption     string     `json:"delivery_option"`
}

type scCreated struct {
	ReturnID int64 `json:"return_id"`
	ParcelID int64 `json:"parcel_id"`
}

type scReturn struct {
	TrackingNumber *string `json:"tracking_number"`
	Label          *struct {
		LabelPrinter string `json:"label_printer"`
	} `json:"label"`
	LabelCost *struct {
		Value    json.Number `json:"value"`
		Currency string      `json:"currency"`
	} `json:"label_cost"`
	StatusHistory []struct {
		ParentStatus string `json:"parent_status"`
	} `json:"status_history"`
}

// scError decodes Sendcloud's error body: {"errors":[{"field" or
// "source","code","message" or "detail"}]}.
func scError(b []byte) (code, msg string) {
	var e struct {
		Errors []struct {
			Field   string `json:"field"`
			Code    any    `json:"code"`
			Message string `json:"message"`
			Detail  string `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(b, &e) != nil {
		return "", ""
	}
	var parts []string
	for _, x := range e.Errors {
		// The code is a word ("invalid"), or on some answers the HTTP
		// status again (409), which says nothing more.
		if c, ok := x.Code.(string); ok && code == "" {
			code = c
		}
		m := x.Message
		if m == "" {
			m = x.Detail
		}
		if x.Field != "" {
			m = x.Field + ": " + m
		}
		parts = append(parts, m)
	}
	return code, strings.Join(parts, "; ")
}

func scAddressOf(a Address) scAddress {
	state := ""
	if a.Region != "" {
		state = a.Country + "-" + a.Region // ISO 3166-2
	}
	return scAddress{Name: a.Name, CompanyName: a.Company, AddressLine1: a.Line1, AddressLine2: a.Line2,
		PostalCode: a.PostalCode, City: a.City, StateProvinceCode: state, CountryCode: a.Country,
		Email: a.Email, PhoneNumber: a.Phone}
}

// request is the return to validate and create: the shopper's address to
// the hub's, with the hub's shipping option, the parcel's weight in kg,
// its items (with HS codes and origins for customs) and, across a customs
// border, the invoice number (the RMA) and "returned goods".
func (p *Sendcloud) request(s Shipment) scReturnRequest {
	r := scReturnRequest{FromAddress: scAddressOf(s.From), ToAddress: scAddressOf(s.To),
		ShipWith: scShipWith{Type: "shipping_option_code", ShippingOptionCode: s.Service},
		Weight:   scMeasure{Value: kilograms(s.WeightGrams), Unit: "kg"}, ColloCount: 1,
		OrderNumber: s.OrderNumber, ExternalReference: s.Reference, DeliveryOption: "drop_off_point"}
	var total int64
	for _, it := range s.Items {
		r.ParcelItems = append(r.ParcelItems, scItem{Description: it.Description, Quantity: it.Quantity,
			Weight: scMeasure{Value: kilograms(it.WeightGrams), Unit: "kg"},
			Price:  scPrice{Value: decimal(it.Value, s.Currency), Currency: s.Currency},
			HSCode: it.HSCode, OriginCountry: it.Origin, SKU: it.SKU})
		total += it.Value
	}
	r.TotalOrderValue = &scPrice{Value: decimal(total, s.Currency), Currency: s.Currency}
	if s.Customs {
		r.CustomsInvoiceNr = s.Reference
		r.CustomsInformation = &scCustoms{InvoiceNumber: s.Reference, ExportReason: "returned_goods"}
	}
	return r
}

// Buy implements Provider: validate and create the return (once: its ids
// are saved), then read it until the carrier has announced it (ErrNotReady
// meanwhile) and download its label (A6 and A4) and, across a customs
// border, the customs declaration.
func (p *Sendcloud) Buy(ctx context.Context, s Shipment, prior Progress, save func(context.Context, Progress) error) (Label, error) {
	if prior.ShipmentID == "" {
		req := p.request(s)
		if err := p.c.do(ctx, http.MethodPost, "/returns/validate", req, nil, scError); err != nil {
			return Label{}, err
		}
		var c scCreated
		if err := p.c.do(ctx, http.MethodPost, "/returns", req, &c, scError); err != nil {
			return Label{}, err
		}
		if c.ReturnID <= 0 || c.ParcelID <= 0 {
			return Label{}, &Error{Provider: p.Name(), Message: "return created without its ids"}
		}
		prior = Progress{ShipmentID: strconv.FormatInt(c.ReturnID, 10), ParcelID: strconv.FormatInt(c.ParcelID, 10)}
		if err := save(ctx, prior); err != nil {
			return Label{}, err
		}
	}
	var r scReturn
	if err := p.c.do(ctx, http.MethodGet, "/returns/"+prior.ShipmentID, nil, &r, scError); err != nil {
		return Label{}, err
	}
	for _, h := range r.StatusHistory {
		if h.ParentStatus == "announcement-failed" {
			return Label{}, &Error{Provider: p.Name(), Code: "announcement_failed",
				Message: "the carrier refused return " + prior.ShipmentID}
		}
	}
	if r.TrackingNumber == nil || *r.TrackingNumber == "" || r.Label == nil || r.Label.LabelPrinter == "" {
		return Label{}, ErrNotReady
	}
	l := Label{Progress: prior, TrackingNumber: *r.TrackingNumber, Carrier: carrierOf(s), Service: s.Service}
	if c := r.LabelCost; c != nil && c.Currency != "" {
		price, err := minorUnits(c.Value.String(), c.Currency)
		if err != nil {
			return Label{}, &Error{Provider: p.Name(), Message: err.Error()}
		}
		l.Price, l.PriceCurrency = price, c.Currency
	}
	docs := "/parcels/" + prior.ParcelID + "/documents/"
	var err error
	if l.PDF, err = p.c.download(ctx, p.c.base.String()+docs+"label", "application/pdf"); err != nil {
		return Label{}, err
	}
	if l.PDFA4, err = p.c.download(ctx, p.c.base.String()+docs+"label?paper_size=A4", "application/pdf"); err != nil {
		return Label{}, err
	}
	if !isPDF(l.PDF) || !isPDF(l.PDFA4) {
		return Label{}, &Error{Provider: p.Name(), Message: "the label of parcel " + prior.ParcelID + " is not a PDF"}
	}
	if s.Customs {
		l.Customs, err = p.c.download(ctx, p.c.base.String()+docs+"customs-declaration", "application/pdf")
		if isNotFound(err) { // the carrier's label carries the declaration
			l.Customs, err = nil, nil
		}
		if err != nil {
			return Label{}, err
		}
	}
	return l, nil
}

// carrierOf names the carrier of a Sendcloud shipment: the hub's carrier,
// else the shipping option code's prefix ("dpd" of "dpd:return/return").
func carrierOf(s Shipment) string {
	if s.Carrier != "" {
		return s.Carrier
	}
	c, _, _ := strings.Cut(s.Service, ":")
	return c
}

// Void implements Provider: Sendcloud's cancellation request (202; 409
// when the return can no longer be cancelled).
func (p *Sendcloud) Void(ctx context.Context, l Label) error {
	return p.c.do(ctx, http.MethodPatch, "/returns/"+l.ShipmentID+"/cancel", nil, nil, scError)
}
