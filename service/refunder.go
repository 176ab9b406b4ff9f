package service

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/returns-portal/returns/returns"
)

// Refunder pays a return back. It runs inside the transaction that records
// the refund (store.Tx.Refund), so an error records nothing. An implementation
// that calls a payment provider must pass RefundOrder.IdempotencyKey to it,
// so that a retried call is still one payment.
type Refunder interface {
	Refund(ctx context.Context, o RefundOrder) (RefundReceipt, error)
}

// RefundOrder is what a Refunder is asked to pay.
type RefundOrder struct {
	RefundID       string
	IdempotencyKey string
	RMA            string
	OrderNumber    string
	Payment        returns.Payment
	BankIBAN       string
	Decision       returns.RefundDecision
}

// RefundReceipt is what a Refunder did: a provider's reference, or the code
// of the store credit it issued.
type RefundReceipt struct {
	Reference  string
	CreditCode string
}

// RecordRefunder is the built-in Refunder: it moves no money. It records
// the refund for the merchant to execute in their payment provider (the
// reference says so) and issues store credit as a random code worth the
// amount plus the bonus.
type RecordRefunder struct{}

// Refund implements Refunder.
func (RecordRefunder) Refund(_ context.Context, o RefundOrder) (RefundReceipt, error) {
	if o.Decision.Method == returns.MethodStoreCredit {
		code, err := creditCode()
		return RefundReceipt{CreditCode: code, Reference: "store_credit"}, err
	}
	return RefundReceipt{Reference: "manual:" + o.Decision.Method}, nil
}

// creditCode is a store-credit code such as "SC-7K3P-9XQ2-M4TZ" (60 random
// bits in Crockford base32).
func creditCode() (string, error) {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var s strings.Builder
	s.WriteString("SC")
	for i, c := range b {
		if i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[c&31])
	}
	return s.String(), nil
}
