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
