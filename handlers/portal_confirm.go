package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// confirm makes the return (service.CreateReturn, as the JSON API does), then
// redirects (POST-redirect-GET) to its status page with the return's manage
// token. A form that has gone stale (units taken meanwhile) comes back with
// its messages.
//
// The form is multipart when it carries photos (photos.go): the form is
// checked whole before a photo is read (admitConfirm), then the photos; a
// refused photo, or a missing one that the item's reason requires, brings
// the review back with the message next to the item. Every attempt counts
// against the creation limits (service.AllowCreate).
func (s *Server) confirm(c echo.Context) error {
	var cf confirmForm
	var up photoUpload
	var err error
	if isMultipart(c.Request()) {
		up, err = s.readPhotoUpload(c, func(fields url.Values) (service.Admission, error) {
			setForm(c, fields)
			if err := s.admitConfirm(c, &cf); err != nil {
				return service.Admission{}, err
			}
			return s.svc.AdmitReturn(c.Request().Context(), cf.access, cf.in.request())
		})
		setForm(c, up.values)
	} else {
		err = s.admitConfirm(c, &cf)
	}
	if err != nil {
		return s.confirmRefused(c, cf, err)
	}
	if len(up.problems) > 0 {
		status := http.StatusUnprocessableEntity
		if e, _ := up.firstProblem().(*apiError); e != nil && len(up.problems) == 1 {
			status = e.Status
		}
		return s.renderReview(c, status, cf.form, photoErrors(up.problems))
	}
	req := cf.in.request()
	req.Photos = up.photos
	created, err := s.svc.CreateReturn(c.Request().Context(), cf.access, req)
	if err != nil {
		return s.confirmRefused(c, cf, err)
	}
	// The confirmation page is the shopper's own: the manage token.
	return seeOther(c, s.portal(c).link("/r/"+created.Return.RMA, url.Values{"t": {created.Token}}))
}

// confirmForm is the confirm form as read so far.
type confirmForm struct {
	form   returnForm
	access service.OrderAccess
	order  returns.Order
	in     returnInput
	// mistakes are the form's own, found before the domain looked.
	mistakes formErrors
}

// errFormMistakes: the confirm form has mistakes of its own (confirmForm.mistakes).
var errFormMistakes = errors.New("the form has mistakes")

// admitConfirm reads the confirm form, opens its order, counts the attempt
// (service.AllowCreate) and turns the form into the request.
func (s *Server) admitConfirm(c echo.Context, cf *confirmForm) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	cf.form = f
	a, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	cf.access, cf.order = a, o
	if err := s.svc.AllowCreate(a, c.RealIP()); err != nil {
		return err
	}
	in, errs := f.input(o)
	cf.in = in
	if len(errs) > 0 {
		cf.mistakes = errs
		return errFormMistakes
	}
	return nil
}

// confirmRefused answers a refused confirm: the form's mistakes and the
// domain's refusals of the items on the order page, a photo's at its item
// on the review, anything else by the error handler.
func (s *Server) confirmRefused(c echo.Context, cf confirmForm, err error) error {
	if errors.Is(err, errFormMistakes) {
		return s.renderOrder(c, http.StatusUnprocessableEntity, cf.order, cf.form, cf.mistakes)
	}
	if fe, ok := photoFieldError(err, cf.in); ok {
		return s.renderReview(c, http.StatusUnprocessableEntity, cf.form, fe)
	}
	if fe, ok := fieldErrors(err, cf.in); ok {
		return s.renderOrder(c, http.StatusUnprocessableEntity, cf.order, cf.form, fe)
	}
	return err
}

// setForm makes a multipart form's fields (read by readPhotoUpload) the
// request's form, as ParseForm would, the URL's query included.
func setForm(c echo.Context, fields url.Values) {
	r := c.Request()
	r.PostForm = fields
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = v
	}
	for k, v := range fields {
		r.Form[k] = append(r.Form[k], v...)
	}
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
