package returns

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/returns/hs"
)

// Limits of an ingested order.
const (
	maxText     = 500               // free text: names, addresses, categories
	maxID       = 100               // line ids, SKUs, HS codes, references
	maxURL      = 2048              // an item's image URL
	maxEmail    = 254               // RFC 5321 path limit
	maxLocale   = 35                // BCP 47 tags in practice
	maxQuantity = 10000             // units of one line
	maxAmount   = 1_000_000_000_000 // minor units; keeps unit_price*quantity far from int64 overflow
)

// Validation codes of an ingested order besides the common ones of
// FieldError.
const (
	// FieldDirectionControl: the text holds a Unicode direction control
	// (U+202A–U+202E, U+2066–U+2069), which could make it display as
	// something else (a name, an address or an amount read backwards).
	FieldDirectionControl = "direction_control"
	// FieldNotLatin: a text that customs and carriers read (the customs
	// description) holds letters of another script than Latin.
	FieldNotLatin = "not_latin"
	// FieldHSCodeFormat: an HS code that is not 6 to 10 digits.
	FieldHSCodeFormat = "hs_code_format"
)

// ValidateOrder checks an order as ingested (its Number included, which the
// handler copies from the URL) and returns every invalid field, or nil. legal
// supplies the exemption classes.
func ValidateOrder(o Order, legal *Legal) FieldErrors {
	var fe FieldErrors
	if o.Number == "" {
		fe.add("number", FieldRequired)
	} else if !ValidOrderNumber(o.Number) {
		fe.add("number", FieldInvalid)
	}

	switch {
	case o.Email == "":
		fe.add("email", FieldRequired)
	case len(o.Email) > maxEmail:
		fe.add("email", FieldTooLong)
	case hasDirectionControl(o.Email):
		fe.add("email", FieldDirectionControl)
	case !plausibleEmail(o.Email):
		fe.add("email", FieldInvalid)
	}
	checkText(&fe, "customer_name", o.CustomerName, maxText)
	if o.Locale != "" {
		if len(o.Locale) > maxLocale {
			fe.add("locale", FieldTooLong)
		} else if _, err := language.Parse(o.Locale); err != nil {
			fe.add("locale", FieldInvalid)
		}
	}
	switch {
	case o.Currency == "":
		fe.add("currency", FieldRequired)
	case !currency.IsValid(o.Currency):
		fe.add("currency", FieldUnknownCurrency)
	}

	placed := !o.PlacedAt.IsZero()
	if !placed {
		fe.add("placed_at", FieldRequired)
	}
	if o.ShippedAt != nil && placed && o.ShippedAt.Before(o.PlacedAt) {
		fe.add("shipped_at", FieldBeforePlaced)
	}
	if d := o.DeliveredAt; d != nil {
		switch {
		case placed && d.Before(o.PlacedAt):
			fe.add("delivered_at", FieldBeforePlaced)
		case o.ShippedAt != nil && d.Before(*o.ShippedAt):
			fe.add("delivered_at", FieldBeforeShipped)
		}
	}

	validateAddress(&fe, o.ShippingAddress)

	checkAmount(&fe, "shipping.amount", o.Shipping.Amount)
	if o.Shipping.StandardAmount != nil {
		checkAmount(&fe, "shipping.standard_amount", *o.Shipping.StandardAmount)
	}
	checkText(&fe, "shipping.method", o.Shipping.Method, maxText)
	checkText(&fe, "payment.method", o.Payment.Method, maxID)
	checkText(&fe, "payment.provider", o.Payment.Provider, maxID)
	checkText(&fe, "payment.reference", o.Payment.Reference, maxText)

	if len(o.Lines) == 0 {
		fe.add("lines", FieldRequired)
	}
	seen := make(map[string]bool, len(o.Lines))
	for i, l := range o.Lines {
		validateLine(&fe, legal, i, l, seen)
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

func validateAddress(fe *FieldErrors, a Address) {
	const p = "shipping_address"
	switch {
	case a.Country == "":
		fe.add(fieldPath(p, "country"), FieldRequired)
	case !ValidCountry(a.Country):
		fe.add(fieldPath(p, "country"), FieldUnknownCountry)
	}
	if a.Region != "" && !validSubdivision(a.Region) {
		fe.add(fieldPath(p, "region"), FieldInvalid)
	}
	checkText(fe, fieldPath(p, "name"), a.Name, maxText)
	checkText(fe, fieldPath(p, "line1"), a.Line1, maxText)
	checkText(fe, fieldPath(p, "line2"), a.Line2, maxText)
	checkText(fe, fieldPath(p, "city"), a.City, maxText)
	checkText(fe, fieldPath(p, "postal_code"), a.PostalCode, maxID)
	checkText(fe, fieldPath(p, "phone"), a.Phone, maxID)
	if l := a.Latin; l != nil {
		checkText(fe, fieldPath(p, "latin", "name"), l.Name, maxText)
		checkText(fe, fieldPath(p, "latin", "line1"), l.Line1, maxText)
		checkText(fe, fieldPath(p, "latin", "line2"), l.Line2, maxText)
		checkText(fe, fieldPath(p, "latin", "city"), l.City, maxText)
	}
}

func validateLine(fe *FieldErrors, legal *Legal, i int, l Line, seen map[string]bool) {
	path := func(f string) string { return fieldPath("lines", i, f) }
	switch {
	case l.ID == "":
		fe.add(path("id"), FieldRequired)
	case seen[l.ID]:
		fe.add(path("id"), FieldDuplicate)
	default:
		seen[l.ID] = true
		checkText(fe, path("id"), l.ID, maxID)
	}
	checkText(fe, path("sku"), l.SKU, maxID)
	if l.ProductID != "" && !ValidOrderNumber(l.ProductID) {
		fe.add(path("product_id"), FieldInvalid) // a product's id is written like an order number
	}
	checkText(fe, path("name"), l.Name, maxText)
	checkText(fe, path("variant"), l.Variant, maxText)
	checkText(fe, path("category"), l.Category, maxID)
	if l.HSCode != "" && !hs.ValidCode(l.HSCode) {
		fe.add(path("hs_code"), FieldHSCodeFormat)
	}
	if checkText(fe, path("customs_description"), l.CustomsDescription, maxText) && !latinText(l.CustomsDescription) {
		fe.add(path("customs_description"), FieldNotLatin)
	}
	if l.ImageURL != "" && checkText(fe, path("image_url"), l.ImageURL, maxURL) {
		if _, code := imageHost(l.ImageURL); code != "" {
			fe.add(path("image_url"), code)
		}
	}

	quantityOK := false
	switch {
	case l.Quantity == 0:
		fe.add(path("quantity"), FieldRequired)
	case l.Quantity < 0:
		fe.add(path("quantity"), FieldNegative)
	case l.Quantity > maxQuantity:
		fe.add(path("quantity"), FieldTooLarge)
	default:
		quantityOK = true
	}
	priceOK := checkAmount(fe, path("unit_price"), l.UnitPrice)
	if checkAmount(fe, path("discount"), l.Discount) && priceOK && quantityOK &&
		l.Discount > l.UnitPrice*int64(l.Quantity) {
		fe.add(path("discount"), FieldTooLarge)
	}
	if checkAmount(fe, path("tax"), l.Tax) && priceOK && quantityOK &&
		l.Tax > l.UnitPrice*int64(l.Quantity) {
		fe.add(path("tax"), FieldTooLarge)
	}
	if l.Exemption != "" {
		if _, ok := legal.Classes[l.Exemption]; !ok {
			fe.add(path("exemption"), FieldUnknownClass)
		}
	}
	if l.OriginCountry != "" && !ValidCountry(l.OriginCountry) {
		fe.add(path("origin_country"), FieldUnknownCountry)
	}
	if l.WeightGrams < 0 {
		fe.add(path("weight_grams"), FieldNegative)
	}
}

// checkAmount flags a negative or absurdly large amount and reports whether
// it is fine.
func checkAmount(fe *FieldErrors, path string, v int64) bool {
	switch {
	case v < 0:
		fe.add(path, FieldNegative)
	case v > maxAmount:
		fe.add(path, FieldTooLarge)
	default:
		return true
	}
	return false
}

// checkText flags text longer than max characters (too_long), holding
// control characters such as CR or LF (invalid: every field of an order is
// one line, and some end up in e-mail headers and labels) or direction
// controls (direction_control). It reports whether the text is fine.
func checkText(fe *FieldErrors, path, s string, max int) bool {
	switch {
	case utf8.RuneCountInString(s) > max:
		fe.add(path, FieldTooLong)
	case hasControl(s):
		fe.add(path, FieldInvalid)
	case hasDirectionControl(s):
		fe.add(path, FieldDirectionControl)
	default:
		return true
	}
	return false
}

// hasDirectionControl reports whether s holds one of the Unicode bidi
// embedding, override or isolate controls: LRE, RLE, PDF, LRO, RLO
// (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069). Shop data has no
// use for them, and they let a text render as something it is not (the
// "Trojan Source" trick). The marks LRM, RLM and ALM stay allowed: Arabic
// and Hebrew text uses them, and they reorder nothing beyond themselves.
func hasDirectionControl(s string) bool {
	for _, r := range s {
		if r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' {
			return true
		}
	}
	return false
}

// latinText reports whether every letter of s is in the Latin script (with
// its combining accents), as customs officers and carriers anywhere read it:
// digits, punctuation and symbols are fine, letters of other scripts and the
// full-width forms of East Asian typesetting are not.
func latinText(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0xff00 && r <= 0xffef, r >= 0x3000 && r <= 0x303f:
			return false // full-width forms, CJK punctuation
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return false
		case !unicode.In(r, unicode.Latin, unicode.Common, unicode.Inherited):
			return false // digits and signs of another script
		}
	}
	return true
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// plausibleEmail accepts what can be an address: one '@', a local part and a
// domain, no spaces, no control characters, none of the characters that let
// an address be read as several (",;<>\"()\\"), and a domain made of non-empty
// labels.
func plausibleEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || at == len(s)-1 {
		return false
	}
	if !utf8.ValidString(s) || hasControl(s) || strings.ContainsAny(s, " \t,;<>\"()\\[]") {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || r == '\u00a0' || r == '\u3000' {
			return false
		}
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") ||
		strings.Contains(local, "..") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
	}
	return true
}

