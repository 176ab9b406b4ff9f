package returns

import (
	"testing"
	"time"
)

// TestStatutoryLastDayPeriodEnd: the EU/EEA withdrawal period ends at the end
// of the next working day when its 14th day is a Saturday, a Sunday or a
// public holiday of the shopper's country, or of her region where the
// holiday is regional (dates checked against the German, Portuguese and
// British calendars of those years).
func TestStatutoryLastDayPeriodEnd(t *testing.T) {
	legal := LoadLegal()
	tests := []struct {
		name, country, region, delivered, want string
	}{
		{"day 14 on a weekday", "DE", "", "2026-03-02", "2026-03-16"},
		{"day 14 on a Saturday", "DE", "", "2026-03-07", "2026-03-23"},
		{"day 14 on a Sunday", "DE", "", "2026-03-08", "2026-03-23"},
		{"day 14 on Whit Monday (national)", "DE", "", "2026-05-11", "2026-05-26"},
		{"day 14 on Corpus Christi in Bavaria", "DE", "BY", "2026-05-21", "2026-06-05"},
		{"Corpus Christi without the region", "DE", "", "2026-05-21", "2026-06-04"},
		{"Corpus Christi in Berlin (not a holiday there)", "DE", "BE", "2026-05-21", "2026-06-04"},
		{"unknown region: national holidays only", "DE", "ZZ", "2026-05-21", "2026-06-04"},
		{"holiday followed by a weekend (German Unity, Friday)", "DE", "", "2025-09-19", "2025-10-06"},
		{"Good Friday, weekend, Easter Monday", "DE", "", "2026-03-20", "2026-04-07"},
		{"Christmas over the weekend", "DE", "", "2026-12-11", "2026-12-28"},
		{"New Year across the year end", "DE", "", "2026-12-18", "2027-01-04"},
		{"France: Ascension Thursday", "FR", "", "2026-04-30", "2026-05-15"},
		{"Spain: day 14 on 12 October", "ES", "", "2026-09-28", "2026-10-13"},
		{"Norway (EEA): Constitution Day on a Monday", "NO", "", "2027-05-03", "2027-05-18"},
		{"Portugal, no calendar: Saturday still moves", "PT", "", "2026-03-07", "2026-03-23"},
		{"Portugal, no calendar: Portugal Day stands", "PT", "", "2026-05-27", "2026-06-10"},
		{"GB has no period-end rule: a Saturday stands", "GB", "", "2026-03-07", "2026-03-21"},
		{"GB: Christmas stands", "GB", "", "2026-12-11", "2026-12-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := legal.StatutoryLastDay(tt.country, tt.region, *engDate(t, tt.delivered))
			if !ok || got.String() != tt.want {
				t.Errorf("delivered %s in %s-%s: got %v %v, want %s", tt.delivered, tt.country, tt.region, got, ok, tt.want)
			}
		})
	}
}

// fakeCalendar calls the listed dates public holidays of the listed
// countries (region "" = nationwide).
type fakeCalendar map[string][]string

func (f fakeCalendar) Knows(country string) bool {
	_, ok := f[country]
	return ok
}

func (f fakeCalendar) PublicHoliday(country, region string, d Date) bool {
	for _, key := range []string{country, country + "-" + region} {
		for _, s := range f[key] {
			if s == d.String() {
				return true
			}
		}
	}
	return false
}

// TestStatutoryLastDayAsksTheCalendar: the deadline follows the calendar the
// legal data is given, regional days only for the region.
func TestStatutoryLastDayAsksTheCalendar(t *testing.T) {
	legal := LoadLegal().WithCalendar(fakeCalendar{"IT": {"2026-03-16", "2026-03-17"}, "IT-21": {"2026-03-18"}})
	mon := Date{2026, time.March, 2}
	for _, tt := range []struct{ country, region, want string }{
		{"IT", "", "2026-03-18"},
		{"IT", "21", "2026-03-19"},
		{"IT", "88", "2026-03-18"},
		{"AT", "", "2026-03-16"}, // the fake does not know Austria: weekends only
	} {
		got, _ := legal.StatutoryLastDay(tt.country, tt.region, mon)
		if got.String() != tt.want {
			t.Errorf("%s-%s: got %v, want %s", tt.country, tt.region, got, tt.want)
		}
	}
	if LoadLegal().Calendar() != DefaultCalendar() {
		t.Error("the embedded legal data does not use the default calendar")
	}
}

