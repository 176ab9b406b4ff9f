package moneyfmt

import "testing"

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		locale   string
		unscaled int64
		scale    int
		want     string
	}{
		{"en", 1234567, 0, "1,234,567"},
		{"en", 253, 1, "25.3"},
		{"en", 5, 1, "0.5"},
		{"de", 1234567, 0, "1.234.567"},
		{"de", 253, 1, "25,3"},
		{"fr", 1234567, 0, "1\u202f234\u202f567"},
		{"es", 1234, 0, "1234"}, // minimum grouping digits: 2
		{"es", 12345, 0, "12.345"},
		{"ja", 1234567, 0, "1,234,567"},
		{"ar", 1234567, 0, "1,234,567"},
		{"ar-EG", 253, 1, "٢٥٫٣"},
		{"en-IN", 1234567, 0, "12,34,567"},
		{"en", -42, 0, "-42"},
		{"en", 0, 0, "0"},
	} {
		if got := New(c.locale).Number(c.unscaled, c.scale); got != c.want {
			t.Errorf("%s Number(%d, %d) = %q, want %q", c.locale, c.unscaled, c.scale, got, c.want)
		}
	}
}
