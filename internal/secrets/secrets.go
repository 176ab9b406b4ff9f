// Package secrets encrypts credentials at rest (payment, platform and
// carrier keys kept in the settings table) with a key that only the
// environment holds (RETURNS_SECRETS_KEY), so that a dump or a backup of the
// database holds nothing usable.
//
// Format of a sealed value: "v1:" followed by the unpadded base64url of a
// 12-byte random nonce and the AES-256-GCM ciphertext with its 16-byte tag.
// The AES key is HKDF-SHA256 of RETURNS_SECRETS_KEY (salt
// "returns-portal/secrets", info "settings v1"); the setting's name is the
// additional data, so a sealed value copied to another setting does not
// open.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// MinKeyLength is the shortest RETURNS_SECRETS_KEY accepted, in bytes: a
// random 32-character string carries far more than the 128 bits AES needs.
const MinKeyLength = 32

// prefix marks the format version of a sealed value.
const prefix = "v1:"

// ErrKeyTooShort: the configured key is shorter than MinKeyLength.
var ErrKeyTooShort = errors.New("secrets: RETURNS_SECRETS_KEY must be at least 32 characters")

// ErrCannotOpen: a sealed value is malformed, was sealed with another key
// or for another setting, or was altered.
var ErrCannotOpen = errors.New("secrets: value cannot be decrypted with this key")

// Box seals and opens values with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New derives the encryption key from the configured secret.
func New(key string) (*Box, error) {
	if len(key) < MinKeyLength {
		return nil, ErrKeyTooShort
	}
	k, err := hkdf.Key(sha256.New, []byte(key), []byte("returns-portal/secrets"), "settings v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext for the setting named name.
func (b *Box) Seal(name, plaintext string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(plaintext), []byte(name))
	return prefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value that Seal made for the setting named name.
func (b *Box) Open(name, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrCannotOpen
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n+b.aead.Overhead() {
		return "", ErrCannotOpen
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(name))
	if err != nil {
		return "", ErrCannotOpen
	}
	return string(plain), nil
}

// IsSealed reports whether a stored value has the sealed format (it may
// still fail to open).
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }
