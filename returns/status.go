package returns

import (
	"fmt"
	"slices"
	"time"
)

// Status is the state of a return.
type Status string

// The states of a return. Refunded, credited and exchanged are the three ways
// money (or goods) go back; closed ends every successful return.
const (
	StatusRequested Status = "requested"
	StatusApproved  Status = "approved"
	StatusReceived  Status = "received"
	StatusInspected Status = "inspected"
	StatusRefunded  Status = "refunded"
	StatusCredited  Status = "credited"
	StatusExchanged Status = "exchanged"
	StatusClosed    Status = "closed"
	StatusRejected  Status = "rejected"
	StatusCancelled Status = "cancelled"
	StatusExpired   Status = "expired"
)

// transitions lists, for each state, the states it may move to.
var transitions = map[Status][]Status{
	StatusRequested: {StatusApproved, StatusRejected, StatusCancelled, StatusExpired},
	// Approved and received returns may be paid back before the
	// inspection when the policy's refund trigger says so
	// (DecideRefundOn): on the carrier's first scan, or on arrival.
	StatusApproved:  {StatusReceived, StatusRejected, StatusCancelled, StatusExpired, StatusRefunded, StatusCredited},
	StatusReceived:  {StatusInspected, StatusRejected, StatusRefunded, StatusCredited},
	StatusInspected: {StatusRefunded, StatusCredited, StatusExchanged, StatusRejected},
	StatusRefunded:  {StatusClosed},
	StatusCredited:  {StatusClosed},
	StatusExchanged: {StatusClosed},
}

// ErrTransition is returned (wrapped) for a move the machine does not allow.
var ErrTransition = fmt.Errorf("transition not allowed")

// CheckTransition says whether a return may move from one state to another.
func CheckTransition(from, to Status) error {
	if slices.Contains(transitions[from], to) {
		return nil
	}
	return fmt.Errorf("%w: %s → %s", ErrTransition, from, to)
}

// Valid reports whether s is one of the known states.
func (s Status) Valid() bool {
	if _, ok := transitions[s]; ok {
		return true
	}
	switch s {
	case StatusClosed, StatusRejected, StatusCancelled, StatusExpired:
		return true
	}
	return false
}

// Active reports whether the units of a return in this state are held, i.e.
// no longer returnable in another return.
func (s Status) Active() bool { return s != StatusCancelled && s != StatusRejected }

// Ended reports whether nothing more happens to a return in this state.
func (s Status) Ended() bool {
	switch s {
	case StatusClosed, StatusRejected, StatusCancelled, StatusExpired,
		StatusRefunded, StatusCredited, StatusExchanged:
		return true
	}
	return false
}

// Cancellable reports whether the shopper may still cancel: not once the
// parcel has reached the hub.
func (s Status) Cancellable() bool { return CheckTransition(s, StatusCancelled) == nil }

// InitialStatus is the state a new return starts in: approved at once when
// the policy auto-approves and nothing needs a human look.
func InitialStatus(q Quote) Status {
	if q.ManualReview {
		return StatusRequested
	}
	return StatusApproved
}

// Return is a shopper's return as stored.
type Return struct {
	ID            int64
	RMA           string
	OrderNumber   string
	Status        Status
	Basis         string
	RefundMethod  string
	Consent       bool
	Comment       string
	BankIBAN      string
	BankHolder    string
	PolicyVersion int64
	Locale        string
	Quote         Quote
	Items         []QuoteItem
	// Goodwill lines granted by admins on top of the quote (goodwill.go).
	Goodwill []Goodwill
	// Exchanges are the return's exchanged items and their state
	// (exchange.go), in the order of its items.
	Exchanges []ExchangeLine
	// Gift: the return was made by a gift's recipient (with the gift
	// lookup, gift.go): its pages show no price, and its messages and
	// store credit go to GiftEmail, the address the recipient gave.
	Gift      bool
	GiftEmail string
	CreatedAt time.Time
	UpdatedAt time.Time
}
