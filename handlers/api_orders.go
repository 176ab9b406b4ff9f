package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// putOrder upserts an order pushed by the merchant's shop
// (service.UpsertOrder): 201 created, 200 updated, 422 invalid_order with
// every invalid field.
func (s *Server) putOrder(c echo.Context) error {
	number := c.Param("number")
	// The number is checked before the body is read.
	if err := service.CheckOrderNumber(number); err != nil {
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
