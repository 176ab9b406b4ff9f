package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// The shopper's JSON API: lookup, quote, create, status, cancel. Each
// handler binds, calls the service (the same methods as the HTML portal)
// and answers JSON.

type lookupInput struct {
	OrderNumber string `json:"order_number"`
	Email       string `json:"email"`
	// PostalCode instead of Email: a gift's recipient (api_gift.go).
	PostalCode string `json:"postal_code"`
}

type lineView struct {
	returns.LineEligibility
	// Reasons are the codes of the reasons the line accepts
	// (returns.ReasonsFor): only those of the merchant's fault where it
	// is returnable only if faulty, none where it is not returnable.
	Reasons   []string `json:"reasons"`
	InReturns int      `json:"in_returns"`
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Variant   string   `json:"variant,omitempty"`
	Quantity  int      `json:"quantity"`
	UnitPrice int64    `json:"unit_price"`
	Paid      int64    `json:"paid"`
	// ExchangeOptions are the variants the line may be exchanged for
	// (none: refund only); a refund stays on offer and is the default.
	ExchangeOptions []exchangeOptionView `json:"exchange_options,omitempty"`
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

// lookup finds an order by number and e-mail and opens it with a token
// (service.Lookup: rate-limited, and an unknown order and a wrong e-mail
// give the same answer), with what the shopper may return.
func (s *Server) lookup(c echo.Context) error {
	var in lookupInput
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	if in.Email == "" && in.PostalCode != "" {
		return s.giftLookup(c, in)
	}
	l, err := s.svc.Lookup(c.Request().Context(), service.LookupRequest{OrderNumber: in.OrderNumber, Email: in.Email,
		ClientIP: c.RealIP(), Locale: explicitLang(c)}) // validated: it goes into the token
	if err != nil {
		return err
	}
	c.Set(ctxLang, l.Locale)
	o := l.Facts.Order
	of, err := s.offerFrom(c, l.Facts)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, lookupView{
		Token:     l.Token,
		ExpiresAt: l.Expires.UTC(),
		Order: orderView{Number: o.Number, Currency: o.Currency, Country: o.ShippingAddress.Country,
			Locale: o.Locale, PlacedAt: o.PlacedAt, DeliveredAt: o.DeliveredAt},
		Lines:         of.lines,
		Reasons:       of.reasons,
		RefundMethods: of.methods,
	})
}

// lookupView is the lookup's answer (its fields in the order of their
// names, as the map it replaced wrote them).
type lookupView struct {
	ExpiresAt     time.Time    `json:"expires_at"`
	Lines         []lineView   `json:"lines"`
	Order         orderView    `json:"order"`
	Reasons       []reasonView `json:"reasons"`
	RefundMethods []methodView `json:"refund_methods"`
	Token         string       `json:"token"`
}

// offer is what the shopper may return from an order (service.Offer), as
// the JSON API and the portal show it: each line with its eligibility, the
// reasons in the shopper's language, the refund methods.
type offer struct {
	lines   []lineView
	reasons []reasonView
	methods []methodView
	// inReturns are the units of each line already in a return.
	inReturns map[string]int
	// exchanges are the variants each line (by ID) may be exchanged for.
	exchanges map[string][]returns.ExchangeOption
}

// forGift narrows the offer for a gift's recipient: store credit only,
// to her, never the buyer's payment (the service refuses anything else:
// returns.CheckGiftRequest). The order form and its live quote both use it.
func (of offer) forGift() offer {
	of.methods = slices.DeleteFunc(slices.Clone(of.methods), func(m methodView) bool { return m.Code != returns.MethodStoreCredit })
	return of
}

func (s *Server) offerFor(c echo.Context, o returns.Order) (offer, error) {
	of, err := s.svc.Offer(c.Request().Context(), o)
	if err != nil {
		return offer{}, err
	}
	return s.offerView(c, o, of), nil
}

// offerFrom is offerFor for an order read with its facts, without reading
// them again.
func (s *Server) offerFrom(c echo.Context, f store.OrderFacts) (offer, error) {
	of, err := s.svc.OfferFrom(c.Request().Context(), f)
	if err != nil {
		return offer{}, err
	}
	return s.offerView(c, f.Order, of), nil
}

