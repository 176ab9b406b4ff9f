package handlers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

var (
	errOrderNotFound = &apiError{Status: http.StatusNotFound, Code: "order_not_found"}
	errNotCancelable = &apiError{Status: http.StatusConflict, Code: "not_cancellable"}
)

type lookupInput struct {
	OrderNumber string `json:"order_number"`
	Email       string `json:"email"`
}

type lineView struct {
	returns.LineEligibility
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Variant   string `json:"variant,omitempty"`
	Quantity  int    `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Paid      int64  `json:"paid"`
}

type reasonView struct {
	Code          string `json:"code"`
	Label         string `json:"label"`
	MerchantFault bool   `json:"merchant_fault"`
	PhotoRequired bool   `json:"photo_required"`
}

type methodView struct {
	Code            string `json:"code"`
	ConsentRequired bool   `json:"consent_required"`
	BonusPercent    int    `json:"bonus_percent,omitempty"`
}

type orderView struct {
	Number      string     `json:"number"`
	Currency    string     `json:"currency"`
	Country     string     `json:"country"`
	Locale      string     `json:"locale"`
	PlacedAt    time.Time  `json:"placed_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// lookup finds an order by number and e-mail and opens it with a token.
// An unknown order and a wrong e-mail give the same answer, and both the IP
// and the order number are rate-limited, so the endpoint reveals nothing.
func (s *Server) lookup(c echo.Context) error {
	var in lookupInput
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	o, err := s.findOrder(c, in.OrderNumber, in.Email)
	if err != nil {
		return err
	}
	lang := explicitLang(c) // validated: it goes into the token
	if lang == "" {
		lang = o.Locale
	}
	c.Set(ctxLang, lang)
	token, exp := s.tokens.orderToken(o.Number, lang, s.now())
	offer, err := s.offerFor(c, o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"token":      token,
		"expires_at": exp.UTC(),
		"order": orderView{Number: o.Number, Currency: o.Currency, Country: o.ShippingAddress.Country,
			Locale: o.Locale, PlacedAt: o.PlacedAt, DeliveredAt: o.DeliveredAt},
		"lines":          offer.lines,
		"reasons":        offer.reasons,
		"refund_methods": offer.methods,
	})
}

// findOrder is the lookup both the JSON API and the portal use: it counts the
// attempt against the rate limits, then finds the order by number (read as
// the shop's was stored: returns.NormalizeOrderNumber) and e-mail. An
// unknown order, a number no order can have and a wrong e-mail are the same
// error.
func (s *Server) findOrder(c echo.Context, typed, email string) (returns.Order, error) {
	number, valid := returns.NormalizeOrderNumber(typed)
	key := number
	if !valid {
		key = strings.TrimSpace(typed) // counted all the same; it never matches
	}
	if err := s.checkLookupLimits(c, key); err != nil {
		return returns.Order{}, err
	}
	if !valid {
		return returns.Order{}, errOrderNotFound
	}
	o, err := s.cfg.Store.GetOrder(c.Request().Context(), number)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return returns.Order{}, err
	}
	if !emailMatches(o.Email, email) || !found {
		return returns.Order{}, errOrderNotFound
	}
	return o, nil
}

// checkLookupLimits counts an attempt against the client IP and the order
// number; either over its limit is a 429 with Retry-After.
func (s *Server) checkLookupLimits(c echo.Context, number string) error {
	now := s.now()
	ok, wait := s.ipLimit.allow(c.RealIP(), now)
	if ok {
		ok, wait = s.orderLimit.allow(strings.ToUpper(number), now)
	}
	if ok {
		return nil
	}
	secs := int(wait.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: secs}
}

// emailMatches compares e-mail addresses trimmed and case-folded, in constant
// time over fixed-length digests so that timing reveals nothing either.
func emailMatches(stored, given string) bool {
	a := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(stored))))
	b := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(given))))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && strings.TrimSpace(given) != ""
}

type offer struct {
	lines   []lineView
	reasons []reasonView
	methods []methodView
	// What the portal shows besides: the policy's reasons and the effective
	// rules for the order's country.
	policy returns.Policy
	rules  returns.EffectiveRules
}

