package moneyfmt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// pattern is a parsed CLDR currency pattern ("¤#,##0.00;(¤#,##0.00)"): the
// literal text around the number of each sign, and the grouping sizes.
type pattern struct {
	posPrefix, posSuffix string
	negPrefix, negSuffix string
	// primary is the size of the group next to the decimal separator,
	// secondary the size of the others (2 in Indian "#,##,##0.00"); 0: none.
	primary, secondary int
}

// parsePattern reads a pattern. Without a negative subpattern, a negative
// amount is the positive one with the minus sign in front, as in ICU.
func parsePattern(s string) pattern {
	pos, neg, hasNeg := strings.Cut(s, ";")
	var p pattern
	var number string
	p.posPrefix, number, p.posSuffix = splitPattern(pos)
	if hasNeg {
		p.negPrefix, _, p.negSuffix = splitPattern(neg)
	} else {
		p.negPrefix, p.negSuffix = "-"+p.posPrefix, p.posSuffix
	}
	integer, _, _ := strings.Cut(number, ".")
	groups := strings.Split(integer, ",")
	if n := len(groups); n > 1 {
		p.primary = len(groups[n-1])
		p.secondary = p.primary
		if n > 2 {
			p.secondary = len(groups[n-2])
		}
	}
	return p
}

// splitPattern cuts a subpattern into prefix, number and suffix.
func splitPattern(s string) (prefix, number, suffix string) {
	first := strings.IndexAny(s, "#0")
	last := strings.LastIndexAny(s, "#0")
	if first < 0 {
		return s, "", ""
	}
	return s[:first], s[first : last+1], s[last+1:]
}

// nbsp is what CLDR's currency spacing inserts between a number and a
// currency symbol that would otherwise touch it with a letter ("CHF 12").
const nbsp = "\u00a0"

// affix renders a prefix or suffix: ¤ becomes the symbol, - and + the
// locale's signs; before tells whether the affix precedes the number.
func affix(text, symbol, minus, plus string, before bool) string {
	var b strings.Builder
	for i, r := range text {
		switch r {
		case '¤':
			spaced := !before && i == 0 && spaceable(firstRune(symbol))
			if spaced {
				b.WriteString(nbsp)
			}
			b.WriteString(symbol)
			if before && i+len("¤") == len(text) && spaceable(lastRune(symbol)) {
				b.WriteString(nbsp)
			}
		case '-':
			b.WriteString(minus)
		case '+':
			b.WriteString(plus)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// spaceable is CLDR's currencyMatch [[:^S:]&[:^Z:]]: a symbol edge that is
// neither a symbol (€, $) nor a space gets a space next to the digits.
func spaceable(r rune) bool {
	return r != utf8.RuneError && !unicode.In(r, unicode.S, unicode.Z)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
