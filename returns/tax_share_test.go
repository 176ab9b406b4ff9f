package returns

import (
	"math"
	"testing"
)

func TestTaxIncluded(t *testing.T) {
	cases := []struct {
		name            string
		paid, tax, part int64
		want            int64
	}{
		{"whole line", 11900, 1900, 11900, 1900},
		{"one of two units", 23800, 3800, 11900, 1900},
		{"one of three units, half rounds up", 1000, 100, 335, 34}, // 33.5
		{"just below half rounds down", 1000, 100, 334, 33},        // 33.4
		{"no tax", 5000, 0, 2500, 0},
		{"nothing paid", 0, 0, 100, 0},
		{"nothing refunded", 5000, 800, 0, 0},
		{"negative part", 5000, 800, -10, 0},
		{"part above paid is held to paid", 5000, 800, 9000, 800},
		{"tax above paid is held to paid", 100, 500, 50, 50},
		{"yen", 3300, 300, 1100, 100},
		{"no overflow", math.MaxInt64 / 2, math.MaxInt64 / 4, math.MaxInt64 / 2, math.MaxInt64 / 4},
		{"large split", math.MaxInt64, math.MaxInt64 / 10, math.MaxInt64 / 2, math.MaxInt64 / 20},
	}
	for _, c := range cases {
		if got := TaxIncluded(c.paid, c.tax, c.part); got != c.want {
			t.Errorf("%s: TaxIncluded(%d, %d, %d) = %d, want %d", c.name, c.paid, c.tax, c.part, got, c.want)
		}
	}
}
