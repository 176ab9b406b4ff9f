package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// getPolicy answers the current policy document (the same JSON as
// `policy export`), its version in X-Policy-Version.
func (s *Server) getPolicy(c echo.Context) error {
	version, p, err := s.svc.Policy(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Policy-Version", strconv.FormatInt(version, 10))
	return c.JSON(http.StatusOK, p)
}

// putPolicy validates and stores a new policy version
// (service.ReplacePolicy), answering where the law raises the merchant's
// values.
func (s *Server) putPolicy(c echo.Context) error {
	var p returns.Policy
	if err := decodeJSONStrict(c, &p, "invalid_policy"); err != nil {
		return err
	}
	version, notes, err := s.svc.ReplacePolicy(c.Request().Context(), p, apiActor(c))
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_policy", Fields: fe}
	}
	if err != nil {
		return err
	}
	if notes == nil {
		notes = []returns.FloorNote{}
	}
	return c.JSON(http.StatusOK, map[string]any{"version": version, "floor_notes": notes})
}
