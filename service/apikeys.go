package service

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// APIScopes are the scopes a key may be narrowed to (none: full access).
var APIScopes = []string{"orders:write", "policy:read", "policy:write", "returns:read", "returns:write", "webhooks:write"}

// maxKeyName bounds an API key's name.
const maxKeyName = 100

// APIKeys lists the API keys (never the keys themselves).
func (s *Service) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	return s.st.ListAPIKeys(ctx)
}

// CreateAPIKey makes a key with a name (who uses it) and scopes (none:
// full access) and returns it: it is shown this once. A name that is empty,
// too long or has control characters, or a scope that does not exist, is a
// field error.
func (s *Service) CreateAPIKey(ctx context.Context, name string, scopes []string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxKeyName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", returns.FieldErrors{{Path: "name", Code: returns.FieldInvalid}}
	}
	var unique []string
	for _, sc := range scopes {
		if !slices.Contains(APIScopes, sc) {
			return "", returns.FieldErrors{{Path: "scopes", Code: returns.FieldInvalid}}
		}
		if !slices.Contains(unique, sc) {
			unique = append(unique, sc)
		}
	}
	return s.st.CreateAPIKey(ctx, name, unique)
}

// RevokeAPIKey revokes a key at once (ErrNotFound: no such live key).
func (s *Service) RevokeAPIKey(ctx context.Context, id int64) error {
	return s.st.RevokeAPIKey(ctx, id)
}

// Authenticate is the live key a merchant system presents (ErrNotFound:
// unknown or revoked); its use is recorded.
func (s *Service) Authenticate(ctx context.Context, key string) (store.APIKey, error) {
	return s.st.APIKeyByToken(ctx, key)
}
