package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The lookup link: the lookup is rate-limited per order number, so a
// stranger who types a number again and again locks its owner out of the
// portal (and of the withdrawal function). The owner asks for a link
// instead: it is e-mailed to the order's address, which the stranger does
// not read, and opens the order like a lookup does (token.LookupTTL, 30
// minutes). The answer is the same whether or not anything is sent.

// DefaultLookupLinkLimit is the number of lookup links per hour per client
// IP, and per order number.
const DefaultLookupLinkLimit = 3

// LookupLinkRequest asks for a link to an order by e-mail.
type LookupLinkRequest struct {
	OrderNumber string
	Email       string
	ClientIP    string
	// Locale is the language the shopper chose ("": the order's).
	Locale string
}

// errNoLink rolls back the transaction of a request that sends nothing.
var errNoLink = errors.New("no lookup link")

// RequestLookupLink e-mails a link that opens the order to the order's
// address, when the e-mail given matches it. The answer is the same in
// every case, so that it reveals nothing: nil, also for an unknown order, a
// wrong e-mail or a request over the limits (3 per hour per client IP and
// per order number by default), which send nothing. The link is in the
// outbox when this returns; the worker sends it.
//
// An unknown order and a wrong e-mail take the same path as a match, a
// writer transaction that is then rolled back, so that the time taken says
// nothing either.
func (s *Service) RequestLookupLink(ctx context.Context, req LookupLinkRequest) error {
	number, valid := returns.NormalizeOrderNumber(req.OrderNumber)
	key := number
	if !valid {
		key = strings.TrimSpace(req.OrderNumber)
	}
	now := s.now()
	if ok, _ := s.linksByIP.allow(req.ClientIP, now); !ok {
		return nil
	}
	if ok, _ := s.linksByOrder.allow(strings.ToUpper(key), now); !ok {
		return nil
	}
	var o returns.Order
	found := false
	if valid {
		var err error
		o, err = s.st.GetOrder(ctx, number)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		found = err == nil
	}
	send := emailMatches(o.Email, req.Email) && found
	locale := req.Locale
	if locale == "" {
		locale = o.Locale
	}
	payload, err := json.Marshal(map[string]string{"order_number": o.Number})
	if err != nil {
		return err
	}
	_, err = inTx(ctx, s, func(tx *store.Tx) (struct{}, error) {
		if _, err := tx.Enqueue(store.NewOutbox{Channel: store.ChannelEmail, Event: returns.MailLookupLink,
			Recipient: o.Email, Locale: locale, Payload: payload}); err != nil {
			return struct{}{}, err
		}
		if !send {
			return struct{}{}, errNoLink
		}
		return struct{}{}, nil
	})
	if errors.Is(err, errNoLink) {
		return nil
	}
	return err
}

// lookupLinkOrder reads the order number of a lookup link's outbox row.
func lookupLinkOrder(payload string) (string, error) {
	var p struct {
		OrderNumber string `json:"order_number"`
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return "", err
	}
	if p.OrderNumber == "" {
		return "", errors.New("service: lookup link without an order number")
	}
	return p.OrderNumber, nil
}
