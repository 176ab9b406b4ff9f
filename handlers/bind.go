package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

var errInvalidJSON = &apiError{Status: http.StatusBadRequest, Code: "invalid_json"}

// decodeJSON reads the request body as one JSON value into v. Syntax errors
// are 400, wrong types 422 with the field's path, an oversized body 413.
// invalidCode names the 422 code ("invalid_order", "invalid_request", ...).
func decodeJSON(c echo.Context, v any, invalidCode string) error {
	return decodeBody(c, v, invalidCode, false)
}

// decodeJSONStrict is decodeJSON that also rejects unknown fields: for
// documents such as the policy, where a misspelt key would silently be lost.
func decodeJSONStrict(c echo.Context, v any, invalidCode string) error {
	return decodeBody(c, v, invalidCode, true)
}

func decodeBody(c echo.Context, v any, invalidCode string, strict bool) error {
	// The routes' requireJSONBody refused other types; a body without one
	// is empty (and fails below as invalid JSON).
	if ct := c.Request().Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return errUnsupportedMediaType
		}
	}
	dec := json.NewDecoder(c.Request().Body)
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return jsonError(err, invalidCode)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errPayloadTooLarge
		}
		return errInvalidJSON
	}
	return nil
}

func jsonError(err error, invalidCode string) error {
	var mbe *http.MaxBytesError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return errPayloadTooLarge
	case errors.As(err, &te):
		path := te.Field
		if path == "" {
			path = "$"
		}
		return &apiError{Status: http.StatusUnprocessableEntity, Code: invalidCode,
			Fields: returns.FieldErrors{{Path: path, Code: "invalid_type"}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apiError{Status: http.StatusUnprocessableEntity, Code: invalidCode,
			Fields: returns.FieldErrors{{Path: field, Code: "unknown_field"}}}
	default:
		// Syntax errors and an empty body.
		return errInvalidJSON
	}
}
