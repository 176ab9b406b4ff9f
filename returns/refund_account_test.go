package returns

import (
	"strings"
	"testing"
)

func TestCheckRefundDetails(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name                          string
		method, iban, holder, comment string
		wantIBAN, wantHolder          string
		wantCode, wantField           string
	}{
		{"card needs no account", MethodOriginalPayment, "", "", "", "", "", "", ""},
		{"store credit ignores a stray account", MethodStoreCredit, "nonsense", "x", "", "", "", "", ""},
		{"bank transfer, normalised", MethodBankTransfer, "de89 3704 0044 0532 0130 00", "  Anna Schmidt ", "",
			"DE89370400440532013000", "Anna Schmidt", "", ""},
		{"no holder", MethodBankTransfer, "DE89370400440532013000", "  ", "", "", "", CodeBankAccountRequired, "bank_account"},
		{"no IBAN", MethodBankTransfer, " ", "Anna", "", "", "", CodeBankAccountRequired, "bank_account"},
		{"bad checksum", MethodBankTransfer, "DE89370400440532013001", "Anna", "", "", "", CodeInvalidIBAN, "bank_account.iban"},
		{"holder at the limit", MethodBankTransfer, "DE89370400440532013000", long(MaxHolderLength), "",
			"DE89370400440532013000", long(MaxHolderLength), "", ""},
		{"holder over the limit", MethodBankTransfer, "DE89370400440532013000", long(MaxHolderLength + 1), "", "", "", CodeTooLong, "bank_account.holder"},
		{"comment at the limit", MethodOriginalPayment, "", "", long(MaxCommentLength), "", "", "", ""},
		{"comment over the limit", MethodOriginalPayment, "", "", long(MaxCommentLength + 1), "", "", CodeTooLong, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iban, holder, err := CheckRefundDetails(tt.method, tt.iban, tt.holder, tt.comment)
			code, field := "", ""
			if err != nil {
				code, field = err.Code, err.Field
			}
			if code != tt.wantCode || field != tt.wantField || iban != tt.wantIBAN || holder != tt.wantHolder {
				t.Errorf("got %q %q %s@%s, want %q %q %s@%s", iban, holder, code, field, tt.wantIBAN, tt.wantHolder, tt.wantCode, tt.wantField)
			}
		})
	}
}
