package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/returns-portal/returns/internal/netguard"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The merchant's webhook endpoints (Standard Webhooks): managed in the
// staff area and by the API (scope webhooks:write). Each has its own
// signing secret, "whsec_" and the base64 of 32 random bytes, shown once
// when the endpoint is made or its secret rotated.

const (
	// MaxWebhooks bounds the endpoints (each event is delivered to each).
	MaxWebhooks = 20
	// WebhookSecretBytes is the length of a signing secret's key (the
	// specification asks for 24 to 64 bytes).
	WebhookSecretBytes = 32
	// WebhookRotationGrace is how long the old secret keeps signing after
	// a rotation, so that the receiver can switch without losing a
	// delivery.
	WebhookRotationGrace = 24 * time.Hour
)

// WebhookInput is an endpoint to create.
type WebhookInput struct {
	URL    string
	Events []string
}

// CreateWebhook checks and stores an endpoint: the URL must be https and
// not name a loopback, private or link-local address (unless the portal
// allows private endpoints for testing: netguard.CheckURL), the events
// known (returns.WebhookEvents) and at least one. Field errors name "url"
// and "events". It returns the endpoint with its new secret.
func (s *Service) CreateWebhook(ctx context.Context, in WebhookInput) (store.WebhookEndpoint, error) {
	var fe returns.FieldErrors
	u, err := netguard.CheckURL(strings.TrimSpace(in.URL), s.webhookAllowPrivate)
	if err != nil {
		code := returns.FieldInvalid
		if errors.Is(err, netguard.ErrNotPublic) {
			code = "not_public"
		}
		fe = append(fe, returns.FieldError{Path: "url", Code: code})
	}
	var events []string
	for _, e := range in.Events {
		e = strings.TrimSpace(e)
		if !slices.Contains(returns.WebhookEvents, e) {
			fe = append(fe, returns.FieldError{Path: "events", Code: returns.FieldInvalid})
			break
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if len(in.Events) == 0 {
		fe = append(fe, returns.FieldError{Path: "events", Code: returns.FieldRequired})
	}
	if len(fe) > 0 {
		return store.WebhookEndpoint{}, fe
	}
	existing, err := s.st.ListWebhooks(ctx)
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	if len(existing) >= MaxWebhooks {
		return store.WebhookEndpoint{}, &ConflictError{Code: CodeTooManyWebhooks}
	}
	secret, err := NewWebhookSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	return s.st.CreateWebhook(ctx, u.String(), events, secret)
}

// NewWebhookSecret makes a signing secret: "whsec_" and the standard
// base64 of WebhookSecretBytes random bytes.
func NewWebhookSecret() (string, error) {
	b := make([]byte, WebhookSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

// Webhooks lists the endpoints.
func (s *Service) Webhooks(ctx context.Context) ([]store.WebhookEndpoint, error) {
	return s.st.ListWebhooks(ctx)
}

// Webhook loads an endpoint by its public id.
func (s *Service) Webhook(ctx context.Context, id string) (store.WebhookEndpoint, error) {
	if !validPublicID(id, "we_") {
		return store.WebhookEndpoint{}, ErrNotFound
	}
	return s.st.Webhook(ctx, id)
}

// DeleteWebhook deletes an endpoint; its pending deliveries are cancelled.
func (s *Service) DeleteWebhook(ctx context.Context, id string) error {
	if !validPublicID(id, "we_") {
		return ErrNotFound
	}
	return s.st.DeleteWebhook(ctx, id)
}

// EnableWebhook enables an endpoint that was disabled (by a 410 answer).
func (s *Service) EnableWebhook(ctx context.Context, id string) error {
	if !validPublicID(id, "we_") {
		return ErrNotFound
	}
	return s.st.EnableWebhook(ctx, id)
}

// RotateWebhookSecret gives an endpoint a new secret; the old one keeps
// signing too for WebhookRotationGrace. It returns the endpoint with the
// new secret.
func (s *Service) RotateWebhookSecret(ctx context.Context, id string) (store.WebhookEndpoint, error) {
	if !validPublicID(id, "we_") {
		return store.WebhookEndpoint{}, ErrNotFound
	}
	secret, err := NewWebhookSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	return s.st.RotateWebhookSecret(ctx, id, secret, s.now().Add(WebhookRotationGrace))
}

// WebhookDeliveries lists an endpoint's recent deliveries, newest first
// (before: the last row id of the previous page).
func (s *Service) WebhookDeliveries(ctx context.Context, id string, before int64, limit int) ([]store.OutboxMessage, error) {
	if _, err := s.Webhook(ctx, id); err != nil {
		return nil, err
	}
	return s.st.ListOutbox(ctx, store.OutboxFilter{Channel: store.ChannelWebhook, Endpoint: id, Before: before, Limit: limit})
}
