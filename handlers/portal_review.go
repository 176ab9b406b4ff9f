package handlers

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// review checks the form and shows the quote, the estimated timeline and
// the policy in short; a form with mistakes comes back with messages (422).
// POST /review takes the order form, multipart when it carries photos
// (photos.go), which are staged for the return (service.StagePhotos);
// GET /review is the same step at its own address (stateQuery), for a
// reload or Back.
func (s *Server) review(c echo.Context) error {
	var up photoUpload
	if isMultipart(c.Request()) {
		// Photos come with the form: it is checked whole, and the attempt
		// counted, before any photo is decoded (as confirm does).
		var af admittedForm
		var err error
		up, err = s.readPhotoUpload(c, uploadChecks{first: s.tokenFirst(c), admit: func(fields url.Values) (service.Admission, error) {
			setForm(c, fields)
			if err := s.admitForm(c, &af); err != nil {
				return service.Admission{}, err
			}
			return s.svc.AdmitStaging(c.Request().Context(), af.access, af.in.request())
		}})
		setForm(c, up.values)
		switch {
		case err != nil && !isFormRefusal(err, af.in):
			return err
		case err != nil:
			// The form's mistakes are shown below, every one, as for a
			// form without photos; its photos were not decoded.
			up.photos, up.problems = nil, map[string]*apiError{}
		}
	}
	f, err := readReturnForm(c)
	if err != nil {
		return err
	}
	a, facts, err := s.openFormOrder(c, &f)
	if err != nil {
		return err
	}
	o := facts.Order
	photoErrs, err := s.stagePhotos(c, a, &f, up)
	if err != nil {
		return err
	}
	in, errs := f.input(o)
	for k, v := range photoErrs {
		errs[k] = v
	}
	if len(errs) > 0 {
		// One refused photo and nothing else: its own status (413, 415).
		status := http.StatusUnprocessableEntity
		if len(errs) == len(up.problems) {
			status = up.status()
		}
		return s.renderOrder(c, status, o, f, errs)
	}
	rv, err := s.svc.Review(c.Request().Context(), a, in.request())
	if err != nil {
		if fe, ok := photoFieldError(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		if fe, ok := fieldErrors(err, in); ok {
			return s.renderOrder(c, http.StatusUnprocessableEntity, o, f, fe)
		}
		return err
	}
	if redirectToAddress(c, f) {
		return seeOther(c, s.portal(c).link("/review", f.stateQuery()))
	}
	return s.renderReview(c, f, in, rv)
}

// redirectToAddress reports whether a posted step should answer with a
// redirect to its address (POST-redirect-GET), so that without JavaScript,
// too, the address bar shows the step's address and a reload shows it
// again: a plain browser's post whose state the address holds entirely
// (not a bank transfer, whose details stay out of addresses, nor a gift
// recipient's e-mail address: that page is the post's answer, as before). htmx gets the page itself, and its
// address in HX-Push-Url (portal_history.go).
func redirectToAddress(c echo.Context, f returnForm) bool {
	return c.Request().Method == http.MethodPost && !isHX(c) && f.method != returns.MethodBankTransfer && !f.gift
}

// stagePhotos keeps the photos that came with the order form for the
// lines the shopper chose, in place of the ones the form carried for the
// same lines, and says which photos were refused, by field.
func (s *Server) stagePhotos(c echo.Context, a service.OrderAccess, f *returnForm, up photoUpload) (formErrors, error) {
	errs := photoErrors(up.problems)
	var keep = up.photos[:0:0]
	for _, ph := range up.photos {
		if q := f.qty[ph.LineID]; q != "" && q != "0" {
			keep = append(keep, ph)
		}
	}
	staged, err := s.svc.StagePhotos(c.Request().Context(), a, keep)
	if err != nil {
		if fe, ok := asDomainCode(err); ok {
			for _, ph := range keep {
				errs["photos."+ph.LineID] = "error." + fe
			}
			return errs, nil
		}
		return nil, err
	}
	fresh := map[string]bool{}
	for _, ph := range staged {
		if !fresh[ph.LineID] {
			fresh[ph.LineID], f.staged[ph.LineID] = true, nil
		}
		f.staged[ph.LineID] = append(f.staged[ph.LineID], ph.ID)
	}
	return errs, nil
}

// renderReview renders the review of a form the service priced.
func (s *Server) renderReview(c echo.Context, f returnForm, in returnInput, rv service.ReturnReview) error {
	ctx := c.Request().Context()
	o, pol := rv.Order, rv.Policy
	of, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	p := s.portal(c)
	here := &url.URL{Path: "/review", RawQuery: f.stateQuery().Encode()}
	props := views.ReviewProps{
		Page:      p.page("portal.review.title", here),
		Hidden:    f.hidden(p.explicit()),
		Quote:     p.quoteProps(o, rv.Quote, in.RefundMethod, s.reasonText(c, pol)),
		Method:    p.T("method." + in.RefundMethod),
		Steps:     p.timelineSteps(rv.Timeline),
		Policy:    p.policyText(rv.Facts).summary(),
		PolicyURL: policyURL(o.ShippingAddress.Country, p.lang),
		KeepItems: rv.Quote.Returnless,
	}
	props.Page.Progress = views.ProgressReview
	p.markExchanges(&props.Quote, rv.Quote, exchangeTitles(of))
	if f.gift { // the items and where the credit goes, never an amount
		// The policy in brief names fees: the full policy stays a link.
		props.Quote.HidePrices, props.GiftEmail, props.Policy = true, f.giftEmail, nil
	} else if props.Quote.Methods, err = s.methodAmounts(ctx, p, o, in, of.methods); err != nil {
		return err
	}
	count := map[string]int{}
	for _, ph := range rv.Staged {
		count[ph.LineID]++
	}
	for _, it := range in.Items {
		if n := count[it.LineID]; n > 0 {
			name := it.LineID
			if l, ok := o.Line(it.LineID); ok {
				name = l.Name
			}
			props.Photos = append(props.Photos, p.TData("portal.photos.for_item", map[string]any{
				"Item": views.Isolate(name), "Photos": p.TData("portal.photos.staged", map[string]any{"Count": n})}))
		}
	}
	return p.view(http.StatusOK, views.Review(props))
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
		if sku := f.exchange[id]; sku != "" {
			h = append(h, views.Hidden{Name: "exchange." + id, Value: sku})
		}
		for _, ph := range f.staged[id] {
			h = append(h, views.Hidden{Name: "photo." + id, Value: ph})
		}
	}
	h = append(h, views.Hidden{Name: "method", Value: f.method})
	if f.consent {
		h = append(h, views.Hidden{Name: "consent", Value: "yes"})
	}
	for _, kv := range [][2]string{{"comment", f.comment}, {"iban", f.iban}, {"holder", f.holder}, {"gift_email", f.giftEmail}} {
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