func (s *Server) offerView(c echo.Context, o returns.Order, of service.Offer) offer {
	out := offer{inReturns: of.InReturns, exchanges: of.Exchanges}
	// Sized once (lineView is large); nil stays nil for the JSON.
	if len(o.Lines) > 0 {
		out.lines = make([]lineView, 0, len(o.Lines))
	}
	if len(of.Reasons) > 0 {
		out.reasons = make([]reasonView, 0, len(of.Reasons))
	}
	for i, l := range o.Lines {
		lv := lineView{LineEligibility: of.Lines[i], Reasons: []string{}, InReturns: of.InReturns[l.ID], SKU: l.SKU,
			Name: l.Name, Variant: l.Variant, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Paid: l.Paid(),
			ExchangeOptions: exchangeOptionViews(of.Exchanges[l.ID])}
		for _, r := range returns.ReasonsFor(of.Lines[i], of.Reasons) {
			lv.Reasons = append(lv.Reasons, r.Code)
		}
		out.lines = append(out.lines, lv)
	}
	for _, r := range of.Reasons {
		out.reasons = append(out.reasons, reasonView{Code: r.Code, Label: s.reasonLabel(c, r),
			MerchantFault: r.MerchantFault, PhotoRequired: r.PhotoRequired})
	}
	for _, m := range of.Methods {
		out.methods = append(out.methods, methodView{Code: m.Code, ConsentRequired: m.ConsentRequired, BonusPercent: m.BonusPercent})
	}
	return out
}

// reasonLabel is the reason in the shopper's language: the merchant's own
// label where it has one in a language the shopper reads, else the portal's
// translation of a built-in code, else the merchant's English label.
func (s *Server) reasonLabel(c echo.Context, r returns.Reason) string {
	sp := s.speaker(c)
	base, _ := sp.tag.Base()
	if l := r.Labels[base.String()]; l != "" {
		return l
	}
	fallback := r.Labels["en"]
	if fallback == "" {
		fallback = r.Code
	}
	return sp.translate("reason."+r.Code, fallback)
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
	// Staged are the ids of photos the portal's order form staged (not
	// part of the API).
	Staged []string `json:"-"`
	// GiftEmail is where a gift's recipient wants the store credit and
	// the messages (a gift token only).
	GiftEmail string `json:"gift_email"`
}

func (in returnInput) request() service.ReturnRequest {
	r := service.ReturnRequest{QuoteRequest: returns.QuoteRequest{Items: in.Items, RefundMethod: in.RefundMethod,
		Consent: in.Consent}, Comment: in.Comment, Staged: in.Staged, GiftEmail: in.GiftEmail}
	if in.BankAccount != nil {
		r.IBAN, r.Holder = in.BankAccount.IBAN, in.BankAccount.Holder
	}
	return r
}

// openFormOrder opens the order of a return form's token: a lookup's, or
// a gift lookup's (f.gift is set then: the form hides prices); the order
// comes with its facts, for the offer (offerFrom).
func (s *Server) openFormOrder(c echo.Context, f *returnForm) (service.OrderAccess, store.OrderFacts, error) {
	a, err := s.shopperAccess(c, f.token)
	if err != nil {
		return service.OrderAccess{}, store.OrderFacts{}, err
	}
	facts, err := s.svc.OrderFacts(c.Request().Context(), a)
	if err != nil {
		return service.OrderAccess{}, store.OrderFacts{}, err
	}
	// Money is formatted for the order's locale (moneyfmt.Locale), as
	// openOrder does.
	c.Set(ctxOrderLocale, facts.Order.Locale)
	f.gift = a.Gift
	return a, facts, nil
}

// openOrder opens the order a lookup token was issued for and loads it.
func (s *Server) openOrder(c echo.Context, token string) (service.OrderAccess, returns.Order, error) {
	a, err := s.orderAccess(c, token)
	if err != nil {
		return service.OrderAccess{}, returns.Order{}, err
	}
	o, err := s.svc.Order(c.Request().Context(), a)
	// Money is formatted for the order's locale (moneyfmt.Locale).
	c.Set(ctxOrderLocale, o.Locale)
	return a, o, err
}

// orderAccess checks a lookup token and speaks the token's language from
// here on (errors included).
func (s *Server) orderAccess(c echo.Context, token string) (service.OrderAccess, error) {
	a, err := s.svc.VerifyOrderToken(token)
	if err != nil {
		return service.OrderAccess{}, err
	}
	c.Set(ctxLang, a.Locale)
	return a, nil
}

