package payments

import (
	"context"
	"crypto/rand"
	"strings"
)

// manual moves no money: it records the refund for the merchant to execute
// in their payment provider or bank (the reference says so).
type manual struct{}

func (manual) Refund(_ context.Context, r Request) (Result, error) {
	return Result{Reference: "manual:" + r.Method}, nil
}

// credit issues store credit: a random code worth the refund.
type credit struct{}

func (credit) Refund(context.Context, Request) (Result, error) {
	code, err := CreditCode()
	return Result{CreditCode: code, Reference: "store_credit"}, err
}

// CreditCode is a store-credit code such as "SC-7K3P-9XQ2-M4TZ" (60 random
// bits in Crockford base32).
func CreditCode() (string, error) {
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
