package returns

import "time"

// RefundOwed reports whether money is still owed on a return in this state:
// the shopper asked for it and the return was not called off, but it has
// not been paid back yet (requested, approved, received, inspected). The
// queue counts a return as overdue only then, and goodwill, which is paid
// with the refund, can be granted only then.
func (s Status) RefundOwed() bool {
	switch s {
	case StatusRequested, StatusApproved, StatusReceived, StatusInspected:
		return true
	}
	return false
}

// RefundOverdue reports whether a return's legal refund deadline has passed
// at now while its refund is still owed. overdueAt is the instant the
// deadline passes (OverdueFrom), nil where the law sets none.
func RefundOverdue(s Status, overdueAt *time.Time, now time.Time) bool {
	return overdueAt != nil && !now.Before(*overdueAt) && s.RefundOwed()
}

// CanRefund reports whether a return can be paid back now: it was
// inspected and has no refund yet (DecideRefund decides the amount).
func CanRefund(s Status, refunded bool) bool { return s == StatusInspected && !refunded }
