package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The outbox in the staff area (agents and admins: an e-mail carries the
// shopper's links): every e-mail and webhook delivery, its state, its
// attempts, what was sent (an e-mail's headers, HTML and text; a webhook's
// body), and a resend. Without an SMTP server (make run), e-mails are not
// sent but kept here: the demo shows every e-mail.

var outboxStatuses = []string{store.OutboxPending, store.OutboxSent, store.OutboxKept, store.OutboxFailed, store.OutboxCancelled}

// outboxPage is GET /admin/outbox?channel=&status=&rma=&before=.
func (a *admin) outboxPage(c echo.Context) error {
	p := a.portal(c)
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := store.OutboxFilter{Channel: q.Get("channel"), Status: q.Get("status"), RMA: strings.TrimSpace(q.Get("rma")), Limit: 50}
	if f.Channel != "" && f.Channel != store.ChannelEmail && f.Channel != store.ChannelWebhook {
		return invalidParam("channel")
	}
	if f.Status != "" && !slices.Contains(outboxStatuses, f.Status) {
		return invalidParam("status")
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return invalidParam("before")
		}
		f.Before = n
	}
	rows, err := a.svc.Outbox(ctx, f)
	if err != nil {
		return err
	}
	counts, err := a.svc.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	props := views.OutboxProps{Page: a.page(c, p, "admin.outbox.title", "outbox"), Kept: a.cfg.MailKept,
		Filter: views.OutboxFilterProps{Channel: f.Channel, Status: f.Status, RMA: f.RMA}}
	for _, ch := range []string{store.ChannelEmail, store.ChannelWebhook} {
		props.Channels = append(props.Channels, views.AdminOption{Value: ch, Label: p.T("admin.outbox.channel." + ch)})
		for _, st := range outboxStatuses {
			if n := counts[ch][st]; n > 0 {
				props.Counts = append(props.Counts, views.OutboxCount{N: n,
					Label: p.T("admin.outbox.channel."+ch) + " · " + p.T("admin.outbox.status."+st),
					Href:  "/admin/outbox?" + url.Values{"channel": {ch}, "status": {st}}.Encode()})
			}
		}
	}
	for _, st := range outboxStatuses {
		props.Statuses = append(props.Statuses, views.AdminOption{Value: st, Label: p.T("admin.outbox.status." + st)})
	}
	loc := a.staffLoc(c)
	for _, m := range rows {
		props.Rows = append(props.Rows, outboxRow(p, m, loc))
	}
	if len(rows) == f.Limit {
		next := url.Values{"before": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}
		for _, k := range []string{"channel", "status", "rma"} {
			if v := q.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		props.NextHref = "/admin/outbox?" + next.Encode()
	}
	return p.view(http.StatusOK, views.AdminOutbox(props))
}

// outboxRow shapes a row for the lists and the detail page.
func outboxRow(p *portal, m store.OutboxMessage, loc *time.Location) views.OutboxRow {
	r := views.OutboxRow{ID: m.PublicID, Href: "/admin/outbox/" + m.PublicID, Channel: m.Channel, Event: m.Event,
		RMA: m.RMA, Recipient: m.Recipient, StatusCode: m.Status, Status: p.T("admin.outbox.status." + m.Status),
		Attempts: m.Attempts, Created: staffTime(m.CreatedAt, loc), LastError: m.LastError, Subject: m.Subject,
		CanResend: m.Status != store.OutboxPending}
	if m.RMA != "" {
		r.RMAHref = "/admin/returns/" + m.RMA
	}
	if m.Status == store.OutboxPending {
		r.NextTry = staffTime(m.DueAt, loc)
	}
	if m.LastCode != 0 {
		r.LastCode = strconv.Itoa(m.LastCode)
	}
	return r
}

// outboxMessage is GET /admin/outbox/:id: one e-mail or delivery.
func (a *admin) outboxMessage(c echo.Context) error {
	return a.renderOutboxMessage(c, http.StatusOK, false, "")
}

func (a *admin) renderOutboxMessage(c echo.Context, status int, resent bool, problem string) error {
	m, attempts, err := a.svc.OutboxMessage(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	p := a.portal(c)
	loc := a.staffLoc(c)
	props := views.OutboxMessageProps{Page: a.page(c, p, "admin.outbox.title", "outbox"), Row: outboxRow(p, m, loc),
		Headers: m.Headers, Text: m.BodyText, Resent: resent, Error: problem}
	if m.Channel == store.ChannelEmail && m.BodyHTML != "" {
		props.HTMLHref = "/admin/outbox/" + m.PublicID + "/html"
	}
	if m.Channel == store.ChannelWebhook {
		var pretty bytes.Buffer
		if json.Indent(&pretty, []byte(m.Payload), "", "  ") == nil {
			props.Payload = pretty.String()
		} else {
			props.Payload = m.Payload
		}
	}
	for _, at := range attempts {
		row := views.OutboxAttemptRow{At: staffTime(at.At, loc), Error: at.Error,
			Duration: strconv.FormatInt(at.Duration, 10) + " ms"}
		if at.Code != 0 {
			row.Code = strconv.Itoa(at.Code)
		}
		props.Attempts = append(props.Attempts, row)
	}
	// The page frames the e-mail's HTML (outboxHTML), from this origin only.
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "default-src 'none';",
		"default-src 'none'; frame-src 'self';", 1))
	return p.view(status, views.AdminOutboxMessage(props))
}

// outboxHTML is GET /admin/outbox/:id/html: an e-mail's HTML part, framed
// by its detail page. The CSP lets it show its inline styles and nothing
// else (no script, no request anywhere, sandboxed).
func (a *admin) outboxHTML(c echo.Context) error {
	m, _, err := a.svc.OutboxMessage(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if m.Channel != store.ChannelEmail || m.BodyHTML == "" {
		return errNotFound
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "private, no-store")
	return c.HTMLBlob(http.StatusOK, []byte(m.BodyHTML))
}

// outboxResend is POST /admin/outbox/:id/resend: the same message again,
// with the same Message-ID or webhook-id.
func (a *admin) outboxResend(c echo.Context) error {
	err := a.svc.Resend(c.Request().Context(), c.Param("id"))
	var ce *service.ConflictError
	if errors.As(err, &ce) {
		p := a.portal(c)
		return a.renderOutboxMessage(c, http.StatusConflict, false, p.T("error."+ce.Code))
	}
	if err != nil {
		return err
	}
	return a.renderOutboxMessage(c, http.StatusOK, true, "")
}
