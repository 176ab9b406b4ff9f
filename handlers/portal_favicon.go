package handlers

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/static"
)

// favicon is GET /favicon.ico, which browsers ask for on every page (a 404
// each time, and a console error, until there was one).
func (s *Server) favicon(c echo.Context) error {
	b, err := fs.ReadFile(static.Files, "favicon.ico")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/x-icon", b)
}
