package service

import (
	"errors"
	"time"

	"github.com/returns-portal/returns/store"
)

// The errors of the use cases besides the domain's (*returns.Error,
// returns.FieldErrors, returns.ErrTransition), which pass through as they
// are. Callers tell them apart with errors.Is and errors.As and word them
// for their audience.
var (
	// ErrNotFound: no such order, return, photo, key or member (the
	// store's own sentinel, so that errors.Is works on either).
	ErrNotFound = store.ErrNotFound
	// ErrConflict: a write contradicts what is stored (the store's).
	ErrConflict = store.ErrConflict
	// ErrOrderNotFound: a lookup found no order for the number and e-mail
	// (an unknown order and a wrong e-mail are the same answer).
	ErrOrderNotFound = errors.New("order not found")
	// ErrTokenInvalid: a shopper's token is malformed, forged, for
	// something else, or its return does not exist: one answer for all.
	ErrTokenInvalid = errors.New("token invalid")
	// ErrTokenExpired: a genuine token whose time is up.
	ErrTokenExpired = errors.New("token expired")
	// ErrIdempotencyKeyReused: a refund's idempotency key came back with
	// another request.
	ErrIdempotencyKeyReused = errors.New("idempotency key reused with another request")
	// ErrBadCredentials: a login's e-mail or password is wrong (the same
	// answer for both).
	ErrBadCredentials = errors.New("bad credentials")
	// ErrBadCursor: a page cursor this service did not make.
	ErrBadCursor = store.ErrBadCursor
	// ErrNoWithdrawalFunction: the order's market does not require the
	// withdrawal function, so the portal offers none there.
	ErrNoWithdrawalFunction = errors.New("no withdrawal function in this market")
	// ErrStorageFull, ErrStorageReadOnly, ErrStorageFailed: a write failed
	// because of the storage, not the request (the store's): the disk is
	// full, read-only, failing. Nothing can be saved until someone fixes it.
	ErrStorageFull     = store.ErrStorageFull
	ErrStorageReadOnly = store.ErrStorageReadOnly
	ErrStorageFailed   = store.ErrStorageFailed
)

// RateLimitedError: too many attempts; try again after RetryAfter.
type RateLimitedError struct {
	RetryAfter time.Duration
	// ByOrder: the order number's limit was reached, not the client's: its
	// owner may still get in by a link sent to her e-mail address
	// (RequestLookupLink).
	ByOrder bool
}

func (e *RateLimitedError) Error() string { return "rate limited for " + e.RetryAfter.String() }

// RetrySeconds is RetryAfter in whole seconds, at least 1.
func (e *RateLimitedError) RetrySeconds() int {
	return max(int(e.RetryAfter.Round(time.Second)/time.Second), 1)
}

// ConflictError: the request is well formed but the return's state does
// not allow it; Code says why (not_cancellable, already_refunded,
// already_received, ...).
type ConflictError struct {
	Code string
}

func (e *ConflictError) Error() string { return "conflict: " + e.Code }

// Codes of the ConflictErrors of the use cases (the receiving bench's are
// returns.ReceiveRefusal's).
const (
	CodeNotCancellable    = "not_cancellable"
	CodeAlreadyRefunded   = "already_refunded"
	CodeInvalidTransition = "invalid_transition"
)

// Codes of the notification use cases' ConflictErrors.
const (
	// CodeEndpointDisabled: a delivery cannot be resent to an endpoint
	// that is disabled or deleted.
	CodeEndpointDisabled = "endpoint_disabled"
	// CodeFeedbackNotOpen: the return cannot be rated yet (no refund).
	CodeFeedbackNotOpen = "feedback_not_open"
	// CodeFeedbackGiven: the return has been rated already.
	CodeFeedbackGiven = "feedback_given"
	// CodeTooManyWebhooks: MaxWebhooks endpoints exist already.
	CodeTooManyWebhooks = "too_many_webhooks"
)
