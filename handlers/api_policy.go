package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// getPolicy answers the current policy document (the same JSON as
// `policy export`), its version in X-Policy-Version.
func (s *Server) getPolicy(c echo.Context) error {
	version, p, err := s.cfg.Store.CurrentPolicy(c.Request().Context())
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Policy-Version", strconv.FormatInt(version, 10))
	return c.JSON(http.StatusOK, p)
}

// putPolicy validates and stores a new policy version, answering where the
// law raises the merchant's values.
func (s *Server) putPolicy(c echo.Context) error {
	var p returns.Policy
	if err := decodeJSONStrict(c, &p, "invalid_policy"); err != nil {
		return err
	}
	if errs := returns.ValidatePolicy(p, s.legal); len(errs) > 0 {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_policy", Fields: errs}
	}
	version, err := s.cfg.Store.SavePolicy(c.Request().Context(), p, apiActor(c))
	if err != nil {
		return err
	}
	notes := returns.FloorNotes(p, s.legal)
	if notes == nil {
		notes = []returns.FloorNote{}
	}
	return c.JSON(http.StatusOK, map[string]any{"version": version, "floor_notes": notes})
}
