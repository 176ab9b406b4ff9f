package service

import (
	"context"
	"errors"
	"time"

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The outbox as the worker (package notify) and staff see it: claim due
// rows, record each attempt, look at what was sent and resend it.

// ClaimOutbox leases up to limit due rows to owner for lease (the worker
// must record each before then, or another worker may claim it again).
// Channels limit the claim (none: every channel).
func (s *Service) ClaimOutbox(ctx context.Context, owner string, lease time.Duration, limit int, channels ...string) ([]store.OutboxMessage, error) {
	return s.st.ClaimOutbox(ctx, owner, s.now(), lease, limit, channels...)
}

// FinishOutbox records the outcome of an attempt at a claimed row
// (store.ErrLeaseLost when the lease passed to another worker).
func (s *Service) FinishOutbox(ctx context.Context, id int64, owner string, r store.OutboxResult) error {
	return s.st.FinishOutbox(ctx, id, owner, r)
}

// Outbox lists outbox rows for staff, newest first (store.OutboxFilter).
func (s *Service) Outbox(ctx context.Context, f store.OutboxFilter) ([]store.OutboxMessage, error) {
	return s.st.ListOutbox(ctx, f)
}

// OutboxCounts is the number of rows per channel and state.
func (s *Service) OutboxCounts(ctx context.Context) (map[string]map[string]int, error) {
	return s.st.OutboxCounts(ctx)
}

// OutboxMessage loads one row with its attempts, by public id.
func (s *Service) OutboxMessage(ctx context.Context, publicID string) (store.OutboxMessage, []store.OutboxAttempt, error) {
	if !validPublicID(publicID, "msg_") {
		return store.OutboxMessage{}, nil, ErrNotFound
	}
	m, err := s.st.GetOutbox(ctx, publicID)
	if err != nil {
		return store.OutboxMessage{}, nil, err
	}
	attempts, err := s.st.OutboxAttempts(ctx, m.ID)
	return m, attempts, err
}

// Resend sends an e-mail or a webhook delivery again, with the same
// Message-ID or webhook-id (a receiver that has it drops it), at once. A
// delivery to a disabled or deleted endpoint is ConflictError
// endpoint_disabled.
func (s *Service) Resend(ctx context.Context, publicID string) error {
	if !validPublicID(publicID, "msg_") {
		return ErrNotFound
	}
	err := s.st.ResendOutbox(ctx, publicID)
	if errors.Is(err, ErrConflict) {
		return &ConflictError{Code: CodeEndpointDisabled}
	}
	if err == nil {
		s.nudge()
	}
	return err
}

// validPublicID reports whether id could be one of ours with this prefix
// (so that junk is a 404 without a query).
func validPublicID(id, prefix string) bool {
	if len(id) <= len(prefix) || len(id) > 64 || id[:len(prefix)] != prefix {
		return false
	}
	for _, c := range id[len(prefix):] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// EmailContext is what an e-mail of the outbox is written from: the return
// as it is now (its facts at the time of the event are in the row's
// payload), its order, the policy version and the timeline it was decided
// under, the merchant's settings, and the tokens of its links. Not its
// extras: most e-mails show none, and the notifier reads them (Extras) for
// those that do.
type EmailContext struct {
	// HasReturn is false for an e-mail about no return (a lookup link).
	HasReturn bool
	Return    returns.Return
	Order     returns.Order
	Policy    returns.Policy
	Timeline  returns.Timeline
	// Extras (refund, inspections) are left empty by EmailContext.
	Extras store.Extras
	Site   Site
	// ManageToken opens the return's status page for its shopper (her
	// details, cancel) and the survey; ViewToken its documents (a download
	// link is forwarded and printed).
	ManageToken, ViewToken string
	// LabelReady: the return has a label to download now
	// (returns.CheckLabel); Customs: its parcel crosses a customs border,
	// so it has a customs declaration too.
	LabelReady, Customs bool
	// OrderToken opens the order like a lookup until OrderTokenExpires (a
	// lookup link; counted from when it was asked for).
	OrderToken        string
	OrderTokenExpires time.Time
}

// EmailContext loads what an outbox e-mail is written from.
func (s *Service) EmailContext(ctx context.Context, m store.OutboxMessage) (EmailContext, error) {
	ec := EmailContext{Site: s.Site(ctx)}
	if m.Event == returns.MailLookupLink {
		number, err := lookupLinkOrder(m.Payload)
		if err != nil {
			return EmailContext{}, err
		}
		if ec.Order, err = s.st.GetOrder(ctx, number); err != nil {
			return EmailContext{}, err
		}
		ec.OrderToken, ec.OrderTokenExpires = s.tokens.ForOrder(ec.Order.Number, m.Locale, m.CreatedAt)
		return ec, nil
	}
	if m.RMA == "" {
		return EmailContext{}, errors.New("service: e-mail " + m.PublicID + " names no return")
	}
	r, err := s.st.GetReturn(ctx, m.RMA)
	if err != nil {
		return EmailContext{}, err
	}
	d, err := s.Status(ctx, r)
	if err != nil {
		return EmailContext{}, err
	}
	ec.HasReturn, ec.Return, ec.Order, ec.Policy, ec.Timeline = true, r, d.Order, d.Policy, d.Timeline
	ec.ManageToken, ec.ViewToken = s.ManageToken(r.RMA), s.ViewToken(r.RMA)
	ec.LabelReady = returns.CheckReturnLabel(r) == nil
	country := d.Order.ShippingAddress.Country
	if hub, ok := d.Policy.HubByCode(d.Policy.Effective(s.legal, country).Hub); ok {
		ec.Customs = returns.NeedsCustoms(s.legal, country, hub.Address.Country)
		if ec.LabelReady && hub.CarrierLabels() {
			// A carrier's label is linked once it is bought; until then
			// the status page says it is being prepared.
			sh, ok, err := s.st.Shipment(ctx, r.RMA)
			if err != nil {
				return EmailContext{}, err
			}
			ec.LabelReady = ok && sh.LabelStatus == store.LabelBought
		}
	}
	return ec, nil
}

// LookupLinkExpired reports whether a lookup link e-mail of the outbox is
// past use: its link expires token.LookupTTL after it was asked for.
func (s *Service) LookupLinkExpired(m store.OutboxMessage) bool {
	return m.Event == returns.MailLookupLink && s.now().After(m.CreatedAt.Add(token.LookupTTL))
}

// WebhookTarget is the endpoint of a delivery, with the secrets that sign
// at now; live is false when it is disabled or deleted (the delivery is
// then cancelled).
func (s *Service) WebhookTarget(ctx context.Context, endpointID int64) (w store.WebhookEndpoint, secrets []string, live bool, err error) {
	w, deleted, err := s.st.WebhookByID(ctx, endpointID)
	if err != nil {
		return store.WebhookEndpoint{}, nil, false, err
	}
	return w, w.Secrets(s.now()), w.Enabled && !deleted, nil
}

// EndpointGone disables an endpoint that answered 410 Gone (Standard
// Webhooks: the receiver wants no more) and cancels its pending
// deliveries.
func (s *Service) EndpointGone(ctx context.Context, endpointID int64) error {
	return s.st.DisableWebhook(ctx, endpointID, DisabledGone)
}

// DisabledGone is the reason of an endpoint disabled by a 410 answer.
const DisabledGone = "gone"
