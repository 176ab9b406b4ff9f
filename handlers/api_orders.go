package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// putOrder upserts an order pushed by the merchant's shop
// (service.UpsertOrder): 201 created, 200 updated, 422 invalid_order with
// every invalid field.
func (s *Server) putOrder(c echo.Context) error {
	// The number is checked (and put in its canonical form) before the
	// body is read.
	number, err := service.OrderNumber(lastPathSegment(c))
	if err != nil {
		return invalidOrder(err)
	}
	var in service.OrderInput
	if err := decodeJSON(c, &in, "invalid_order"); err != nil {
		return err
	}
	created, err := s.svc.UpsertOrder(c.Request().Context(), number, in)
	if err != nil {
		return invalidOrder(err)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, map[string]any{"number": number, "created": created})
}

// invalidOrder answers an order's field errors as invalid_order; other
// errors pass.
func invalidOrder(err error) error {
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_order", Fields: fe}
	}
	return err
}

// lastPathSegment is the request path's last segment, percent-decoded
// exactly once ("" when it does not decode). c.Param cannot be used: Echo
// routes on the escaped path only when it differs from the default encoding,
// so c.Param holds "A%2B1" for A%2B1 but "%2B" for %252B, and decoding that
// again would turn %252B into "+".
func lastPathSegment(c echo.Context) string {
	p := c.Request().URL.EscapedPath()
	seg, err := url.PathUnescape(p[strings.LastIndexByte(p, '/')+1:])
	if err != nil {
		return ""
	}
	return seg
}
