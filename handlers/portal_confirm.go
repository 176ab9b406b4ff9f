package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// confirm makes the return (service.CreateReturn, as the JSON API does), then
// redirects (POST-redirect-GET) to its status page with the return's own
// token. A form that has gone stale (units taken meanwhile, a staged photo
// expired) comes back as the order form with its messages, where the
// photos are added.
//
// The review's form carries the staged photos' ids; a multipart form with
// photos of its own (photos.go) is still read: they are checked and
// re-encoded first, and a refused one brings the order form back with the
// message next to the item.
func (s *Server) confirm(c echo.Context) error {
	var up photoUpload
	if isMultipart(c.Request()) {
		var err error
		gate := func(fields url.Values) error {
			_, err := s.orderAccess(c, fields.Get("t"))
			return err
		}
		if up, err = readPhotoUpload(c, gate); err != nil {
			return err
		}
		useUploadFields(c, up)
	}
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	a, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	in, errs := f.input(o)
	for line, e := range up.problems {
		errs["photos."+line] = "error." + e.Code
	}
	if len(errs) > 0 {
		status := http.StatusUnprocessableEntity
		if e, _ := up.firstProblem().(*apiError); e != nil && len(up.problems) == 1 && len(errs) == 1 {
			status = e.Status
		}
		return s.renderOrder(c, status, o, f, errs)
	}
	req := in.request()
	req.Photos = up.photos
	created, err := s.svc.CreateReturn(c.Request().Context(), a, req)
	if err != nil {
		if fe, ok := photoFieldError(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		if fe, ok := fieldErrors(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		return err
	}
	// The confirmation page: the link of a return's status and label. (The
	// lead switches it to the return's manage token on merge.)
	return seeOther(c, s.portal(c).link("/r/"+created.Return.RMA, url.Values{"t": {created.Token}}))
}

// photoFieldError places the domain's refusal of a return's photos
// (returns.CheckPhotos: items[i].photos) on the review's photo field.
func photoFieldError(err error, in returnInput) (formErrors, bool) {
	var de *returns.Error
	if !errors.As(err, &de) || (de.Code != returns.CodePhotoRequired && de.Code != returns.CodeTooManyPhotos) {
		return nil, false
	}
	m := itemField.FindStringSubmatch(de.Field)
	if m == nil || m[2] != "photos" {
		return nil, false
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(in.Items) {
		return nil, false
	}
	return formErrors{"photos." + in.Items[i].LineID: "error." + de.Code}, true
}
