package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestOpenStatusList: the overdue filter's SQL names exactly the statuses
// whose refund the domain says is still owed.
func TestOpenStatusList(t *testing.T) {
	var inSQL []string
	for _, s := range strings.Split(strings.Trim(openStatusList, "()"), ",") {
		inSQL = append(inSQL, strings.Trim(strings.TrimSpace(s), "'"))
	}
	var owed []string
	for _, s := range []returns.Status{returns.StatusRequested, returns.StatusApproved, returns.StatusReceived,
		returns.StatusInspected, returns.StatusRefunded, returns.StatusCredited, returns.StatusExchanged,
		returns.StatusClosed, returns.StatusRejected, returns.StatusCancelled, returns.StatusExpired} {
		if s.RefundOwed() {
			owed = append(owed, string(s))
		}
	}
	slices.Sort(inSQL)
	slices.Sort(owed)
	if !slices.Equal(inSQL, owed) {
		t.Errorf("openStatusList names %v, the domain owes a refund in %v", inSQL, owed)
	}
}
