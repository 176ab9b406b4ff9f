package analytics

import (
	"math"
	"testing"
)

func TestRatio(t *testing.T) {
	for _, c := range []struct {
		r     Ratio
		scale int
		want  string
	}{
		{Ratio{1, 4}, 4, "0.2500"},
		{Ratio{1, 3}, 4, "0.3333"},
		{Ratio{2, 3}, 4, "0.6667"},
		{Ratio{1, 8}, 2, "0.13"}, // 0.125 half-up
		{Ratio{-1, 8}, 2, "-0.13"},
		{Ratio{5, 4}, 1, "1.3"}, // above one: more returned than sold in the range
		{Ratio{0, 7}, 4, "0.0000"},
		{Ratio{7, 7}, 0, "1"},
		{Ratio{1, 0}, 4, ""},
		{Ratio{0, 0}, 4, ""},
		// No overflow where num × 10^scale leaves int64.
		{Ratio{math.MaxInt64, math.MaxInt64}, 4, "1.0000"},
		{Ratio{math.MaxInt64 / 3, math.MaxInt64}, 6, "0.333333"},
	} {
		if got := c.r.Decimal(c.scale); got != c.want {
			t.Errorf("%+v.Decimal(%d) = %q, want %q", c.r, c.scale, got, c.want)
		}
	}
	if _, ok := (Ratio{1, 0}).Scaled(2); ok {
		t.Error("a ratio without a denominator scaled")
	}
	if v, ok := (Ratio{253, 1000}).Scaled(3); !ok || v != 253 {
		t.Errorf("253/1000 per mille = %d %v", v, ok)
	}
}

func TestFormatScaled(t *testing.T) {
	for _, c := range []struct {
		v     int64
		scale int
		want  string
	}{{0, 0, "0"}, {5, 3, "0.005"}, {-5, 3, "-0.005"}, {12345, 2, "123.45"}, {100, 2, "1.00"}} {
		if got := FormatScaled(c.v, c.scale); got != c.want {
			t.Errorf("FormatScaled(%d, %d) = %q, want %q", c.v, c.scale, got, c.want)
		}
	}
}
