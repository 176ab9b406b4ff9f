package handlers

import (
	"strconv"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// Long date formats and month names per language (CLDR), for the dates the
// portal shows: "19 November 2026", "19. November 2026", "2026年11月19日".
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"ar": {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
}

// formatDate writes a date the way the language does; an unknown language
// gets ISO 8601.
func formatDate(lang string, d returns.Date) string {
	day, year := strconv.Itoa(d.Day), strconv.Itoa(d.Year)
	if lang == "ja" {
		return year + "年" + strconv.Itoa(int(d.Month)) + "月" + day + "日"
	}
	names, ok := monthNames[lang]
	if !ok || d.Month < 1 || d.Month > 12 {
		return d.String()
	}
	m := names[d.Month-1]
	switch lang {
	case "de":
		return day + ". " + m + " " + year
	case "es":
		return day + " de " + m + " de " + year
	}
	return day + " " + m + " " + year
}

// dateTime is an instant in the shopper's language for a message's {Date},
// {Time}, {City}, {Zone} and {UTC}: "19 June 2026", "14:05", "Lisbon",
// "WEST", "2026-06-19 13:05 UTC". zone is the IANA name of t's location
// (returns.ShopperZone), whose city names the zone readably. City, zone and
// UTC time are isolated (views.Isolate), so that a right-to-left sentence
// does not reorder their parts.
func (p *portal) dateTime(t time.Time, zone string) map[string]any {
	city := returns.ZoneCity(zone)
	if city == "" {
		city = zone
	}
	return map[string]any{"Date": formatDate(p.lang, returns.DateOf(t, t.Location())), "Time": t.Format("15:04"),
		"City": views.Isolate(city), "Zone": views.Isolate(returns.ZoneAbbreviation(t)),
		"UTC": views.Isolate(t.UTC().Format("2006-01-02 15:04") + " UTC")}
}
