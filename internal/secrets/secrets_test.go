package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

const testKey = "0123456789abcdef0123456789abcdef-test"

func TestSealOpen(t *testing.T) {
	b, err := New(testKey)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := b.Seal("stripe_key", "sk_test_123")
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal("stripe_key", "sk_test_123")
	if s1 == s2 {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if strings.Contains(s1, "sk_test") || !IsSealed(s1) {
		t.Fatalf("sealed value %q", s1)
	}
	if got, err := b.Open("stripe_key", s1); err != nil || got != "sk_test_123" {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := New(testKey + "x")
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s1, "v1:"))
	raw[len(raw)-1] ^= 1
	flipped := "v1:" + base64.RawURLEncoding.EncodeToString(raw)
	for name, c := range map[string]struct {
		box             *Box
		setting, sealed string
	}{
		"another key":     {other, "stripe_key", s1},
		"another setting": {b, "shopify_token", s1},
		"altered":         {b, "stripe_key", flipped},
		"no prefix":       {b, "stripe_key", strings.TrimPrefix(s1, "v1:")},
		"not base64":      {b, "stripe_key", "v1:***"},
		"too short":       {b, "stripe_key", "v1:AAAA"},
		"plain text":      {b, "stripe_key", "sk_test_123"},
	} {
		if _, err := c.box.Open(c.setting, c.sealed); err != ErrCannotOpen {
			t.Errorf("%s: err = %v, want ErrCannotOpen", name, err)
		}
	}
}

func TestKeyTooShort(t *testing.T) {
	for _, k := range []string{"", "short", strings.Repeat("k", MinKeyLength-1)} {
		if _, err := New(k); err != ErrKeyTooShort {
			t.Errorf("New(%d chars) = %v", len(k), err)
		}
	}
	if _, err := New(strings.Repeat("k", MinKeyLength)); err != nil {
		t.Fatal(err)
	}
}

// TestDocumentedFormat opens a sealed value by the package comment's
// description alone (HKDF-SHA256, AES-256-GCM, nonce first, the setting's
// name as additional data), so the format stays what the README documents.
func TestDocumentedFormat(t *testing.T) {
	b, _ := New(testKey)
	sealed, _ := b.Seal("woocommerce_secret", "cs_abc")
	k, err := hkdf.Key(sha256.New, []byte(testKey), []byte("returns-portal/secrets"), "settings v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(k)
	gcm, _ := cipher.NewGCM(block)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := gcm.Open(nil, raw[:12], raw[12:], []byte("woocommerce_secret"))
	if err != nil || string(plain) != "cs_abc" {
		t.Fatalf("documented format: %q %v", plain, err)
	}
}
