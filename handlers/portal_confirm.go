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
// token. A form that has gone stale (units taken meanwhile, a staged photo
// expired) comes back as the order form with its messages, where the
// photos are added.
//
// The review's form carries the staged photos' ids; a multipart form with
// photos of its own (photos.go) is still read, checked whole before a photo
// is decoded (admitForm, service.AdmitReturn); a refused photo brings the
// order form back with the message next to the item. Every attempt counts
// against the creation limits (service.AllowCreate).
func (s *Server) confirm(c echo.Context) error {
	var cf admittedForm
	var up photoUpload
	var err error
	if isMultipart(c.Request()) {
		up, err = s.readPhotoUpload(c, uploadChecks{first: s.tokenFirst(c), admit: func(fields url.Values) (service.Admission, error) {
			setForm(c, fields)
			if err := s.admitForm(c, &cf); err != nil {
				return service.Admission{}, err
			}
			return s.svc.AdmitReturn(c.Request().Context(), cf.access, cf.in.request())
		}})
		setForm(c, up.values)
	} else {
		err = s.admitForm(c, &cf)
	}
	if err != nil {
		return s.formRefused(c, cf, err)
	}
	if len(up.problems) > 0 {
		return s.renderOrder(c, up.status(), cf.order, cf.form, photoErrors(up.problems))
	}
	req := cf.in.request()
	req.Photos = up.photos
	created, err := s.svc.CreateReturn(c.Request().Context(), cf.access, req)
	if err != nil {
		return s.formRefused(c, cf, err)
	}
	// The confirmation page is the shopper's own: the manage token.
	return seeOther(c, s.portal(c).link("/r/"+created.Return.RMA, url.Values{"t": {created.Token}}))
}

// admittedForm is a return form as read so far: by the review (photos to
// stage) or the confirm.
type admittedForm struct {
	form   returnForm
	access service.OrderAccess
	order  returns.Order
	in     returnInput
	// mistakes are the form's own, found before the domain looked.
	mistakes formErrors
}

// errFormMistakes: the form has mistakes of its own (admittedForm.mistakes).
var errFormMistakes = errors.New("the form has mistakes")

// admitForm reads a return form, opens its order, counts the attempt
// (service.AllowCreate) and turns the form into the request.
func (s *Server) admitForm(c echo.Context, cf *admittedForm) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	a, facts, err := s.openFormOrder(c, &f)
	cf.form = f
	if err != nil {
		return err
	}
	o := facts.Order
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

// formRefused answers a refused form: its own mistakes, the domain's
// refusals of the items and of their photos on the order page (where the
// photos are added), anything else by the error handler.
func (s *Server) formRefused(c echo.Context, cf admittedForm, err error) error {
	if errors.Is(err, errFormMistakes) {
		return s.renderOrder(c, http.StatusUnprocessableEntity, cf.order, cf.form, cf.mistakes)
	}
	if fe, ok := photoFieldError(err, cf.in); ok {
		return s.renderOrder(c, http.StatusUnprocessableEntity, cf.order, cf.form, fe)
	}
	if fe, ok := fieldErrors(err, cf.in); ok {
		return s.renderOrder(c, http.StatusUnprocessableEntity, cf.order, cf.form, fe)
	}
	return err
}

// tokenFirst checks a portal form's token (its first field) when its
// first photo begins: a stranger's upload is not read.
func (s *Server) tokenFirst(c echo.Context) func(url.Values) error {
	return func(fields url.Values) error {
		_, err := s.svc.VerifyShopperToken(fields.Get("t"))
		return err
	}
}

// isFormRefusal reports whether err refuses what a shopper filled in (the
// form's own mistakes, the domain's refusal of its fields), which the
// order form shows, rather than the request itself.
func isFormRefusal(err error, in returnInput) bool {
	_, photo := photoFieldError(err, in)
	_, field := fieldErrors(err, in)
	return errors.Is(err, errFormMistakes) || photo || field
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

// photoErrors are refused photos as form errors, by field.
func photoErrors(problems map[string]*apiError) formErrors {
	errs := formErrors{}
	for line, e := range problems {
		errs["photos."+line] = "error." + e.Code
	}
	return errs
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
