package handlers

import (
	"time"

	"github.com/labstack/echo/v4"
)

// The staff area shows instants in the merchant's time zone
// (service.StaffZone): the timezone setting (an IANA name, edited at
// /admin/settings), else the zone of the default return hub's address,
// else UTC. The shopper's portal is not affected (it shows dates in the
// shopper's own terms), nor are the legal refund deadlines (dates of the
// shopper's country, as the law counts them).

// ctxStaffZone keeps the request's zone: a page asks for it several times.
const ctxStaffZone = "staff_zone"

// staffLoc is the staff area's time zone for this request.
func (a *admin) staffLoc(c echo.Context) *time.Location {
	if loc, ok := c.Get(ctxStaffZone).(*time.Location); ok {
		return loc
	}
	loc, _ := a.svc.StaffZone(c.Request().Context())
	c.Set(ctxStaffZone, loc)
	return loc
}

// staffTime is how the staff area shows an instant: in the staff area's
// time zone, to the minute, with the zone's abbreviation (or offset).
func staffTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