// quote prices a prospective return without storing anything.
func (s *Server) quote(c echo.Context) error {
	var in returnInput
	if err := decodeJSON(c, &in, "invalid_request"); err != nil {
		return err
	}
	a, err := s.orderAccess(c, in.Token)
	if err != nil {
		return err
	}
	_, q, err := s.svc.Quote(c.Request().Context(), a.Number, in.request().QuoteRequest)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

// createReturn makes a return (service.CreateReturn). The body is JSON, or
// multipart/form-data with the JSON in a field named "request" (sent before
// the files) and photos as files named "photos.<line id>" (photos.go). Every
// attempt counts against the creation limits (service.AllowCreate); one
// with photos is checked whole before a photo is read
// (service.AdmitReturn).
func (s *Server) createReturn(c echo.Context) error {
	ctx := c.Request().Context()
	var in returnInput
	var a service.OrderAccess
	var up photoUpload
	if isMultipart(c.Request()) {
		admit := func(fields url.Values) (service.Admission, error) {
			if err := decodeJSONBytes([]byte(fields.Get("request")), &in); err != nil {
				return service.Admission{}, err
			}
			var err error
			if a, err = s.orderAccess(c, in.Token); err != nil {
				return service.Admission{}, err
			}
			if err := s.svc.AllowCreate(a, c.RealIP()); err != nil {
				return service.Admission{}, err
			}
			return s.svc.AdmitReturn(ctx, a, in.request())
		}
		var err error
		if up, err = s.readPhotoUpload(c, admitFirst(admit)); err != nil {
			return err
		}
	} else {
		if err := decodeJSON(c, &in, "invalid_request"); err != nil {
			return err
		}
		var err error
		if a, err = s.shopperAccess(c, in.Token); err != nil {
			return err
		}
		if err := s.svc.AllowCreate(a, c.RealIP()); err != nil {
			return err
		}
	}
	for line, e := range up.problems {
		return &apiError{Status: e.Status, Code: e.Code,
			Fields: returns.FieldErrors{{Path: "photos." + line, Code: e.Code}}}
	}
	req := in.request()
	req.Photos = up.photos
	created, err := s.svc.CreateReturn(ctx, a, req)
	if err != nil {
		return err
	}
	r := created.Return
	if r.Gift {
		return c.JSON(http.StatusCreated, giftCreated(s, created))
	}
	return c.JSON(http.StatusCreated, map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "quote": r.Quote,
		// The shopper's own link (it may cancel); the label's and the
		// tracking link's show the course only.
		"status_url":   s.returnURL(r.RMA, "", created.Token),
		"tracking_url": s.returnURL(r.RMA, "", created.ViewToken),
		"label_url":    s.returnURL(r.RMA, "/label.pdf", created.ViewToken),
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

// openReturn opens the return of the path for the shopper holding the
// link's token (service.OpenReturn) and speaks their language from here on.
func (s *Server) openReturn(c echo.Context) (service.ReturnAccess, error) {
	a, err := s.svc.OpenReturn(c.Request().Context(), c.Param("rma"), returnTokenParam(c))
	if err != nil {
		return service.ReturnAccess{}, err
	}
	c.Set(ctxLang, a.Locale)
	return a, nil
}

// getReturnAny is GET /api/v1/returns/:rma: with an Authorization header,
// the merchant's view (API key, scope returns:read: api_returns.go);
// without, the shopper's (a token in the query).
func (s *Server) getReturnAny(c echo.Context) error {
	if c.Request().Header.Get("Authorization") == "" {
		return s.getReturn(c)
	}
	return s.requireAPIKey(requireScope("returns:read")(s.apiGetReturn))(c)
}

// getReturn shows a return's status, items, quote and estimated timeline
// to the holder of one of its tokens, and what that token allows
// ("capabilities": view, documents, cancel).
func (s *Server) getReturn(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	r := a.Return
	d, err := s.svc.ShopperStatus(c.Request().Context(), a)
	if err != nil {
		return err
	}
	type eventView struct {
		At     time.Time `json:"at"`
		Status string    `json:"status"`
	}
	history := []eventView{}
	for _, e := range d.Events {
		if e.To != "" {
			history = append(history, eventView{At: e.At, Status: e.To})
		}
	}
	if r.Gift {
		return c.JSON(http.StatusOK, giftReturnView(a, d.Timeline, history))
	}
	return c.JSON(http.StatusOK, map[string]any{
		"rma": r.RMA, "status": r.Status, "basis": r.Basis, "order_number": r.OrderNumber,
		"refund_method": r.RefundMethod, "items": r.Quote.Lines, "quote": r.Quote,
		"exchanges": exchangeLineViews(r.Exchanges),
		// Goodwill granted by the merchant on top of the quote: the amount
		// only (the reason is internal).
		"goodwill":   r.GoodwillTotal(),
		"created_at": r.CreatedAt, "updated_at": r.UpdatedAt,
		"timeline": map[string]any{
			"estimated": d.Timeline,
			"events":    history,
		},
		"capabilities": capabilities(a.May),
	})
}

// capabilities names what a return's token allows, for the JSON API.
func capabilities(g service.Grant) []string {
	out := []string{"view"}
	for _, c := range []struct {
		ok   bool
		name string
	}{{g.Documents, "documents"}, {g.Cancel, "cancel"}} {
		if c.ok {
			out = append(out, c.name)
		}
	}
	return out
}

// cancelReturn lets the shopper call a return off before the parcel
// arrives (service.Cancel); its units become returnable again.
func (s *Server) cancelReturn(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	r, err := s.svc.Cancel(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rma": r.RMA, "status": r.Status})
}
