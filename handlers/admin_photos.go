package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// photoFile is GET /admin/returns/:rma/photos/:id: a shopper's photo, for
// staff only (the route sits behind the session and the viewer role; the
// shopper's side has no route to photos at all). The photo must belong to
// the return in the path. The bytes are the re-encoded image (photos.go),
// sent with its real type, nosniff, inline, never cached outside the
// browser's memory, and a CSP that lets the document do nothing.
func (a *admin) photoFile(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	ps, ok := a.cfg.Store.(PhotoStore)
	if !ok {
		return errNotFound
	}
	id := c.Param("id")
	if !strings.HasPrefix(id, "ph_") || len(id) > 64 {
		return errNotFound
	}
	ph, data, err := ps.PhotoData(c.Request().Context(), rma, id)
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
