package handlers

import (
	"errors"
	"time"

	"github.com/labstack/echo/v4"
)

// The staff area shows instants in the merchant's time zone: the timezone
// setting (an IANA name, edited at /admin/settings), UTC when unset. The
// shopper's portal is not affected (it shows dates in the shopper's own
// terms), nor are the legal refund deadlines (dates of the shopper's
// country, as the law counts them).

// SettingTimezone is the settings key of the staff area's time zone.
const SettingTimezone = "timezone"

// maxTimezone bounds the setting's length (the longest IANA names have
// about 30 characters).
const maxTimezone = 64

// parseTimezone checks an IANA time zone name: "" is UTC; "Local" (the
// server's own zone, which differs between machines) is refused.
func parseTimezone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if name == "Local" || len(name) > maxTimezone {
		return nil, errBadTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errBadTimezone
	}
	return loc, nil
}

var errBadTimezone = errors.New("unknown time zone")

// staffLoc is the staff area's time zone for this request.
func (a *admin) staffLoc(c echo.Context) *time.Location {
	if loc := a.site(c.Request().Context()).Location; loc != nil {
		return loc
	}
	return time.UTC
}

// staffTime is how the staff area shows an instant: in the staff area's
// time zone, to the minute, with the zone's abbreviation (or offset).
func staffTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
