// Package token makes and checks the signed tokens that carry a shopper's
// state. Third-party cookies are blocked inside storefront iframes (Safari,
// Firefox, headless Chromium), so the shopper's flow keeps no server
// session: a lookup issues a short-lived token for one order, and a
// return's links carry a token for that return. A token is
// base64url(JSON claims) "." base64url(HMAC-SHA256 of the first part).
//
// A return's tokens come in two kinds, by what they allow (the service
// decides what each may do: service.OpenReturn). A View token is printed
// on the parcel (the label's QR code) and on documents, where anyone who
// handles the parcel reads it: status and documents only. A Manage token
// travels only to the shopper (the confirmation page, her e-mails): it
// may also cancel. Every token expires.
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"time"
)

// Kinds of token.
const (
	// Order is issued by a lookup: it opens one order for LookupTTL.
	Order = "o"
	// Gift is issued by the gift lookup (order number and postal code): it
	// opens one order for a gift's recipient for LookupTTL, without its
	// prices, the buyer's e-mail or payment; only the use cases that know
	// it accept it.
	Gift = "g"
	// View opens one return for ViewTTL: its status and documents.
	View = "v"
	// Manage opens one return for ManageTTL, with the right to change it.
	Manage = "m"
	// Return is the kind of the return links issued before View and
	// Manage existed, without an expiry of their own. They are still read
	// (links in e-mails and on printed labels in the wild keep working)
	// but no longer issued.
	Return = "r"
)

// How long each kind of token is good for.
const (
	// LookupTTL: a lookup's token opens its order for a sitting.
	LookupTTL = 30 * time.Minute
	// ViewTTL: a parcel is dropped off within weeks and its refund follows
	// within weeks more (the EU's 14 days after the withdrawal, a merchant
	// window of up to 60 days, transit and inspection, late holiday
	// returns); half a year covers the life of a return with room to spare
	// while a label lying in a drawer stops telling its story eventually.
	ViewTTL = 180 * 24 * time.Hour
	// ManageTTL: a return can be cancelled only until its parcel reaches
	// the hub, weeks at most; three months is generous for that and for
	// the changes to come, and a forwarded e-mail does not carry the right
	// forever. After it, the shopper looks the order up again.
	ManageTTL = 90 * 24 * time.Hour
)

// maxLength bounds the tokens Verify reads.
const maxLength = 2048

var (
	// ErrInvalid: the token is malformed, forged, or of another kind.
	ErrInvalid = errors.New("token: invalid")
	// ErrExpired: the token was genuine but its time is up.
	ErrExpired = errors.New("token: expired")
)

// Claims are what a token says. Exp is Unix seconds; only the return
// tokens of the old kind (Return) have none.
type Claims struct {
	Kind   string `json:"k"`
	Order  string `json:"o,omitempty"`
	RMA    string `json:"r,omitempty"`
	Locale string `json:"l,omitempty"`
	Exp    int64  `json:"e,omitempty"`
}

// Signer makes tokens with one secret key and checks them against that key
// and any others it still accepts (a rotation's previous and next keys).
// Copies of a Signer share their keys, so that Rotate reaches every holder.
type Signer struct{ keys *atomic.Pointer[keySet] }

// keySet is the key that signs and those that are also accepted.
type keySet struct {
	sign   []byte
	accept [][]byte
}

// MinKeyLength is the shortest key a Signer takes: 32 bytes, as long as
// the HMAC-SHA256 output.
const MinKeyLength = 32

var errShortKey = errors.New("token: the signing key must be at least 32 bytes")

// NewSigner returns a Signer for key, which must be at least MinKeyLength
// bytes long.
func NewSigner(key []byte) (Signer, error) {
	s := Signer{keys: new(atomic.Pointer[keySet])}
	return s, s.Rotate(key)
}

// Rotate makes sign the key that signs from now on, and accept the other
// keys whose tokens are still taken (empty ones are ignored). Every copy of
// the Signer sees the change.
func (s Signer) Rotate(sign []byte, accept ...[]byte) error {
	if len(sign) < MinKeyLength {
		return errShortKey
	}
	ks := &keySet{sign: sign}
	for _, k := range accept {
		if len(k) == 0 || hmac.Equal(k, sign) {
			continue
		}
		if len(k) < MinKeyLength {
			return errShortKey
		}
		ks.accept = append(ks.accept, k)
	}
	s.keys.Store(ks)
	return nil
}

// Valid reports whether the Signer was made by NewSigner (a zero Signer
// has no key).
func (s Signer) Valid() bool { return s.keys != nil && s.keys.Load() != nil }

func (s Signer) sign(c Claims) string {
	payload, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(mac(s.keys.Load().sign, p))
}

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// genuine reports whether sig is payload's MAC under a key the Signer takes.
func (s Signer) genuine(payload string, sig []byte) bool {
	ks := s.keys.Load()
	if hmac.Equal(sig, mac(ks.sign, payload)) {
		return true
	}
	for _, k := range ks.accept {
		if hmac.Equal(sig, mac(k, payload)) {
			return true
		}
	}
	return false
}

// Verify checks the signature, the kind and the expiry at now.
func (s Signer) Verify(token, kind string, now time.Time) (Claims, error) {
	c, err := s.Parse(token, now)
	if err == nil && c.Kind != kind {
		return Claims{}, ErrInvalid
	}
	return c, err
}

// Parse checks the signature and the expiry at now, and says what the
// token is (its Kind among the rest).
func (s Signer) Parse(token string, now time.Time) (Claims, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > maxLength {
		return Claims{}, ErrInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !s.genuine(p, got) {
		return Claims{}, ErrInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	var c Claims
	if err := json.Unmarshal(raw, &c); err != nil || c.Kind == "" {
		return Claims{}, ErrInvalid
	}
	if c.Exp == 0 && c.Kind != Return {
		return Claims{}, ErrInvalid // every token but the old return links expires
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

// ForGift is the gift lookup's token for an order, in a language, and when
// it expires.
func (s Signer) ForGift(number, locale string, now time.Time) (string, time.Time) {
	exp := now.Add(LookupTTL).Truncate(time.Second)
	return s.sign(Claims{Kind: Gift, Order: number, Locale: locale, Exp: exp.Unix()}), exp
}

// ForView is a return's view token (status and documents), and when it
// expires.
func (s Signer) ForView(rma string, now time.Time) (string, time.Time) {
	return s.forReturn(View, rma, now.Add(ViewTTL))
}

// ForManage is a return's manage token (status, documents, personal data,
// cancel), and when it expires.
func (s Signer) ForManage(rma string, now time.Time) (string, time.Time) {
	return s.forReturn(Manage, rma, now.Add(ManageTTL))
}

func (s Signer) forReturn(kind, rma string, exp time.Time) (string, time.Time) {
	exp = exp.Truncate(time.Second)
	return s.sign(Claims{Kind: kind, RMA: rma, Exp: exp.Unix()}), exp
}
