package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Shopper state lives in signed tokens, not in a session: third-party
// cookies are blocked inside storefront iframes (DESIGN.md §4).
const (
	tokenOrder  = "o" // issued by a lookup: opens one order for lookupTTL
	tokenReturn = "r" // carried by status and label links: opens one return
	lookupTTL   = 30 * time.Minute
	// returnTokenGrace is how long a return's links keep working after the
	// return has ended.
	returnTokenGrace = 30 * 24 * time.Hour
)

var (
	errBadToken     = errors.New("token: invalid")
	errExpiredToken = errors.New("token: expired")
)

// claims are what a token says. Exp is Unix seconds; a return token has none
// of its own (its validity depends on the return's state, checked by the
// handler).
type claims struct {
	Kind   string `json:"k"`
	Order  string `json:"o,omitempty"`
	RMA    string `json:"r,omitempty"`
	Locale string `json:"l,omitempty"`
	Exp    int64  `json:"e,omitempty"`
}

// tokenSigner makes and checks HMAC-SHA256 signed tokens:
// base64url(json claims) "." base64url(mac).
type tokenSigner struct{ key []byte }

func (t tokenSigner) sign(c claims) string {
	payload, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(t.mac(p))
}

func (t tokenSigner) mac(payload string) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// verify checks the signature, the kind and the expiry.
func (t tokenSigner) verify(token, kind string, now time.Time) (claims, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 2048 {
		return claims{}, errBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, t.mac(p)) {
		return claims{}, errBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return claims{}, errBadToken
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil || c.Kind != kind {
		return claims{}, errBadToken
	}
	if c.Exp != 0 && now.Unix() > c.Exp {
		return claims{}, errExpiredToken
	}
	return c, nil
}

func (t tokenSigner) orderToken(number, locale string, now time.Time) (string, time.Time) {
	exp := now.Add(lookupTTL).Truncate(time.Second)
	return t.sign(claims{Kind: tokenOrder, Order: number, Locale: locale, Exp: exp.Unix()}), exp
}

func (t tokenSigner) returnToken(rma string) string {
	return t.sign(claims{Kind: tokenReturn, RMA: rma})
}
