package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The webhook endpoints in the settings (admins): list, add (the secret is
// shown once, on the answer page itself), rotate the secret, enable an
// endpoint that answered 410, delete; and each endpoint's deliveries.

// webhooksPage is GET /admin/settings/webhooks.
func (a *admin) webhooksPage(c echo.Context) error {
	p := a.portal(c)
	props, err := a.webhooksProps(c, p)
	if err != nil {
		return err
	}
	switch c.QueryParam("done") {
	case "deleted":
		props.Done = p.T("admin.webhooks.deleted")
	case "enabled":
		props.Done = p.T("admin.webhooks.enabled")
	}
	return p.view(http.StatusOK, views.AdminWebhooks(props))
}

func (a *admin) webhooksProps(c echo.Context, p *portal) (views.WebhooksProps, error) {
	props := views.WebhooksProps{Page: a.page(c, p, "admin.webhooks.title", "settings"), Errors: map[string]string{},
		FormEvents: map[string]bool{}}
	for _, e := range returns.WebhookEvents {
		props.Events = append(props.Events, views.AdminOption{Value: e, Label: p.T("admin.webhooks.event." + e)})
	}
	ws, err := a.svc.Webhooks(c.Request().Context())
	if err != nil {
		return props, err
	}
	loc := a.staffLoc(c)
	for _, w := range ws {
		props.Endpoints = append(props.Endpoints, webhookRow(p, w, loc))
	}
	return props, nil
}

func webhookRow(p *portal, w store.WebhookEndpoint, loc *time.Location) views.WebhookRow {
	r := views.WebhookRow{ID: w.PublicID, URL: w.URL, Events: strings.Join(w.Events, ", "), Enabled: w.Enabled,
		Href: "/admin/settings/webhooks/" + w.PublicID, Created: staffTime(w.CreatedAt, loc)}
	switch {
	case w.Enabled:
		r.Status = p.T("admin.webhooks.status.enabled")
	case w.DisabledReason == service.DisabledGone:
		r.Status = p.T("admin.webhooks.status.gone")
	default:
		r.Status = p.T("admin.webhooks.status.disabled")
	}
	return r
}

// webhookCreate is POST /admin/settings/webhooks with url and events.
func (a *admin) webhookCreate(c echo.Context) error {
	params, _ := c.FormParams()
	in := service.WebhookInput{URL: c.FormValue("url"), Events: params["events"]}
	w, err := a.svc.CreateWebhook(c.Request().Context(), in)
	var fe returns.FieldErrors
	var ce *service.ConflictError
	if err != nil && !errors.As(err, &fe) && !errors.As(err, &ce) {
		return err
	}
	p := a.portal(c)
	props, perr := a.webhooksProps(c, p)
	if perr != nil {
		return perr
	}
	if err != nil {
		props.FormURL = in.URL
		for _, e := range in.Events {
			props.FormEvents[e] = true
		}
		for _, e := range fe {
			props.Errors[e.Path] = p.T("admin.webhooks.error." + e.Path + "." + e.Code)
		}
		if ce != nil {
			props.Errors["url"] = p.T("error." + ce.Code)
		}
		return p.view(http.StatusUnprocessableEntity, views.AdminWebhooks(props))
	}
	props.NewSecret, props.NewSecretFor = w.Secret, w.URL
	return p.view(http.StatusOK, views.AdminWebhooks(props))
}

// webhookRotate is POST /admin/settings/webhooks/:id/rotate: the new secret
// is shown once; the old one signs too for 24 hours.
func (a *admin) webhookRotate(c echo.Context) error {
	w, err := a.svc.RotateWebhookSecret(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	p := a.portal(c)
	props, err := a.webhooksProps(c, p)
	if err != nil {
		return err
	}
	props.NewSecret, props.NewSecretFor = w.Secret, w.URL
	return p.view(http.StatusOK, views.AdminWebhooks(props))
}

// webhookEnable is POST /admin/settings/webhooks/:id/enable.
func (a *admin) webhookEnable(c echo.Context) error {
	if err := a.svc.EnableWebhook(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return seeOther(c, "/admin/settings/webhooks?done=enabled")
}

// webhookDelete is POST /admin/settings/webhooks/:id/delete.
func (a *admin) webhookDelete(c echo.Context) error {
	if err := a.svc.DeleteWebhook(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return seeOther(c, "/admin/settings/webhooks?done=deleted")
}

// webhookPage is GET /admin/settings/webhooks/:id?before=: the endpoint's
// recent deliveries (status, answer code, attempts, next try).
func (a *admin) webhookPage(c echo.Context) error {
	ctx := c.Request().Context()
	before, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	w, err := a.svc.Webhook(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	rows, err := a.svc.WebhookDeliveries(ctx, w.PublicID, before, limit)
	if err != nil {
		return err
	}
	p := a.portal(c)
	loc := a.staffLoc(c)
	props := views.WebhookProps{Page: a.page(c, p, "admin.webhooks.title", "settings"), Endpoint: webhookRow(p, w, loc)}
	if w.OldSecretUntil != nil && a.svc.Now().Before(*w.OldSecretUntil) {
		props.Endpoint.OldUntil = staffTime(*w.OldSecretUntil, loc)
	}
	for _, m := range rows {
		props.Deliveries = append(props.Deliveries, outboxRow(p, m, loc))
	}
	if len(rows) == limit {
		props.NextHref = "/admin/settings/webhooks/" + w.PublicID + "?" +
			url.Values{"before": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}.Encode()
	}
	return p.view(http.StatusOK, views.AdminWebhook(props))
}
