package carriers

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/bojanz/currency"
)

// Amounts cross the platforms' APIs as decimal numbers ("8.20", 6.15);
// they are converted to and from minor units as text, never through a
// float, so that no cent is lost.

// digits is the number of decimals of a currency (2 when unknown).
func digits(code string) int {
	d, ok := currency.GetDigits(code)
	if !ok {
		return 2
	}
	return int(d)
}

// decimal writes minor units as a decimal number of the currency
// ("12.50", "1250" for JPY, "45.750" for KWD).
func decimal(minor int64, code string) json.Number {
	d := digits(code)
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return json.Number(s)
}

// minorUnits reads a decimal amount of a currency into minor units. More
// decimals than the currency has are refused unless they are zeros ("8.200"
// is 820 cents; "8.205" is not an amount of euros).
func minorUnits(s, code string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	d := digits(code)
	if len(frac) > d {
		if strings.Trim(frac[d:], "0") != "" {
			return 0, fmt.Errorf("amount %q has more than %d decimals", s, d)
		}
		frac = frac[:d]
	}
	for len(frac) < d {
		frac += "0"
	}
	if whole == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// ounces is a weight in grams as tenths of an ounce, rounded up (a label
// bought for less weight than the parcel has is surcharged by the
// carrier): 1 oz = 28.349523125 g exactly.
func ounces(grams int) json.Number {
	if grams <= 0 {
		grams = 1
	}
	const nanogramsPerOunce = 28_349_523_125 // 28.349523125 g
	tenths := (int64(grams)*10*1_000_000_000 + nanogramsPerOunce - 1) / nanogramsPerOunce
	return json.Number(strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10))
}

// kilograms is a weight in grams as kilograms with three decimals.
func kilograms(grams int) json.Number {
	if grams <= 0 {
		grams = 1
	}
	return json.Number(fmt.Sprintf("%d.%03d", grams/1000, grams%1000))
}
