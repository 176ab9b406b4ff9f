package handlers

import (
	"testing"
)

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
