package handlers

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The shopper's side of a label bought from a carrier platform: the status
// page's label block ("being prepared" until it is bought, then the
// carrier's label, tracking number and QR code), the parcel's scans under
// the timeline, and the QR code itself.

// addCarrierLabel puts a return's carrier shipment on its status page:
// the label block instead of the own label's links (where the link opened
// may download documents: docs; the block's links carry the view token),
// and the scans. A hub that draws its own labels changes nothing.
func (s *Server) addCarrierLabel(p *portal, props *views.StatusProps, r returns.Return, o returns.Order, token string, docs bool) error {
	v, ok, err := s.svc.ReturnShipment(p.c.Request().Context(), r.RMA)
	if err != nil || !ok {
		return err
	}
	// The block links the carrier's label (and customs document) instead
	// of the own label's paper sizes.
	customs := props.CustomsURL != ""
	props.Labels, props.CustomsURL = nil, ""
	if docs && r.Status.HasLabel() {
		block := s.carrierLabelProps(p, r.RMA, v.Shipment, token, customs)
		props.Carrier = &block
	}
	props.Scans = scanRows(p, v.Events, zoneOf(o))
	return nil
}

// carrierLabelProps is the label block of a shipment; customs says the
// parcel crosses a customs border (its customs document is linked once the
// label is bought).
func (s *Server) carrierLabelProps(p *portal, rma string, sh store.Shipment, token string, customs bool) views.CarrierLabelProps {
	t := url.Values{"t": {token}}
	if sh.LabelStatus != store.LabelBought {
		// A purchase being retried, or failed and with staff, is still
		// being prepared for the shopper.
		return views.CarrierLabelProps{Preparing: true, PollURL: p.link("/r/"+rma+"/label-status", t),
			RefreshURL: p.link("/r/"+rma, t)}
	}
	b := views.CarrierLabelProps{Tracking: sh.Tracking(), Carrier: sh.Carrier,
		LabelURL: "/r/" + rma + "/label.pdf?" + t.Encode()}
	if sh.HasA4 {
		b.LabelA4URL = "/r/" + rma + "/label.pdf?" + url.Values{"t": {token}, "size": {"a4"}}.Encode()
	}
	if sh.HasQR {
		b.QRURL = "/r/" + rma + "/qr.png?" + t.Encode()
	}
	if customs {
		b.CustomsURL = "/r/" + rma + "/customs.pdf?" + t.Encode()
	}
	return b
}

// scanRows are a parcel's tracking events, newest first, in the shopper's
// language and time zone.
func scanRows(p *portal, events []store.TrackingEvent, loc *time.Location) []views.TrackingRow {
	rows := make([]views.TrackingRow, 0, len(events))
	for _, e := range events {
		state := e.State
		if state == "" {
			state = "other"
		}
		at := e.OccurredAt.In(loc)
		rows = append(rows, views.TrackingRow{State: p.T("shipment.state." + state), StateCode: e.State,
			Message: e.Message, Place: e.Place, At: p.date(returns.DateOf(e.OccurredAt, loc)) + " " + at.Format("15:04")})
	}
	return rows
}

// labelStatus is GET /r/:rma/label-status?t=...: the label block alone,
// which the status page polls (htmx) while the label is being prepared.
func (s *Server) labelStatus(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v, ok, err := s.svc.ReturnShipment(ctx, a.Return.RMA)
	if err != nil {
		return err
	}
	if !ok || !a.May.Documents || !a.Return.Status.HasLabel() {
		return errNotFound
	}
	d, err := s.svc.Status(ctx, a.Return)
	if err != nil {
		return err
	}
	c.Set(ctxOrderLocale, d.Order.Locale)
	p := s.portal(c)
	return p.view(http.StatusOK, views.CarrierLabel(s.carrierLabelProps(p, a.Return.RMA, v.Shipment, returnTokenParam(c), d.Customs)))
}

// labelQR is GET /r/:rma/qr.png?t=...: the carrier's QR code for a
// label-free drop-off (404 when the carrier gave none).
func (s *Server) labelQR(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	png, err := s.svc.LabelQR(c.Request().Context(), a)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "image/png", png)
}
