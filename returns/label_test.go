package returns

import (
	"errors"
	"testing"
)

func TestCheckLabel(t *testing.T) {
	tests := []struct {
		status Status
		code   string // "" when the return has a label
	}{
		{StatusRequested, CodeLabelNotReady},
		{StatusApproved, ""},
		{StatusReceived, ""},
		{StatusInspected, ""},
		{StatusRefunded, ""},
		{StatusCredited, ""},
		{StatusExchanged, ""},
		{StatusClosed, ""},
		{StatusCancelled, CodeLabelUnavailable},
		{StatusRejected, CodeLabelUnavailable},
		{StatusExpired, CodeLabelUnavailable},
		{Status(""), CodeLabelUnavailable},
		{Status("shipped"), CodeLabelUnavailable},
	}
	for _, tt := range tests {
		err := CheckLabel(tt.status)
		var de *Error
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("%q: %v, want a label", tt.status, err)
		case tt.code != "" && (!errors.As(err, &de) || de.Code != tt.code):
			t.Errorf("%q: %v, want %s", tt.status, err, tt.code)
		}
		if got := tt.status.HasLabel(); got != (tt.code == "") {
			t.Errorf("%q.HasLabel() = %v", tt.status, got)
		}
	}
}
