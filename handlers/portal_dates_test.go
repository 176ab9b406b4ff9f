package handlers

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
)

// TestFormatDateMatchesCLDR: the portal writes every month's dates in each
// language, with and without the year, as CLDR does (Node's Intl.DateTimeFormat wrote the fixture:
// locales/testdata/cldr-dates.mjs), with the month names of locales/.
func TestFormatDateMatchesCLDR(t *testing.T) {
	raw, err := os.ReadFile("../locales/testdata/cldr-dates.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixture struct {
		Languages map[string]struct {
			Dates []struct{ Date, Text string }
			Days  []struct{ Date, Text string }
		}
	}
	if err := json.Unmarshal(raw, &fixture); err != nil {
		t.Fatal(err)
	}
	catalog, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(fixture.Languages) != len(locales.Languages()) {
		t.Errorf("the fixture has %d languages, the portal %d", len(fixture.Languages), len(locales.Languages()))
	}
	for lang, l := range fixture.Languages {
		loc := catalog.NewLocalizer(lang)
		month := func(m time.Month) string { return translate(loc, "date.month."+strconv.Itoa(int(m)), "") }
		if len(l.Dates) != 12 {
			t.Errorf("%s: %d dates in the fixture", lang, len(l.Dates))
		}
		for _, d := range l.Dates {
			date, err := returns.ParseDate(d.Date)
			if err != nil {
				t.Fatal(err)
			}
			if got := formatDate(lang, month, date); got != d.Text {
				t.Errorf("%s %s: %q, CLDR says %q", lang, d.Date, got, d.Text)
			}
		}
		// The day of the year without the year (the policy page's holiday
		// season).
		if len(l.Days) != 12 {
			t.Errorf("%s: %d days of the year in the fixture", lang, len(l.Days))
		}
		for _, d := range l.Days {
			date, err := returns.ParseDate(d.Date)
			if err != nil {
				t.Fatal(err)
			}
			if got := formatDayMonth(lang, month, returns.MonthDay{Month: date.Month, Day: date.Day}); got != d.Text {
				t.Errorf("%s %s without the year: %q, CLDR says %q", lang, d.Date, got, d.Text)
			}
		}
	}
	// A language without a pattern gets ISO 8601.
	if got := formatDate("xx", func(time.Month) string { return "?" }, returns.Date{Year: 2026, Month: 3, Day: 2}); got != "2026-03-02" {
		t.Errorf("unknown language: %q", got)
	}
}
