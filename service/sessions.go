package service

import (
	"context"
	"errors"

	"github.com/returns-portal/returns/store"
)

// LoginRequest is a staff member logging in.
type LoginRequest struct {
	Email, Password string
	// ClientIP is counted against the per-IP limit.
	ClientIP string
	// OldSession is the browser's session id before this login, if any:
	// it ends, so that a login always starts a new session (no fixation).
	OldSession string
}

// Login checks an e-mail and password and starts a session, whose id it
// returns. The attempt counts against the account and the client IP first
// (over a limit: *RateLimitedError); an unknown e-mail and a wrong
// password are the same ErrBadCredentials, after the same argon2id work.
func (s *Service) Login(ctx context.Context, req LoginRequest) (string, error) {
	now := s.now()
	ok, wait := s.loginsByIP.allowClient(req.ClientIP, now)
	if ok {
		ok, wait = s.loginsByAccount.allow(store.NormalizeEmail(req.Email), now)
	}
	if !ok {
		return "", &RateLimitedError{RetryAfter: wait}
	}
	member, hash, err := s.st.StaffCredentials(ctx, req.Email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	// VerifyPassword works through a dummy hash when hash is empty, so an
	// unknown account takes as long as a known one.
	if !store.VerifyPassword(hash, req.Password) || err != nil {
		return "", ErrBadCredentials
	}
	if req.OldSession != "" {
		_ = s.st.DeleteSession(ctx, req.OldSession)
	}
	id, _, err := s.st.CreateSession(ctx, member.ID, now)
	return id, err
}

// Session is the live staff session with this id (ErrNotFound: none, or
// ended by idleness, age, logout or the member's disabling).
func (s *Service) Session(ctx context.Context, id string) (store.Session, error) {
	return s.st.SessionByID(ctx, id, s.now())
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, id string) error {
	return s.st.DeleteSession(ctx, id)
}
