package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// apiError is an error a handler answers with on purpose: a status, a code
// whose message is translated (locales: "error.<code>") and, for validation
// errors, the offending fields.
type apiError struct {
	Status     int
	Code       string
	Fields     returns.FieldErrors
	RetryAfter int // seconds; sets Retry-After and the message's count
}

func (e *apiError) Error() string { return strconv.Itoa(e.Status) + " " + e.Code }

var (
	errNotFound        = &apiError{Status: http.StatusNotFound, Code: "not_found"}
	errPayloadTooLarge = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large"}
	errUnauthorized    = &apiError{Status: http.StatusUnauthorized, Code: "unauthorized"}
	errForbidden       = &apiError{Status: http.StatusForbidden, Code: "forbidden"}
	errTokenInvalid    = &apiError{Status: http.StatusNotFound, Code: "token_invalid"}
	errTokenExpired    = &apiError{Status: http.StatusGone, Code: "token_expired"}
	// errTokenViewOnly: a return's view link (its label's QR code) asked
	// to change the return.
	errTokenViewOnly = &apiError{Status: http.StatusForbidden, Code: "token_view_only"}
)

// conflictCodes are the domain codes that mean "the request is well formed
// but collides with what is stored" (409) rather than "invalid" (422).
var conflictCodes = map[string]bool{
	"exceeds_returnable":         true,
	"line_removed":               true,
	"quantity_below_returned":    true,
	"line_has_returns":           true,
	"currency_locked":            true,
	returns.CodeLabelNotReady:    true,
	returns.CodeLabelUnavailable: true,
	returns.CodeLabelReturnless:  true,
	// Another return reserved the last unit meanwhile.
	returns.CodeOutOfStock: true,
}

// asAPIError maps any error a handler returns to what the client sees:
// the service's errors, the domain's, the binding's (*apiError) and Echo's.
// The second result is false for unexpected errors (logged as 5xx).
func asAPIError(err error) (*apiError, bool) {
	var ae *apiError
	var de *returns.Error
	var fe returns.FieldErrors
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	var rl *service.RateLimitedError
	var ce *service.ConflictError
	switch {
	case errors.As(err, &ae):
		return ae, true
	case errors.As(err, &mbe):
		return errPayloadTooLarge, true
	case errors.Is(err, service.ErrTokenInvalid):
		return errTokenInvalid, true
	case errors.Is(err, service.ErrTokenExpired):
		return errTokenExpired, true
	case errors.Is(err, service.ErrNotPermitted):
		return errTokenViewOnly, true
	case errors.Is(err, service.ErrOrderNotFound):
		return &apiError{Status: http.StatusNotFound, Code: "order_not_found"}, true
	case errors.As(err, &rl):
		return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: rl.RetrySeconds()}, true
	case errors.As(err, &ce):
		return &apiError{Status: http.StatusConflict, Code: ce.Code}, true
	case errors.Is(err, service.ErrWebhookUnauthorized):
		return errUnauthorized, true
	case errors.Is(err, service.ErrConnectorDisabled):
		return errNotFound, true
	case errors.Is(err, service.ErrIdempotencyKeyReused):
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused"}, true
	case errors.As(err, &de):
		if ae := refundDetailsError(de); ae != nil {
			return ae, true
		}
		status := http.StatusUnprocessableEntity
		if conflictCodes[de.Code] || errors.Is(err, service.ErrConflict) {
			status = http.StatusConflict
		}
		var fields returns.FieldErrors
		if de.Field != "" {
			fields = returns.FieldErrors{{Path: de.Field, Code: de.Code}}
		}
		return &apiError{Status: status, Code: de.Code, Fields: fields}, true
	case errors.Is(err, returns.ErrTransition):
		return &apiError{Status: http.StatusConflict, Code: service.CodeInvalidTransition}, true
	case errors.As(err, &fe):
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request", Fields: fe}, true
	case errors.Is(err, service.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, service.ErrConflict):
		return &apiError{Status: http.StatusConflict, Code: "conflict"}, true
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return errNotFound, true
		case http.StatusRequestEntityTooLarge:
			return errPayloadTooLarge, true
		case http.StatusUnsupportedMediaType:
			return &apiError{Status: he.Code, Code: "unsupported_media_type"}, true
		}
		if he.Code >= 400 && he.Code < 500 {
			return &apiError{Status: he.Code, Code: "invalid_request"}, true
		}
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "internal"}, false
}

