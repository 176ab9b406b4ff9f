package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// apiReceive is POST /api/v1/returns/:rma/receive {}: 200 with the status,
// 409 with the reason when the return cannot be received (already received,
// cancelled, not approved, closed), 404 for an unknown RMA.
func (a *admin) apiReceive(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	var in struct{}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	res, err := a.receive(c, rma)
	switch {
	case err != nil:
		return err
	case res == scanUnknown:
		return errNotFound
	case res != scanReceived:
		return &apiError{Status: http.StatusConflict, Code: res}
	}
	r, err := a.cfg.Store.GetReturn(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	x, err := a.st.ReturnExtras(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status, "received_at": x.ReceivedAt,
		"refund_due": x.RefundDue})
}

// getReturnAny is GET /api/v1/returns/:rma: with an Authorization header,
// the merchant's view (API key, scope returns:read); without, the shopper's
// (a token in the query).
func (a *admin) getReturnAny(c echo.Context) error {
	if c.Request().Header.Get("Authorization") == "" {
		return a.getReturn(c)
	}
	return a.requireAPIKey(requireScope("returns:read")(a.apiGetReturn))(c)
}

// apiGetReturn is the whole return for the merchant: order, items, quote
// (and the shopper's original one after an inspection), inspection,
// refund, notes and every audit event.
func (a *admin) apiGetReturn(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := a.cfg.Store.GetReturn(ctx, rma)
	if err != nil {
		return err
	}
	d, err := a.returnStatus(ctx, r)
	if err != nil {
		return err
	}
	x, err := a.st.ReturnExtras(ctx, rma)
	if err != nil {
		return err
	}
	refunds := []store.Refund{}
	if x.Refund != nil {
		refunds = append(refunds, *x.Refund)
	}
	photos := []store.Photo{}
	if ps, ok := a.cfg.Store.(PhotoStore); ok {
		if photos, err = ps.ReturnPhotos(ctx, rma); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "order_number": r.OrderNumber,
		"order": d.order, "refund_method": r.RefundMethod, "refund_method_consent": r.Consent,
		"comment": r.Comment, "policy_version": r.PolicyVersion, "locale": r.Locale,
		"items": r.Items, "quote": r.Quote, "original_quote": x.OriginalQuote,
		"inspection": x.Inspections, "refunds": refunds, "notes": x.Notes, "events": d.events,
		"received_at": x.ReceivedAt, "refund_due": x.RefundDue,
		"created_at": r.CreatedAt, "updated_at": r.UpdatedAt,
		// Goodwill overrides (admin_goodwill.go) with actor and reason, and
		// the photos' metadata (the bytes are for staff in /admin).
		"goodwill": goodwillViews(r.Goodwill), "goodwill_total": r.GoodwillTotal(), "override": len(r.Goodwill) > 0,
		"photos": photos,
	})
}

// returnSummary is one return in the API's list.
type returnSummary struct {
	RMA          string    `json:"rma"`
	Status       string    `json:"status"`
	OrderNumber  string    `json:"order_number"`
	Country      string    `json:"country"`
	RefundMethod string    `json:"refund_method"`
	Currency     string    `json:"currency"`
	Total        int64     `json:"total"`
	RefundDue    *string   `json:"refund_due,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// apiListReturns is GET /api/v1/returns?status=&updated_since=&cursor=&limit=:
// returns changed since a time, oldest change first, a page at a time, for
// the merchant's systems to sync. next_cursor is null on the last page.
func (a *admin) apiListReturns(c echo.Context) error {
	q := c.QueryParams()
	status := q.Get("status")
	if status != "" && !returns.Status(status).Valid() {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
			Fields: returns.FieldErrors{{Path: "status", Code: "invalid"}}}
	}
	var since time.Time
	if s := q.Get("updated_since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
				Fields: returns.FieldErrors{{Path: "updated_since", Code: "invalid"}}}
		}
		since = t
	}
	limit := 100
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxPage {
			return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
				Fields: returns.FieldErrors{{Path: "limit", Code: "invalid"}}}
		}
		limit = n
	}
	rows, next, err := a.st.ReturnsUpdated(c.Request().Context(), status, since, strings.TrimSpace(q.Get("cursor")), limit)
	if errors.Is(err, store.ErrBadCursor) {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
			Fields: returns.FieldErrors{{Path: "cursor", Code: "invalid"}}}
	}
	if err != nil {
		return err
	}
	out := make([]returnSummary, 0, len(rows))
	for _, r := range rows {
		out = append(out, returnSummary{RMA: r.RMA, Status: r.Status, OrderNumber: r.OrderNumber, Country: r.Country,
			RefundMethod: r.RefundMethod, Currency: r.Currency, Total: r.Total, RefundDue: r.RefundDue,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	var nextCursor *string
	if next != "" {
		nextCursor = &next
	}
	return c.JSON(http.StatusOK, map[string]any{"returns": out, "next_cursor": nextCursor})
}
