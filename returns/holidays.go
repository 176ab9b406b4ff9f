package returns

import "time"

// Values of the legal data's withdrawal.period_end_rule and of a policy's
// window_end_rule.
const (
	// PeriodEndAsCounted: the last day stands as counted (the default).
	PeriodEndAsCounted = "as_counted"
	// PeriodEndNextWorkingDay: a period whose last day is a Saturday, a
	// Sunday or a public holiday ends at the end of the next working day
	// (Regulation (EEC, Euratom) No 1182/71 art. 3(4), applied to the
	// withdrawal period by recital 41 of Directive 2011/83/EU).
	PeriodEndNextWorkingDay = "next_working_day"
)

// HolidayCalendar knows the public holidays of countries and, where holidays
// are regional, of their regions. The domain asks it and does nothing else
// with the outside world, so tests can hand it a calendar of their own.
type HolidayCalendar interface {
	// PublicHoliday reports whether d is a public holiday in country (ISO
	// 3166-1 alpha-2) and region (ISO 3166-2 code without the country
	// prefix). With an empty or unknown region only the nationwide holidays
	// count: a holiday of some regions cannot extend the period of a shopper
	// whose region is not known.
	PublicHoliday(country, region string, d Date) bool
	// Knows reports whether the calendar has the public holidays of country.
	// Where it has not, Saturdays and Sundays are the only days that move the
	// end of a period.
	Knows(country string) bool
}

// WorkingDay reports whether d is a working day for a shopper in country and
// region: neither a Saturday, nor a Sunday, nor a public holiday there.
func WorkingDay(cal HolidayCalendar, country, region string, d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return cal == nil || !cal.PublicHoliday(country, region, d)
}

// maxNonWorkingRun bounds the search for the next working day: no calendar
// has a run of non-working days this long, so a broken calendar that calls
// every day a holiday cannot hang a request.
const maxNonWorkingRun = 31

// PeriodEnd is the day a period whose counted last day is last really ends
// under rule, for a shopper in country and region: with
// PeriodEndNextWorkingDay, the first working day on or after last; with any
// other rule, last itself.
func PeriodEnd(last Date, rule string, cal HolidayCalendar, country, region string) Date {
	if rule != PeriodEndNextWorkingDay {
		return last
	}
	d := last
	for range maxNonWorkingRun {
		if WorkingDay(cal, country, region, d) {
			return d
		}
		d = d.AddDays(1)
	}
	return last
}

// What moves the end of a period in a country, as PeriodEndCoverage says.
const (
	// PeriodEndStands: nothing, the counted last day is the last day.
	PeriodEndStands = ""
	// PeriodEndWeekendsOnly: Saturdays and Sundays; the calendar has no
	// public holidays for the country, so a holiday does not (though the law
	// would let it).
	PeriodEndWeekendsOnly = "weekends"
	// PeriodEndWeekendsAndHolidays: Saturdays, Sundays and public holidays.
	PeriodEndWeekendsAndHolidays = "holidays"
)

// PeriodEndCoverage says what moves the end of a period under rule for a
// shopper in country, so that a page can say what PeriodEnd will do. An
// empty country (a page of the general rules) is told the rule itself:
// weekends and the public holidays of the shopper's country.
func PeriodEndCoverage(rule string, cal HolidayCalendar, country string) string {
	switch {
	case rule != PeriodEndNextWorkingDay:
		return PeriodEndStands
	case country == "" || cal != nil && cal.Knows(country):
		return PeriodEndWeekendsAndHolidays
	}
	return PeriodEndWeekendsOnly
}
