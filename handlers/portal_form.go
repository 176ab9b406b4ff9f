package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// returnForm is the shopper's choice as posted by the form: raw values, so
// that a form with a mistake comes back exactly as it was typed.
type returnForm struct {
	token  string
	qty    map[string]string // by line ID
	reason map[string]string // by line ID
	// exchange is the variant (SKU) chosen instead of a refund, by line
	// ID; none or "": the refund, which is the default.
	exchange map[string]string
	method   string
	consent  bool
	comment  string
	iban     string
	holder   string
	// staged are the ids of the photos added on the order form, by line
	// ID (fields photo.<line id>; service.StagePhotos).
	staged map[string][]string
	// gift: the token is a gift lookup's (set when the order is opened,
	// never from the form): no price is shown, store credit only, to
	// giftEmail, the address the recipient gives.
	gift      bool
	giftEmail string
}

// formErrors maps a form field ("qty.<line>", "reason.<line>", "method",
// "consent", "iban", "holder", "comment", or "form" for the whole form) to
// the message ID of its problem.
type formErrors map[string]string

// readReturnForm reads the posted form, or for a GET its address
// (stateQuery). Field names carry the line ID.
func readReturnForm(c echo.Context) (returnForm, error) {
	var form url.Values
	if c.Request().Method == http.MethodGet {
		form = c.QueryParams()
	} else {
		if err := c.Request().ParseForm(); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return returnForm{}, errPayloadTooLarge
			}
			return returnForm{}, &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
		}
		form = c.Request().PostForm
	}
	f := returnForm{token: form.Get("t"), qty: map[string]string{}, reason: map[string]string{}, exchange: map[string]string{},
		method: form.Get("method"), consent: form.Get("consent") != "", comment: form.Get("comment"),
		iban: form.Get("iban"), holder: form.Get("holder"), staged: map[string][]string{}, giftEmail: form.Get("gift_email")}
	if f.token == "" {
		f.token = c.QueryParam("t")
	}
	for k, v := range form {
		if id, ok := strings.CutPrefix(k, "qty."); ok && len(v) > 0 {
			f.qty[id] = strings.TrimSpace(v[0])
		}
		if id, ok := strings.CutPrefix(k, "reason."); ok && len(v) > 0 {
			f.reason[id] = v[0]
		}
		if id, ok := strings.CutPrefix(k, "exchange."); ok && len(v) > 0 && v[0] != "" {
			f.exchange[id] = v[0]
		}
		if id, ok := strings.CutPrefix(k, "photo."); ok {
			for _, ph := range v {
				if stagedID.MatchString(ph) && len(f.staged[id]) < returns.MaxPhotosPerItem {
					f.staged[id] = append(f.staged[id], ph)
				}
			}
		}
	}
	return f, nil
}

// stagedID is the form of a staged photo's id (store.StagePhotos).
var stagedID = regexp.MustCompile(`^st_[A-Za-z0-9]{1,32}$`)

// input turns the form into the request the services take, or says which
// fields are wrong. The domain checks the rest (BuildQuote).
func (f returnForm) input(o returns.Order) (returnInput, formErrors) {
	errs := formErrors{}
	in := returnInput{Token: f.token, RefundMethod: f.method, Consent: f.consent, Comment: f.comment, GiftEmail: f.giftEmail}
	for id := range f.qty {
		if _, ok := o.Line(id); !ok {
			errs["form"] = "error.unknown_line"
		}
	}
	for _, l := range o.Lines {
		raw := f.qty[l.ID]
		if raw == "" || raw == "0" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 1_000_000 {
			errs["qty."+l.ID] = "error.invalid_quantity"
			continue
		}
		if n == 0 {
			continue
		}
		if f.reason[l.ID] == "" {
			errs["reason."+l.ID] = "error.unknown_reason"
		}
		it := returns.QuoteItem{LineID: l.ID, Quantity: n, Reason: f.reason[l.ID]}
		if sku := f.exchange[l.ID]; sku != "" {
			it.Resolution, it.ExchangeSKU = returns.ResolutionExchange, sku
		}
		in.Items = append(in.Items, it)
		in.Staged = append(in.Staged, f.staged[l.ID]...)
	}
	if len(in.Items) == 0 && len(errs) == 0 {
		errs["form"] = "error.no_items"
	}
	if f.method == "" {
		errs["method"] = "error.unknown_method"
	}
	if f.method == returns.MethodBankTransfer {
		in.BankAccount = &struct {
			IBAN   string `json:"iban"`
			Holder string `json:"holder"`
		}{IBAN: f.iban, Holder: f.holder}
	}
	return in, errs
}

var itemField = regexp.MustCompile(`^items\[(\d+)\]\.(\w+)$`)

