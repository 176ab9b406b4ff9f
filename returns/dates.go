package returns

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// DateOf is the local calendar date of an instant in a time zone.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// dateFrom normalises a (possibly overflowing) year, month and day.
func dateFrom(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC), time.UTC)
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Time is local midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return dateFrom(d.Year, d.Month, d.Day+n) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// AddBusinessDays returns the date n business days later: Saturdays and
// Sundays are skipped, no holiday calendar is applied. Counting starts on the
// day after d, so a Friday plus 1 business day is the next Monday. n <= 0
// returns d.
func (d Date) AddBusinessDays(n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// AddMonths returns the same day n months later, clamped to the last day of
// the target month (January 31 + 1 month = February 28 or 29).
func (d Date) AddMonths(n int) Date {
	first := dateFrom(d.Year, d.Month+time.Month(n), 1)
	last := daysIn(first.Year, first.Month)
	day := d.Day
	if day > last {
		day = last
	}
	return Date{Year: first.Year, Month: first.Month, Day: day}
}

// daysIn is the number of days of a month.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Equal reports whether d and e are the same date.
func (d Date) Equal(e Date) bool { return d == e }

// String formats d as "2006-01-02".
func (d Date) String() string {
	return string(d.appendTo(make([]byte, 0, 10)))
}

// appendTo appends "2006-01-02" (what %04d-%02d-%02d writes; without fmt:
// every date of an offer's JSON goes through it).
func (d Date) appendTo(b []byte) []byte {
	pad := func(b []byte, n, width int) []byte {
		for w, m := 1, 10; w < width; w, m = w+1, m*10 {
			if n < m && n >= 0 {
				b = append(b, '0')
			}
		}
		return strconv.AppendInt(b, int64(n), 10)
	}
	b = pad(b, d.Year, 4)
	b = append(b, '-')
	b = pad(b, int(d.Month), 2)
	b = append(b, '-')
	return pad(b, d.Day, 2)
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t, time.UTC), nil
}

// MarshalJSON writes d as "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// laterDate returns the later of two optional dates.
func laterDate(a, b *Date) *Date {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.After(*a):
		return b
	}
	return a
}
