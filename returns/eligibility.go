package returns

import (
	"slices"
	"strconv"
	"time"
)

// First-day conventions of the legal data's withdrawal.first_day.
const (
	firstDayAfterReceipt = "day_after_receipt"
	firstDayReceiptIsOne = "receipt_day_is_day_1"
	unitBusiness         = "business"
)

// orderContext is what every per-line decision of one order shares.
type orderContext struct {
	legal   *Legal
	market  *Market
	rules   EffectiveRules
	loc     *time.Location
	zone    string
	today   Date
	deliv   *Date // local delivery date, nil when not delivered
	statEnd *Date // last day of the statutory window
	merEnd  *Date // last day of the merchant window (holiday extension included)
	// merExtended: the holiday extension set merEnd.
	merExtended bool
	faulty      *Date // last day of the faulty-goods period
}

func newOrderContext(o Order, p Policy, legal *Legal, now time.Time) orderContext {
	country, region := o.ShippingAddress.Country, o.ShippingAddress.Region
	c := orderContext{legal: legal, market: legal.For(country, region)}
	c.rules = p.Effective(legal, country)
	c.loc, c.zone = ZoneFor(country, region)
	c.today = DateOf(now, c.loc)
	if o.DeliveredAt == nil {
		return c
	}
	d := DateOf(*o.DeliveredAt, c.loc)
	c.deliv = &d
	if end, ok := legal.StatutoryLastDay(country, region, d); ok {
		c.statEnd = &end
	}
	if end, extended, ok := merchantLastDay(o, p, c.rules, c.loc, legal.Calendar()); ok {
		c.merEnd, c.merExtended = &end, extended
	}
	if c.market != nil && c.market.FaultyClaimMonths > 0 {
		end := d.AddMonths(c.market.FaultyClaimMonths)
		c.faulty = &end
	}
	return c
}

// StatutoryLastDay is the last day of the statutory withdrawal window of a
// shopper in country and region who received the goods on the local date
// delivered: delivery + N days (N − 1 where the receipt day is day 1), in
// business days where the unit is "business", then moved by the market's
// period-end rule (PeriodEnd: to the next working day where the law says so).
// It is the one place that computes the statutory deadline; false where the
// market has no statutory right on this portal.
func (l *Legal) StatutoryLastDay(country, region string, delivered Date) (Date, bool) {
	w := l.For(country, region).StatutoryWithdrawal()
	if w == nil || w.Days <= 0 {
		return Date{}, false
	}
	n := w.Days
	if w.FirstDay == firstDayReceiptIsOne {
		n--
	}
	last := delivered.AddDays(n)
	if w.Unit == unitBusiness {
		last = delivered.AddBusinessDays(n)
	}
	return PeriodEnd(last, w.PeriodEndRule, l.Calendar(), country, region), true
}

// merchantLastDay is the last day of the merchant's window: the start event's
// local date + window_days (inclusive), or the holiday extension's date when
// that is later, moved by the policy's window_end_rule (PeriodEnd; by
// default the day stands). A window of 0 days or less is no window.
// extended reports that the holiday extension set the day.
func merchantLastDay(o Order, p Policy, r EffectiveRules, loc *time.Location, cal HolidayCalendar) (last Date, extended, ok bool) {
	if r.WindowDays <= 0 {
		return Date{}, false, false
	}
	start := *o.DeliveredAt
	switch r.WindowStarts {
	case StartOrder:
		start = o.PlacedAt
	case StartShipment:
		if o.ShippedAt != nil {
			start = *o.ShippedAt
		}
	}
	end := DateOf(start, loc).AddDays(r.WindowDays)
	if until, ok := p.HolidayExtension.extendedUntil(DateOf(o.PlacedAt, loc)); ok && until.After(end) {
		end, extended = until, true
	}
	a := o.ShippingAddress
	return PeriodEnd(end, r.WindowEndRule, cal, a.Country, a.Region), extended, true
}

// extendedUntil returns the holiday extension's date for an order placed on
// the local date placed: the first Until date on or after the placing date,
// when placed lies between From and To (inclusive; a range such as 12-01 to
// 01-15 wraps the year end). Malformed dates disable the extension.
func (h *HolidayExtension) extendedUntil(placed Date) (Date, bool) {
	if h == nil {
		return Date{}, false
	}
	fm, fd, ok1 := parseMonthDay(h.From)
	tm, td, ok2 := parseMonthDay(h.To)
	um, ud, ok3 := parseMonthDay(h.Until)
	if !ok1 || !ok2 || !ok3 {
		return Date{}, false
	}
	key := func(m time.Month, d int) int { return int(m)*100 + d }
	pk, from, to := key(placed.Month, placed.Day), key(fm, fd), key(tm, td)
	in := from <= pk && pk <= to
	if from > to { // wraps the year end
		in = pk >= from || pk <= to
	}
	if !in {
		return Date{}, false
	}
	until := monthDayIn(placed.Year, um, ud)
	if until.Before(placed) {
		until = monthDayIn(placed.Year+1, um, ud)
	}
	return until, true
}

// monthDayIn is month-day in a year, clamped to the month's end (02-29 in a
// common year is February 28).
func monthDayIn(y int, m time.Month, d int) Date {
	if last := daysIn(y, m); d > last {
		d = last
	}
	return Date{Year: y, Month: m, Day: d}
}