// offerFor decides what the shopper may return from an order, and how.
func (s *Server) offerFor(c echo.Context, o returns.Order) (offer, error) {
	h, p, err := s.decisionInputs(c.Request().Context(), o.Number)
	if err != nil {
		return offer{}, err
	}
	elig := returns.Evaluate(o, p, s.legal, h, s.now())
	var out offer
	for i, l := range o.Lines {
		out.lines = append(out.lines, lineView{LineEligibility: elig[i], SKU: l.SKU, Name: l.Name,
			Variant: l.Variant, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Paid: l.Paid()})
	}
	for _, r := range p.Reasons {
		out.reasons = append(out.reasons, reasonView{Code: r.Code, Label: s.reasonLabel(c, r),
			MerchantFault: r.MerchantFault, PhotoRequired: r.PhotoRequired})
	}
	eff := p.Effective(s.legal, o.ShippingAddress.Country)
	out.policy, out.rules = p, eff
	for _, m := range returns.OfferedMethods(o, p, s.legal, elig) {
		mv := methodView{Code: m, ConsentRequired: returns.ConsentRequired(o, p, s.legal, elig, m)}
		if m == returns.MethodStoreCredit {
			mv.BonusPercent = eff.StoreCreditBonusPercent
		}
		out.methods = append(out.methods, mv)
	}
	return out, nil
}

// decisionInputs loads what a decision about an order needs besides the
// order: its return history and the current policy.
func (s *Server) decisionInputs(ctx context.Context, number string) (returns.History, returns.Policy, error) {
	h, err := s.cfg.Store.OrderHistory(ctx, number)
	if err != nil {
		return returns.History{}, returns.Policy{}, err
	}
	_, p, err := s.cfg.Store.CurrentPolicy(ctx)
	return h, p, err
}

// reasonLabel is the reason in the shopper's language: the merchant's own
// label where it has one in a language the shopper reads, else the portal's
// translation of a built-in code, else the merchant's English label.
func (s *Server) reasonLabel(c echo.Context, r returns.Reason) string {
	for _, t := range preferredTags(c) {
		base, _ := t.Base()
		if l := r.Labels[base.String()]; l != "" {
			return l
		}
	}
	fallback := r.Labels["en"]
	if fallback == "" {
		fallback = r.Code
	}
	return translate(s.localizer(c), "reason."+r.Code, fallback)
}

// returnInput is the body of quote and create requests.
type returnInput struct {
	Token        string              `json:"token"`
	Items        []returns.QuoteItem `json:"items"`
	RefundMethod string              `json:"refund_method"`
	Consent      bool                `json:"refund_method_consent"`
	Comment      string              `json:"comment"`
	BankAccount  *struct {
		IBAN   string `json:"iban"`
		Holder string `json:"holder"`
	} `json:"bank_account"`
}

func (in returnInput) request() returns.QuoteRequest {
	return returns.QuoteRequest{Items: in.Items, RefundMethod: in.RefundMethod, Consent: in.Consent}
}

// orderFromToken opens the order a lookup token was issued for.
func (s *Server) orderFromToken(c echo.Context, token string) (claims, error) {
	cl, err := s.tokens.verify(token, tokenOrder, s.now())
	switch {
	case errors.Is(err, errExpiredToken):
		return claims{}, errTokenExpired
	case err != nil:
		return claims{}, errTokenInvalid
	}
	c.Set(ctxLang, cl.Locale)
	return cl, nil
}

// openOrder opens the order a lookup token was issued for and loads it.
func (s *Server) openOrder(c echo.Context, token string) (claims, returns.Order, error) {
	cl, err := s.orderFromToken(c, token)
	if err != nil {
		return claims{}, returns.Order{}, err
	}
	o, err := s.cfg.Store.GetOrder(c.Request().Context(), cl.Order)
	c.Set(ctxOrderLocale, o.Locale)
	return cl, o, err
}

// quote prices a prospective return without storing anything.
func (s *Server) quote(c echo.Context) error {
	var in returnInput
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	cl, err := s.orderFromToken(c, in.Token)
	if err != nil {
		return err
	}
	_, q, err := s.priceReturn(c.Request().Context(), cl.Order, in.request())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

// priceReturn is the quote both the JSON API and the portal use: the order,
// its history and the current policy, priced by the domain.
func (s *Server) priceReturn(ctx context.Context, number string, req returns.QuoteRequest) (returns.Order, returns.Quote, error) {
	o, err := s.cfg.Store.GetOrder(ctx, number)
	if err != nil {
		return returns.Order{}, returns.Quote{}, err
	}
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return returns.Order{}, returns.Quote{}, err
	}
	q, err := returns.BuildQuote(o, p, s.legal, h, req, s.now())
	return o, q, err
}

