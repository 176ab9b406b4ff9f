package handlers

import (
	"strconv"
	"time"

	"github.com/returns-portal/returns/internal/datefmt"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// formatDate writes a date the way the language does (datefmt.Format, which
// the e-mails use too). TestFormatDateMatchesCLDR checks the result against
// Node's Intl.DateTimeFormat.
func formatDate(lang string, month func(time.Month) string, d returns.Date) string {
	return datefmt.Format(lang, month, d)
}

// formatDayMonth writes a day of the year the way the language does ("15
// November", "15. November", "15 de noviembre", "11月15日"), like
// formatDate without the year.
func formatDayMonth(lang string, month func(time.Month) string, d returns.MonthDay) string {
	if d.Month < 1 || d.Month > 12 {
		return strconv.Itoa(int(d.Month)) + "-" + strconv.Itoa(d.Day)
	}
	day, m := strconv.Itoa(d.Day), month(d.Month)
	switch lang {
	case "ja":
		return m + day + "日"
	case "de":
		return day + ". " + m
	case "es":
		return day + " de " + m
	}
	return day + " " + m
}

// monthName is a month's name in the shopper's language.
func (p *portal) monthName(m time.Month) string { return p.T("date.month." + strconv.Itoa(int(m))) }

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
	return map[string]any{"Date": p.date(returns.DateOf(t, t.Location())), "Time": t.Format("15:04"),
		"City": views.Isolate(city), "Zone": views.Isolate(returns.ZoneAbbreviation(t)),
		"UTC": views.Isolate(t.UTC().Format("2006-01-02 15:04") + " UTC")}
}
