package handlers

import (
	"math"
	"testing"
)

func TestContrastOnWhite(t *testing.T) {
	tests := []struct {
		hex  string
		want float64
	}{
		{"#000000", 21},
		{"#ffffff", 1},
		{"#1f5fbf", 6.09}, // the default accent
		{"#767676", 4.54},
		{"#777777", 4.48},
	}
	for _, tt := range tests {
		if got := contrastOnWhite(tt.hex); math.Abs(got-tt.want) > 0.05 {
			t.Errorf("contrastOnWhite(%s) = %.2f, want %.2f", tt.hex, got, tt.want)
		}
	}
}

func TestAccentColourMustBeReadable(t *testing.T) {
	tests := []struct {
		accent, wantErr string
	}{
		{"#1f5fbf", ""},
		{"#767676", ""},
		{"#777777", "admin.settings.error.accent_contrast"},
		{"#ffff00", "admin.settings.error.accent_contrast"},
		{"blue", "admin.settings.error.accent"},
		{"", ""},
	}
	for _, tt := range tests {
		_, errs := validateSiteForm(siteForm{Accent: tt.accent})
		if got := errs["accent_color"]; got != tt.wantErr {
			t.Errorf("accent %q: error %q, want %q", tt.accent, got, tt.wantErr)
		}
	}
}

func TestParseMinorTakesPlainAmountsOnly(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		ok      bool
	}{
		{"4.95", "EUR", 495, true},
		{"4,95", "EUR", 495, true},
		{"800", "JPY", 800, true},
		{"1.500", "KWD", 1500, true},
		{"4.955", "EUR", 0, false}, // more decimals than the currency has
		{"1.5e2", "EUR", 0, false},
		{"-5", "EUR", 0, false},
		{"NaN", "EUR", 0, false},
		{"Infinity", "EUR", 0, false},
		{"", "EUR", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseMinor(tt.in, tt.cur)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseMinor(%q, %s) = %d, %v; want %d, %v", tt.in, tt.cur, got, ok, tt.want, tt.ok)
		}
	}
}
