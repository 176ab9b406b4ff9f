package returns

import (
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
)

// The public holidays come from github.com/rickar/cal/v2 (BSD licence), a
// maintained library of holiday rules per country. It covers 21 of the 30
// EU and EEA markets of the legal data, nationwide, and Germany per Land as
// well. It has no calendar for Cyprus, Estonia, Finland, Hungary,
// Luxembourg, Malta, Portugal, Iceland and Liechtenstein: there only
// Saturdays and Sundays move the end of a period (Knows is false, and the
// policy page says so). Regional holidays outside Germany (Spain's
// autonomous communities, Alsace-Moselle, ...) are not in it either.
//
// Every day a country's list names counts, whatever the library calls its
// kind, and so does the substitute day the library gives for a holiday that
// falls on a weekend: Sweden's law on time limits treats Midsummer, Christmas
// and New Year's Eve like public holidays, Lithuania's Christmas Eve and All
// Souls' Day are days off, and a day too many only gives the shopper one day
// more.
var libraryNational = map[string][]*cal.Holiday{
	"AT": at.Holidays, "BE": be.Holidays, "BG": bg.Holidays, "CZ": cz.Holidays,
	"DE": de.Holidays, "DK": dk.Holidays, "ES": es.Holidays, "FR": fr.Holidays,
	"GR": gr.Holidays, "HR": hr.Holidays, "IE": ie.Holidays, "IT": it.Holidays,
	"LT": lt.Holidays, "LV": lv.Holidays, "NL": nl.Holidays, "NO": no.Holidays,
	"PL": pl.Holidays, "RO": ro.Holidays, "SE": se.Holidays, "SI": si.Holidays,
	"SK": sk.Holidays,
}

// libraryRegional lists, per country and ISO 3166-2 region, the holidays of
// regions whose holidays differ (each list includes the nationwide ones).
var libraryRegional = map[string]map[string][]*cal.Holiday{
	"DE": {
		"BW": de.HolidaysBW, "BY": de.HolidaysBY, "BE": de.HolidaysBE, "BB": de.HolidaysBB,
		"HB": de.HolidaysHB, "HH": de.HolidaysHH, "HE": de.HolidaysHE, "MV": de.HolidaysMV,
		"NI": de.HolidaysNI, "NW": de.HolidaysNW, "RP": de.HolidaysRP, "SL": de.HolidaysSL,
		"SN": de.HolidaysSN, "ST": de.HolidaysST, "SH": de.HolidaysSH, "TH": de.HolidaysTH,
	},
}

// LibraryCalendar is the HolidayCalendar of the holiday library above. The
// holidays of a country, region and year are computed once and kept.
type LibraryCalendar struct {
	mu    sync.RWMutex
	years map[calendarYear]map[Date]bool
}

// calendarYear is one list's year: a country's, or one of its regions'.
type calendarYear struct {
	country, region string
	year            int
}

var defaultCalendar = &LibraryCalendar{}

// DefaultCalendar is the calendar the portal uses unless told otherwise.
func DefaultCalendar() HolidayCalendar { return defaultCalendar }

// Knows reports whether the library has the public holidays of country.
func (c *LibraryCalendar) Knows(country string) bool {
	_, ok := libraryNational[country]
	return ok
}

// PublicHoliday reports whether d is a public holiday in country and region
// (the nationwide list where the region is empty or has no list of its own).
func (c *LibraryCalendar) PublicHoliday(country, region string, d Date) bool {
	list, ok := libraryRegional[country][region]
	if !ok {
		region = ""
		if list, ok = libraryNational[country]; !ok {
			return false
		}
	}
	// A substitute day can fall in the next year (a holiday on 31 December),
	// so the year before is asked as well.
	return c.days(country, region, d.Year, list)[d] || c.days(country, region, d.Year-1, list)[d]
}

// days are the dates of a list's holidays of one year, actual and substitute.
func (c *LibraryCalendar) days(country, region string, year int, list []*cal.Holiday) map[Date]bool {
	key := calendarYear{country, region, year}
	c.mu.RLock()
	set, ok := c.years[key]
	c.mu.RUnlock()
	if ok {
		return set
	}
	set = make(map[Date]bool, 2*len(list))
	for _, h := range list {
		actual, observed := h.Calc(year)
		for _, t := range [...]time.Time{actual, observed} {
			if !t.IsZero() { // zero: not a holiday that year
				y, m, dd := t.Date()
				set[Date{y, m, dd}] = true
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years == nil {
		c.years = map[calendarYear]map[Date]bool{}
	}
	c.years[key] = set
	return set
}
