// Package handlers is the HTTP side of the portal: Echo routes and middleware.
// Handlers are thin: they bind and validate input, ask the store for data and
// the returns package for decisions, write through the store and render JSON
// or templ views (the shopper's portal, portal_*.go). No SQL and no business rule lives here.
package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/static"
	"github.com/returns-portal/returns/store"
)

// Store is the part of the store that handlers use; *store.Store satisfies it.
type Store interface {
	Ping(ctx context.Context) error
	UpsertOrder(ctx context.Context, o returns.Order) (bool, error)
	GetOrder(ctx context.Context, number string) (returns.Order, error)
	OrderHistory(ctx context.Context, number string) (returns.History, error)
	SavePolicy(ctx context.Context, p returns.Policy, actor string) (int64, error)
	CurrentPolicy(ctx context.Context) (int64, returns.Policy, error)
	PolicyVersion(ctx context.Context, version int64) (returns.Policy, error)
	CreateReturn(ctx context.Context, orderNumber, actor string, build store.BuildFunc) (returns.Return, error)
	GetReturn(ctx context.Context, rma string) (returns.Return, error)
	Transition(ctx context.Context, rma string, to returns.Status, actor, note string) (returns.Return, error)
	Events(ctx context.Context, rma string) ([]store.Event, error)
	APIKeyByToken(ctx context.Context, key string) (store.APIKey, error)
}

// Config is everything the server needs; main.go fills it from flags and env.
type Config struct {
	Store Store
	// Legal is the law's data (returns.LoadLegal, loaded once by main).
	Legal   *returns.Legal
	Bundle  *i18n.Bundle
	Logger  *slog.Logger
	BaseURL string
	// Secret signs shopper tokens (HMAC-SHA256); at least 32 bytes.
	Secret []byte
	// LookupLimitIP is the number of lookups per minute per client IP;
	// LookupLimitOrder per 15 minutes per order number. 0 turns a limit off.
	LookupLimitIP    int
	LookupLimitOrder int
	// TrustedProxies lists the CIDRs of reverse proxies whose X-Forwarded-For
	// is believed; empty means the peer address is the client.
	TrustedProxies []string
	// EmbedOrigins are the storefront origins (scheme://host[:port]) that may
	// frame the embedded flow under /embed; empty: nobody may. Once the
	// settings hold embed origins (SeedEmbedOrigins, /admin/settings), they
	// win.
	EmbedOrigins []string
	// Now is the clock; tests set it.
	Now func() time.Time
	// Admin is the store of the staff area (admin*.go); nil means Store,
	// which must then implement AdminStore for /admin to exist.
	Admin AdminStore
	// Refunder pays refunds back; nil is RecordRefunder, which records them
	// for the merchant to execute in their payment provider.
	Refunder Refunder
}

// Server holds the wired dependencies of the routes.
type Server struct {
	cfg        Config
	legal      *returns.Legal
	tokens     tokenSigner
	ipLimit    *rateLimiter
	orderLimit *rateLimiter
	now        func() time.Time
	log        *slog.Logger
	labels     *labels.Renderer // label and customs PDFs; fonts parsed once per process
	// embedOrigins are the configured storefront origins (validated): the
	// embed origins until the settings hold some (site.go).
	embedOrigins []string
	siteCache    siteCache
}

// New builds the Echo application with every route and middleware.
func New(cfg Config) (*echo.Echo, error) {
	if cfg.Legal == nil {
		return nil, errors.New("handlers: no legal data")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		cfg:        cfg,
		legal:      cfg.Legal,
		tokens:     tokenSigner{key: cfg.Secret},
		ipLimit:    newRateLimiter(cfg.LookupLimitIP, time.Minute),
		orderLimit: newRateLimiter(cfg.LookupLimitOrder, 15*time.Minute),
		now:        cfg.Now,
		log:        cfg.Logger,
		labels:     labels.New(labels.EmbeddedFonts(), labels.Options{Logger: cfg.Logger}),
	}
	origins, err := ParseEmbedOrigins(cfg.EmbedOrigins)
	if err != nil {
		return nil, err
	}
	s.embedOrigins = origins
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	extractor, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = extractor
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.recoverPanics)
	e.Use(s.securityHeaders)

	e.GET("/healthz", s.health)
	e.GET("/static/theme.css", s.themeStylesheet) // site.go: the merchant's accent colour
	e.StaticFS("/static", static.Files)

	// The shopper's portal (portal_*.go): HTML forms, no cookie, state in
	// signed tokens. Form bodies are small.
	// The same flow runs top-level and, under /embed, in the storefront's
	// iframe (portal_embed.go).
	form := limitBody(64 << 10)
	e.GET(embedBase, s.lookupPage)
	for _, base := range []string{"", embedBase} {
		e.GET(base+"/", s.lookupPage)
		e.POST(base+"/lookup", s.lookupSubmit, form)
		e.GET(base+"/order", s.orderPage)
		e.POST(base+"/order", s.orderPage, form)
		e.POST(base+"/quote", s.quoteFragment, form)
		e.POST(base+"/iban", s.ibanCheck, form)
		e.POST(base+"/review", s.review, form)
		e.POST(base+"/returns", s.confirm, uploadLimit(64<<10)) // multipart with photos: photos.go
		e.GET(base+"/withdraw", s.withdrawLookupPage)           // portal_withdraw.go
		e.GET(base+"/withdraw/order", s.withdrawPage)
		e.POST(base+"/withdraw", s.withdrawSubmit, form)
		e.GET(base+"/r/:rma", s.statusPage)
		e.GET(base+"/r/:rma/withdrawal", s.withdrawalAck)
		e.POST(base+"/r/:rma/cancel", s.cancelSubmit, form)
	}
	e.GET("/r/:rma/label.pdf", s.labelPDF)     // labels.go
	e.GET("/r/:rma/customs.pdf", s.customsPDF) // labels.go
	e.GET("/policy", s.policyPage)

	api := e.Group("/api/v1", limitBody(1<<20))
	// Merchant routes: API key and scope per route (a keyed Group would also
	// answer 401 for unknown paths under its prefix instead of 404).
	keyed := func(scope string) []echo.MiddlewareFunc {
		return []echo.MiddlewareFunc{s.requireAPIKey, requireScope(scope)}
	}
	api.PUT("/orders/:number", s.putOrder, keyed("orders:write")...)
	api.GET("/policy", s.getPolicy, keyed("policy:read")...)
	api.PUT("/policy", s.putPolicy, keyed("policy:write")...)

	api.POST("/returns/lookup", s.lookup)
	api.POST("/returns/quote", s.quote)
	// Not in the group: its 1 MB cap would hold multipart photo uploads too.
	e.POST("/api/v1/returns", s.createReturn, uploadLimit(1<<20))
	api.GET("/returns/:rma", s.getReturn)
	api.POST("/returns/:rma/cancel", s.cancelReturn)
	s.registerAdmin(e) // admin.go: /admin and the merchant API's return actions
	return e, nil
}

func (s *Server) health(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
