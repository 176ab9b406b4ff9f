package datefmt

import (
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

// TestFormatPatterns: each language's order of day, month and year (the
// month names themselves are the locales', checked against CLDR with the
// whole pattern by handlers' TestFormatDateMatchesCLDR).
func TestFormatPatterns(t *testing.T) {
	month := func(m time.Month) string { return "<" + m.String() + ">" }
	d := returns.Date{Year: 2026, Month: 3, Day: 2}
	for lang, want := range map[string]string{
		"en": "2 <March> 2026",
		"fr": "2 <March> 2026",
		"ar": "2 <March> 2026",
		"de": "2. <March> 2026",
		"es": "2 de <March> de 2026",
		"ja": "2026年<March>2日",
		"xx": "2026-03-02", // no pattern: ISO 8601
	} {
		if got := Format(lang, month, d); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := Format("en", month, returns.Date{Year: 2026, Month: 13, Day: 1}); got != (returns.Date{Year: 2026, Month: 13, Day: 1}).String() {
		t.Errorf("an impossible month: %q", got)
	}
}
