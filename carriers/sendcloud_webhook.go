package carriers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/returns-portal/returns/returns"
)

// SendcloudSignatureHeader carries a Sendcloud webhook's signature: the
// hex HMAC-SHA256 of the raw body under the integration's webhook
// signature key.
const SendcloudSignatureHeader = "Sendcloud-Signature"

// SendcloudSignature is the signature header value of body under secret.
func SendcloudSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook implements Provider.
func (p *Sendcloud) VerifyWebhook(h http.Header, body []byte) error {
	got := strings.ToLower(strings.TrimSpace(h.Get(SendcloudSignatureHeader)))
	if p.secret == "" || got == "" {
		return ErrSignature
	}
	if !hmac.Equal([]byte(got), []byte(SendcloudSignature(p.secret, body))) {
		return ErrSignature
	}
	return nil
}

// scWebhook is a "parcel_status_changed" webhook: the parcel as the
// Parcels API shows it, with its new status, and the Unix times (in
// milliseconds) of the change and of the carrier's event.
type scWebhook struct {
	Action                       string   `json:"action"`
	Timestamp                    *float64 `json:"timestamp"`
	CarrierStatusChangeTimestamp *float64 `json:"carrier_status_change_timestamp"`
	Parcel                       struct {
		ID             int64  `json:"id"`
		TrackingNumber string `json:"tracking_number"`
		Status         struct {
			ID      int    `json:"id"`
			Message string `json:"message"`
		} `json:"status"`
		Carrier struct {
			Code string `json:"code"`
		} `json:"carrier"`
	} `json:"parcel"`
}

// scStates maps Sendcloud's parcel status ids (GET /parcels/statuses) to
// the parcel's states. Announced, not collected and ready to send: a label
// exists; sorted, en route, at customs, waiting at a service point: in the
// carrier's hands; a failed delivery or collection, an announcement that
// failed, a parcel that cannot be delivered or goes back: an exception.
// Cancellations and "unknown" say nothing about where the parcel is.
var scStates = map[int]returns.ShipmentState{
	1:     returns.ShipmentLabelCreated,   // Announced
	13:    returns.ShipmentLabelCreated,   // Announced: not collected
	1000:  returns.ShipmentLabelCreated,   // Ready to send
	1001:  returns.ShipmentLabelCreated,   // Being announced
	3:     returns.ShipmentInTransit,      // En route to sorting center
	4:     returns.ShipmentInTransit,      // Delivery delayed
	5:     returns.ShipmentInTransit,      // Sorted
	6:     returns.ShipmentInTransit,      // Not sorted
	7:     returns.ShipmentInTransit,      // Being sorted
	12:    returns.ShipmentInTransit,      // Awaiting customer pickup
	22:    returns.ShipmentInTransit,      // Shipment picked up by driver
	91:    returns.ShipmentInTransit,      // Parcel en route
	62989: returns.ShipmentInTransit,      // At sorting centre
	62990: returns.ShipmentInTransit,      // At customs
	92:    returns.ShipmentOutForDelivery, // Driver en route
	11:    returns.ShipmentDelivered,      // Delivered
	93:    returns.ShipmentDelivered,      // Shipment collected by customer
	8:     returns.ShipmentException,      // Delivery attempt failed
	15:    returns.ShipmentException,      // Error collecting
	80:    returns.ShipmentException,      // Unable to deliver
	1002:  returns.ShipmentException,      // Announcement failed
	62991: returns.ShipmentException,      // Returned to sender
}

// ParseWebhook implements Provider: a parcel status change is one event,
// at the carrier's time when given, else at Sendcloud's. Other actions
// (integration changes...) carry none.
func (p *Sendcloud) ParseWebhook(body []byte) ([]Event, error) {
	var w scWebhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	if w.Action != "parcel_status_changed" || w.Parcel.TrackingNumber == "" {
		return nil, nil
	}
	ms := w.CarrierStatusChangeTimestamp
	if ms == nil {
		ms = w.Timestamp
	}
	if ms == nil {
		return nil, nil
	}
	at := time.UnixMilli(int64(*ms)).UTC()
	id := strconv.FormatInt(w.Parcel.ID, 10) + ":" + strconv.Itoa(w.Parcel.Status.ID) + ":" + strconv.FormatInt(int64(*ms), 10)
	return []Event{{ID: id, TrackingNumber: w.Parcel.TrackingNumber, Carrier: w.Parcel.Carrier.Code,
		State: scStates[w.Parcel.Status.ID], Code: strconv.Itoa(w.Parcel.Status.ID), Message: w.Parcel.Status.Message,
		At: at}}, nil
}
