package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// photoFile is GET /admin/returns/:rma/photos/:id: a shopper's photo, for
// staff only (the route sits behind the session and the viewer role; the
// shopper's side has no route to photos at all). The photo must belong to
// the return in the path (service.Photo). The bytes are the re-encoded
// image (photos.go), sent with its real type, nosniff, inline, never
// cached outside the browser's memory, and a CSP that lets the document do
// nothing.
func (a *admin) photoFile(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	ph, data, err := a.svc.Photo(c.Request().Context(), rma, c.Param("id"))
	if err != nil {
		return err
	}
	ext := ".jpg"
	if ph.ContentType == "image/png" {
		ext = ".png"
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", `inline; filename="`+ph.ID+ext+`"`)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, ph.ContentType, data)
}
