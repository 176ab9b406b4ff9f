package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// The merchant API's webhook endpoints (scope webhooks:write): create
// (the answer is the only time the secret is shown), list, delete, rotate
// the secret, and the deliveries of an endpoint with a resend.

// webhookView is an endpoint in the API's answers; Secret only when one
// was just made.
type webhookView struct {
	ID             string     `json:"id"`
	URL            string     `json:"url"`
	Events         []string   `json:"events"`
	Enabled        bool       `json:"enabled"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	Secret         string     `json:"secret,omitempty"`
	OldSecretUntil *time.Time `json:"old_secret_until,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

func viewWebhook(w store.WebhookEndpoint, withSecret bool) webhookView {
	v := webhookView{ID: w.PublicID, URL: w.URL, Events: w.Events, Enabled: w.Enabled, DisabledReason: w.DisabledReason,
		CreatedAt: w.CreatedAt}
	if withSecret {
		v.Secret = w.Secret
		v.OldSecretUntil = w.OldSecretUntil
	}
	if v.Events == nil {
		v.Events = []string{}
	}
	return v
}

// apiCreateWebhook is POST /api/v1/webhooks {"url","events"}: 201 with
// the endpoint and its secret.
func (s *Server) apiCreateWebhook(c echo.Context) error {
	var in struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	// Strict: a field we do not take (a secret of one's own, say) is an
	// error, not silently ignored.
	if err := decodeJSONStrict(c, &in, "invalid_request"); err != nil {
		return err
	}
	w, err := s.svc.CreateWebhook(c.Request().Context(), service.WebhookInput{URL: in.URL, Events: in.Events})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewWebhook(w, true))
}

// apiListWebhooks is GET /api/v1/webhooks (no secrets).
func (s *Server) apiListWebhooks(c echo.Context) error {
	ws, err := s.svc.Webhooks(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]webhookView, 0, len(ws))
	for _, w := range ws {
		out = append(out, viewWebhook(w, false))
	}
	return c.JSON(http.StatusOK, map[string]any{"webhooks": out})
}

// apiDeleteWebhook is DELETE /api/v1/webhooks/:id: 204.
func (s *Server) apiDeleteWebhook(c echo.Context) error {
	if err := s.svc.DeleteWebhook(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiRotateWebhook is POST /api/v1/webhooks/:id/rotate: 200 with the new
// secret; the old one signs too until old_secret_until.
func (s *Server) apiRotateWebhook(c echo.Context) error {
	w, err := s.svc.RotateWebhookSecret(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewWebhook(w, true))
}

// deliveryView is one delivery of an endpoint.
type deliveryView struct {
	ID        string     `json:"id"`
	Event     string     `json:"event"`
	RMA       string     `json:"rma,omitempty"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Code      int        `json:"last_code,omitempty"`
	Error     string     `json:"last_error,omitempty"`
	NextTry   *time.Time `json:"next_attempt_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"delivered_at,omitempty"`
}

// apiWebhookDeliveries is GET /api/v1/webhooks/:id/deliveries?before=&limit=:
// the endpoint's deliveries, newest first; next_before pages on.
func (s *Server) apiWebhookDeliveries(c echo.Context) error {
	before, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	rows, err := s.svc.WebhookDeliveries(c.Request().Context(), c.Param("id"), before, limit)
	if err != nil {
		return err
	}
	out := make([]deliveryView, 0, len(rows))
	for _, m := range rows {
		d := deliveryView{ID: m.PublicID, Event: m.Event, RMA: m.RMA, Status: m.Status, Attempts: m.Attempts,
			Code: m.LastCode, Error: m.LastError, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if m.Status == store.OutboxPending {
			due := m.DueAt
			d.NextTry = &due
		}
		out = append(out, d)
	}
	var next *string
	if len(rows) > 0 && len(rows) == limit {
		n := strconv.FormatInt(rows[len(rows)-1].ID, 10)
		next = &n
	}
	return c.JSON(http.StatusOK, map[string]any{"deliveries": out, "next_before": next})
}

// pageParams reads ?before= (a row id) and ?limit= (1-200, default 50).
func pageParams(c echo.Context) (before int64, limit int, err error) {
	limit = 50
	if v := c.QueryParam("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 1 {
			return 0, 0, invalidParam("before")
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 200 {
			return 0, 0, invalidParam("limit")
		}
	}
	return before, limit, nil
}

// apiResendDelivery is POST /api/v1/webhooks/:id/deliveries/:msg/resend:
// 202; the delivery goes out again with the same webhook-id.
func (s *Server) apiResendDelivery(c echo.Context) error {
	ctx := c.Request().Context()
	w, err := s.svc.Webhook(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	m, _, err := s.svc.OutboxMessage(ctx, c.Param("msg"))
	if err != nil {
		return err
	}
	if m.EndpointPublicID != w.PublicID {
		return errNotFound
	}
	if err := s.svc.Resend(ctx, m.PublicID); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"id": m.PublicID, "status": store.OutboxPending})
}
