package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
)

// health is GET /healthz: 200 {"status":"ok"} when the database answers
// and can be written (service.Health writes as a return would), else 503
// {"status":"unavailable","reason":...}: storage_full, storage_read_only,
// storage_failed, or database_unavailable when it does not answer in time
// or at all. A load balancer or a monitor reads the status; an operator
// the reason.
func (s *Server) health(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Health(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": storageReason(err)})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// storageReason names the storage fault behind an error, as /healthz and
// the staff's messages (error.<reason>) call it.
func storageReason(err error) string {
	switch {
	case errors.Is(err, service.ErrStorageFull):
		return "storage_full"
	case errors.Is(err, service.ErrStorageReadOnly):
		return "storage_read_only"
	case errors.Is(err, service.ErrStorageFailed):
		return "storage_failed"
	}
	return "database_unavailable"
}

// isStorageFault reports whether err is a write refused by the storage.
func isStorageFault(err error) bool {
	return errors.Is(err, service.ErrStorageFull) || errors.Is(err, service.ErrStorageReadOnly) ||
		errors.Is(err, service.ErrStorageFailed)
}

// storageAnswer is what a request that could not be saved is told: staff
// (the staff area, the merchant's API key) the fault, so that they can fix
// it — "storage full"; a shopper that returns cannot be accepted right now,
// nothing about the server's disks. Both are 503: try again later.
func storageAnswer(c echo.Context, err error) *apiError {
	code := "storage_unavailable"
	if isStaffRequest(c) {
		code = storageReason(err)
	}
	return &apiError{Status: http.StatusServiceUnavailable, Code: code}
}

// isStaffRequest reports whether a request comes from the merchant's side:
// the staff area, or the API with a key.
func isStaffRequest(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/admin" || strings.HasPrefix(p, "/admin/") || c.Get(ctxAPIKey) != nil
}
