// Package datefmt writes dates the way each of the portal's languages
// does, for the pages (handlers) and the e-mails (notify) alike.
package datefmt

import (
	"strconv"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Format writes a date the way the language does ("19 November 2026",
// "19. November 2026", "19 de noviembre de 2026", "2026年11月19日"), with
// month names from month (the locales' "date.month.N", CLDR's); a language
// without a known pattern gets ISO 8601. handlers'
// TestFormatDateMatchesCLDR checks the result against Node's
// Intl.DateTimeFormat.
func Format(lang string, month func(time.Month) string, d returns.Date) string {
	if d.Month < 1 || d.Month > 12 {
		return d.String()
	}
	day, year, m := strconv.Itoa(d.Day), strconv.Itoa(d.Year), month(d.Month)
	switch lang {
	case "ja":
		return year + "年" + m + day + "日"
	case "de":
		return day + ". " + m + " " + year
	case "es":
		return day + " de " + m + " de " + year
	case "en", "fr", "ar":
		return day + " " + m + " " + year
	}
	return d.String()
}