// fieldErrors places an error of the service (the domain's refusal of the
// items, the method or the refund details) on the form's fields; false
// when it is not about the input.
func fieldErrors(err error, in returnInput) (formErrors, bool) {
	var de *returns.Error
	if !errors.As(err, &de) {
		return nil, false
	}
	if ae := refundDetailsError(de); ae != nil {
		return refundDetailsFieldErrors(ae, in), true
	}
	field := "form"
	if m := itemField.FindStringSubmatch(de.Field); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(in.Items) {
			id := in.Items[i].LineID
			field = "qty." + id
			switch m[2] {
			case "reason":
				field = "reason." + id
			case "resolution", "exchange_sku":
				field = "exchange." + id
			}
		}
	}
	switch de.Field {
	case "refund_method":
		field = "method"
	case "email": // a gift recipient's address (returns.CheckGiftRequest)
		field = "gift_email"
	case "refund_method_consent":
		field = "consent"
	}
	return formErrors{field: "error." + de.Code}, true
}

// refundDetailsFieldErrors places a refusal of the bank details or the
// comment, as the API words it (refundDetailsError), on the form's field.
func refundDetailsFieldErrors(ae *apiError, in returnInput) formErrors {
	field := "form"
	if len(ae.Fields) > 0 {
		switch ae.Fields[0].Path {
		case "bank_account.iban":
			field = "iban"
		case "bank_account":
			field = "holder"
			if in.BankAccount == nil || strings.TrimSpace(in.BankAccount.IBAN) == "" {
				field = "iban"
			}
		case "bank_account.holder":
			field = "holder"
		case "comment":
			field = "comment"
		}
	}
	msg := "error." + ae.Code
	if field == "comment" {
		msg = "portal.order.comment_too_long"
	}
	return formErrors{field: msg}
}

// firstError is the message of the first problem, for the live total.
func (e formErrors) first() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return e[keys[0]]
}

// quoteProps formats a quote line by line in the shopper's language.
func (p *portal) quoteProps(o returns.Order, q returns.Quote, method string, reason func(code string) string) views.QuoteProps {
	cur := q.Currency
	out := views.QuoteProps{Review: q.ManualReview}
	for _, l := range q.Lines {
		name := l.LineID
		if line, ok := o.Line(l.LineID); ok {
			name = line.Name
		}
		out.Lines = append(out.Lines, views.QuoteLineProps{Name: name, Quantity: l.Quantity,
			Reason: reason(l.Reason), Amount: p.money(l.Refund, cur)})
	}
	// A fee is a deduction: shown as the negative amount, with the minus
	// sign where CLDR puts it in the locale ("-4,95 €" in de-DE,
	// "؜-‏٤٫٩٥ €" in ar-SA).
	row := func(id string, amount int64, testID string, fee bool) {
		if fee {
			amount = -amount
		}
		out.Rows = append(out.Rows, views.AmountRow{Label: p.T(id), Amount: p.money(amount, cur), TestID: testID})
	}
	row("portal.quote.items_refund", q.ItemsRefund, "quote-items", false)
	if q.RestockingFee > 0 {
		row("portal.quote.restocking_fee", q.RestockingFee, "quote-restocking", true)
	}
	if q.ReturnShippingFee > 0 {
		row("portal.quote.return_shipping_fee", q.ReturnShippingFee, "quote-shipping-fee", true)
	}
	if q.OutboundShippingRefund > 0 {
		row("portal.quote.outbound_shipping", q.OutboundShippingRefund, "quote-outbound", false)
	}
	if q.StoreCreditBonus > 0 {
		row("portal.quote.bonus", q.StoreCreditBonus, "quote-bonus", false)
	}
	label := "portal.quote.total"
	if method == returns.MethodStoreCredit {
		label = "portal.quote.total_credit"
	}
	out.Total = views.AmountRow{Label: p.T(label), Amount: p.money(q.Total, cur), TestID: "quote-total"}
	return out
}

// timelineSteps are a return's estimated course (returns.Timeline.Steps):
// each step dated, in the order they happen, or the refund worded by the
// law where its deadline comes before the check.
func (p *portal) timelineSteps(t returns.Timeline) []views.Step {
	var out []views.Step
	for _, st := range t.Steps() {
		step := views.Step{Label: p.T("portal.timeline." + st.Code), TestID: "step-" + strings.ReplaceAll(st.Code, "_", "-")}
		if st.Date != nil {
			step.Date = p.date(*st.Date)
		} else if st.Law != nil {
			step.Label, step.Date, step.Law = p.T("portal.timeline.refund_law_label"), p.refundLaw(*st.Law), true
		}
		out = append(out, step)
	}
	return out
}

// refundLaw says when the law has a refund paid: "By law we refund you
// within 14 days of your withdrawal. We may wait until the parcel has
// arrived or you have shown us that you sent it."
func (p *portal) refundLaw(l returns.RefundLaw) string {
	unit := "portal.timeline.law.days"
	if l.BusinessDays {
		unit = "portal.timeline.law.business_days"
	}
	days := views.Isolate(p.TData(unit, map[string]any{"Count": l.Days}))
	text := p.TData("portal.timeline.law."+l.From, map[string]any{"Days": days})
	if l.Days == 0 {
		text = p.T("portal.timeline.law.immediately")
	}
	if l.MayWait {
		text += " " + p.T("portal.timeline.law.may_wait")
	}
	return text
}

// asDomainCode is the code of the domain's refusal in err, if it is one.
func asDomainCode(err error) (string, bool) {
	var de *returns.Error
	if errors.As(err, &de) {
		return de.Code, true
	}
	return "", false
}
