package carriers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/returns-portal/returns/returns"
)

// EasyPost (https://docs.easypost.com, API v2): a return shipment is a
// shipment with "is_return": true whose from_address is the merchant's
// (the hub) and to_address the customer's, as for the outbound parcel;
// EasyPost swaps them on the label. Buying is a second call with the
// chosen rate; a cancelled return's label is refunded (voided) by the
// shipment's refund call. Authentication: HTTP basic with the API key as
// the user name and no password.

// EasyPostAPIURL is EasyPost's production API.
const EasyPostAPIURL = "https://api.easypost.com"

// EasyPost buys labels through EasyPost.
type EasyPost struct {
	c      *client
	secret string // webhook secret ("" refuses every webhook)
}

// NewEasyPost makes the provider for an API key, the API's base URL
// (EasyPostAPIURL unless testing) and the webhook secret.
func NewEasyPost(key, apiURL, webhookSecret string) (*EasyPost, error) {
	if apiURL == "" {
		apiURL = EasyPostAPIURL
	}
	c, err := newClient(returns.LabelProviderEasyPost, apiURL, key, "")
	if err != nil {
		return nil, err
	}
	return &EasyPost{c: c, secret: webhookSecret}, nil
}

// Name implements Provider.
func (*EasyPost) Name() string { return returns.LabelProviderEasyPost }

