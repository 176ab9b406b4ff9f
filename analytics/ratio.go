package analytics

import (
	"math/big"
	"strings"
)

// Ratio is num/den kept as two integers: a report's rates are exact
// fractions of counts or of minor units, rounded only when written.
type Ratio struct {
	Num, Den int64
}

// Valid reports whether the ratio has a denominator.
func (r Ratio) Valid() bool { return r.Den > 0 }

// Scaled is num/den × 10^scale rounded half-up (away from zero for
// negative values), computed without overflow; ok is false without a
// denominator.
func (r Ratio) Scaled(scale int) (int64, bool) {
	if r.Den <= 0 {
		return 0, false
	}
	n := new(big.Int).Mul(big.NewInt(r.Num), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	d := big.NewInt(r.Den)
	neg := n.Sign() < 0
	n.Abs(n)
	// half-up: floor((2n + d) / 2d)
	n.Mul(n, big.NewInt(2)).Add(n, d)
	n.Quo(n, d.Mul(d, big.NewInt(2)))
	if neg {
		n.Neg(n)
	}
	return n.Int64(), true
}

// Decimal writes the ratio as a decimal number with scale places ("0.2534"
// for scale 4), for JSON; "" without a denominator.
func (r Ratio) Decimal(scale int) string {
	v, ok := r.Scaled(scale)
	if !ok {
		return ""
	}
	return FormatScaled(v, scale)
}

// FormatScaled writes unscaled × 10^-scale with a point and scale places.
func FormatScaled(unscaled int64, scale int) string {
	neg := unscaled < 0
	s := new(big.Int).Abs(big.NewInt(unscaled)).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
