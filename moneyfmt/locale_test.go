package moneyfmt

import "testing"

func TestLocale(t *testing.T) {
	tests := []struct {
		name, page, order, want string
	}{
		{"the order's language: its full locale", "de", "de-CH", "de-CH"},
		{"switched language: the page's with the order's region", "fr", "de-CH", "fr-CH"},
		{"switched to English", "en", "de-DE", "en-DE"},
		{"Arabic order in Arabic", "ar", "ar-SA", "ar-SA"},
		{"no order: the page's language", "de", "", "de"},
		{"order without region", "fr", "de", "fr"},
		{"order without region, same language", "de", "de", "de"},
		{"order in a language the portal lacks", "en", "pt-BR", "en-BR"},
		{"script and extensions dropped", "ja", "zh-Hant-TW-u-nu-hanidec", "ja-TW"},
		{"macro-region kept", "en", "es-419", "en-419"},
		{"lower-case region", "es", "es-mx", "es-MX"},
		{"invalid order locale", "es", "not a tag", "es"},
		{"page given as a full tag", "de-AT", "fr-CH", "de-CH"},
		{"invalid page: English", "", "de-CH", "en-CH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Locale(tt.page, tt.order); got != tt.want {
				t.Errorf("Locale(%q, %q) = %q, want %q", tt.page, tt.order, got, tt.want)
			}
		})
	}
}