type epAddress struct {
	Name    string `json:"name,omitempty"`
	Company string `json:"company,omitempty"`
	Street1 string `json:"street1"`
	Street2 string `json:"street2,omitempty"`
	City    string `json:"city"`
	State   string `json:"state,omitempty"`
	Zip     string `json:"zip"`
	Country string `json:"country"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
}

type epCustomsItem struct {
	Description    string      `json:"description"`
	Quantity       int         `json:"quantity"`
	Value          json.Number `json:"value"`
	Currency       string      `json:"currency"`
	Weight         json.Number `json:"weight"`
	HSTariffNumber string      `json:"hs_tariff_number,omitempty"`
	OriginCountry  string      `json:"origin_country,omitempty"`
	Code           string      `json:"code,omitempty"`
}

type epCustomsInfo struct {
	ContentsType        string          `json:"contents_type"`
	ContentsExplanation string          `json:"contents_explanation,omitempty"`
	CustomsCertify      bool            `json:"customs_certify"`
	CustomsSigner       string          `json:"customs_signer"`
	EELPFC              string          `json:"eel_pfc"`
	NonDeliveryOption   string          `json:"non_delivery_option"`
	RestrictionType     string          `json:"restriction_type"`
	CustomsItems        []epCustomsItem `json:"customs_items"`
}

type epParcel struct {
	Weight json.Number `json:"weight"`
}

type epOptions struct {
	LabelFormat   string `json:"label_format"`
	LabelSize     string `json:"label_size"`
	InvoiceNumber string `json:"invoice_number,omitempty"`
}

type epShipmentRequest struct {
	IsReturn    bool           `json:"is_return"`
	ToAddress   epAddress      `json:"to_address"`
	FromAddress epAddress      `json:"from_address"`
	Parcel      epParcel       `json:"parcel"`
	Reference   string         `json:"reference"`
	Options     epOptions      `json:"options"`
	CustomsInfo *epCustomsInfo `json:"customs_info,omitempty"`
}

type epRate struct {
	ID       string `json:"id"`
	Carrier  string `json:"carrier"`
	Service  string `json:"service"`
	Rate     string `json:"rate"`
	Currency string `json:"currency"`
}

type epForm struct {
	FormType string `json:"form_type"`
	FormURL  string `json:"form_url"`
}

type epShipment struct {
	ID           string   `json:"id"`
	IsReturn     bool     `json:"is_return"`
	TrackingCode *string  `json:"tracking_code"`
	Rates        []epRate `json:"rates"`
	SelectedRate *epRate  `json:"selected_rate"`
	PostageLabel *struct {
		LabelURL      string  `json:"label_url"`
		LabelPDFURL   *string `json:"label_pdf_url"`
		LabelFileType string  `json:"label_file_type"`
	} `json:"postage_label"`
	Forms        []epForm `json:"forms"`
	RefundStatus *string  `json:"refund_status"`
	Messages     []struct {
		Carrier string `json:"carrier"`
		Message string `json:"message"`
	} `json:"messages"`
}

// epError decodes EasyPost's error body: {"error":{"code","message",
// "errors":[{"field","message"}]}}.
func epError(b []byte) (code, msg string) {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Errors  []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) != nil {
		return "", ""
	}
	msg = e.Error.Message
	for _, f := range e.Error.Errors {
		msg += " " + f.Field + ": " + f.Message + "."
	}
	return e.Error.Code, strings.TrimSpace(msg)
}

func epAddressOf(a Address) epAddress {
	return epAddress{Name: a.Name, Company: a.Company, Street1: a.Line1, Street2: a.Line2, City: a.City,
		State: a.Region, Zip: a.PostalCode, Country: a.Country, Phone: a.Phone, Email: a.Email}
}

// request is the shipment to create: from the hub to the shopper with
// is_return (EasyPost turns it around), weighed in ounces, labelled as a
// 4×6 in PDF, with the items declared as returned goods across a customs
// border.
func (p *EasyPost) request(s Shipment) epShipmentRequest {
	r := epShipmentRequest{IsReturn: true, ToAddress: epAddressOf(s.From), FromAddress: epAddressOf(s.To),
		Parcel: epParcel{Weight: ounces(s.WeightGrams)}, Reference: s.Reference,
		Options: epOptions{LabelFormat: "PDF", LabelSize: "4x6"}}
	if s.Customs {
		r.Options.InvoiceNumber = s.Reference
		ci := &epCustomsInfo{ContentsType: "returned_goods", CustomsCertify: true, CustomsSigner: s.From.Name,
			// No EEI filing is needed below the US export threshold
			// (15 CFR 30.37(a)); EasyPost requires the field.
			EELPFC: "NOEEI 30.37(a)", NonDeliveryOption: "return", RestrictionType: "none"}
		for _, it := range s.Items {
			ci.CustomsItems = append(ci.CustomsItems, epCustomsItem{Description: it.Description, Quantity: it.Quantity,
				Value: decimal(it.Value, s.Currency), Currency: s.Currency, Weight: ounces(it.WeightGrams),
				HSTariffNumber: it.HSCode, OriginCountry: it.Origin, Code: it.SKU})
		}
		r.CustomsInfo = ci
	}
	return r
}

// Buy implements Provider: create the shipment (once: its id is saved),
// then buy the rate of the hub's carrier and service (the cheapest of
// them when the hub names none), or take the label an earlier attempt
// bought; then download the PDF label, the carrier's customs form and,
// for USPS, the QR code of label-free drop-off.
func (p *EasyPost) Buy(ctx context.Context, s Shipment, prior Progress, save func(context.Context, Progress) error) (Label, error) {
	var sh epShipment
	if prior.ShipmentID == "" {
		if err := p.c.do(ctx, http.MethodPost, "/v2/shipments", map[string]any{"shipment": p.request(s)}, &sh, epError); err != nil {
			return Label{}, err
		}
		if sh.ID == "" {
			return Label{}, &Error{Provider: p.Name(), Message: "shipment created without an id"}
		}
		if err := save(ctx, Progress{ShipmentID: sh.ID}); err != nil {
			return Label{}, err
		}
	} else if err := p.c.do(ctx, http.MethodGet, "/v2/shipments/"+url.PathEscape(prior.ShipmentID), nil, &sh, epError); err != nil {
		return Label{}, err
	}
	if sh.PostageLabel == nil { // not bought yet
		rate, err := chooseRate(sh.Rates, s.Carrier, s.Service)
		if err != nil {
			return Label{}, err
		}
		body := map[string]any{"rate": map[string]string{"id": rate.ID}}
		if err := p.c.do(ctx, http.MethodPost, "/v2/shipments/"+url.PathEscape(sh.ID)+"/buy", body, &sh, epError); err != nil {
			return Label{}, err
		}
	}
	return p.label(ctx, sh)
}

// label gathers a bought shipment's label and documents.
func (p *EasyPost) label(ctx context.Context, sh epShipment) (Label, error) {
	if sh.PostageLabel == nil || sh.TrackingCode == nil || *sh.TrackingCode == "" || sh.SelectedRate == nil {
		return Label{}, &Error{Provider: p.Name(), Message: "bought shipment " + sh.ID + " has no label or tracking code"}
	}
	l := Label{Progress: Progress{ShipmentID: sh.ID}, TrackingNumber: *sh.TrackingCode,
		Carrier: sh.SelectedRate.Carrier, Service: sh.SelectedRate.Service, PriceCurrency: sh.SelectedRate.Currency}
	price, err := minorUnits(sh.SelectedRate.Rate, sh.SelectedRate.Currency)
	if err != nil {
		return Label{}, &Error{Provider: p.Name(), Message: err.Error()}
	}
	l.Price = price
	pdfURL := ""
	switch pl := sh.PostageLabel; {
	case pl.LabelPDFURL != nil && *pl.LabelPDFURL != "":
		pdfURL = *pl.LabelPDFURL
	case pl.LabelFileType == "application/pdf":
		pdfURL = pl.LabelURL
	default: // converted on request
		var conv epShipment
		if err := p.c.do(ctx, http.MethodGet, "/v2/shipments/"+url.PathEscape(sh.ID)+"/label?file_format=PDF", nil, &conv, epError); err != nil {
			return Label{}, err
		}
		if conv.PostageLabel == nil || conv.PostageLabel.LabelPDFURL == nil {
			return Label{}, &Error{Provider: p.Name(), Message: "no PDF label for shipment " + sh.ID}
		}
		pdfURL = *conv.PostageLabel.LabelPDFURL
	}
	if l.PDF, err = p.c.download(ctx, pdfURL, "application/pdf"); err != nil {
		return Label{}, err
	}
	if !isPDF(l.PDF) {
		return Label{}, &Error{Provider: p.Name(), Message: "the label of shipment " + sh.ID + " is not a PDF"}
	}
	for _, f := range sh.Forms {
		if f.FormType == "commercial_invoice" && f.FormURL != "" {
			if l.Customs, err = p.c.download(ctx, f.FormURL, ""); err != nil {
				return Label{}, err
			}
		}
	}
	if strings.EqualFold(l.Carrier, "USPS") {
		l.QRCode = p.qrCode(ctx, sh.ID)
	}
	return l, nil
}

// qrCode asks for the QR code that USPS counters print the label from
// (label-free drop-off). It is a convenience: without it the shopper
// prints the label, so a failure only leaves it out.
func (p *EasyPost) qrCode(ctx context.Context, id string) []byte {
	var sh epShipment
	body := map[string]any{"form": map[string]string{"type": "label_qr_code"}}
	if err := p.c.do(ctx, http.MethodPost, "/v2/shipments/"+url.PathEscape(id)+"/forms", body, &sh, epError); err != nil {
		return nil
	}
	for _, f := range sh.Forms {
		if f.FormType == "label_qr_code" && f.FormURL != "" {
			b, err := p.c.download(ctx, f.FormURL, "")
			if err == nil {
				return b
			}
		}
	}
	return nil
}

// chooseRate picks the rate of the carrier and service named
// (case-insensitively), the cheapest of the carrier's when no service is
// named, the cheapest of all when no carrier is.
func chooseRate(rates []epRate, carrier, service string) (epRate, error) {
	var best epRate
	var bestPrice int64
	found := false
	for _, r := range rates {
		if carrier != "" && !strings.EqualFold(r.Carrier, carrier) {
			continue
		}
		if service != "" && !strings.EqualFold(r.Service, service) {
			continue
		}
		price, err := minorUnits(r.Rate, r.Currency)
		if err != nil {
			continue
		}
		if !found || price < bestPrice {
			best, bestPrice, found = r, price, true
		}
	}
	if !found {
		return epRate{}, &Error{Provider: returns.LabelProviderEasyPost, Code: "no_matching_rate",
			Message: "no rate for carrier " + quoteOrAny(carrier) + " and service " + quoteOrAny(service)}
	}
	return best, nil
}

func quoteOrAny(s string) string {
	if s == "" {
		return "(any)"
	}
	return `"` + s + `"`
}

// Void implements Provider: the shipment's refund call. EasyPost answers
// with the shipment, whose refund_status is "submitted" (or "refunded")
// when the carrier will void it, "rejected" when it will not (a label
// already scanned).
func (p *EasyPost) Void(ctx context.Context, l Label) error {
	var sh epShipment
	if err := p.c.do(ctx, http.MethodPost, "/v2/shipments/"+url.PathEscape(l.ShipmentID)+"/refund", nil, &sh, epError); err != nil {
		return err
	}
	if sh.RefundStatus == nil {
		return &Error{Provider: p.Name(), Message: "refund of " + l.ShipmentID + " answered without a refund status"}
	}
	switch *sh.RefundStatus {
	case "submitted", "refunded":
		return nil
	}
	return &Error{Provider: p.Name(), Code: "refund_" + *sh.RefundStatus, Message: "the label of " + l.ShipmentID + " cannot be voided"}
}
