// Package moneyfmt formats money for a full locale (de-CH, en-IN, ar-SA) as
// CLDR writes it and ICU renders it: Node's Intl.NumberFormat is the test
// oracle (oracle_test.go). Amounts are integer minor units of an ISO 4217
// currency, never floats. The locale data (cldr_data.go) is generated from
// Unicode's CLDR JSON for the portal's six languages and every regional
// locale CLDR has for them; another language formats as English.
package moneyfmt

import (
	"strconv"
	"strings"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"
)

// Formatter formats amounts for one locale. The zero value is not usable:
// build one with New.
type Formatter struct {
	tag    string // the locale as resolved: a key of cldrLocales
	region string // the requested region, which picks ICU's default currency
	data   *localeData
	pat    pattern
}

// New returns the formatter of a BCP 47 locale. A region CLDR has no
// locale for falls back to the language (ICU does the same: ja-CH formats
// as ja); a language outside the table formats as English.
func New(locale string) *Formatter {
	f := &Formatter{tag: "en"}
	tag, err := language.Parse(locale)
	if err == nil {
		base, _ := tag.Base()
		if region, conf := tag.Region(); conf == language.Exact {
			f.region = region.String()
			if _, ok := cldrLocales[base.String()+"-"+f.region]; ok {
				f.tag = base.String() + "-" + f.region
			} else if _, ok := cldrLocales[base.String()]; ok {
				f.tag = base.String()
			}
		} else if _, ok := cldrLocales[base.String()]; ok {
			f.tag = base.String()
		}
	}
	f.data = cldrLocales[f.tag]
	f.pat = parsePattern(f.data.pattern)
	return f
}

// Locale is the CLDR locale the formatter uses (ja for ja-CH).
func (f *Formatter) Locale() string { return f.tag }

// Format writes minor units of a currency: 123450 EUR is "1.234,50 €" in
// de, "€ 1.234,50" in de-AT; -1500 KWD is "؜-‏١٫٥٠٠ د.ك.‏" in ar-SA.
// Minor units are those of ISO 4217 (bojanz/currency's digits, as
// everywhere in the portal: JPY 0, KWD 3, HUF 2). An unknown currency code
// is written as "minor CODE".
func (f *Formatter) Format(minor int64, code string) string {
	iso, ok := currency.GetDigits(code)
	if !ok {
		return strconv.FormatInt(minor, 10) + " " + code
	}
	pat, decimal, group := f.pat, f.data.decimal, f.data.group
	if sp, ok := f.special(code); ok {
		if sp.pattern != "" {
			pat = parsePattern(sp.pattern)
		}
		decimal, group = sp.decimal, sp.group
	}
	// The magnitude as uint64: -minor would overflow for math.MinInt64.
	magnitude := uint64(minor)
	prefix, suffix := pat.posPrefix, pat.posSuffix
	if minor < 0 {
		magnitude = -magnitude
		prefix, suffix = pat.negPrefix, pat.negSuffix
	}
	number := f.number(magnitude, int(iso), displayDigits(magnitude, int(iso), code), decimal, group, pat)
	symbol := f.symbol(code)
	return affix(prefix, symbol, f.data.minus, f.data.plus, true) + number +
		affix(suffix, symbol, f.data.minus, f.data.plus, false)
}

// special is the currency-specific format for code or, failing that, the
// one of the region's own currency: ICU applies the format of a locale's
// default currency to every currency (en-DE writes "US$1,234.50").
func (f *Formatter) special(code string) (specialPattern, bool) {
	if sp, ok := f.data.special[code]; ok {
		return sp, true
	}
	sp, ok := f.data.special[regionCurrency[f.region]]
	return sp, ok
}

// symbol is the currency's symbol in the locale or its nearest parent that
// has one, else the ISO code.
func (f *Formatter) symbol(code string) string {
	for d := f.data; d != nil; d = cldrLocales[d.parent] {
		if s, ok := d.symbols[code]; ok {
			return s
		}
		if d.parent == "" {
			break
		}
	}
	return code
}

// displayDigits is how many decimals to write of an amount kept with iso
// decimals: CLDR's number for the currency (HUF 0, where ISO 4217 has 2),
// unless that would round the amount. Money shown is never rounded: 1234.50
// HUF is "1.234,50 HUF" where ICU would write "1.235 HUF" (the one
// deliberate difference from ICU, see oracle_test.go).
func displayDigits(magnitude uint64, iso int, code string) int {
	shown, ok := cldrDigits[code]
	if !ok {
		shown = 2
	}
	if shown >= iso {
		return shown
	}
	for range iso - shown {
		if magnitude%10 != 0 {
			return iso
		}
		magnitude /= 10
	}
	return shown
}

// number writes the magnitude (with iso decimals) with shown decimals,
// grouped and in the locale's digits.
func (f *Formatter) number(magnitude uint64, iso, shown int, decimal, group string, pat pattern) string {
	s := strconv.FormatUint(magnitude, 10)
	if len(s) <= iso {
		s = strings.Repeat("0", iso-len(s)+1) + s
	}
	integer, fraction := s[:len(s)-iso], s[len(s)-iso:]
	// Trailing zeros dropped (displayDigits checked that they are zeros) or
	// added.
	if shown < iso {
		fraction = fraction[:shown]
	} else {
		fraction += strings.Repeat("0", shown-iso)
	}
	var b strings.Builder
	if pat.primary > 0 && len(integer) >= pat.primary+f.data.minGrouping {
		b.WriteString(groupDigits(integer, pat.primary, pat.secondary, group))
	} else {
		b.WriteString(integer)
	}
	if shown > 0 {
		b.WriteString(decimal)
		b.WriteString(fraction)
	}
	return localDigits(b.String(), f.data.digits)
}

// groupDigits puts sep between groups of an integer's digits: primary next
// to the end, secondary further left.
func groupDigits(integer string, primary, secondary int, sep string) string {
	groups := []string{integer[len(integer)-primary:]}
	rest := integer[:len(integer)-primary]
	for len(rest) > secondary {
		groups = append(groups, rest[len(rest)-secondary:])
		rest = rest[:len(rest)-secondary]
	}
	if rest != "" {
		groups = append(groups, rest)
	}
	var b strings.Builder
	for i := len(groups) - 1; i >= 0; i-- {
		b.WriteString(groups[i])
		if i > 0 {
			b.WriteString(sep)
		}
	}
	return b.String()
}

// localDigits replaces ASCII digits with the numbering system's.
func localDigits(s, digits string) string {
	if digits == "" {
		return s
	}
	table := []rune(digits)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(table[r-'0'])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
