package returns

import (
	"testing"
	"time"
)

func TestRefundOwedAndOverdue(t *testing.T) {
	due := time.Date(2026, 3, 22, 23, 0, 0, 0, time.UTC)
	before, at, after := due.Add(-time.Second), due, due.Add(time.Hour)
	tests := []struct {
		status    Status
		owed      bool
		canRefund bool // not refunded yet
	}{
		{StatusRequested, true, false},
		{StatusApproved, true, false},
		{StatusReceived, true, false},
		{StatusInspected, true, true},
		{StatusRefunded, false, false},
		{StatusCredited, false, false},
		{StatusExchanged, false, false},
		{StatusClosed, false, false},
		{StatusRejected, false, false},
		{StatusCancelled, false, false},
		{StatusExpired, false, false},
		{Status("bogus"), false, false},
	}
	for _, tt := range tests {
		if got := tt.status.RefundOwed(); got != tt.owed {
			t.Errorf("%s.RefundOwed() = %v", tt.status, got)
		}
		for _, c := range []struct {
			name string
			now  time.Time
			due  *time.Time
			want bool
		}{
			{"before the deadline passes", before, &due, false},
			{"the instant it passes", at, &due, tt.owed},
			{"after", after, &due, tt.owed},
			{"no legal deadline", after, nil, false},
		} {
			if got := RefundOverdue(tt.status, c.due, c.now); got != c.want {
				t.Errorf("%s %s: RefundOverdue = %v, want %v", tt.status, c.name, got, c.want)
			}
		}
		if got := CanRefund(tt.status, false); got != tt.canRefund {
			t.Errorf("CanRefund(%s, not refunded) = %v", tt.status, got)
		}
		if CanRefund(tt.status, true) {
			t.Errorf("CanRefund(%s, refunded) = true", tt.status)
		}
	}
}
