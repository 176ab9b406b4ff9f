package returns

import "testing"

func TestReceiveRefusal(t *testing.T) {
	tests := []struct {
		status Status
		want   string
	}{
		{StatusApproved, ""},
		{StatusRequested, CodeNotApproved},
		{StatusReceived, CodeAlreadyReceived},
		{StatusInspected, CodeAlreadyReceived},
		{StatusRefunded, CodeAlreadyReceived},
		{StatusCredited, CodeAlreadyReceived},
		{StatusExchanged, CodeAlreadyReceived},
		{StatusClosed, CodeAlreadyReceived},
		{StatusCancelled, CodeReturnCancelled},
		{StatusRejected, CodeReturnClosed},
		{StatusExpired, CodeReturnClosed},
	}
	for _, tt := range tests {
		if got := ReceiveRefusal(tt.status); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.status, got, tt.want)
		}
		// The refusal and the status machine agree.
		if can := CheckTransition(tt.status, StatusReceived) == nil; can != (tt.want == "") {
			t.Errorf("%s: refusal %q but transition allowed = %v", tt.status, tt.want, can)
		}
	}
}
