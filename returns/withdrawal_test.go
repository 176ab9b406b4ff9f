package returns

import (
	"errors"
	"testing"
)

// TestWithdrawalReason: the built-in withdrawal reason is accepted, without
// the policy listing it, on lines returnable on the statutory basis only,
// and priced like any reason that is not the merchant's fault.
func TestWithdrawalReason(t *testing.T) {
	de := quoteOrder(t, "DE", "", "EUR")
	us := quoteOrder(t, "US", "CA", "USD")
	op := MethodOriginalPayment
	tests := []struct {
		name  string
		o     Order
		req   QuoteRequest
		now   string
		code  string // "" = accepted
		field string
		total int64
	}{
		{"EU statutory line", de, qreq(op, false, item("A", 1, ReasonWithdrawal)), day5, "", "", 2250 - 495},
		{"EU whole order on the statutory basis", de, qreq(op, false, item("A", 2, ReasonWithdrawal), item("C", 1, ReasonWithdrawal)),
			day5, "", "", 4500 + 2500 - 495},
		{"EU final sale inside the statutory window", de, qreq(op, false, item("F", 1, ReasonWithdrawal)), day5, "", "", 2500 - 495},
		{"EU after the statutory window (policy basis)", de, qreq(op, false, item("A", 1, ReasonWithdrawal)), day20,
			CodeWithdrawalNotStatutory, "items[0].reason", 0},
		{"EU personalised (faulty only)", de, qreq(op, false, item("P", 1, ReasonWithdrawal)), day5,
			CodeWithdrawalNotStatutory, "items[0].reason", 0},
		{"final sale after the statutory window, beside a policy return", de,
			qreq(op, false, item("C", 1, "changed_mind"), item("F", 1, ReasonWithdrawal)), day20,
			CodeWithdrawalNotStatutory, "items[1].reason", 0},
		{"US: no statutory basis", us, qreq(op, false, item("A", 1, ReasonWithdrawal)), day5,
			CodeWithdrawalNotStatutory, "items[0].reason", 0},
		{"other unlisted reasons stay unknown", de, qreq(op, false, item("A", 1, "bored")), day5,
			CodeUnknownReason, "items[0].reason", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := engPolicy(t)
			if _, listed := p.Reason(ReasonWithdrawal); listed {
				t.Fatal("the fixture policy must not list the withdrawal reason")
			}
			q, err := BuildQuote(tt.o, p, LoadLegal(), History{}, tt.req, engTime(t, tt.now))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want a quote", err)
				}
				if q.Total != tt.total || q.Basis != BasisStatutory || q.RestockingFee != 0 {
					t.Errorf("got total %d basis %s restocking %d, want %d statutory 0", q.Total, q.Basis, q.RestockingFee, tt.total)
				}
				checkQuoteAddsUp(t, q)
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("got %v, want %s at %s", err, tt.code, tt.field)
			}
		})
	}
}

func TestWithdrawalFunction(t *testing.T) {
	legal := LoadLegal()
	for country, want := range map[string]bool{"DE": true, "PT": true, "NO": true, "GB": false, "US": false, "JP": false, "CH": false} {
		if got := legal.For(country, "").WithdrawalFunction(); got != want {
			t.Errorf("%s: withdrawal function %v, want %v", country, got, want)
		}
	}
}

func TestReturnIsWithdrawal(t *testing.T) {
	w := QuoteItem{LineID: "A", Quantity: 1, Reason: ReasonWithdrawal}
	other := QuoteItem{LineID: "B", Quantity: 1, Reason: "wrong_size"}
	tests := []struct {
		name  string
		items []QuoteItem
		want  bool
	}{
		{"no items", nil, false},
		{"withdrawal", []QuoteItem{w}, true},
		{"two withdrawn lines", []QuoteItem{w, {LineID: "C", Quantity: 2, Reason: ReasonWithdrawal}}, true},
		{"a plain return", []QuoteItem{other}, false},
		{"mixed", []QuoteItem{w, other}, false},
	}
	for _, tt := range tests {
		if got := (Return{Items: tt.items}).IsWithdrawal(); got != tt.want {
			t.Errorf("%s: IsWithdrawal() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
