// Package handlers is the HTTP side of the portal: Echo routes and
// middleware. A handler binds the request into a typed input, calls one
// method of the service (package service, where every use case is carried
// out) and renders the answer: a templ view (views) or JSON. One error
// handler (errors.go) maps the service's errors to a status and a
// translated message. No SQL and no business rule lives here: the shopper's
// portal is portal_*.go, the staff area admin_*.go, the merchant API
// api_*.go.
package handlers

import (
	"errors"
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/static"
)

// Config is everything the server needs; main.go fills it from flags and env.
type Config struct {
	// Service carries out the use cases.
	Service *service.Service
	Catalog *locales.Catalog
	Logger  *slog.Logger
	// BaseURL is the portal's public URL: links in answers and on labels,
	// and the origin staff forms may come from.
	BaseURL string
	// TrustedProxies lists the CIDRs of reverse proxies whose X-Forwarded-For
	// is believed; empty means the peer address is the client.
	TrustedProxies []string
	// MailKept: no SMTP server is configured; e-mails are kept for
	// /admin/outbox (which says so).
	MailKept bool
}

// Server holds the wired dependencies of the routes.
type Server struct {
	cfg Config
	svc *service.Service
	log *slog.Logger
	// tr keeps the messages per language (translations.go); langs are the
	// languages the portal speaks (locale.go); languages are the portal's
	// languages with their names, for the language switcher.
	tr        *translations
	langs     languages
	languages []languageName
	// speakers are the requests' languages as settled (translations.go).
	speakers speakers
	// photos decodes the shoppers' photos, a bounded number of pixels at
	// once (photo_image.go).
	photos *photoDecoder
}

// New builds the Echo application with every route and middleware.
func New(cfg Config) (*echo.Echo, error) {
	_, e, err := newServer(cfg)
	return e, err
}

// newServer is New, with the Server the routes are wired to.
func newServer(cfg Config) (*Server, *echo.Echo, error) {
	if cfg.Service == nil || cfg.Catalog == nil {
		return nil, nil, errors.New("handlers: a service and a message catalog are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, svc: cfg.Service, log: cfg.Logger, tr: newTranslations(cfg.Catalog), languages: languageNames(),
		langs: newLanguages(cfg.Catalog.LanguageTags(), language.English), photos: newPhotoDecoder()}
	e := echo.New()
	e.JSONSerializer = bufferedJSON{}
	e.HideBanner = true
	e.HidePort = true
	extractor, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, nil, err
	}
	e.IPExtractor = extractor
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.recoverPanics)
	e.Use(s.securityHeaders)

	e.GET("/healthz", s.health)                   // health.go
	e.GET("/static/theme.css", s.themeStylesheet) // site.go: the merchant's accent colour
	e.GET("/favicon.ico", s.favicon)              // portal_favicon.go
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
		e.GET(base+"/review", s.review)                         // the review's address (portal_history.go)
		e.POST(base+"/review", s.review, uploadLimit(64<<10))   // multipart with photos: photos.go
		e.POST(base+"/returns", s.confirm, uploadLimit(64<<10)) // multipart with photos: photos.go
		e.GET(base+"/gift", s.giftLookupPage)                   // portal_gift.go
		e.POST(base+"/gift", s.giftLookupSubmit, form)
		e.GET(base+"/withdraw", s.withdrawLookupPage) // portal_withdraw.go
		e.GET(base+"/withdraw/order", s.withdrawPage)
		e.POST(base+"/withdraw", s.withdrawSubmit, form)
		e.GET(base+"/r/:rma", s.statusPage)
		e.GET(base+"/r/:rma/withdrawal", s.withdrawalAck)
		e.GET(base+"/r/:rma/label-status", s.labelStatus) // portal_shipment.go
		e.GET(base+"/r/:rma/cancel", s.cancelPage)
		e.POST(base+"/r/:rma/cancel", s.cancelSubmit, form)
		e.GET(base+"/link", s.lookupLinkPage) // portal_lookup_link.go
		e.POST(base+"/link", s.lookupLinkSubmit, form)
		e.GET(base+"/r/:rma/feedback", s.feedbackPage) // portal_feedback.go
		e.POST(base+"/r/:rma/feedback", s.feedbackSubmit, form)
	}
	e.GET("/r/:rma/label.pdf", s.labelPDF)     // labels.go
	e.GET("/r/:rma/customs.pdf", s.customsPDF) // labels.go
	e.GET("/r/:rma/qr.png", s.labelQR)         // portal_shipment.go
	s.carrierWebhookRoutes(e)                  // webhooks_carriers.go
	e.GET("/policy", s.policyPage)

	s.apiRoutes(e)
	// Shop platforms' order webhooks (webhooks.go): authenticated by their
	// HMAC alone, 2xx once stored.
	e.POST("/webhooks/:platform", s.shopWebhook, limitBody(maxWebhookBody))
	s.registerAdmin(e) // admin.go: /admin
	return s, e, nil
}

