package returns

import "time"

// The events a return announces: to the shopper by e-mail in her language,
// and to the merchant's systems as webhooks (the types below are the
// webhook types; the e-mails go by the same names). Which change announces
// what is decided here; writing and sending the announcements is the
// service's and the notifier's.
const (
	EventReturnCreated      = "return.created"
	EventReturnApproved     = "return.approved"
	EventReturnRejected     = "return.rejected"
	EventReturnCancelled    = "return.cancelled"
	EventReturnReceived     = "return.received"
	EventReturnInspected    = "return.inspected"
	EventReturnRefunded     = "return.refunded"
	EventWithdrawalReceived = "withdrawal.received"
	EventFeedbackReceived   = "feedback.received"
	// EventExchangeCreated: a return's exchanges were issued (at
	// inspection, or at once for a returnless return): the shop creates
	// the replacement order, the shopper hears what is coming.
	EventExchangeCreated = "exchange.created"
)

// WebhookEvents are the event types a webhook endpoint may subscribe to.
var WebhookEvents = []string{EventReturnCreated, EventReturnApproved, EventReturnRejected, EventReturnCancelled,
	EventReturnReceived, EventReturnInspected, EventReturnRefunded, EventWithdrawalReceived, EventFeedbackReceived,
	EventExchangeCreated}

// E-mails to the shopper that no webhook type matches.
const (
	// MailDropOffReminder: the day before the drop-off deadline, when the
	// parcel has not arrived yet.
	MailDropOffReminder = "return.reminder"
	// MailLookupLink: a link that opens the order, asked for by the owner
	// of its e-mail address.
	MailLookupLink = "lookup.link"
)

// Announcement is what a change of a return announces: the shopper's
// e-mail ("" none) and the webhook types.
type Announcement struct {
	Mail  string
	Hooks []string
}

// CreationAnnouncement is what a new return announces. A withdrawal made
// with the withdrawal function is a return like any other for the
// merchant's systems (return.created) and also withdrawal.received; the
// shopper gets one e-mail, the acknowledgement on a durable medium that
// Art. 11a of the Consumer Rights Directive requires, which names the RMA
// and the next steps as the created e-mail does.
func CreationAnnouncement(r Return) Announcement {
	if r.IsWithdrawal() {
		return Announcement{Mail: EventWithdrawalReceived, Hooks: []string{EventReturnCreated, EventWithdrawalReceived}}
	}
	return Announcement{Mail: EventReturnCreated, Hooks: []string{EventReturnCreated}}
}

// TransitionAnnouncement is what a status change into to announces:
// approved (after review: a return approved at once is the creation's
// news, and review is the only way into approved afterwards), rejected,
// cancelled, received, refunded or credited (both return.refunded: the
// money or the credit is on its way). A change into inspected is
// InspectionAnnouncement's; closed, exchanged and expired announce
// nothing.
func TransitionAnnouncement(to Status) Announcement {
	event := ""
	switch to {
	case StatusApproved:
		event = EventReturnApproved
	case StatusRejected:
		event = EventReturnRejected
	case StatusCancelled:
		event = EventReturnCancelled
	case StatusReceived:
		event = EventReturnReceived
	case StatusRefunded, StatusCredited:
		event = EventReturnRefunded
	}
	if event == "" {
		return Announcement{}
	}
	return Announcement{Mail: event, Hooks: []string{event}}
}

// InspectionAnnouncement is what an inspection announces: always the
// webhook; the shopper is written to only when the inspection changed what
// she gets back (the quote's total), for an inspection that confirms the
// quote leaves nothing new to tell before the refund.
func InspectionAnnouncement(before, after Quote) Announcement {
	a := Announcement{Hooks: []string{EventReturnInspected}}
	if before.Total != after.Total || before.Currency != after.Currency {
		a.Mail = EventReturnInspected
	}
	return a
}

// AwaitingDropOff reports whether a return in this state still waits for
// its parcel: requested or approved (not received, not ended).
func AwaitingDropOff(s Status) bool { return s == StatusRequested || s == StatusApproved }

// reminderHour is the local hour at which a drop-off reminder is due.
const reminderHour = 9

// DropOffReminderAt is when to remind the shopper of the drop-off
// deadline: at 09:00 in her time zone on the day before the last day to
// drop the parcel off (Timeline.DropOffBy). ok is false when that moment
// is not after created (a deadline too close to be reminded of).
func DropOffReminderAt(t Timeline, loc *time.Location, created time.Time) (at time.Time, ok bool) {
	if t.DropOffBy.IsZero() {
		return time.Time{}, false
	}
	d := t.DropOffBy.AddDays(-1)
	at = time.Date(d.Year, d.Month, d.Day, reminderHour, 0, 0, 0, loc)
	return at, at.After(created)
}

// ExchangeAnnouncement is what issuing a return's exchanges announces: the
// shopper's e-mail (what is coming instead of the items sent back) and the
// webhook from which the shop creates the replacement order.
func ExchangeAnnouncement() Announcement {
	return Announcement{Mail: EventExchangeCreated, Hooks: []string{EventExchangeCreated}}
}
