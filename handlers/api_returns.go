package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// The merchant API's returns (scopes returns:read and returns:write): the
// same use cases as the staff area, answered in JSON.

// apiGetReturn is the whole return for the merchant: order, items, quote
// (and the shopper's original one after an inspection), inspection,
// refund, notes, every audit event, goodwill, photos' metadata and the
// survey answer (service.MerchantReturn: webhooks carry the same shape).
func (s *Server) apiGetReturn(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	mr, err := s.svc.MerchantReturn(c.Request().Context(), rma)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mr)
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

// invalidParam is the answer to a query parameter that cannot be read.
func invalidParam(name string) error {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
		Fields: returns.FieldErrors{{Path: name, Code: returns.FieldInvalid}}}
}

// apiListReturns is GET /api/v1/returns?status=&updated_since=&cursor=&limit=:
// returns changed since a time, oldest change first, a page at a time, for
// the merchant's systems to sync (service.ReturnsChanged). next_cursor is
// null on the last page.
func (s *Server) apiListReturns(c echo.Context) error {
	q := c.QueryParams()
	status := q.Get("status")
	if err := service.CheckStatus(status); err != nil {
		return err
	}
	var since time.Time
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return invalidParam("updated_since")
		}
		since = t
	}
	limit := service.DefaultChangesLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return invalidParam("limit")
		}
		limit = n
	}
	rows, next, err := s.svc.ReturnsChanged(c.Request().Context(), status, since, strings.TrimSpace(q.Get("cursor")), limit)
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

// apiReceive is POST /api/v1/returns/:rma/receive {}: 200 with the status,
// 409 with the reason when the return cannot be received (already received,
// cancelled, not approved, closed), 404 for an unknown RMA.
func (s *Server) apiReceive(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	var in struct{}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	rc, err := s.svc.Receive(ctx, rma, apiActor(c))
	switch {
	case err != nil:
		return err
	case rc.Result == service.UnknownReturn:
		return errNotFound
	case rc.Result != service.Received:
		return &apiError{Status: http.StatusConflict, Code: rc.Result}
	}
	x, err := s.svc.Extras(ctx, rma)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": rc.Return.RMA, "status": rc.Return.Status,
		"received_at": x.ReceivedAt, "refund_due": x.RefundDue})
}

// apiApprove is POST /api/v1/returns/:rma/approve (manual review): 200
// with the status, 409 when the status machine refuses. The body is read
// before the RMA (an unknown one is the store's 404).
func (s *Server) apiApprove(c echo.Context) error {
	var in struct{}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	r, err := s.svc.Approve(c.Request().Context(), c.Param("rma"), apiActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status})
}

// apiReject is POST /api/v1/returns/:rma/reject {"reason": "..."}; the
// reason is checked before the RMA.
func (s *Server) apiReject(c echo.Context) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	r, err := s.svc.Reject(c.Request().Context(), c.Param("rma"), apiActor(c), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status})
}

// apiInspect is POST /api/v1/returns/:rma/inspect
// {"items":[{"line_id","accepted_quantity","condition","notes"}]}: 200 with
// the status and the recomputed quote.
func (s *Server) apiInspect(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Items []returns.InspectedItem `json:"items"`
	}
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	r, err := s.svc.Inspect(c.Request().Context(), rma, apiActor(c), in.Items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status, "quote": r.Quote})
}

// apiRefund is POST /api/v1/returns/:rma/refund with an Idempotency-Key
// header: 201 with the refund, the same body for a replay.
func (s *Server) apiRefund(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err, "invalid_request")
	}
	hash, err := requestHash(rma, raw)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if err := checkIdempotencyKey(key); err != nil {
		return err
	}
	res, err := s.svc.Refund(c.Request().Context(), service.RefundRequest{RMA: rma, Key: key, RequestHash: hash,
		Actor: apiActor(c)})
	if err != nil {
		return err
	}
	return s.refundAnswer(c, res)
}

// refundAnswer answers a refund by its state: 201 succeeded, 202 pending
// (the worker finishes it), 502 provider_error with the refund (failed:
// the provider's code and message are in it) and a translated error.
func (s *Server) refundAnswer(c echo.Context, res service.RefundResult) error {
	switch res.State {
	case store.RefundSucceeded:
		return c.JSONBlob(http.StatusCreated, res.Body)
	case store.RefundPending:
		return c.JSONBlob(http.StatusAccepted, res.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(res.Body, &body); err != nil {
		return err
	}
	ae := &apiError{Status: http.StatusBadGateway, Code: "provider_error"}
	body["error"] = errorDetail{Code: ae.Code, Message: s.errorMessage(s.localizer(c), ae)}
	return c.JSON(http.StatusBadGateway, body)
}

// apiRetryRefund is POST /api/v1/returns/:rma/refund/retry: a failed
// refund is called again at its provider with the same idempotency key.
func (s *Server) apiRetryRefund(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	res, err := s.svc.RetryRefund(c.Request().Context(), rma, apiActor(c))
	if err != nil {
		return err
	}
	return s.refundAnswer(c, res)
}

var errIdempotencyKeyRequired = &apiError{Status: http.StatusBadRequest, Code: "idempotency_key_required"}

// checkIdempotencyKey refuses a refund without an idempotency key (or with
// one too long to be a key).
func checkIdempotencyKey(key string) error {
	if key == "" || len(key) > 255 {
		return errIdempotencyKeyRequired
	}
	return nil
}

// requestHash identifies a refund request: the return and the canonical
// JSON of the body (re-encoded, so that whitespace and key order do not
// matter).
func requestHash(rma string, body []byte) (string, error) {
	canon := []byte("{}")
	if len(bytes.TrimSpace(body)) > 0 {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return "", errInvalidJSON
		}
		if _, ok := v.(map[string]any); !ok {
			return "", errInvalidJSON
		}
		var err error
		if canon, err = json.Marshal(v); err != nil {
			return "", err
		}
	}
	sum := sha256.Sum256(append([]byte(rma+"\n"), canon...))
	return hex.EncodeToString(sum[:]), nil
}

// decodeOptionalJSON decodes a body that may be empty.
func decodeOptionalJSON(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return decodeJSON(c, v, "invalid_request")
}
