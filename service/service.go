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

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/labels"
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
	// Refunder pays refunds back; nil is RecordRefunder, which records them
	// for the merchant to execute in their payment provider.
	Refunder Refunder
	Logger   *slog.Logger
}

// Settings are the configured limits and defaults of the use cases.
type Settings struct {
	// LookupLimitIP is the number of order lookups per minute per client
	// IP; LookupLimitOrder per 15 minutes per order number. 0 turns a limit
	// off.
	LookupLimitIP    int
	LookupLimitOrder int
	// EmbedOrigins are the storefront origins (scheme://host[:port]) that
	// may frame the embedded flow, as configured: the embed origins until
	// the settings hold some (SeedEmbedOrigins, SaveSite).
	EmbedOrigins []string
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
	st       *store.Store
	legal    *returns.Legal
	now      func() time.Time
	tokens   token.Signer
	refunder Refunder
	log      *slog.Logger
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

	lookupsByIP, lookupsByOrder *rateLimiter
	loginsByIP, loginsByAccount *rateLimiter
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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Refunder == nil {
		cfg.Refunder = RecordRefunder{}
	}
	return &Service{
		st: cfg.Store, legal: cfg.Legal, now: cfg.Now, tokens: cfg.Tokens, refunder: cfg.Refunder, log: cfg.Logger,
		labels: sync.OnceValue(func() *labels.Renderer {
			return labels.New(labels.EmbeddedFonts(), labels.Options{Logger: cfg.Logger})
		}),
		renders:         make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		build:           buildIdentity(),
		embedOrigins:    origins,
		lookupsByIP:     newRateLimiter(cfg.LookupLimitIP, time.Minute),
		lookupsByOrder:  newRateLimiter(cfg.LookupLimitOrder, 15*time.Minute),
		loginsByIP:      newRateLimiter(LoginLimitIP, LoginWindow),
		loginsByAccount: newRateLimiter(LoginLimitAccount, LoginWindow),
	}, nil
}

// Ping checks that the database answers, for /healthz.
func (s *Service) Ping(ctx context.Context) error { return s.st.Ping(ctx) }

// inTx runs a use case's change in one writer transaction (store.Write)
// and returns its result. The transaction is where a use case joins more
// rows to its change (an outbox row, say), so that they commit together.
func inTx[T any](ctx context.Context, st *store.Store, change func(*store.Tx) (T, error)) (T, error) {
	var out T
	err := st.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = change(tx)
		return err
	})
	return out, err
}
