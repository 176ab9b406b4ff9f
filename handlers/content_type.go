package handlers

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

var errUnsupportedMediaType = &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type"}

// requireJSONBody refuses (415) a POST, PUT or PATCH of the JSON API whose
// body is not application/json — or, where multipart is true (the return
// with its photos), multipart/form-data. A browser sends a cross-site form
// (urlencoded, multipart, text/plain) without asking the server first, but
// must ask (CORS preflight, which the API never grants) before sending
// JSON; a declared type is also what the body is read as. An empty body
// needs no type: `curl -X POST` of an action without arguments sends none.
func requireJSONBody(multipart bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
				return next(c)
			}
			empty, err := emptyBody(r)
			if err != nil {
				return uploadError(err)
			}
			if empty {
				// Said so, for the handlers whose body is optional.
				r.Body, r.ContentLength = http.NoBody, 0
				return next(c)
			}
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || !(mt == "application/json" || multipart && mt == "multipart/form-data") {
				return errUnsupportedMediaType
			}
			return next(c)
		}
	}
}

// emptyBody reports whether a request has no body. A body of unknown
// length (chunked) is peeked at: its first byte, if any, is put back.
func emptyBody(r *http.Request) (bool, error) {
	switch {
	case r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0:
		return true, nil
	case r.ContentLength > 0:
		return false, nil
	}
	var first [1]byte
	n, err := io.ReadFull(r.Body, first[:])
	if n == 0 {
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		return false, err
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(first[:n]), r.Body), r.Body}
	return false, nil
}
