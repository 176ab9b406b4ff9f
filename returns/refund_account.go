package returns

import "strings"

// Limits on the free text a return request carries.
const (
	MaxCommentLength = 2000
	MaxHolderLength  = 200
)

// Codes of CheckRefundDetails.
const (
	CodeBankAccountRequired = "bank_account_required"
	CodeInvalidIBAN         = "invalid_iban"
	CodeTooLong             = "too_long"
)

// CheckRefundDetails checks what a return request carries besides its
// items: a bank transfer needs an account holder and a valid IBAN (returned
// normalised, with the holder trimmed); other methods need neither; the
// holder and the comment have length limits. Field is the JSON path of the
// offending value.
func CheckRefundDetails(method, iban, holder, comment string) (normIBAN, normHolder string, err *Error) {
	if method == MethodBankTransfer {
		normHolder = strings.TrimSpace(holder)
		if normHolder == "" || strings.TrimSpace(iban) == "" {
			return "", "", &Error{Code: CodeBankAccountRequired, Field: "bank_account"}
		}
		var ok bool
		if normIBAN, ok = NormalizeIBAN(iban); !ok {
			return "", "", &Error{Code: CodeInvalidIBAN, Field: "bank_account.iban"}
		}
		if len(normHolder) > MaxHolderLength {
			return "", "", &Error{Code: CodeTooLong, Field: "bank_account.holder"}
		}
	}
	if len(comment) > MaxCommentLength {
		return "", "", &Error{Code: CodeTooLong, Field: "comment"}
	}
	return normIBAN, normHolder, nil
}
