package handlers

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// review checks the form and shows the quote, the estimated timeline and
// the policy in short; a form with mistakes comes back with messages (422).
func (s *Server) review(c echo.Context) error {
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, f, nil)
}

// renderReview renders the review of a form, with the problems of its
// photos (by "photos.<line id>": the confirm step refused them) when any.
func (s *Server) renderReview(c echo.Context, status int, f returnForm, photoErrs formErrors) error {
	_, o, err := s.openOrder(c, f.token)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, errs := f.input(o)
	if len(errs) > 0 {
		return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, errs)
	}
	rv, err := s.svc.Review(ctx, o.Number, in.request())
	if err != nil {
		if fe, ok := fieldErrors(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		return err
	}
	o, pol := rv.Order, rv.Policy
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	p := s.portal(c)
	here := &url.URL{Path: "/order", RawQuery: url.Values{"t": {f.token}}.Encode()}
	props := views.ReviewProps{
		Page:      p.page("portal.review.title", here),
		Hidden:    f.hidden(p.explicit()),
		Quote:     p.quoteProps(o, rv.Quote, in.RefundMethod, s.reasonText(c, pol)),
		Method:    p.T("method." + in.RefundMethod),
		Steps:     p.timelineSteps(rv.Timeline),
		Policy:    p.policyText(rv.Facts).summary(),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
	}
	if props.Quote.Methods, err = s.methodAmounts(ctx, p, o, in, of.methods); err != nil {
		return err
	}
	reason := s.reasonText(c, pol)
	for _, it := range in.Items {
		field := "photos." + it.LineID
		ip := views.PhotoInputProps{Name: field, ID: sanitizeID(field), Reason: reason(it.Reason), Item: it.LineID}
		if l, ok := o.Line(it.LineID); ok {
			ip.Item = l.Name
		}
		if r, ok := pol.Reason(it.Reason); ok && r.PhotoRequired {
			ip.Required = true
		}
		if id, ok := photoErrs[field]; ok {
			ip.Error = p.fieldErr(sanitizeID(field), id)
		}
		props.Photos = append(props.Photos, ip)
	}
	return p.view(status, views.Review(props))
}

// photoErrors are the messages of refused photos by form field.
func photoErrors(problems map[string]*apiError) formErrors {
	errs := formErrors{}
	for line, e := range problems {
		errs["photos."+line] = "error." + e.Code
	}
	return errs
}

// hidden is the form again as hidden fields, for the confirm and change
// buttons of the review.
func (f returnForm) hidden(lang string) []views.Hidden {
	h := []views.Hidden{{Name: "t", Value: f.token}}
	if lang != "" {
		h = append(h, views.Hidden{Name: "lang", Value: lang})
	}
	ids := make([]string, 0, len(f.qty))
	for id := range f.qty {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		h = append(h, views.Hidden{Name: "qty." + id, Value: f.qty[id]})
		if r := f.reason[id]; r != "" {
			h = append(h, views.Hidden{Name: "reason." + id, Value: r})
		}
	}
	h = append(h, views.Hidden{Name: "method", Value: f.method})
	if f.consent {
		h = append(h, views.Hidden{Name: "consent", Value: "yes"})
	}
	for _, kv := range [][2]string{{"comment", f.comment}, {"iban", f.iban}, {"holder", f.holder}} {
		if kv[1] != "" {
			h = append(h, views.Hidden{Name: kv[0], Value: kv[1]})
		}
	}
	return h
}

// reasonText names a reason code in the shopper's language.
func (s *Server) reasonText(c echo.Context, pol returns.Policy) func(string) string {
	return func(code string) string {
		if r, ok := pol.Reason(code); ok {
			return s.reasonLabel(c, r)
		}
		return translate(s.localizer(c), "reason."+code, code)
	}
}