func TestPeriodEnd(t *testing.T) {
	cal := fakeCalendar{"DE": {"2026-03-16"}}
	sat := Date{2026, time.March, 14}
	tests := []struct {
		name string
		last Date
		rule string
		cal  HolidayCalendar
		want string
	}{
		{"as counted", sat, PeriodEndAsCounted, cal, "2026-03-14"},
		{"no rule", sat, "", cal, "2026-03-14"},
		{"unknown rule keeps the day", sat, "next_business_day", cal, "2026-03-14"},
		{"Saturday, Sunday, holiday", sat, PeriodEndNextWorkingDay, cal, "2026-03-17"},
		{"no calendar: weekends only", sat, PeriodEndNextWorkingDay, nil, "2026-03-16"},
		{"a working day stands", Date{2026, time.March, 13}, PeriodEndNextWorkingDay, cal, "2026-03-13"},
		{"a calendar of holidays only gives up", sat, PeriodEndNextWorkingDay, everyDay{}, "2026-03-14"},
	}
	for _, tt := range tests {
		if got := PeriodEnd(tt.last, tt.rule, tt.cal, "DE", ""); got.String() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.name, got, tt.want)
		}
	}
}

type everyDay struct{}

func (everyDay) Knows(string) bool                       { return true }
func (everyDay) PublicHoliday(string, string, Date) bool { return true }

// TestLibraryCalendar checks the library's days against the official
// calendars of 2026 (and a substitute day, and a holiday that ended).
func TestLibraryCalendar(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		country, region, date string
		want                  bool
	}{
		{"DE", "", "2026-10-03", true},
		{"DE", "", "2026-01-06", false},
		{"DE", "BY", "2026-01-06", true},
		{"DE", "BW", "2026-11-01", true},
		{"DE", "SN", "2026-11-18", true}, // Buß- und Bettag, Saxony only
		{"DE", "", "2026-11-18", false},
		{"DE", "TH", "2026-09-20", true}, // Weltkindertag, Thuringia only
		{"FR", "", "2026-07-14", true},
		{"IT", "", "2026-06-02", true},
		{"ES", "", "2026-10-12", true},
		{"NL", "", "2026-04-27", true},  // Koningsdag
		{"SE", "", "2026-06-19", true},  // Midsommarafton
		{"BG", "", "2026-09-07", true},  // substitute for 6 September (Sunday)
		{"DK", "", "2026-05-01", false}, // no public holiday in Denmark
		{"DK", "", "2023-05-05", true},  // Store bededag, abolished from 2024
		{"DK", "", "2024-04-26", false},
		{"IE", "", "2026-02-02", true},  // Saint Brigid's Day
		{"PT", "", "2026-06-10", false}, // not in the library
		{"GB", "", "2026-12-25", false}, // not a market of the rule
		{"DE", "", "2026-03-16", false},
	}
	for _, tt := range tests {
		if got := c.PublicHoliday(tt.country, tt.region, *engDate(t, tt.date)); got != tt.want {
			t.Errorf("%s-%s %s: got %v, want %v", tt.country, tt.region, tt.date, got, tt.want)
		}
	}
}

// TestLibraryCalendarCoverage lists the EU and EEA markets whose holidays
// the library knows; a market that gains or loses a calendar must change
// this list and the policy page's wording with it.
func TestLibraryCalendarCoverage(t *testing.T) {
	legal, c := LoadLegal(), DefaultCalendar()
	missing := map[string]bool{"CY": true, "EE": true, "FI": true, "HU": true, "LU": true,
		"MT": true, "PT": true, "IS": true, "LI": true}
	for _, g := range []string{"EU", "EEA_EFTA"} {
		m := legal.For(legal.Groups[g][0], "")
		if m.Withdrawal == nil || m.Withdrawal.PeriodEndRule != PeriodEndNextWorkingDay {
			t.Errorf("%s: period_end_rule %+v", g, m.Withdrawal)
		}
		for _, country := range legal.Groups[g] {
			if c.Knows(country) == missing[country] {
				t.Errorf("%s: Knows = %v", country, c.Knows(country))
			}
		}
	}
}

func TestPeriodEndCoverage(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		rule, country, want string
	}{
		{PeriodEndNextWorkingDay, "DE", PeriodEndWeekendsAndHolidays},
		{PeriodEndNextWorkingDay, "PT", PeriodEndWeekendsOnly},
		{PeriodEndNextWorkingDay, "", PeriodEndWeekendsAndHolidays},
		{PeriodEndAsCounted, "DE", PeriodEndStands},
		{"", "DE", PeriodEndStands},
	}
	for _, tt := range tests {
		if got := PeriodEndCoverage(tt.rule, cal, tt.country); got != tt.want {
			t.Errorf("%q %q: %q, want %q", tt.rule, tt.country, got, tt.want)
		}
	}
	if got := PeriodEndCoverage(PeriodEndNextWorkingDay, nil, "DE"); got != PeriodEndWeekendsOnly {
		t.Errorf("no calendar: %q", got)
	}
}

// TestLegalPeriodEndRules: every market's rule is one PeriodEnd knows, so a
// misspelt rule in the data cannot quietly keep the counted day.
func TestLegalPeriodEndRules(t *testing.T) {
	for _, m := range LoadLegal().Markets {
		if w := m.Withdrawal; w != nil {
			switch w.PeriodEndRule {
			case "", PeriodEndAsCounted, PeriodEndNextWorkingDay:
			default:
				t.Errorf("%s: period_end_rule %q", m.Code, w.PeriodEndRule)
			}
		}
	}
}