// refundDetailsError words the domain's refusal of a return request's bank
// details or comment (returns.CheckRefundDetails) in the API's terms: a
// missing account or a bad IBAN by their own codes, an over-long text as an
// invalid request with the field; nil for other codes.
func refundDetailsError(de *returns.Error) *apiError {
	switch de.Code {
	case returns.CodeBankAccountRequired:
		return &apiError{Status: http.StatusUnprocessableEntity, Code: de.Code,
			Fields: returns.FieldErrors{{Path: de.Field, Code: returns.FieldRequired}}}
	case returns.CodeInvalidIBAN:
		return &apiError{Status: http.StatusUnprocessableEntity, Code: de.Code,
			Fields: returns.FieldErrors{{Path: de.Field, Code: returns.FieldInvalid}}}
	case returns.CodeTooLong:
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
			Fields: returns.FieldErrors{{Path: de.Field, Code: de.Code}}}
	}
	return nil
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Fields  []fieldDetail `json:"fields,omitempty"`
}

// handleError is Echo's error handler: one place maps errors to a status and
// a translated body, and logs only server errors. err.Error() never reaches a
// client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae, expected := asAPIError(err)
	if isStorageFault(err) {
		// Logged below (5xx), told as its audience needs (health.go).
		ae, expected = storageAnswer(c, err), false
	}
	if !expected {
		s.log.Error("request failed", "err", err, "method", c.Request().Method, "path", c.Path(),
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	if ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	loc := s.localizer(c)
	body := errorBody{Error: errorDetail{Code: ae.Code, Message: s.errorMessage(loc, ae), Fields: fieldDetails(loc, ae.Fields)}}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	if !strings.HasPrefix(c.Request().URL.Path, "/api/") && !strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
		s.errorPage(c, ae, body.Error.Message)
		return
	}
	_ = c.JSON(ae.Status, body)
}

// errorMessage translates an error code; a code without a message falls back
// to the generic one of its class, so a user never sees a bare code.
func (s *Server) errorMessage(loc *locales.Localizer, ae *apiError) string {
	cfg := &i18n.LocalizeConfig{MessageID: "error." + ae.Code}
	if ae.RetryAfter > 0 {
		minutes := (ae.RetryAfter + 59) / 60
		cfg.PluralCount = minutes
		cfg.TemplateData = map[string]int{"Count": minutes}
	}
	if msg, err := loc.Localize(cfg); err == nil {
		return msg
	}
	fallback := "error.invalid_request"
	switch {
	case ae.Status >= 500:
		fallback = "error.internal"
	case ae.Status == http.StatusConflict:
		fallback = "error.conflict"
	}
	msg, _ := loc.Localize(&i18n.LocalizeConfig{MessageID: fallback})
	return msg
}

// errorPage answers a browser with a translated page; should that fail, with
// the message as plain text.
func (s *Server) errorPage(c echo.Context, ae *apiError, message string) {
	p := s.portal(c)
	title := "portal.error.title"
	switch ae.Status {
	case http.StatusNotFound:
		title = "portal.error.not_found"
	case http.StatusGone:
		title = "portal.error.expired"
	}
	switch {
	case ae.Status == http.StatusServiceUnavailable:
		title = "portal.error.unavailable"
	case ae.Status >= 500:
		title = "portal.error.internal"
	}
	props := views.ErrorProps{Page: p.page(title, nil), Status: ae.Status, Message: message}
	if err := p.view(ae.Status, views.Error(props)); err != nil {
		_ = c.String(ae.Status, message)
	}
}
