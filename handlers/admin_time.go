package handlers

import (
	"time"

	"github.com/labstack/echo/v4"
)

// The staff area shows instants in the merchant's time zone: the timezone
// setting (an IANA name, edited at /admin/settings), UTC when unset. The
// shopper's portal is not affected (it shows dates in the shopper's own
// terms), nor are the legal refund deadlines (dates of the shopper's
// country, as the law counts them).

// staffLoc is the staff area's time zone for this request.
func (a *admin) staffLoc(c echo.Context) *time.Location {
	if loc := a.svc.Site(c.Request().Context()).Location; loc != nil {
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