// validSubdivision: the part after the country of an ISO 3166-2 code, one to
// three upper-case letters or digits ("CA", "BY", "01").
func validSubdivision(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || isASCIIDigit(c)) {
			return false
		}
	}
	return true
}

// Codes of CheckOrderUpdate (answered with 409).
const (
	CodeLineRemoved           = "line_removed"
	CodeQuantityBelowReturned = "quantity_below_returned"
	CodeLineHasReturns        = "line_has_returns"
	CodeCurrencyLocked        = "currency_locked"
)

// CheckOrderUpdate says whether an ingested update of an order may replace
// the stored one, given what earlier returns hold: no line may disappear, no
// line's quantity drop below its units in returns, no line with units in
// returns change its unit price or discount, and the currency stays once any
// unit is in a return. It returns nil when the update is allowed.
func CheckOrderUpdate(old, updated Order, h History) *Error {
	held := false
	for _, n := range h.UnitsHeld {
		if n > 0 {
			held = true
			break
		}
	}
	if held && updated.Currency != old.Currency {
		return &Error{Code: CodeCurrencyLocked, Field: "currency"}
	}
	index := make(map[string]int, len(updated.Lines))
	for i, l := range updated.Lines {
		if _, dup := index[l.ID]; !dup {
			index[l.ID] = i
		}
	}
	for _, ol := range old.Lines {
		i, ok := index[ol.ID]
		if !ok {
			return &Error{Code: CodeLineRemoved, Field: "lines"}
		}
		nl := updated.Lines[i]
		n := h.Held(ol.ID)
		if nl.Quantity < n {
			return &Error{Code: CodeQuantityBelowReturned, Field: fieldPath("lines", i, "quantity")}
		}
		if n > 0 && nl.UnitPrice != ol.UnitPrice {
			return &Error{Code: CodeLineHasReturns, Field: fieldPath("lines", i, "unit_price")}
		}
		if n > 0 && nl.Discount != ol.Discount {
			return &Error{Code: CodeLineHasReturns, Field: fieldPath("lines", i, "discount")}
		}
	}
	return nil
}
