package handlers

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// shipmentProps is a return's carrier shipment on its staff page (nil when
// its hub draws its own labels): the label's purchase, the parcel's state
// and scans, the carrier jobs and, for agents, a retry of the failed ones.
func (a *admin) shipmentProps(c echo.Context, p *portal, rma string, loc *time.Location) (*views.AdminShipmentProps, error) {
	v, ok, err := a.svc.ReturnShipment(c.Request().Context(), rma)
	if err != nil || !ok {
		return nil, err
	}
	sh := v.Shipment
	canRetry := store.RoleAtLeast(session(c).Role, store.RoleAgent)
	props := &views.AdminShipmentProps{CSRF: session(c).CSRF, RetryURL: "/admin/returns/" + rma + "/carrier-retry",
		Provider: p.T("admin.policy.label_provider." + sh.Provider), LabelStatusCode: sh.LabelStatus,
		LabelStatus: p.T("admin.shipment.label." + sh.LabelStatus), Error: sh.LastError, Tracking: sh.Tracking(),
		Carrier: sh.Carrier, Service: sh.Service, StateCode: "", State: p.T("shipment.state.none")}
	if sh.Price != nil && sh.PriceCurrency != "" {
		props.Price = p.money(*sh.Price, sh.PriceCurrency)
	}
	if pr := sh.Progress(); pr.State != "" {
		props.StateCode, props.State = string(pr.State), p.T("shipment.state."+string(pr.State))
		props.StateAt, props.StatePlace = staffTime(pr.At, loc), pr.Place
	}
	props.Scans = scanRows(p, v.Events, loc)
	for _, j := range v.Jobs {
		row := views.AdminJobRow{KindCode: j.Kind, Kind: p.T("admin.shipment.job." + j.Kind), StatusCode: j.Status,
			Status: p.T("admin.shipment.job_status." + j.Status), Attempts: j.Attempts, Error: j.LastError,
			CanRetry: canRetry && j.Status == store.JobFailed && slices.Contains(service.RetryableJobs, j.Kind)}
		if j.Status == store.JobPending {
			row.Due = staffTime(j.DueAt, loc)
		}
		props.Jobs = append(props.Jobs, row)
	}
	return props, nil
}

// carrierRetry is POST /admin/returns/:rma/carrier-retry (agents): a
// failed carrier job (kind) tried again at once.
func (a *admin) carrierRetry(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	err = a.svc.RetryCarrierJob(c.Request().Context(), rma, c.FormValue("kind"), staffActor(c))
	var ce *service.ConflictError
	if errors.As(err, &ce) {
		return a.renderReturn(c, http.StatusConflict, rma, a.portal(c).T("error."+ce.Code))
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#shipment-h")
}