// createReturn decides, prices and stores a return in one transaction. The
// body is JSON, or multipart/form-data with the JSON in a field named
// "request" and photos as files named "photos.<line id>" (photos.go).
func (s *Server) createReturn(c echo.Context) error {
	var in returnInput
	var up photoUpload
	if isMultipart(c.Request()) {
		var err error
		gate := func(fields url.Values) error {
			var early returnInput
			if err := decodeJSONBytes([]byte(fields.Get("request")), &early); err != nil {
				return err
			}
			_, err := s.orderFromToken(c, early.Token)
			return err
		}
		if up, err = readPhotoUpload(c, gate); err != nil {
			return err
		}
		if err := decodeJSONBytes([]byte(up.values.Get("request")), &in); err != nil {
			return err
		}
	} else if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	cl, err := s.orderFromToken(c, in.Token)
	if err != nil {
		return err
	}
	for line, e := range up.problems {
		return &apiError{Status: e.Status, Code: e.Code,
			Fields: returns.FieldErrors{{Path: "photos." + line, Code: e.Code}}}
	}
	r, err := s.submitReturn(c.Request().Context(), cl, in, up.photos)
	if err != nil {
		return err
	}
	t := s.tokens.returnToken(r.RMA)
	return c.JSON(http.StatusCreated, map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "quote": r.Quote,
		"status_url": s.returnURL(r.RMA, "", t),
		"label_url":  s.returnURL(r.RMA, "/label.pdf", t),
	})
}

// checkReturnInput applies the domain's checks of the bank details and the
// comment (returns.CheckRefundDetails) and answers in the API's terms: a
// missing account or a bad IBAN by their own codes, an over-long text as an
// invalid request with the field.
func checkReturnInput(in returnInput) (iban, holder string, err error) {
	var rawIBAN, rawHolder string
	if in.BankAccount != nil {
		rawIBAN, rawHolder = in.BankAccount.IBAN, in.BankAccount.Holder
	}
	iban, holder, de := returns.CheckRefundDetails(in.RefundMethod, rawIBAN, rawHolder, in.Comment)
	switch {
	case de == nil:
		return iban, holder, nil
	case de.Code == returns.CodeBankAccountRequired:
		return "", "", &apiError{Status: http.StatusUnprocessableEntity, Code: de.Code,
			Fields: returns.FieldErrors{{Path: de.Field, Code: "required"}}}
	case de.Code == returns.CodeInvalidIBAN:
		return "", "", &apiError{Status: http.StatusUnprocessableEntity, Code: de.Code,
			Fields: returns.FieldErrors{{Path: de.Field, Code: "invalid"}}}
	default:
		return "", "", &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_request",
			Fields: returns.FieldErrors{{Path: de.Field, Code: de.Code}}}
	}
}

// submitReturn is the creation both the JSON API and the portal use: it
// checks the input, then decides, prices and stores the return with its
// photos (checked and re-encoded: photos.go) in one transaction. An item
// whose reason requires a photo and has none is refused
// (returns.CheckPhotos).
func (s *Server) submitReturn(ctx context.Context, cl claims, in returnInput, photos []store.PhotoUpload) (returns.Return, error) {
	iban, holder, err := checkReturnInput(in)
	if err != nil {
		return returns.Return{}, err
	}
	counts := map[string]int{}
	for _, p := range photos {
		counts[p.LineID]++
	}
	now := s.now()
	create := s.cfg.Store.CreateReturn
	if ps, ok := s.cfg.Store.(PhotoStore); ok {
		create = func(ctx context.Context, number, actor string, build store.BuildFunc) (returns.Return, error) {
			return ps.CreateReturnWithPhotos(ctx, number, actor, build, photos)
		}
	} else if len(photos) > 0 {
		return returns.Return{}, errors.New("handlers: the store keeps no photos")
	}
	return create(ctx, cl.Order, "shopper",
		func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
			q, err := returns.BuildQuote(o, p, s.legal, h, in.request(), now)
			if err != nil {
				return returns.Return{}, err
			}
			if err := returns.CheckPhotos(p, in.Items, counts); err != nil {
				return returns.Return{}, err
			}
			return returns.Return{
				RMA: returns.NewRMA(), Status: returns.InitialStatus(q), Basis: q.Basis,
				RefundMethod: in.RefundMethod, Consent: in.Consent, Comment: strings.TrimSpace(in.Comment),
				BankIBAN: iban, BankHolder: holder, PolicyVersion: version, Locale: cl.Locale,
				Quote: q, Items: in.Items, CreatedAt: now, UpdatedAt: now,
			}, nil
		})
}

// returnURL is an absolute link to a return's page or file, with its token.
func (s *Server) returnURL(rma, suffix, token string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/r/" + rma + suffix + "?t=" + url.QueryEscape(token)
}

