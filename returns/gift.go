package returns

import (
	"strings"
	"unicode"
)

// A gift's recipient returns it without the buyer's e-mail: the order is
// found by its number and the shipping postal code (the lookup compares
// NormalizePostalCode of both), and the return is settled in store credit
// sent to an e-mail address the recipient gives, or in exchanges. Prices,
// the buyer's e-mail and the payment are never shown to the recipient.

// Codes of CheckGiftRequest.
const (
	// CodeGiftStoreCreditOnly: a gift's items are refunded as store credit
	// (or exchanged), never to the buyer's payment.
	CodeGiftStoreCreditOnly = "gift_store_credit_only"
	// CodeGiftEmail: the address the store credit and the messages go to
	// is missing or not an address.
	CodeGiftEmail = "gift_email"
)

// NormalizePostalCode is a postal code as the gift lookup compares it:
// without spaces (any Unicode space) and in upper case ("sw1a 1aa" is
// "SW1A1AA").
func NormalizePostalCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckGiftRequest checks what a gift's recipient asks besides the items:
// refunded items go back as store credit (else gift_store_credit_only on
// refund_method), and email, where the credit and the messages go, is an
// address (else gift_email on email). It returns the address trimmed.
func CheckGiftRequest(req QuoteRequest, email string) (string, error) {
	refunds := false
	for _, it := range req.Items {
		refunds = refunds || !it.Exchanged()
	}
	if refunds && req.RefundMethod != MethodStoreCredit {
		return "", &Error{Code: CodeGiftStoreCreditOnly, Field: "refund_method"}
	}
	email = strings.TrimSpace(email)
	if email == "" || len(email) > maxEmail || hasDirectionControl(email) || !plausibleEmail(email) {
		return "", &Error{Code: CodeGiftEmail, Field: "email"}
	}
	return email, nil
}
