// Package service carries out the portal's use cases, one file each: the
// shopper's (lookup, offer, quote, create, cancel, withdraw, status,
// documents), the staff's (review, receive, inspect, refund, goodwill,
// notes, queue), the merchant's configuration (policy, orders, settings,
// API keys, staff accounts, sessions). The JSON API, the HTML portal, the
// staff area and the CLI all call these methods, so that a rule cannot be
// decided two ways.
//
// A method loads what it needs through the store, asks the domain
// (package returns) for every decision and writes through the store, in one
// transaction (store.Write) where it changes something. It takes typed
// inputs and returns domain values or errors that say what went wrong
// (errors.go): never an HTTP status, never text for a person.
package service

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/returns-portal/returns/carriers"
	"github.com/returns-portal/returns/internal/secrets"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Config is everything a Service needs; main fills it from flags and the
// environment.
type Config struct {
	Store *store.Store
	// Legal is the law's data (returns.LoadLegal, loaded once by main).
	Legal *returns.Legal
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Tokens signs and checks the shopper's tokens.
	Tokens token.Signer
	Settings
	// Connectors are the shop and payment connectors' credentials and
	// settings given in the environment (they win over the ones stored in
	// the settings); Secrets encrypts the stored ones (nil without
	// RETURNS_SECRETS_KEY: then none can be stored).
	Connectors ConnectorEnv
	Secrets    *secrets.Box
	// Executors, when set, builds the refund executors instead of
	// payments.Config.Executor (tests inject faults and count calls).
	Executors func(cfg payments.Config, name string) (payments.Executor, error)
	// OnRefund runs in the transaction that finalises a refund (succeeded
	// or failed): the place where the outbox's rows for the refund are
	// written.
	OnRefund func(tx *store.Tx, ev RefundEvent) error
	// RefundLease is how long a refund's caller holds it before the resume
	// worker may take it over (2 minutes when 0); RefundCallTimeout bounds
	// one provider call (payments.CallTimeout when 0).
	RefundLease       time.Duration
	RefundCallTimeout time.Duration
	// RefundRetryBase is the first wait before a call whose outcome was
	// unknown is repeated (1 minute when 0), doubling with each attempt.
	RefundRetryBase time.Duration
	Logger          *slog.Logger
	// Carriers are the carrier platforms configured, by the name a hub's
	// label_provider gives (NewCarrierProviders); a hub naming one that is
	// not configured has its labels fail for staff to see.
	Carriers map[string]carriers.Provider
}

// Settings are the configured limits and defaults of the use cases.
type Settings struct {
	// LookupLimitIP is the number of order lookups per minute per client
	// IP; LookupLimitOrder per 15 minutes per order number. 0 turns a limit
	// off, and with it the other shopper limits of its kind: 0 for the IP
	// turns off every per-IP limit of the shopper's flow (the creation's,
	// CreateLimitIP), 0 for the order every per-order and per-token one
	// (CreateLimitOrder). Load tests rely on that.
	LookupLimitIP    int
	LookupLimitOrder int
	// EmbedOrigins are the storefront origins (scheme://host[:port]) that
	// may frame the embedded flow, as configured: the embed origins until
	// the settings hold some (SeedEmbedOrigins, SaveSite).
	EmbedOrigins []string
	// LookupLinkLimitIP and LookupLinkLimitOrder are the e-mailed lookup
	// links asked for per hour per client IP and per order number; 0 takes
	// DefaultLookupLinkLimit.
	LookupLinkLimitIP    int
	LookupLinkLimitOrder int
	// WebhookAllowPrivate lets webhook endpoints be plain http and on
	// loopback or private addresses: for local testing only.
	WebhookAllowPrivate bool
	// ImageHosts are the hosts order lines may take their pictures from
	// (ParseImageHosts); none: lines carry no image.
	ImageHosts []string
}

// Login throttling, kept in memory like the lookup limits: each instance
// counts its own attempts, and a restart forgets them.
const (
	LoginLimitAccount = 5  // attempts per account per LoginWindow
	LoginLimitIP      = 20 // attempts per client IP per LoginWindow
	LoginWindow       = 15 * time.Minute
)

// Service carries out the use cases. It is safe for concurrent use.
type Service struct {
	st     *store.Store
	legal  *returns.Legal
	now    func() time.Time
	tokens token.Signer
	log    *slog.Logger
	// The refunds' connectors and execution (refund.go, connectors.go).
	connectors  ConnectorEnv
	box         *secrets.Box
	executors   func(cfg payments.Config, name string) (payments.Executor, error)
	refundHook  func(tx *store.Tx, ev RefundEvent) error
	refundLease time.Duration
	callTimeout time.Duration
	retryBase   time.Duration
	// labels renders label and customs PDFs; its fonts are parsed on the
	// first document (documents.go), not at start-up.
	labels func() *labels.Renderer
	// renders bounds the documents rendered at once: each takes a few
	// megabytes while it is drawn, and more at once only share the CPU.
	renders chan struct{}
	// build identifies the code that renders documents (label_store.go).
	build string
	// embedOrigins are the configured storefront origins, validated.
	embedOrigins []string
	site         siteCache
	// imageHosts are the allowed hosts of order lines' images.
	imageHosts []string
	countries  countriesCache

	lookupsByIP, lookupsByOrder *rateLimiter
	createsByIP, createsByOrder *rateLimiter
	loginsByIP, loginsByAccount *rateLimiter
	linksByIP, linksByOrder     *rateLimiter

	webhookAllowPrivate bool
	// wake tells the outbox worker that rows were committed
	// (OutboxWritten); one pending signal is enough.
	wake chan struct{}
	// announceOff writes no outbox rows (the benchmark's baseline only).
	announceOff bool

	// carriers are the configured carrier platforms; carrierWake tells the
	// carrier worker that jobs were committed (CarrierWork).
	carriers    map[string]carriers.Provider
	carrierWake chan struct{}
}

