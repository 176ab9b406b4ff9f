package returns

import (
	"errors"
	"testing"
)

func TestAutoRefundDue(t *testing.T) {
	eur := Quote{Currency: "EUR", ItemsRefund: 5000, Total: 5000}
	ret := func(s Status, q Quote, goodwill ...int64) Return {
		r := Return{Status: s, RefundMethod: MethodOriginalPayment, Quote: q}
		for _, g := range goodwill {
			r.Goodwill = append(r.Goodwill, Goodwill{Amount: g})
		}
		return r
	}
	rules := func(trigger string, max map[string]int64) EffectiveRules {
		return EffectiveRules{RefundTrigger: trigger, RefundTriggerMax: max}
	}
	tests := []struct {
		name  string
		e     EffectiveRules
		event string
		r     Return
		want  bool
	}{
		{"default inspected: never on a scan", rules(RefundOnInspected, nil), ParcelFirstScan, ret(StatusApproved, eur), false},
		{"default inspected: never on receipt", rules(RefundOnInspected, nil), ParcelReceived, ret(StatusReceived, eur), false},
		{"first scan on first scan", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusApproved, eur), true},
		{"first scan after the receipt", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusReceived, eur), true},
		{"first scan: receipt of a parcel never scanned", rules(RefundOnFirstScan, nil), ParcelReceived, ret(StatusReceived, eur), true},
		{"received: not on a scan", rules(RefundOnReceived, nil), ParcelFirstScan, ret(StatusApproved, eur), false},
		{"received on receipt", rules(RefundOnReceived, nil), ParcelReceived, ret(StatusReceived, eur), true},
		{"in review: never", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusRequested, eur), false},
		{"cancelled: never", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusCancelled, eur), false},
		{"already refunded: never again", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusRefunded, eur), false},
		{"nothing to pay back", rules(RefundOnFirstScan, nil), ParcelFirstScan, ret(StatusApproved, Quote{Currency: "EUR"}), false},
		{"unknown event", rules(RefundOnFirstScan, nil), "delivered", ret(StatusApproved, eur), false},
		{"below the limit", rules(RefundOnFirstScan, map[string]int64{"EUR": 5001}), ParcelFirstScan, ret(StatusApproved, eur), true},
		{"at the limit: staff", rules(RefundOnFirstScan, map[string]int64{"EUR": 5000}), ParcelFirstScan, ret(StatusApproved, eur), false},
		{"above the limit: staff", rules(RefundOnFirstScan, map[string]int64{"EUR": 100}), ParcelFirstScan, ret(StatusApproved, eur), false},
		{"goodwill counts toward the limit", rules(RefundOnFirstScan, map[string]int64{"EUR": 5500}), ParcelFirstScan,
			ret(StatusApproved, eur, 600), false},
		{"store credit bonus counts toward the limit", rules(RefundOnFirstScan, map[string]int64{"EUR": 5400}), ParcelFirstScan,
			Return{Status: StatusApproved, RefundMethod: MethodStoreCredit,
				Quote: Quote{Currency: "EUR", ItemsRefund: 5000, StoreCreditBonus: 500, Total: 5500}}, false},
		{"a currency without a limit waits for staff", rules(RefundOnFirstScan, map[string]int64{"USD": 100000}), ParcelFirstScan,
			ret(StatusApproved, eur), false},
		{"yen limit in whole yen", rules(RefundOnFirstScan, map[string]int64{"JPY": 10000}), ParcelFirstScan,
			ret(StatusApproved, Quote{Currency: "JPY", ItemsRefund: 9999, Total: 9999}), true},
		{"dinar limit in fils", rules(RefundOnReceived, map[string]int64{"KWD": 45750}), ParcelReceived,
			ret(StatusReceived, Quote{Currency: "KWD", ItemsRefund: 45750, Total: 45750}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AutoRefundDue(tt.e, tt.event, tt.r); got != tt.want {
				t.Fatalf("AutoRefundDue = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecideRefundOn(t *testing.T) {
	q := Quote{Currency: "EUR", ItemsRefund: 5000, Total: 5000}
	refunded := RefundDecision{Amount: 5000, Currency: "EUR", Method: MethodOriginalPayment, Status: StatusRefunded}
	tests := []struct {
		trigger string
		status  Status
		code    string
	}{
		{RefundOnFirstScan, StatusApproved, ""},
		{RefundOnFirstScan, StatusReceived, ""},
		{RefundOnFirstScan, StatusInspected, ""},
		{RefundOnFirstScan, StatusRequested, CodeNotInspected},
		{RefundOnFirstScan, StatusCancelled, CodeNotInspected},
		{RefundOnFirstScan, StatusRefunded, CodeNotInspected},
		{RefundOnReceived, StatusApproved, CodeNotInspected},
		{RefundOnReceived, StatusReceived, ""},
		{RefundOnReceived, StatusInspected, ""},
		{RefundOnInspected, StatusReceived, CodeNotInspected},
		{RefundOnInspected, StatusInspected, ""},
		{"", StatusApproved, CodeNotInspected},
		{"", StatusInspected, ""},
	}
	for _, tt := range tests {
		d, err := DecideRefundOn(Return{Status: tt.status, RefundMethod: MethodOriginalPayment, Quote: q}, tt.trigger)
		if tt.code != "" {
			var de *Error
			if !errors.As(err, &de) || de.Code != tt.code {
				t.Errorf("%s/%s: err = %v, want %s", tt.trigger, tt.status, err, tt.code)
			}
			continue
		}
		if err != nil || d != refunded {
			t.Errorf("%s/%s: %+v, %v", tt.trigger, tt.status, d, err)
		}
		// The machine allows the move the decision makes.
		if err := CheckTransition(tt.status, d.Status); err != nil {
			t.Errorf("%s/%s: %v", tt.trigger, tt.status, err)
		}
	}
}

func TestReceiveTarget(t *testing.T) {
	tests := []struct {
		status  Status
		arrived bool
		to      Status
		refusal string
	}{
		{StatusApproved, false, StatusReceived, ""},
		{StatusRefunded, false, StatusClosed, ""},
		{StatusCredited, false, StatusClosed, ""},
		{StatusRefunded, true, "", CodeAlreadyReceived},
		{StatusReceived, true, "", CodeAlreadyReceived},
		{StatusRequested, false, "", CodeNotApproved},
		{StatusCancelled, false, "", CodeReturnCancelled},
		{StatusRejected, false, "", CodeReturnClosed},
		{StatusClosed, false, "", CodeAlreadyReceived},
	}
	for _, tt := range tests {
		to, refusal := ReceiveTarget(tt.status, tt.arrived)
		if to != tt.to || refusal != tt.refusal {
			t.Errorf("%s arrived=%v: %q %q, want %q %q", tt.status, tt.arrived, to, refusal, tt.to, tt.refusal)
		}
		if to != "" {
			if err := CheckTransition(tt.status, to); err != nil {
				t.Errorf("%s → %s: %v", tt.status, to, err)
			}
		}
	}
}

func TestEffectiveRefundTrigger(t *testing.T) {
	legal := LoadLegal()
	first, yes := RefundOnFirstScan, true
	limits := map[string]int64{"EUR": 10000}
	p := Policy{Default: Rules{}, Regions: []Region{{Countries: []string{"DE"},
		Rules: Rules{RefundTrigger: &first, RefundTriggerMax: &limits, ReceiveOnDelivery: &yes}}}}
	if e := p.Effective(legal, "FR"); e.RefundTrigger != RefundOnInspected || e.ReceiveOnDelivery || e.RefundTriggerMax != nil {
		t.Errorf("default: %+v", e)
	}
	e := p.Effective(legal, "DE")
	if e.RefundTrigger != RefundOnFirstScan || !e.ReceiveOnDelivery || e.RefundTriggerMax["EUR"] != 10000 {
		t.Errorf("DE: %+v", e)
	}
	// The effective rules hold a copy: changing them leaves the policy.
	e.RefundTriggerMax["EUR"] = 1
	if limits["EUR"] != 10000 {
		t.Error("effective limits alias the policy's")
	}
}
