package returns

import (
	"errors"
	"testing"
)

func TestNormalizePostalCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sw1a 1aa", "SW1A1AA"},
		{" 10115 ", "10115"},
		{"1100-048", "1100-048"},
		{"K1A\u00a00B1", "K1A0B1"},     // a no-break space
		{"136\u3000-0082", "136-0082"}, // an ideographic space
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizePostalCode(tt.in); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckGiftRequest(t *testing.T) {
	tests := []struct {
		name      string
		req       QuoteRequest
		email     string
		want      string
		code, fld string
	}{
		{"store credit", qreq(MethodStoreCredit, true, item("A", 1, "wrong_size")), " kim@example.com ", "kim@example.com", "", ""},
		{"only exchanges: any method", qreq("", false, exch("A", 1, "wrong_size", "X")), "kim@example.com", "kim@example.com", "", ""},
		{"the buyer's card: refused", qreq(MethodOriginalPayment, false, item("A", 1, "wrong_size")), "kim@example.com", "",
			CodeGiftStoreCreditOnly, "refund_method"},
		{"a bank transfer: refused", qreq(MethodBankTransfer, false, exch("A", 1, "wrong_size", "X"), item("C", 1, "wrong_size")),
			"kim@example.com", "", CodeGiftStoreCreditOnly, "refund_method"},
		{"no e-mail", qreq(MethodStoreCredit, true, item("A", 1, "wrong_size")), "  ", "", CodeGiftEmail, "email"},
		{"not an e-mail", qreq(MethodStoreCredit, true, item("A", 1, "wrong_size")), "kim@", "", CodeGiftEmail, "email"},
		{"two addresses", qreq(MethodStoreCredit, true, item("A", 1, "wrong_size")), "a@x.com,b@y.com", "", CodeGiftEmail, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckGiftRequest(tt.req, tt.email)
			var de *Error
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("err %v", err)
			case tt.code != "" && (!errors.As(err, &de) || de.Code != tt.code || de.Field != tt.fld):
				t.Fatalf("err %v, want %s at %s", err, tt.code, tt.fld)
			case got != tt.want:
				t.Errorf("email %q, want %q", got, tt.want)
			}
		})
	}
}
