package service

import (
	"context"
	"errors"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Staff accounts (admins manage them): list, create with a role and a
// password, change a role, disable (which ends the member's sessions at
// once). Members cannot change their own role or disable themselves, so
// that the last admin cannot lock everyone out by mistake. Refusals are
// field errors whose codes say why: email, role, password, exists, self.

// minStaffPassword is the least length of a password set in the staff
// area (long passphrases are welcome; store.MaxPasswordBytes caps them).
const minStaffPassword = 12

// StaffMembers lists the staff accounts.
func (s *Service) StaffMembers(ctx context.Context) ([]store.Staff, error) {
	return s.st.ListStaff(ctx)
}

// CreateStaff adds a staff member.
func (s *Service) CreateStaff(ctx context.Context, email, password, role string) (store.Staff, error) {
	email = store.NormalizeEmail(email)
	switch {
	case !strings.Contains(email, "@") || len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>\""):
		return store.Staff{}, returns.FieldErrors{{Path: "email", Code: "email"}}
	case !store.ValidRole(role):
		return store.Staff{}, returns.FieldErrors{{Path: "role", Code: "role"}}
	case len(password) < minStaffPassword || len(password) > store.MaxPasswordBytes:
		return store.Staff{}, returns.FieldErrors{{Path: "password", Code: "password"}}
	}
	m, err := s.st.CreateStaff(ctx, email, password, role)
	if errors.Is(err, ErrConflict) {
		return store.Staff{}, returns.FieldErrors{{Path: "email", Code: "exists"}}
	}
	return m, err
}

// SetStaffRole changes another member's role (self is the admin acting).
func (s *Service) SetStaffRole(ctx context.Context, self, email, role string) error {
	email = store.NormalizeEmail(email)
	if email == self {
		return returns.FieldErrors{{Path: "email", Code: "self"}}
	}
	if !store.ValidRole(role) {
		return returns.FieldErrors{{Path: "role", Code: "role"}}
	}
	return s.st.SetStaffRole(ctx, email, role)
}

// DisableStaff disables another member and ends their sessions.
func (s *Service) DisableStaff(ctx context.Context, self, email string) error {
	email = store.NormalizeEmail(email)
	if email == self {
		return returns.FieldErrors{{Path: "email", Code: "self"}}
	}
	return s.st.DisableStaff(ctx, email)
}
