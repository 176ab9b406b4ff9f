package carriers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/returns-portal/returns/returns"
)

// EasyPostSignatureHeader carries an EasyPost webhook's signature:
// "hmac-sha256-hex=" and the hex HMAC-SHA256 of the raw body under the
// webhook secret, the secret normalised to Unicode NFKD first (as
// EasyPost's own client libraries do: a secret "sécret" typed with a
// composed é signs as the decomposed one).
const EasyPostSignatureHeader = "X-Hmac-Signature"

// EasyPostSignature is the signature header value of body under secret.
func EasyPostSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(norm.NFKD.String(secret)))
	mac.Write(body)
	return "hmac-sha256-hex=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook implements Provider.
func (p *EasyPost) VerifyWebhook(h http.Header, body []byte) error {
	got := h.Get(EasyPostSignatureHeader)
	if p.secret == "" || got == "" {
		return ErrSignature
	}
	if !hmac.Equal([]byte(got), []byte(EasyPostSignature(p.secret, body))) {
		return ErrSignature
	}
	return nil
}

// epEvent is the Event EasyPost posts; for "tracker.updated" (and
// "tracker.created") its result is the Tracker with every tracking detail
// so far.
type epEvent struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Description string `json:"description"`
	Result      struct {
		Object          string `json:"object"`
		TrackingCode    string `json:"tracking_code"`
		Carrier         string `json:"carrier"`
		Status          string `json:"status"`
		UpdatedAt       string `json:"updated_at"`
		TrackingDetails []struct {
			Status           string `json:"status"`
			StatusDetail     string `json:"status_detail"`
			Message          string `json:"message"`
			Datetime         string `json:"datetime"`
			TrackingLocation *struct {
				City    *string `json:"city"`
				State   *string `json:"state"`
				Country *string `json:"country"`
				Zip     *string `json:"zip"`
			} `json:"tracking_location"`
		} `json:"tracking_details"`
	} `json:"result"`
}

// epStates maps EasyPost's tracker statuses to the parcel's states; the
// others (unknown, cancelled) say nothing about where it is. A parcel
// "available for pickup" waits at a pickup point, in the carrier's hands.
var epStates = map[string]returns.ShipmentState{
	"pre_transit":          returns.ShipmentLabelCreated,
	"in_transit":           returns.ShipmentInTransit,
	"available_for_pickup": returns.ShipmentInTransit,
	"out_for_delivery":     returns.ShipmentOutForDelivery,
	"delivered":            returns.ShipmentDelivered,
	"return_to_sender":     returns.ShipmentException,
	"failure":              returns.ShipmentException,
	"error":                returns.ShipmentException,
}

// ParseWebhook implements Provider: every tracking detail of a tracker
// event is an event (the details repeat in each update; the caller drops
// those it has). Other events carry none.
func (p *EasyPost) ParseWebhook(body []byte) ([]Event, error) {
	var ev epEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, err
	}
	if ev.Result.Object != "Tracker" || !strings.HasPrefix(ev.Description, "tracker.") || ev.Result.TrackingCode == "" {
		return nil, nil
	}
	t := ev.Result
	var out []Event
	for _, d := range t.TrackingDetails {
		at, err := time.Parse(time.RFC3339, d.Datetime)
		if err != nil {
			continue
		}
		place := ""
		if l := d.TrackingLocation; l != nil {
			place = joinPlace(deref(l.City), deref(l.State), deref(l.Country))
		}
		code := d.Status
		if d.StatusDetail != "" {
			code += "/" + d.StatusDetail
		}
		out = append(out, Event{ID: ev.ID, TrackingNumber: t.TrackingCode, Carrier: t.Carrier, State: epStates[d.Status],
			Code: code, Message: d.Message, Place: place, At: at.UTC()})
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// joinPlace writes the non-empty parts of a place, comma-separated.
func joinPlace(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ", ")
}