// parseMonthDay parses "MM-DD".
func parseMonthDay(s string) (time.Month, int, bool) {
	if len(s) != 5 || s[2] != '-' {
		return 0, 0, false
	}
	m, err1 := strconv.Atoi(s[:2])
	d, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(2024, time.Month(m)) {
		return 0, 0, false
	}
	return time.Month(m), d, true
}

func copyDate(d *Date) *Date {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}

// sealedClass: exempt only once unsealed, so returnable under the statutory
// right while still sealed.
func sealedClass(class string) bool {
	return class == "hygiene_sealed" || class == "media_sealed"
}

// Evaluate decides, for every line of the order in order, whether it can be
// returned now and on which basis. The first code that applies wins:
//
//	fully_returned > not_delivered > ok > faulty_only > exempt_by_law >
//	excluded_category > final_sale > window_closed
//
// ok: a return without fault is allowed on the statutory basis (inside the
// market's withdrawal window, unless the law exempts the line's class;
// hygiene_sealed and media_sealed lines are then returnable while sealed) or
// on the merchant's (inside the policy window, unless the category is
// excluded, the line is final sale, or it carries any exemption class).
// faulty_only: not returnable without fault but inside the faulty-goods
// period; BlockedBy names what blocks a return without fault. Days are local
// dates in the shopper's zone (ZoneFor); the windows include their last day.
//
// Deadline is the later last day of the windows whose rules would let this
// line be returned without fault (it may be in the past: window_closed, or
// faulty_only blocked by window_closed), nil when no window would;
// HolidayExtension says that the policy's holiday extension set it; StatutoryDeadline is set wherever the market has a
// statutory window. ReturnableQuantity is the real remaining quantity even
// when the line is blocked; Eligible says whether it can be returned now.
func Evaluate(o Order, p Policy, legal *Legal, h History, now time.Time) []LineEligibility {
	c := newOrderContext(o, p, legal, now)
	out := make([]LineEligibility, 0, len(o.Lines))
	for _, l := range o.Lines {
		out = append(out, c.evaluate(l, h))
	}
	return out
}

func (c *orderContext) evaluate(l Line, h History) LineEligibility {
	e := LineEligibility{LineID: l.ID, TimeZone: c.zone}
	e.ReturnableQuantity = max(l.Quantity-h.Held(l.ID), 0)
	if e.ReturnableQuantity == 0 {
		e.Code = CodeFullyReturned
		return e
	}
	if c.deliv == nil {
		e.Code = CodeNotDelivered
		return e
	}
	e.StatutoryDeadline = copyDate(c.statEnd)

	lawExempt, statRules, merRules, statOpen, merOpen := c.windows(l)

	var dl *Date
	if statRules {
		dl = c.statEnd
	}
	if merRules {
		dl = laterDate(dl, c.merEnd)
	}
	extended := merRules && c.merExtended && dl == c.merEnd
	dl = copyDate(dl) // results never share a pointer

	switch {
	case statOpen || merOpen:
		e.Eligible, e.Code, e.Deadline = true, CodeOK, dl
		e.HolidayExtension = extended
		e.Basis = BasisPolicy
		if statOpen {
			e.Basis = BasisStatutory
			e.SealedOnly = lawExempt && sealedClass(l.Exemption)
		}
	case c.faulty != nil && !c.today.After(*c.faulty):
		e.Eligible, e.Code, e.Basis = true, CodeFaultyOnly, BasisPolicy
		e.BlockedBy = c.blockedBy(l, lawExempt)
		e.Deadline, e.HolidayExtension = dl, extended
	default:
		e.Code = c.blockedBy(l, lawExempt)
		e.Deadline, e.HolidayExtension = dl, extended
	}
	return e
}

// windows says which windows' rules would let a line be returned without
// fault (time aside), and which of them are open today; lawExempt is set
// when the law exempts the line's class. Evaluate and LawOnly decide with it.
func (c *orderContext) windows(l Line) (lawExempt, statRules, merRules, statOpen, merOpen bool) {
	lawExempt = c.market.ExemptClass(l.Exemption)
	statRules = c.statEnd != nil && (!lawExempt || sealedClass(l.Exemption))
	merRules = c.merEnd != nil && c.blocker(l) == ""
	statOpen = statRules && !c.today.After(*c.statEnd)
	merOpen = merRules && !c.today.After(*c.merEnd)
	return lawExempt, statRules, merRules, statOpen, merOpen
}

// blocker is what keeps a line out of the merchant's window: an exemption
// class, an excluded category or a final sale; "" when nothing does.
func (c *orderContext) blocker(l Line) string {
	switch {
	case l.Exemption != "":
		if c.market.ExemptClass(l.Exemption) {
			return CodeExemptByLaw
		}
		return CodeExcludedCategory
	case slices.Contains(c.rules.ExcludedCategories, l.Category):
		return CodeExcludedCategory
	case l.FinalSale && !c.rules.FinalSaleReturnable:
		return CodeFinalSale
	}
	return ""
}

// blockedBy is the code that blocks a return without fault, in precedence
// order exempt_by_law > excluded_category > final_sale > window_closed.
func (c *orderContext) blockedBy(l Line, lawExempt bool) string {
	if lawExempt {
		return CodeExemptByLaw
	}
	if b := c.blocker(l); b != "" {
		return b
	}
	return CodeWindowClosed
}
