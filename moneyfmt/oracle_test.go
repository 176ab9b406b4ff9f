package moneyfmt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bojanz/currency"
)

// oracleCurrencies are the currencies checked against ICU: the issue's
// twelve (EUR USD GBP JPY KWD CHF SEK BRL KRW TRY SAR AUD), then others
// with their own symbols or decimals (BHD 3, ISK/CLP/XOF 0, INR lakhs).
var oracleCurrencies = []string{
	"EUR", "USD", "GBP", "JPY", "KWD", "CHF", "SEK", "BRL", "KRW", "TRY", "SAR", "AUD",
	"CAD", "MXN", "INR", "PLN", "CZK", "HUF", "DKK", "NOK", "AED", "EGP", "MAD", "BHD",
	"CNY", "HKD", "NZD", "ZAR", "ILS", "XOF", "CLP", "COP", "ISK", "TND",
}

// oracleAmounts are minor units: zero, the smallest amounts, thousands,
// negatives, large amounts and the extremes of int64.
var oracleAmounts = []int64{0, 1, -1, 5, 99, 123450, -150000, 1234567, 99999999,
	-123456750, 123456789012, math.MaxInt64, math.MinInt64}

// oracleExtraLocales are locales CLDR has no data for, which the portal
// builds when a shopper switches language (page language + order region):
// ICU falls back to the language, and so must we.
var oracleExtraLocales = []string{
	"en-GR", "en-HR", "en-LU", "en-KW", "ja-CH", "ja-DE", "ja-US", "es-CH", "es-DE",
	"fr-DE", "fr-ES", "de-FR", "de-ES", "ar-DE", "ar-CH", "ar-US",
}

type oracleCase struct {
	Locale   string `json:"locale"`
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
	minor    int64
}

// TestICUOracle formats every CLDR locale of the six languages (234) and the
// fallback locales above × 34 currencies × 13 amounts, and compares each
// string exactly, byte for byte (minus signs, bidi marks, U+00A0 and
// U+202F included), with what Node's ICU renders. No normalisation. The one
// deliberate difference: money is never rounded for display, so an amount
// with more decimals than CLDR shows for its currency (1234.50 HUF) is
// compared with ICU asked for all its decimals (testdata/icu_format.js).
// Node runs once, with every case in one JSON batch.
func TestICUOracle(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: the money oracle test needs Node.js (Debian: apt-get install nodejs); it must not be skipped")
	}
	var locales []string
	for id := range cldrLocales {
		locales = append(locales, id)
	}
	sort.Strings(locales)
	locales = append(locales, oracleExtraLocales...)
	var cases []oracleCase
	for _, loc := range locales {
		for _, cur := range oracleCurrencies {
			for _, minor := range oracleAmounts {
				cases = append(cases, oracleCase{Locale: loc, Currency: cur, Amount: decimalString(t, minor, cur), minor: minor})
			}
		}
	}
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/icu_format.js")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var icu struct {
		Versions map[string]string `json:"versions"`
		Results  []string          `json:"results"`
	}
	if err := json.Unmarshal(out, &icu); err != nil {
		t.Fatalf("node's answer: %v", err)
	}
	if len(icu.Results) != len(cases) {
		t.Fatalf("node answered %d cases, want %d", len(icu.Results), len(cases))
	}
	t.Logf("%d cases against Node %s, ICU %s, CLDR %s (our table: CLDR %s)", len(cases),
		icu.Versions["node"], icu.Versions["icu"], icu.Versions["cldr"], CLDRVersion)
	var diffs []string
	for i, c := range cases {
		if got := New(c.Locale).Format(c.minor, c.Currency); got != icu.Results[i] {
			diffs = append(diffs, fmt.Sprintf("%s %s %s: got %+q, ICU %+q", c.Locale, c.Currency, c.Amount, got, icu.Results[i]))
		}
	}
	if len(diffs) > 0 {
		shown := diffs[:min(len(diffs), 30)]
		t.Errorf("%d of %d amounts differ from ICU %s (CLDR %s; the table is CLDR %s: regenerate it with go generate when Node's CLDR moved):\n%s",
			len(diffs), len(cases), icu.Versions["icu"], icu.Versions["cldr"], CLDRVersion, strings.Join(shown, "\n"))
	}
}

// decimalString is minor units as the exact decimal string ICU is given.
func decimalString(t *testing.T, minor int64, code string) string {
	t.Helper()
	digits, ok := currency.GetDigits(code)
	if !ok {
		t.Fatalf("unknown currency %s", code)
	}
	s := strconv.FormatInt(minor, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if digits == 0 {
		return sign + s
	}
	if len(s) <= int(digits) {
		s = strings.Repeat("0", int(digits)-len(s)+1) + s
	}
	return sign + s[:len(s)-int(digits)] + "." + s[len(s)-int(digits):]
}
