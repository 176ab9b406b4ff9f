package analytics

import (
	"time"

	"github.com/returns-portal/returns/returns"
)

// ReturnFacts is what the reports need of one return, as stored now: the
// store reads it before and after a change and writes the difference of
// their contributions.
type ReturnFacts struct {
	// Requested is when the shopper asked: the day every report counts the
	// return on.
	Requested time.Time
	// Country, Region and Email are the order's (its shipping address and
	// the normalised e-mail), Hub the one the parcel goes to, Method the
	// refund method, Currency the return's.
	Country, Region, Hub, Method, Currency, Email string
	Status                                        returns.Status
	// Basis is the return's (statutory or policy); LawOnly is set when
	// the law alone made it possible (returns.LawOnly, at its creation).
	Basis   string
	LawOnly bool
	// Kept: the shopper keeps the items (a returnless return: no parcel).
	Kept bool
	// Items in their order in the return; the first is the return's
	// primary item, whose reason and category are the return's where one
	// is needed (counting returns, money, speed).
	Items []ItemFacts
	// Received, Inspected: when the parcel arrived and was inspected
	// (nil: not yet).
	Received, Inspected *time.Time
	// Refund is the return's refund or store credit (nil: none yet).
	Refund *RefundFacts
	// OverdueAt is when the legal refund deadline passes (nil where the
	// law sets none).
	OverdueAt *time.Time
	// The current quote's fees and outbound shipping refund.
	RestockingFee, ReturnShippingFee, OutboundRefund int64
}

// ItemFacts is one item of a return: the order line's product and
// category, the units and the paid value of those units (the item's refund
// in the shopper's quote), and the inspection's verdict on its line.
type ItemFacts struct {
	Reason, SKU, Name, Category string
	Units, Value                int64
	Inspected                   bool
	Condition                   string
}

// RefundFacts is a return's refund: what the rules owed (Amount), the
// store-credit bonus and the admins' goodwill paid with it, and when.
type RefundFacts struct {
	Amount, Bonus, Goodwill int64
	At                      time.Time
}

// OrderFacts is what the reports need of an ingested order: the day it was
// placed, where it went, its currency, the shopper's normalised e-mail and
// its lines.
type OrderFacts struct {
	Placed                           time.Time
	Country, Region, Currency, Email string
	Lines                            []LineFacts
}

// LineFacts is one order line sold: units and the value paid for them
// (unit price × quantity − discount).
type LineFacts struct {
	SKU, Name, Category string
	Units, Value        int64
}

// The states a return is counted in: the open statuses one by one, the
// successful ends together (done: refunded, credited, exchanged, closed),
// and the three ways a return comes to nothing.
const (
	StateDone = "done"
)

// State is the report state of a status.
func State(s returns.Status) string {
	switch s {
	case returns.StatusRefunded, returns.StatusCredited, returns.StatusExchanged, returns.StatusClosed:
		return StateDone
	}
	return string(s)
}

// OpenStates are the states of returns still in progress, in the order of
// the status machine.
var OpenStates = []string{string(returns.StatusRequested), string(returns.StatusApproved),
	string(returns.StatusReceived), string(returns.StatusInspected)}

// VoidStates are the states of returns that came to nothing: the shopper
// cancelled, staff rejected, or the parcel never came. Reports count every
// other return ("counted returns").
var VoidStates = []string{string(returns.StatusCancelled), string(returns.StatusRejected), string(returns.StatusExpired)}

// Counted reports whether a return in this state counts as returned.
func Counted(state string) bool {
	for _, s := range VoidStates {
		if s == state {
			return false
		}
	}
	return true
}

// Unsellable reports whether an inspection condition means the goods
// cannot be sold again.
func Unsellable(condition string) bool { return condition != returns.ConditionResellable }
