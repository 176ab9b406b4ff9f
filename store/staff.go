package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/argon2"
)

// Staff roles: a viewer reads, an agent also receives, inspects and refunds,
// an admin may do everything (policies, settings, API keys, staff).
const (
	RoleViewer = "viewer"
	RoleAgent  = "agent"
	RoleAdmin  = "admin"
)

// ValidRole reports whether role is one of the three roles.
func ValidRole(role string) bool {
	return role == RoleViewer || role == RoleAgent || role == RoleAdmin
}

// RoleAtLeast reports whether role has at least the rights of min
// (viewer < agent < admin).
func RoleAtLeast(role, min string) bool {
	rank := map[string]int{RoleViewer: 1, RoleAgent: 2, RoleAdmin: 3}
	return rank[role] > 0 && rank[role] >= rank[min]
}

// Staff is a member of the merchant's returns team.
type Staff struct {
	ID         int64      `db:"id"`
	Email      string     `db:"email"`
	Role       string     `db:"role"`
	CreatedAt  time.Time  `db:"created_at"`
	DisabledAt *time.Time `db:"disabled_at"`
}

// NormalizeEmail is how staff e-mail addresses are stored and looked up:
// trimmed and lower-cased, so that the UNIQUE column is case-insensitive.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// MaxPasswordBytes bounds what is hashed: long passphrases are welcome, a
// megabyte of "password" is a denial of service.
const MaxPasswordBytes = 1024

// argon2id parameters: the minimum OWASP's Password Storage Cheat Sheet
// recommends, 19 MiB, 2 passes, 1 lane.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash of password as a PHC string
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash) with a random 16-byte salt.
func HashPassword(password string) (string, error) {
	if password == "" || len(password) > MaxPasswordBytes {
		return "", fmt.Errorf("password must be 1 to %d bytes", MaxPasswordBytes)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is verified against when the account does not exist, so that an
// unknown e-mail costs as much time as a wrong password. It is hashed on
// first use, not when the program starts: argon2id takes 19 MiB and tens
// of milliseconds, which every command and every start of the server paid.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not a password of anyone")
	if err != nil {
		panic(err)
	}
	return h
})

// VerifyPassword reports whether password matches a PHC argon2id hash, in
// constant time. An empty hash is checked against a dummy (and fails).
func VerifyPassword(hash, password string) bool {
	ok := true
	if hash == "" {
		hash, ok = dummyHash(), false
	}
	if len(password) > MaxPasswordBytes {
		password, ok = password[:MaxPasswordBytes], false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version, m, t int
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m <= 0 || t <= 0 || p == 0 || m > 1<<20 || t > 16 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && ok
}

const staffColumns = `id, email, role, created_at, disabled_at`

// CreateStaff adds a staff account with an argon2id hash of password. An
// e-mail already in use (whatever its case) wraps ErrConflict.
func (s *Store) CreateStaff(ctx context.Context, email, password, role string) (Staff, error) {
	email = NormalizeEmail(email)
	if !ValidRole(role) {
		return Staff{}, fmt.Errorf("store: create staff: invalid role %q", role)
	}
	if !strings.Contains(email, "@") || len(email) > 254 {
		return Staff{}, fmt.Errorf("store: create staff: invalid e-mail %q", email)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Staff{}, fmt.Errorf("store: create staff: %w", err)
	}
	st := Staff{Email: email, Role: role, CreatedAt: s.stamp()}
	err = s.write(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO staff (email, password_hash, role, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id`),
			email, hash, role, st.CreatedAt).Scan(&st.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: e-mail already in use", ErrConflict)
		}
		return err
	})
	if err != nil {
		return Staff{}, fmt.Errorf("store: create staff %q: %w", email, err)
	}
	return st, nil
}

// StaffCredentials returns the enabled account with the e-mail and its
// password hash, or ErrNotFound (unknown or disabled alike).
func (s *Store) StaffCredentials(ctx context.Context, email string) (Staff, string, error) {
	var row struct {
		Staff
		Hash string `db:"password_hash"`
	}
	if err := get(ctx, s.r, &row, `SELECT `+staffColumns+`, password_hash FROM staff
		WHERE email = ? AND disabled_at IS NULL`, NormalizeEmail(email)); err != nil {
		return Staff{}, "", fmt.Errorf("store: staff credentials: %w", err)
	}
	row.Staff.CreatedAt = row.Staff.CreatedAt.UTC()
	return row.Staff, row.Hash, nil
}

// ListStaff returns every account, enabled or not, by e-mail.
func (s *Store) ListStaff(ctx context.Context) ([]Staff, error) {
	out := []Staff{}
	if err := sel(ctx, s.r, &out, `SELECT `+staffColumns+` FROM staff ORDER BY email`); err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	return out, nil
}

// SetStaffPassword replaces an account's password and ends its sessions.
func (s *Store) SetStaffPassword(ctx context.Context, email, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	err = s.write(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := get(ctx, tx, &id, `SELECT id FROM staff WHERE email = ?`, NormalizeEmail(email)); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `UPDATE staff SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		_, err := exec(ctx, tx, `DELETE FROM staff_sessions WHERE staff_id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set password of %q: %w", email, err)
	}
	return nil
}

// DisableStaff disables an account and deletes its sessions in the same
// transaction, so that a disabled member is logged out at once.
func (s *Store) DisableStaff(ctx context.Context, email string) error {
	err := s.write(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := get(ctx, tx, &id, `SELECT id FROM staff WHERE email = ?`, NormalizeEmail(email)); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, `UPDATE staff SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`,
			s.stamp(), id); err != nil {
			return err
		}
		_, err := exec(ctx, tx, `DELETE FROM staff_sessions WHERE staff_id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: disable staff %q: %w", email, err)
	}
	return nil
}

// SetStaffRole changes an account's role; it takes effect on the member's
// next request (sessions read the role from the account). An unknown e-mail
// is ErrNotFound.
func (s *Store) SetStaffRole(ctx context.Context, email, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("store: set role: invalid role %q", role)
	}
	res, err := exec(ctx, s.w, `UPDATE staff SET role = ? WHERE email = ?`, role, NormalizeEmail(email))
	if err != nil {
		return fmt.Errorf("store: set role of %q: %w", email, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: set role of %q: %w", email, err)
	} else if n == 0 {
		return fmt.Errorf("store: set role of %q: %w", email, ErrNotFound)
	}
	return nil
}
