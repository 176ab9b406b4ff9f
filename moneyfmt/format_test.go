package moneyfmt

import (
	"math"
	"testing"
)

// TestFormat pins the cases the issue names and the edges of the algorithm
// (the oracle test checks the same against ICU at scale).
func TestFormat(t *testing.T) {
	const (
		nbsp    = "\u00a0"
		nnbsp   = "\u202f" // French thousands
		rlm     = "\u200f"
		lrm     = "\u200e"
		alm     = "\u061c"
		dinarAr = "د.ك." + rlm
	)
	tests := []struct {
		locale string
		minor  int64
		code   string
		want   string
	}{
		// Swiss: apostrophe groups, the code before the number, the minus
		// after the symbol; euros written EUR.
		{"de-CH", 123450, "CHF", "CHF" + nbsp + "1'234.50"},
		{"de-CH", -150000, "EUR", "EUR-1'500.00"},
		{"de", 123450, "EUR", "1.234,50" + nbsp + "€"},
		{"de-AT", 123450, "EUR", "€" + nbsp + "1.234,50"},
		{"fr", 123450, "EUR", "1" + nnbsp + "234,50" + nbsp + "€"},
		{"fr-CH", 123450, "CHF", "1" + nnbsp + "234.50" + nbsp + "CHF"},
		// CLDR writes the code where bojanz/currency printed a symbol.
		{"es", 1999, "GBP", "19,99" + nbsp + "GBP"},
		{"fr", 1999, "GBP", "19,99" + nbsp + "£GB"},
		// Spanish groups from five digits (minimumGroupingDigits 2).
		{"es", 123450, "EUR", "1234,50" + nbsp + "€"},
		{"es", 1234500, "EUR", "12.345,00" + nbsp + "€"},
		{"es-MX", 123450, "MXN", "$1,234.50"},
		{"en-AU", 123450, "AUD", "$1,234.50"},
		{"en-AU", 123450, "USD", "USD" + nbsp + "1,234.50"},
		// Indian lakhs: groups of 2 after the first 3.
		{"en-IN", 123456750, "INR", "₹12,34,567.50"},
		// en-DE: ICU formats every currency with en-150's euro pattern.
		{"en-DE", 123450, "USD", "US$1,234.50"},
		{"en-DE", -150000, "EUR", "-€1,500.00"},
		{"ja", 1235, "JPY", "￥1,235"},
		{"ja-JP", -1235, "JPY", "-￥1,235"},
		{"en", 45750, "KWD", "KWD" + nbsp + "45.750"},
		// Arabic: Arabic-Indic digits and the letter mark before the minus
		// in Saudi Arabia, ASCII digits and LRM in the language's default.
		{"ar-SA", -1500, "KWD", alm + "-" + rlm + "١٫٥٠٠" + nbsp + dinarAr},
		{"ar-SA", 0, "SAR", rlm + "٠٫٠٠" + nbsp + "ر.س.\u200f"},
		{"ar", -1500, "KWD", rlm + lrm + "-1.500" + nbsp + dinarAr},
		{"ar-MA", 123450, "MAD", rlm + "1.234,50" + nbsp + "د.م.\u200f"},
		// Zero, the smallest amounts, the extremes of int64.
		{"en", 0, "EUR", "€0.00"},
		{"en", 1, "EUR", "€0.01"},
		{"en", -1, "EUR", "-€0.01"},
		{"en", math.MaxInt64, "EUR", "€92,233,720,368,547,758.07"},
		{"en", math.MinInt64, "EUR", "-€92,233,720,368,547,758.08"},
		{"en", math.MinInt64, "JPY", "-¥9,223,372,036,854,775,808"},
		// HUF: CLDR shows no decimals, ISO keeps 2; money is never rounded.
		{"en", 150000, "HUF", "HUF" + nbsp + "1,500"},
		{"en", 123450, "HUF", "HUF" + nbsp + "1,234.50"},
		{"de", 5, "HUF", "0,05" + nbsp + "HUF"},
		// Unknown currency: the minor units and the code.
		{"en", 5, "XYZ", "5 XYZ"},
	}
	for _, tt := range tests {
		if got := New(tt.locale).Format(tt.minor, tt.code); got != tt.want {
			t.Errorf("New(%q).Format(%d, %s) = %+q, want %+q", tt.locale, tt.minor, tt.code, got, tt.want)
		}
	}
}

func TestNewResolvesLocale(t *testing.T) {
	tests := []struct{ in, want string }{
		{"de-CH", "de-CH"},
		{"de-ch", "de-CH"},
		{"de_CH", "de-CH"}, // x/text reads the POSIX form too
		{"en-GB", "en-GB"},
		{"es-419", "es-419"},
		{"ja-CH", "ja"}, // CLDR has no ja-CH: the language
		{"en-GR", "en"}, // nor en-GR (ICU agrees: the oracle checks it)
		{"de-Latn-CH", "de-CH"},
		{"fr-CH-u-nu-arab", "fr-CH"},
		{"ar", "ar"},
		{"pt-BR", "en"}, // a language the portal does not speak
		{"", "en"},
		{"not a tag", "en"},
	}
	for _, tt := range tests {
		if got := New(tt.in).Locale(); got != tt.want {
			t.Errorf("New(%q).Locale() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayDigits(t *testing.T) {
	tests := []struct {
		magnitude uint64
		iso       int
		code      string
		want      int
	}{
		{150000, 2, "HUF", 0}, // whole forints: as CLDR
		{150050, 2, "HUF", 2}, // 1500.50: never rounded
		{150005, 2, "HUF", 2},
		{0, 2, "HUF", 0},
		{150000, 2, "EUR", 2},
		{1500, 3, "KWD", 3},
		{1500, 0, "JPY", 0},
	}
	for _, tt := range tests {
		if got := displayDigits(tt.magnitude, tt.iso, tt.code); got != tt.want {
			t.Errorf("displayDigits(%d, %d, %s) = %d, want %d", tt.magnitude, tt.iso, tt.code, got, tt.want)
		}
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		in   string
		want pattern
	}{
		{"¤#,##0.00", pattern{posPrefix: "¤", negPrefix: "-¤", primary: 3, secondary: 3}},
		{"#,##0.00\u00a0¤", pattern{posSuffix: "\u00a0¤", negPrefix: "-", negSuffix: "\u00a0¤", primary: 3, secondary: 3}},
		{"¤\u00a0#,##0.00;¤-#,##0.00", pattern{posPrefix: "¤\u00a0", negPrefix: "¤-", primary: 3, secondary: 3}},
		{"¤#,##,##0.00", pattern{posPrefix: "¤", negPrefix: "-¤", primary: 3, secondary: 2}},
		{"¤0.00", pattern{posPrefix: "¤", negPrefix: "-¤"}},
	}
	for _, tt := range tests {
		if got := parsePattern(tt.in); got != tt.want {
			t.Errorf("parsePattern(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// Every parent named in the table is in it, and every chain ends at a
// language: the symbol lookup relies on both.
func TestTableParents(t *testing.T) {
	for id, d := range cldrLocales {
		seen := map[string]bool{}
		for p := d.parent; p != ""; p = cldrLocales[p].parent {
			if cldrLocales[p] == nil {
				t.Fatalf("%s: parent %s is not in the table", id, p)
			}
			if seen[p] {
				t.Fatalf("%s: parent loop at %s", id, p)
			}
			seen[p] = true
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	f := New("de-CH")
	for b.Loop() {
		f.Format(123456789, "CHF")
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New("ar-SA")
	}
}
