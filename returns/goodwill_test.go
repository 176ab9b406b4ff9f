package returns

import (
	"errors"
	"strings"
	"testing"
)

func goodwillOrder() Order {
	return Order{Number: "G-1", Currency: "EUR", Shipping: Shipping{Amount: 500},
		Lines: []Line{
			{ID: "A", Name: "Shirt", Quantity: 2, UnitPrice: 2500},                     // paid 5000
			{ID: "F", Name: "Final sale", Quantity: 1, UnitPrice: 3000, Discount: 500}, // paid 2500
		}}
}

func code(err error) string {
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func TestCheckGoodwill(t *testing.T) {
	o := goodwillOrder() // paid 5000 + 2500 + 500 shipping = 8000
	inspected := Return{Status: StatusInspected, Quote: Quote{Currency: "EUR", Total: 2500}}
	withSome := inspected
	withSome.Goodwill = []Goodwill{{Amount: 7000, Currency: "EUR", Reason: "x"}}
	tests := []struct {
		name string
		r    Return
		g    GoodwillRequest
		want string
	}{
		{"above the quote", inspected, GoodwillRequest{Amount: 1000, Reason: "courier lost the parcel"}, ""},
		{"ineligible item approved", inspected, GoodwillRequest{LineID: "F", Amount: 2500, Reason: "loyal customer"}, ""},
		{"before the parcel arrives", Return{Status: StatusApproved}, GoodwillRequest{Amount: 100, Reason: "r"}, ""},
		{"manual review", Return{Status: StatusRequested}, GoodwillRequest{Amount: 100, Reason: "r"}, ""},
		{"no reason", inspected, GoodwillRequest{Amount: 100}, CodeGoodwillReasonRequired},
		{"blank reason", inspected, GoodwillRequest{Amount: 100, Reason: " \t "}, CodeGoodwillReasonRequired},
		{"reason too long", inspected, GoodwillRequest{Amount: 100, Reason: strings.Repeat("x", MaxNotes+1)}, CodeNotesTooLong},
		{"zero", inspected, GoodwillRequest{Amount: 0, Reason: "r"}, CodeGoodwillInvalidAmount},
		{"negative", inspected, GoodwillRequest{Amount: -5, Reason: "r"}, CodeGoodwillInvalidAmount},
		{"unknown line", inspected, GoodwillRequest{LineID: "Z", Amount: 5, Reason: "r"}, CodeUnknownLine},
		{"more than the line was paid", inspected, GoodwillRequest{LineID: "F", Amount: 2501, Reason: "r"}, CodeGoodwillTooLarge},
		{"more than the order was paid", inspected, GoodwillRequest{Amount: 8001, Reason: "r"}, CodeGoodwillTooLarge},
		{"the whole order", inspected, GoodwillRequest{Amount: 8000, Reason: "r"}, ""},
		{"with earlier goodwill over the order", withSome, GoodwillRequest{Amount: 1001, Reason: "r"}, CodeGoodwillTooLarge},
		{"with earlier goodwill within the order", withSome, GoodwillRequest{Amount: 1000, Reason: "r"}, ""},
		{"after the refund", Return{Status: StatusRefunded}, GoodwillRequest{Amount: 100, Reason: "r"}, CodeGoodwillNotAllowed},
		{"after store credit", Return{Status: StatusCredited}, GoodwillRequest{Amount: 100, Reason: "r"}, CodeGoodwillNotAllowed},
		{"rejected", Return{Status: StatusRejected}, GoodwillRequest{Amount: 100, Reason: "r"}, CodeGoodwillNotAllowed},
		{"cancelled", Return{Status: StatusCancelled}, GoodwillRequest{Amount: 100, Reason: "r"}, CodeGoodwillNotAllowed},
	}
	for _, tt := range tests {
		if got := code(CheckGoodwill(o, tt.r, tt.g)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGoodwillPossible: the staff page offers goodwill exactly when
// CheckGoodwill would accept some amount.
func TestGoodwillPossible(t *testing.T) {
	o := goodwillOrder() // paid 8000
	with := func(s Status, granted int64) Return {
		r := Return{Status: s, Quote: Quote{Currency: "EUR"}}
		if granted > 0 {
			r.Goodwill = []Goodwill{{Amount: granted, Currency: "EUR", Reason: "x"}}
		}
		return r
	}
	tests := []struct {
		name string
		r    Return
		want bool
	}{
		{"inspected", with(StatusInspected, 0), true},
		{"in review", with(StatusRequested, 0), true},
		{"approved", with(StatusApproved, 0), true},
		{"received", with(StatusReceived, 0), true},
		{"some granted, some left", with(StatusInspected, 7999), true},
		{"everything paid granted already", with(StatusInspected, 8000), false},
		{"refunded", with(StatusRefunded, 0), false},
		{"credited", with(StatusCredited, 0), false},
		{"closed", with(StatusClosed, 0), false},
		{"rejected", with(StatusRejected, 0), false},
		{"cancelled", with(StatusCancelled, 0), false},
		{"expired", with(StatusExpired, 0), false},
	}
	for _, tt := range tests {
		if got := GoodwillPossible(o, tt.r); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if ok := CheckGoodwill(o, tt.r, GoodwillRequest{Amount: 1, Reason: "r"}) == nil; ok != tt.want {
			t.Errorf("%s: CheckGoodwill of the least amount accepted = %v, want %v", tt.name, ok, tt.want)
		}
	}
}

// TestDecideRefundWithGoodwill: goodwill is paid with the refund by the
// return's method, as its own amount; the rules' amount is unchanged.
func TestDecideRefundWithGoodwill(t *testing.T) {
	gw := []Goodwill{{Amount: 700, Currency: "EUR", Reason: "r"}, {LineID: "F", Amount: 300, Currency: "EUR", Reason: "s"}}
	tests := []struct {
		name                  string
		r                     Return
		amount, bonus, wantGW int64
		status                Status
		code                  string
	}{
		{"cash with goodwill", Return{Status: StatusInspected, RefundMethod: MethodOriginalPayment,
			Quote: Quote{Currency: "EUR", Total: 2500}, Goodwill: gw}, 2500, 0, 1000, StatusRefunded, ""},
		{"bank transfer with goodwill", Return{Status: StatusInspected, RefundMethod: MethodBankTransfer,
			Quote: Quote{Currency: "EUR", Total: 2500}, Goodwill: gw}, 2500, 0, 1000, StatusRefunded, ""},
		{"store credit: bonus and goodwill apart", Return{Status: StatusInspected, RefundMethod: MethodStoreCredit,
			Quote: Quote{Currency: "EUR", Total: 2750, StoreCreditBonus: 250}, Goodwill: gw}, 2500, 250, 1000, StatusCredited, ""},
		{"nothing accepted, goodwill only", Return{Status: StatusInspected, RefundMethod: MethodOriginalPayment,
			Quote: Quote{Currency: "EUR", Total: 0}, Goodwill: gw}, 0, 0, 1000, StatusRefunded, ""},
		{"nothing at all", Return{Status: StatusInspected, RefundMethod: MethodOriginalPayment,
			Quote: Quote{Currency: "EUR"}}, 0, 0, 0, "", CodeNothingToRefund},
		{"without goodwill as before", Return{Status: StatusInspected, RefundMethod: MethodOriginalPayment,
			Quote: Quote{Currency: "EUR", Total: 2500}}, 2500, 0, 0, StatusRefunded, ""},
		{"not inspected", Return{Status: StatusReceived, RefundMethod: MethodOriginalPayment,
			Quote: Quote{Currency: "EUR", Total: 2500}, Goodwill: gw}, 0, 0, 0, "", CodeNotInspected},
	}
	for _, tt := range tests {
		d, err := DecideRefund(tt.r)
		if got := code(err); got != tt.code {
			t.Errorf("%s: error %q, want %q", tt.name, got, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		if d.Amount != tt.amount || d.Bonus != tt.bonus || d.Goodwill != tt.wantGW || d.Status != tt.status {
			t.Errorf("%s: %+v", tt.name, d)
		}
		if d.Total() != tt.amount+tt.bonus+tt.wantGW {
			t.Errorf("%s: total %d", tt.name, d.Total())
		}
	}
}

// TestCheckRefundCap is the invariant: cash refunds by the rules never
// exceed what was paid for the order, across its returns; only recorded
// goodwill (and a store-credit bonus) goes above.
func TestCheckRefundCap(t *testing.T) {
	o := goodwillOrder() // paid 8000
	tests := []struct {
		name    string
		earlier int64
		d       RefundDecision
		want    string
	}{
		{"within", 0, RefundDecision{Amount: 5000}, ""},
		{"exactly what was paid", 0, RefundDecision{Amount: 8000}, ""},
		{"one cent over", 0, RefundDecision{Amount: 8001}, CodeRefundExceedsPaid},
		{"with earlier refunds", 6000, RefundDecision{Amount: 2000}, ""},
		{"over with earlier refunds", 6000, RefundDecision{Amount: 2001}, CodeRefundExceedsPaid},
		{"goodwill on top is allowed", 6000, RefundDecision{Amount: 2000, Goodwill: 5000}, ""},
		{"bonus on top is allowed", 0, RefundDecision{Amount: 8000, Bonus: 800}, ""},
		{"negative amount", 0, RefundDecision{Amount: -1}, CodeRefundExceedsPaid},
		{"negative goodwill", 0, RefundDecision{Amount: 1, Goodwill: -1}, CodeRefundExceedsPaid},
	}
	for _, tt := range tests {
		if got := code(CheckRefundCap(o, tt.earlier, tt.d)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckPhotos(t *testing.T) {
	p := Policy{Reasons: []Reason{{Code: "damaged", MerchantFault: true, PhotoRequired: true}, {Code: "wrong_size"}}}
	items := []QuoteItem{{LineID: "A", Quantity: 1, Reason: "wrong_size"}, {LineID: "B", Quantity: 1, Reason: "damaged"}}
	tests := []struct {
		name   string
		photos map[string]int
		want   string
		field  string
	}{
		{"required photo given", map[string]int{"B": 1}, "", ""},
		{"optional photos too", map[string]int{"A": 2, "B": 5}, "", ""},
		{"required photo missing", map[string]int{"A": 1}, CodePhotoRequired, "items[1].photos"},
		{"none at all", nil, CodePhotoRequired, "items[1].photos"},
		{"too many", map[string]int{"B": 6}, CodeTooManyPhotos, "items[1].photos"},
		{"photo of another line", map[string]int{"B": 1, "C": 1}, CodeUnknownLine, "photos"},
	}
	for _, tt := range tests {
		err := CheckPhotos(p, items, tt.photos)
		if got := code(err); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		var de *Error
		if errors.As(err, &de) && de.Field != tt.field {
			t.Errorf("%s: field %q, want %q", tt.name, de.Field, tt.field)
		}
	}
	// Without a photo-required reason nothing is needed.
	if err := CheckPhotos(p, items[:1], nil); err != nil {
		t.Error(err)
	}
}
