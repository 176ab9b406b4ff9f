// Package carriers buys return labels from carrier platforms, voids the
// unused ones and reads their tracking webhooks: one Provider interface,
// implemented for EasyPost (REST API v2) and Sendcloud (Returns API v3).
// A hub whose label provider is "own" needs none of this: the portal draws
// its own document (package labels) when the shopper downloads it.
//
// Nothing here touches the database. The caller (package service, from a
// background worker, never inside a transaction) records what Buy reports
// through its save callback before Buy takes the step that costs money, so
// that a retried purchase continues the same shipment instead of buying a
// second label.
package carriers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Provider is a carrier platform.
type Provider interface {
	// Name is the policy's name of the provider (returns.LabelProvider*).
	Name() string
	// Buy creates the return shipment of s and buys its label. prior is
	// what an earlier attempt saved (zero at the first one); save must
	// record p durably before Buy goes on, so that the next attempt
	// resumes the same shipment. ErrNotReady means the platform is still
	// making the label: try again shortly with what was saved.
	Buy(ctx context.Context, s Shipment, prior Progress, save func(context.Context, Progress) error) (Label, error)
	// Void cancels the unused label of a bought shipment.
	Void(ctx context.Context, l Label) error
	// VerifyWebhook checks a tracking webhook's signature over the raw
	// body, in constant time (ErrSignature when it does not match or is
	// missing).
	VerifyWebhook(h http.Header, body []byte) error
	// ParseWebhook reads the tracking events of a verified webhook; a
	// webhook about something else has none.
	ParseWebhook(body []byte) ([]Event, error)
}

// Shipment is a return parcel to buy a label for: from the shopper to the
// hub.
type Shipment struct {
	// Reference is the RMA: the platform's reference of the shipment.
	Reference   string
	OrderNumber string
	From, To    Address
	// Carrier and Service are the hub's: the carrier and service to buy
	// (EasyPost: the rate's carrier and service, the cheapest rate when
	// empty; Sendcloud: Service is the shipping option code).
	Carrier, Service string
	// WeightGrams is the parcel's estimated gross weight.
	WeightGrams int
	// Currency is the currency of the items' values.
	Currency string
	Items    []Item
	// Customs: the parcel crosses a customs border; its items are
	// declared.
	Customs bool
}

// Address is a postal address as carriers want it: in Latin script.
type Address struct {
	Name, Company, Line1, Line2, City, PostalCode string
	// Region is the subdivision code without the country ("NJ", "BY").
	Region, Country, Phone, Email string
}

// Item is one line of the parcel's contents, for the customs declaration.
type Item struct {
	// Description names the goods in English.
	Description string
	SKU         string
	Quantity    int
	// Value is the line's value in minor units of Shipment.Currency.
	Value       int64
	WeightGrams int // net, all units
	HSCode      string
	Origin      string
}

// Progress is what a purchase records before its costly step: the
// platform's ids of the shipment (EasyPost shp_..., Sendcloud's return id)
// and parcel (Sendcloud).
type Progress struct {
	ShipmentID string
	ParcelID   string
}

// Label is a bought label.
type Label struct {
	Progress
	TrackingNumber string
	// Carrier and Service bought.
	Carrier, Service string
	// Price is what the label cost, in minor units of PriceCurrency (0
	// and "" when the platform does not say).
	Price         int64
	PriceCurrency string
	// PDF is the label for a 4×6 in (A6) thermal printer; PDFA4 the same
	// on an A4 page where the platform offers one (nil otherwise).
	PDF, PDFA4 []byte
	// QRCode is a PNG to show at the drop-off point instead of a printed
	// label, where the carrier offers label-free drop-off (nil otherwise).
	QRCode []byte
	// Customs is the carrier's customs document for a cross-border parcel
	// (nil when it returned none).
	Customs []byte
}

// Event is one tracking event of a parcel as its platform reports it.
type Event struct {
	// ID is the sender's id of the webhook it came in ("" when none).
	ID             string
	TrackingNumber string
	Carrier        string
	// State is where the event puts the parcel; "" when it says nothing
	// about that (a cancellation, an unknown status): it is kept, and
	// changes nothing.
	State returns.ShipmentState
	// Code is the platform's own status, Message its words.
	Code, Message string
	// Place is where the carrier saw the parcel ("" when not said).
	Place string
	// At is the carrier's time of the event.
	At time.Time
}

// ErrNotReady: the platform has accepted the shipment but not made its
// label yet (Sendcloud announces returns to the carrier asynchronously).
var ErrNotReady = errors.New("carriers: the label is not ready yet")

// ErrSignature: a webhook's signature is missing or does not match.
var ErrSignature = errors.New("carriers: webhook signature does not match")

// Error is a platform's refusal or failure.
type Error struct {
	Provider string
	// Status is the HTTP status (0: no answer).
	Status int
	// Code and Message are the platform's, when it gave them.
	Code, Message string
	// Temporary: trying again later may succeed (no answer, a timeout,
	// 429, a 5xx). Otherwise the request itself is refused and staff must
	// change something.
	Temporary bool
}

func (e *Error) Error() string {
	s := "carriers: " + e.Provider
	if e.Status != 0 {
		s += fmt.Sprintf(" answered %d", e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Temporary reports whether err is worth retrying: an *Error that says
// so, ErrNotReady, or anything that is not a platform's refusal (a
// network failure).
func Temporary(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Temporary
	}
	return err != nil
}
