package labels

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/returns/hs"
)

// PackagingGrams is the allowance for the box and filling that the weight
// estimate adds to the items' weight.
const PackagingGrams = 250

// ForReturn gathers what a return's label and customs form show from the
// order, the stored return (its quote says which units go back and their
// value) and the hub of the policy version the return was decided under.
// Translators and the document date are left for the caller to set.
func ForReturn(o returns.Order, r returns.Return, hub returns.Hub, statusURL string, legal *returns.Legal) (LabelData, CustomsData) {
	var items []CustomsItem
	units := 0
	headings := hs.Load()
	for _, ql := range r.Quote.Lines {
		line, _ := o.Line(ql.LineID)
		name := line.Name
		if line.Variant != "" {
			name += " (" + line.Variant + ")"
		}
		w := line.WeightGrams * ql.Quantity
		items = append(items, CustomsItem{Description: customsDescription(line, headings), Name: name, SKU: line.SKU,
			Quantity: ql.Quantity, HSCode: line.HSCode, Origin: line.OriginCountry, Value: ql.Refund, WeightGrams: w})
		units += ql.Quantity
	}
	gross := EstimateWeight(o, r.Quote.Lines)
	l := LabelData{RMA: r.RMA, OrderNumber: o.Number, Sender: o.ShippingAddress, Hub: hub,
		StatusURL: statusURL, WeightGrams: gross, Items: units,
		Customs: returns.NeedsCustoms(legal, o.ShippingAddress.Country, hub.Address.Country)}
	c := CustomsData{RMA: r.RMA, OrderNumber: o.Number, ShippedAt: o.ShippedAt, Sender: o.ShippingAddress,
		Hub: hub, Currency: r.Quote.Currency, Items: items, GrossWeightGrams: gross}
	return l, c
}

// customsDescription names a line's goods in English for customs: the
// shop's customs description, else the English description of its HS
// heading (or chapter), else "" (the renderer then prints the item's name).
func customsDescription(l returns.Line, headings *hs.Table) string {
	if d := strings.TrimSpace(l.CustomsDescription); d != "" {
		return d
	}
	d, _ := headings.Describe(l.HSCode)
	return d
}

// EstimateWeight is the estimated gross weight of a parcel with the given
// units: the order lines' weight times the quantities, plus PackagingGrams.
func EstimateWeight(o returns.Order, lines []returns.QuoteLine) int {
	g := PackagingGrams
	for _, ql := range lines {
		if l, ok := o.Line(ql.LineID); ok {
			g += l.WeightGrams * ql.Quantity
		}
	}
	return g
}

// formatKg prints grams as kilograms with up to two decimals.
func formatKg(grams int) string {
	return strconv.FormatFloat(float64(grams)/1000, 'f', 2, 64) + " kg"
}

// formatMoney prints minor units as a decimal amount of the currency
// ("249.00", "12345" for JPY, "45.750" for KWD), without a symbol.
func formatMoney(amount int64, code string) string {
	digits, ok := currency.GetDigits(code)
	if !ok {
		digits = 2
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	s := strconv.FormatInt(amount, 10)
	if digits > 0 {
		for len(s) <= int(digits) {
			s = "0" + s
		}
		s = s[:len(s)-int(digits)] + "." + s[len(s)-int(digits):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// countryName is a country's English name in capitals, as postal services
// want it on the last line of an address.
func countryName(code string) string {
	reg, err := language.ParseRegion(code)
	if err != nil {
		return strings.ToUpper(code)
	}
	name := display.English.Regions().Name(reg)
	if name == "" {
		return strings.ToUpper(code)
	}
	return strings.ToUpper(name)
}

// senderLines are the lines of the shopper's address as printed: the native
// form where it can be printed, the Latin form instead where it cannot
// (Arabic and Hebrew need shaping; some characters have no glyph), and both
// where the native form is in another script and a Latin form exists
// (carriers abroad read the Latin).
func senderLines(a returns.Address, printable func(string) bool) (native, latin []string) {
	nativeLines := []string{a.Name, a.Line1, a.Line2, cityLine(a.PostalCode, a.City, a.Region)}
	if a.Latin != nil {
		latin = []string{a.Latin.Name, a.Latin.Line1, a.Latin.Line2, cityLine(a.PostalCode, a.Latin.City, a.Region)}
		latin = nonEmpty(latin)
	}
	shaping := false
	for _, l := range nativeLines {
		if !printable(l) {
			shaping = true
		}
	}
	if shaping && len(latin) > 0 {
		// The native form cannot be printed: the Latin form stands in.
		return append(latin, countryName(a.Country)), nil
	}
	native = append(nonEmpty(nativeLines), countryName(a.Country))
	if latin != nil && !isLatin(strings.Join(nativeLines, " ")) {
		return native, latin
	}
	return native, nil
}

// hubLines are the lines of a hub's address.
func hubLines(h returns.Hub) []string {
	a := h.Address
	return nonEmpty([]string{h.Name, a.Line1, a.Line2, cityLine(a.PostalCode, a.City, a.Region), countryName(a.Country)})
}

func cityLine(postal, city, region string) string {
	return strings.TrimSpace(strings.Join(nonEmpty([]string{postal, city, region}), " "))
}

func nonEmpty(ls []string) []string {
	out := ls[:0:0]
	for _, l := range ls {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// isLatin reports whether every letter of s is in the Latin script.
func isLatin(s string) bool {
	for _, r := range s {
		if r >= 0x250 && !(r >= 0x1E00 && r <= 0x1EFF) && unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// docDate prints a date the same way in every language (ISO 8601).
func docDate(t time.Time) string { return t.Format("2006-01-02") }