// New checks the configuration and builds the Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Legal == nil {
		return nil, errors.New("service: a store and the legal data are required")
	}
	if !cfg.Tokens.Valid() {
		return nil, errors.New("service: a token signer is required")
	}
	origins, err := ParseEmbedOrigins(cfg.EmbedOrigins)
	if err != nil {
		return nil, err
	}
	images, err := ParseImageHosts(cfg.ImageHosts)
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RefundLease <= 0 {
		cfg.RefundLease = defaultRefundLease
	}
	if cfg.RefundRetryBase <= 0 {
		cfg.RefundRetryBase = time.Minute
	}
	if cfg.RefundCallTimeout <= 0 {
		cfg.RefundCallTimeout = payments.CallTimeout
	}
	if err := cfg.Connectors.validate(); err != nil {
		return nil, err
	}
	if cfg.LookupLinkLimitIP == 0 {
		cfg.LookupLinkLimitIP = DefaultLookupLinkLimit
	}
	if cfg.LookupLinkLimitOrder == 0 {
		cfg.LookupLinkLimitOrder = DefaultLookupLinkLimit
	}
	s := &Service{
		st: cfg.Store, legal: cfg.Legal, now: cfg.Now, tokens: cfg.Tokens, log: cfg.Logger,
		connectors: cfg.Connectors, box: cfg.Secrets, executors: cfg.Executors, refundHook: cfg.OnRefund,
		refundLease: cfg.RefundLease, callTimeout: cfg.RefundCallTimeout, retryBase: cfg.RefundRetryBase,
		labels: sync.OnceValue(func() *labels.Renderer {
			return labels.New(labels.EmbeddedFonts(), labels.Options{Logger: cfg.Logger})
		}),
		renders:         make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		build:           buildIdentity(),
		embedOrigins:    origins,
		imageHosts:      images,
		lookupsByIP:     newRateLimiter(cfg.LookupLimitIP, time.Minute),
		lookupsByOrder:  newRateLimiter(cfg.LookupLimitOrder, 15*time.Minute),
		createsByIP:     newRateLimiter(unlessOff(cfg.LookupLimitIP, CreateLimitIP), CreateWindow),
		createsByOrder:  newRateLimiter(unlessOff(cfg.LookupLimitOrder, CreateLimitOrder), CreateWindow),
		loginsByIP:      newRateLimiter(LoginLimitIP, LoginWindow),
		loginsByAccount: newRateLimiter(LoginLimitAccount, LoginWindow),
		linksByIP:       newRateLimiter(cfg.LookupLinkLimitIP, time.Hour),
		linksByOrder:    newRateLimiter(cfg.LookupLinkLimitOrder, time.Hour),

		webhookAllowPrivate: cfg.WebhookAllowPrivate,
		wake:                make(chan struct{}, 1),
		carriers:            cfg.Carriers,
		carrierWake:         make(chan struct{}, 1),
	}
	s.shareLimits() // ratelimit_shared.go
	return s, nil
}

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error { return s.st.Ping(ctx) }

// Health checks that the database answers and can be written
// (store.StorageHealth), for /healthz: nil, or an error that is
// ErrStorageFull, ErrStorageReadOnly, ErrStorageFailed or another.
func (s *Service) Health(ctx context.Context) error {
	if err := s.st.Ping(ctx); err != nil {
		return err
	}
	return s.st.StorageHealth(ctx)
}

// inTx runs a use case's change in one writer transaction (store.Write)
// and returns its result. The transaction is where a use case joins more
// rows to its change (its outbox rows: announce.go), so that they commit
// together; once rows are committed, the outbox worker is woken.
func inTx[T any](ctx context.Context, s *Service, change func(*store.Tx) (T, error)) (T, error) {
	var out T
	enqueued, jobs := 0, 0
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = change(tx)
		enqueued, jobs = tx.Enqueued(), tx.Jobs()
		return err
	})
	if err == nil && enqueued > 0 {
		s.nudge()
	}
	if err == nil && jobs > 0 {
		s.nudgeCarriers()
	}
	return out, err
}

// OutboxWritten signals (at most one pending signal) that outbox rows have
// been committed: the worker of this process sends them at once instead
// of at its next poll.
func (s *Service) OutboxWritten() <-chan struct{} { return s.wake }

func (s *Service) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
