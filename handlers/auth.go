package handlers

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

const ctxAPIKey = "api_key"

// requireAPIKey authenticates merchant systems by "Authorization: Bearer <key>".
func (s *Server) requireAPIKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scheme, key, ok := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
			return errUnauthorized
		}
		k, err := s.svc.Authenticate(c.Request().Context(), strings.TrimSpace(key))
		if errors.Is(err, service.ErrNotFound) {
			return errUnauthorized
		}
		if err != nil {
			return err
		}
		c.Set(ctxAPIKey, k)
		return next(c)
	}
}

// requireScope lets a key through only when its scopes allow the action.
func requireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			k, ok := c.Get(ctxAPIKey).(store.APIKey)
			if !ok || !k.Allows(scope) {
				return errForbidden
			}
			return next(c)
		}
	}
}

// apiActor names the key in audit events.
func apiActor(c echo.Context) string {
	if k, ok := c.Get(ctxAPIKey).(store.APIKey); ok {
		return "api:" + k.Name
	}
	return "api"
}
