package service

import (
	"encoding/json"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Announcements: a use case that changes a return writes, in the same
// transaction, the outbox rows that tell the world (the domain decides
// which: returns.CreationAnnouncement, TransitionAnnouncement,
// InspectionAnnouncement): one e-mail to the order's address in the
// return's language, and one delivery per enabled webhook endpoint that
// subscribes to the event. Nothing is sent here: the outbox worker
// (package notify) sends once the transaction has committed, which it is
// woken for (OutboxWritten).

// notice is one change to announce.
type notice struct {
	r returns.Return
	a returns.Announcement
	// facts are the e-mail's details that later changes could alter (the
	// reason of a rejection, the amounts of an inspection...), as JSON.
	facts map[string]any
	// email is the order's address when the caller has the order at hand
	// ("": read in the transaction).
	email string
	// at is when the change happened.
	at time.Time
}

// WebhookBody is the JSON body of a delivery (Standard Webhooks: type,
// timestamp of the event, data).
type WebhookBody struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// announce writes a change's outbox rows in its transaction.
func (s *Service) announce(tx *store.Tx, n notice) error {
	if s.announceOff {
		return nil
	}
	var rows []store.NewOutbox
	if n.a.Mail != "" {
		email := n.email
		if n.r.Gift && n.r.GiftEmail != "" {
			email = n.r.GiftEmail // a gift's recipient, never the buyer
		}
		if email == "" {
			var err error
			if email, _, err = tx.OrderContact(n.r.OrderNumber); err != nil {
				return err
			}
		}
		facts := n.facts
		if facts == nil {
			facts = map[string]any{}
		}
		payload, err := json.Marshal(facts)
		if err != nil {
			return err
		}
		rows = append(rows, store.NewOutbox{Channel: store.ChannelEmail, Event: n.a.Mail, ReturnID: n.r.ID,
			Recipient: email, Locale: n.r.Locale, Payload: payload})
	}
	hooks, err := s.deliveries(tx, n.r.RMA, n.r.ID, n.a.Hooks, n.at)
	if err != nil {
		return err
	}
	rows = append(rows, hooks...)
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.Enqueue(rows...)
	return err
}

// deliveries are the webhook rows of events about a return: one per
// subscribed endpoint and event, each carrying the return as the merchant
// API shows it now, in the transaction (loaded once, and only when some
// endpoint wants it).
func (s *Service) deliveries(tx *store.Tx, rma string, returnID int64, events []string, at time.Time) ([]store.NewOutbox, error) {
	var rows []store.NewOutbox
	var data *MerchantReturn
	for _, ev := range events {
		eps, err := tx.SubscribedWebhooks(ev)
		if err != nil {
			return nil, err
		}
		if len(eps) == 0 {
			continue
		}
		if data == nil {
			rec, err := tx.ReturnRecord(rma)
			if err != nil {
				return nil, err
			}
			v := merchantView(rec)
			data = &v
		}
		body, err := json.Marshal(WebhookBody{Type: ev, Timestamp: at.UTC(), Data: data})
		if err != nil {
			return nil, err
		}
		for _, ep := range eps {
			rows = append(rows, store.NewOutbox{Channel: store.ChannelWebhook, Event: ev, ReturnID: returnID,
				EndpointID: ep.ID, Recipient: ep.URL, Payload: body})
		}
	}
	return rows, nil
}

// announceCreated announces a new return (o and p are the order and
// policy it was decided under) and schedules the drop-off reminder.
func (s *Service) announceCreated(tx *store.Tx, r returns.Return, o returns.Order, p returns.Policy) error {
	facts := map[string]any{"status": r.Status}
	if r.Returnless() {
		facts["returnless"] = true
	}
	err := s.announce(tx, notice{r: r, a: returns.CreationAnnouncement(r), email: o.Email, at: r.CreatedAt, facts: facts})
	if err == nil {
		// An approved return's carrier label (shipment_hooks.go); none for
		// kept items.
		err = s.carrierHooks(tx, r, decisionHeld(o, p))
	}
	if err != nil || s.announceOff {
		return err
	}
	return s.scheduleReminder(tx, r, o, p)
}

// scheduleReminder writes the drop-off reminder, due the day before the
// deadline (returns.DropOffReminderAt), when the policy wants reminders
// for the order's country and the return waits for its parcel. It is
// cancelled when the return moves on (announceTransition), and the worker
// checks again before sending.
func (s *Service) scheduleReminder(tx *store.Tx, r returns.Return, o returns.Order, p returns.Policy) error {
	a := o.ShippingAddress
	if !returns.AwaitingDropOff(r.Status) || !p.Effective(s.legal, a.Country).DropOffReminder || r.Returnless() {
		return nil // nothing to drop off when the shopper keeps the items
	}
	t := returns.EstimateTimeline(o, p, s.legal, r.Basis, r.CreatedAt)
	loc, _ := returns.ZoneFor(a.Country, a.Region)
	at, ok := returns.DropOffReminderAt(t, loc, r.CreatedAt)
	if !ok {
		return nil
	}
	payload, err := json.Marshal(map[string]any{"drop_off_by": t.DropOffBy})
	if err != nil {
		return err
	}
	to := o.Email
	if r.Gift {
		to = r.GiftEmail
	}
	_, err = tx.Enqueue(store.NewOutbox{Channel: store.ChannelEmail, Event: returns.MailDropOffReminder,
		ReturnID: r.ID, Recipient: to, Locale: r.Locale, Payload: payload, DueAt: at})
	return err
}

// announceTransition announces a status change and, once the return no
// longer waits for its parcel, cancels its reminder.
func (s *Service) announceTransition(tx *store.Tx, r returns.Return, facts map[string]any) error {
	// The change's carrier work: a label to buy or void, a refund trigger
	// (shipment_hooks.go).
	if err := s.carrierHooks(tx, r, decisionIn(tx, r.RMA)); err != nil {
		return err
	}
	if s.announceOff {
		return nil
	}
	if !returns.AwaitingDropOff(r.Status) {
		if err := tx.CancelPending(r.ID, returns.MailDropOffReminder); err != nil {
			return err
		}
	}
	return s.announce(tx, notice{r: r, a: returns.TransitionAnnouncement(r.Status), facts: facts, at: r.UpdatedAt})
}
