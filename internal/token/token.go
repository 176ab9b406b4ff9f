// Package token makes and checks the signed tokens that carry a shopper's
// state. Third-party cookies are blocked inside storefront iframes (Safari,
// Firefox, headless Chromium), so the shopper's flow keeps no server
// session: a lookup issues a short-lived token for one order, and status and
// label links carry a token for one return. A token is
// base64url(JSON claims) "." base64url(HMAC-SHA256 of the first part).
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Kinds of token.
const (
	// Order is issued by a lookup: it opens one order for LookupTTL.
	Order = "o"
	// Return is carried by status and label links: it opens one return.
	Return = "r"
)

// LookupTTL is how long a lookup's token opens its order.
const LookupTTL = 30 * time.Minute

// maxLength bounds the tokens Verify reads.
const maxLength = 2048

var (
	// ErrInvalid: the token is malformed, forged, or of another kind.
	ErrInvalid = errors.New("token: invalid")
	// ErrExpired: the token was genuine but its time is up.
	ErrExpired = errors.New("token: expired")
)

// Claims are what a token says. Exp is Unix seconds; a return token has
// none of its own (its validity depends on the return's state, which the
// caller checks).
type Claims struct {
	Kind   string `json:"k"`
	Order  string `json:"o,omitempty"`
	RMA    string `json:"r,omitempty"`
	Locale string `json:"l,omitempty"`
	Exp    int64  `json:"e,omitempty"`
}

// Signer makes and checks tokens with one secret key.
type Signer struct{ key []byte }

// MinKeyLength is the shortest key a Signer takes: 32 bytes, as long as
// the HMAC-SHA256 output.
const MinKeyLength = 32

// NewSigner returns a Signer for key, which must be at least MinKeyLength
// bytes long.
func NewSigner(key []byte) (Signer, error) {
	if len(key) < MinKeyLength {
		return Signer{}, errors.New("token: the signing key must be at least 32 bytes")
	}
	return Signer{key: key}, nil
}

// Valid reports whether the Signer was made by NewSigner (a zero Signer
// has no key).
func (s Signer) Valid() bool { return len(s.key) >= MinKeyLength }

func (s Signer) sign(c Claims) string {
	payload, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(s.mac(p))
}

func (s Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Verify checks the signature, the kind and the expiry at now.
func (s Signer) Verify(token, kind string, now time.Time) (Claims, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > maxLength {
		return Claims{}, ErrInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(p)) {
		return Claims{}, ErrInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	var c Claims
	if err := json.Unmarshal(raw, &c); err != nil || c.Kind != kind {
		return Claims{}, ErrInvalid
	}
	if c.Exp != 0 && now.Unix() > c.Exp {
		return Claims{}, ErrExpired
	}
	return c, nil
}

// ForOrder is a lookup's token for an order, in a language, and when it
// expires.
func (s Signer) ForOrder(number, locale string, now time.Time) (string, time.Time) {
	exp := now.Add(LookupTTL).Truncate(time.Second)
	return s.sign(Claims{Kind: Order, Order: number, Locale: locale, Exp: exp.Unix()}), exp
}

// ForReturn is the token of a return's links.
func (s Signer) ForReturn(rma string) string {
	return s.sign(Claims{Kind: Return, RMA: rma})
}