// apiRoutes is the route table of the JSON API, /api/v1: the shopper's
// routes take a token in the body or query, the merchant's an API key with
// a scope per route (a keyed Group would also answer 401 for unknown paths
// under its prefix instead of 404).
func (s *Server) apiRoutes(e *echo.Echo) {
	api := e.Group("/api/v1", limitBody(1<<20), requireJSONBody(false))
	keyed := func(scope string) []echo.MiddlewareFunc {
		return []echo.MiddlewareFunc{s.requireAPIKey, requireScope(scope)}
	}
	// The shopper (api_shopper.go).
	api.POST("/returns/lookup", s.lookup)
	api.POST("/returns/lookup-link", s.apiLookupLink) // portal_lookup_link.go
	api.POST("/returns/quote", s.quote)
	// Not in the group: its 1 MB cap would hold multipart photo uploads too.
	e.POST("/api/v1/returns", s.createReturn, uploadLimit(1<<20), requireJSONBody(true))
	api.POST("/returns/:rma/cancel", s.cancelReturn)
	// The shopper's (a token) and the merchant's (a key) view of a return:
	// dispatched on the Authorization header.
	api.GET("/returns/:rma", s.getReturnAny)

	// The merchant (api_orders.go, api_policy.go, api_returns.go).
	api.PUT("/orders/:number", s.putOrder, keyed("orders:write")...)
	api.PUT("/products/:id", s.putProduct, keyed("orders:write")...) // api_products.go
	api.GET("/products/:id", s.getProduct, keyed("orders:write")...)
	api.DELETE("/products/:id", s.deleteProduct, keyed("orders:write")...)
	api.GET("/policy", s.getPolicy, keyed("policy:read")...)
	api.PUT("/policy", s.putPolicy, keyed("policy:write")...)
	api.GET("/returns", s.apiListReturns, keyed("returns:read")...)
	api.POST("/returns/:rma/receive", s.apiReceive, keyed("returns:write")...)
	api.POST("/returns/:rma/approve", s.apiApprove, keyed("returns:write")...)
	api.POST("/returns/:rma/reject", s.apiReject, keyed("returns:write")...)
	api.POST("/returns/:rma/inspect", s.apiInspect, keyed("returns:write")...)
	api.POST("/returns/:rma/refund", s.apiRefund, keyed("returns:write")...)
	// Webhook endpoints (api_webhooks.go).
	hooks := keyed("webhooks:write")
	api.POST("/webhooks", s.apiCreateWebhook, hooks...)
	api.GET("/webhooks", s.apiListWebhooks, hooks...)
	api.DELETE("/webhooks/:id", s.apiDeleteWebhook, hooks...)
	api.POST("/webhooks/:id/rotate", s.apiRotateWebhook, hooks...)
	api.GET("/webhooks/:id/deliveries", s.apiWebhookDeliveries, hooks...)
	api.POST("/webhooks/:id/deliveries/:msg/resend", s.apiResendDelivery, hooks...)
	api.POST("/returns/:rma/refund/retry", s.apiRetryRefund, keyed("returns:write")...)
	api.GET("/analytics/:report", s.apiAnalytics, keyed("returns:read")...) // api_analytics.go
}