// returnTokenParam is the token of a return link: "t" in the links the portal
// and e-mails carry, "token" in the JSON API.
func returnTokenParam(c echo.Context) string {
	if t := c.QueryParam("t"); t != "" {
		return t
	}
	return c.QueryParam("token")
}

// openReturn loads a return for a shopper holding either the lookup token of
// its order or the return's own token. Whatever is wrong — no such RMA, a
// token for something else, a forged token — the answer is the same 404.
func (s *Server) openReturn(c echo.Context) (returns.Return, error) {
	token := returnTokenParam(c)
	rma, ok := returns.NormalizeRMA(c.Param("rma"))
	if !ok || token == "" {
		return returns.Return{}, errTokenInvalid
	}
	now := s.now()
	r, err := s.cfg.Store.GetReturn(c.Request().Context(), rma)
	if errors.Is(err, store.ErrNotFound) {
		return returns.Return{}, errTokenInvalid
	}
	if err != nil {
		return returns.Return{}, err
	}
	if cl, err := s.tokens.verify(token, tokenReturn, now); err == nil && cl.RMA == r.RMA {
		if r.Status.Ended() && now.After(r.UpdatedAt.Add(returnTokenGrace)) {
			return returns.Return{}, errTokenExpired
		}
		c.Set(ctxLang, r.Locale)
		return r, nil
	}
	cl, err := s.tokens.verify(token, tokenOrder, now)
	if errors.Is(err, errExpiredToken) {
		return returns.Return{}, errTokenExpired
	}
	if err != nil || cl.Order != r.OrderNumber {
		return returns.Return{}, errTokenInvalid
	}
	c.Set(ctxLang, cl.Locale)
	return r, nil
}

// returnDetails is what a shopper sees of a return besides the return:
// its order, the policy it was decided under, the estimated timeline and the
// status changes so far.
type returnDetails struct {
	order    returns.Order
	policy   returns.Policy
	timeline returns.Timeline
	events   []store.Event
}

// returnStatus loads a return's details for the JSON API and the portal.
func (s *Server) returnStatus(ctx context.Context, r returns.Return) (returnDetails, error) {
	o, err := s.cfg.Store.GetOrder(ctx, r.OrderNumber)
	if err != nil {
		return returnDetails{}, err
	}
	p, err := s.cfg.Store.PolicyVersion(ctx, r.PolicyVersion)
	if err != nil {
		return returnDetails{}, err
	}
	events, err := s.cfg.Store.Events(ctx, r.RMA)
	if err != nil {
		return returnDetails{}, err
	}
	return returnDetails{order: o, policy: p, events: events,
		timeline: returns.EstimateTimeline(o, p, s.legal, r.Basis, r.CreatedAt)}, nil
}

// getReturn shows a return's status, items, quote and estimated timeline.
func (s *Server) getReturn(c echo.Context) error {
	r, err := s.openReturn(c)
	if err != nil {
		return err
	}
	d, err := s.returnStatus(c.Request().Context(), r)
	if err != nil {
		return err
	}
	type eventView struct {
		At     time.Time `json:"at"`
		Status string    `json:"status"`
	}
	history := []eventView{}
	for _, e := range d.events {
		if e.To != "" {
			history = append(history, eventView{At: e.At, Status: e.To})
		}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "order_number": r.OrderNumber,
		"refund_method": r.RefundMethod, "items": r.Quote.Lines, "quote": r.Quote,
		// Goodwill granted by the merchant on top of the quote: the amount
		// only (the reason is internal).
		"goodwill":   r.GoodwillTotal(),
		"created_at": r.CreatedAt, "updated_at": r.UpdatedAt,
		"timeline": map[string]any{
			"estimated": d.timeline,
			"events":    history,
		},
	})
}

// cancelReturn lets the shopper withdraw a return before the parcel arrives;
// its units become returnable again.
func (s *Server) cancelReturn(c echo.Context) error {
	r, err := s.openReturn(c)
	if err != nil {
		return err
	}
	if r, err = s.withdrawReturn(c.Request().Context(), r); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status})
}

// withdrawReturn cancels a return for its shopper (JSON API and portal).
func (s *Server) withdrawReturn(ctx context.Context, r returns.Return) (returns.Return, error) {
	if !r.Status.Cancellable() {
		return returns.Return{}, errNotCancelable
	}
	r, err := s.cfg.Store.Transition(ctx, r.RMA, returns.StatusCancelled, "shopper", "")
	if errors.Is(err, returns.ErrTransition) {
		return returns.Return{}, errNotCancelable
	}
	return r, err
}
