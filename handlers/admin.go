package handlers

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The staff area (/admin), one file per action (admin_login.go,
// admin_queue.go, admin_receive.go, ...).
// Staff log in to a server-side session (store.Session) held in a cookie;
// every state-changing request carries the session's CSRF token (a hidden
// form field, or the X-CSRF-Token header that hx-headers adds to htmx
// requests) and must not come from another site. Roles: viewer reads, agent
// also receives, inspects, refunds, approves, rejects and writes notes,
// admin may do everything.

// admin holds the staff area's dependencies besides the Server's.
type admin struct {
	*Server
	secure bool // served over TLS: __Host- cookies with Secure
	// crossOrigin refuses requests a browser made on behalf of another
	// site (sameOrigin).
	crossOrigin *http.CrossOriginProtection
}

const (
	ctxSession     = "staff_session"
	csrfHeader     = "X-CSRF-Token"
	csrfField      = "csrf"
	loginCSRFField = "login_csrf"
)

var (
	errStaffForbidden = &apiError{Status: http.StatusForbidden, Code: "staff_forbidden"}
	errCSRF           = &apiError{Status: http.StatusForbidden, Code: "csrf"}
)

// registerAdmin adds the staff area.
func (s *Server) registerAdmin(e *echo.Echo) {
	a := &admin{Server: s, crossOrigin: crossOriginProtection(s.cfg.BaseURL, s.log),
		secure: strings.HasPrefix(strings.ToLower(s.cfg.BaseURL), "https://")}
	e.GET("/admin", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/admin/returns") })
	e.GET("/admin/login", a.loginPage)
	e.POST("/admin/login", a.loginSubmit, limitBody(adminFormLimit), a.sameOrigin)

	// The body limit comes first: the CSRF check reads the form, and a
	// limit that only ran afterwards (as route middleware does) would let
	// the check parse a body of any size (adminBodyLimit).
	g := e.Group("/admin", adminBodyLimit, a.requireSession, a.csrf)
	viewer, agent := a.requireRole(store.RoleViewer), a.requireRole(store.RoleAgent)
	g.POST("/logout", a.logout)
	g.GET("/returns", a.queuePage, viewer)
	g.GET("/returns.csv", a.queueExport, viewer) // admin_export.go
	g.GET("/returns/:rma", a.returnPage, viewer)
	g.GET("/receive", a.receivePage, viewer)
	g.POST("/receive", a.receiveScan, agent)
	g.POST("/returns/:rma/receive", a.receiveOne, agent)
	g.POST("/returns/:rma/approve", a.approveSubmit, agent)
	g.POST("/returns/:rma/reject", a.rejectSubmit, agent)
	g.POST("/returns/:rma/inspect", a.inspectSubmit, agent)
	g.GET("/returns/:rma/refund", a.refundConfirmPage, agent) // admin_refund_confirm.go
	g.POST("/returns/:rma/refund", a.refundSubmit, agent)
	g.POST("/returns/:rma/refund/retry", a.refundRetry, agent)   // admin_refund.go
	g.POST("/returns/:rma/refund/manual", a.refundManual, agent) // admin_refund.go
	g.POST("/returns/:rma/notes", a.noteSubmit, agent)
	g.POST("/returns/:rma/carrier-retry", a.carrierRetry, agent)                       // admin_shipment.go
	g.GET("/returns/:rma/photos/:id", a.photoFile, viewer)                             // admin_photos.go
	g.GET("/analytics", a.analyticsPage, viewer)                                       // admin_analytics.go
	g.GET("/analytics/:report", a.analyticsPage, viewer)                               // and {report}.csv
	g.POST("/returns/:rma/goodwill", a.goodwillSubmit, a.requireRole(store.RoleAdmin)) // admin_goodwill.go
	// Configuration (admin_policy.go, admin_settings.go, admin_staff.go):
	// everyone reads the policy; admins change it, the settings and staff.
	// The policy's form and import may be larger (adminBodyLimits).
	adminOnly := a.requireRole(store.RoleAdmin)
	g.GET("/policy", a.policyPage, viewer)
	g.POST("/policy", a.policySubmit, adminOnly)
	g.GET("/policy/preview", a.policyPreview, viewer)
	g.GET("/policy/export", a.policyExport, viewer)
	g.POST("/policy/import", a.policyImport, adminOnly)
	g.GET("/settings", a.settingsPage, adminOnly)
	g.POST("/settings", a.settingsSubmit, adminOnly)
	g.POST("/settings/connectors", a.connectorsSubmit, adminOnly)   // admin_connectors.go
	g.GET("/settings/shop-webhooks", a.shopWebhooksPage, adminOnly) // admin_shop_webhooks.go
	g.POST("/settings/keys", a.apiKeyCreate, adminOnly)
	g.POST("/settings/keys/revoke", a.apiKeyRevoke, adminOnly)
	g.GET("/staff", a.staffPage, adminOnly)
	g.POST("/staff", a.staffCreate, adminOnly)
	g.POST("/staff/role", a.staffRole, adminOnly)
	g.POST("/staff/disable", a.staffDisable, adminOnly)
	// Notifications: the outbox (admin_outbox.go: e-mails carry shoppers'
	// links, so agents and admins) and the webhook endpoints
	// (admin_webhooks.go, admins).
	g.GET("/outbox", a.outboxPage, agent)
	g.GET("/outbox/:id", a.outboxMessage, agent)
	g.GET("/outbox/:id/html", a.outboxHTML, agent)
	g.POST("/outbox/:id/resend", a.outboxResend, agent)
	g.GET("/settings/webhooks", a.webhooksPage, adminOnly)
	g.POST("/settings/webhooks", a.webhookCreate, adminOnly)
	g.GET("/settings/webhooks/:id", a.webhookPage, adminOnly)
	g.POST("/settings/webhooks/:id/rotate", a.webhookRotate, adminOnly)
	g.POST("/settings/webhooks/:id/enable", a.webhookEnable, adminOnly)
	g.POST("/settings/webhooks/:id/delete", a.webhookDelete, adminOnly)
}

// Request body limits of the staff area: a form is small; the policy's
// form and import (a whole policy document) may be larger.
const (
	adminFormLimit   = 64 << 10
	adminPolicyLimit = 1 << 20
)

// adminBodyLimits are the routes (Echo's path patterns) allowed more than
// adminFormLimit.
var adminBodyLimits = map[string]int64{
	"/admin/policy":        adminPolicyLimit,
	"/admin/policy/import": adminPolicyLimit,
}

// adminBodyLimit caps every /admin request body before any middleware or
// handler reads it: http.MaxBytesReader with the route's limit
// (adminBodyLimits, else adminFormLimit), and 413 at once when the
// Content-Length already says more. It runs first in the group, before the
// session and the CSRF check, which parses the form.
func adminBodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, ok := adminBodyLimits[c.Path()]
		if !ok {
			limit = adminFormLimit
		}
		return limitBody(limit)(next)(c)
	}
}

// sessionCookie is the cookie's name: __Host- prefixed over TLS, so that
// it is Secure, host-only and path=/ (browsers refuse it otherwise).
func (a *admin) sessionCookie() string {
	if a.secure {
		return "__Host-rp_staff"
	}
	return "rp_staff"
}

func (a *admin) loginCookie() string {
	if a.secure {
		return "__Host-rp_login"
	}
	return "rp_login"
}

func (a *admin) setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: a.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// session is the current request's staff session (after requireSession).
func session(c echo.Context) store.Session {
	sess, _ := c.Get(ctxSession).(store.Session)
	return sess
}

// staffActor names the member in audit events.
func staffActor(c echo.Context) string { return "staff:" + session(c).Email }

// requireSession lets a request through with a live session; others are
// sent to the login page (htmx requests by HX-Redirect).
func (a *admin) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		var id string
		if ck, err := c.Cookie(a.sessionCookie()); err == nil {
			id = ck.Value
		}
		sess, err := a.svc.Session(c.Request().Context(), id)
		if errors.Is(err, service.ErrNotFound) {
			to := "/admin/login"
			if c.Request().Method == http.MethodGet {
				to += "?" + url.Values{"next": {c.Request().URL.RequestURI()}}.Encode()
			}
			if isHX(c) {
				c.Response().Header().Set("HX-Redirect", to)
				return c.NoContent(http.StatusUnauthorized)
			}
			return c.Redirect(http.StatusSeeOther, to)
		}
		if err != nil {
			return err
		}
		c.Set(ctxSession, sess)
		return next(c)
	}
}

// requireRole lets through members with at least the role's rights.
func (a *admin) requireRole(min string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !store.RoleAtLeast(session(c).Role, min) {
				return errStaffForbidden
			}
			return next(c)
		}
	}
}

// csrf guards every state-changing staff request: it must come from this
// site (sameOrigin) and carry the session's token in the csrf form field or
// the X-CSRF-Token header. Safe methods pass.
func (a *admin) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return a.sameOrigin(func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		token := c.Request().Header.Get(csrfHeader)
		if token == "" {
			// The form is parsed here, under adminBodyLimit's reader: a
			// body over the limit is a 413, not a missing token.
			if _, err := c.FormParams(); err != nil {
				if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
					return errPayloadTooLarge
				}
				return errCSRF
			}
			token = c.FormValue(csrfField)
		}
		want := session(c).CSRF
		if want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	})
}

// sameOrigin refuses state-changing requests that a browser made on behalf
// of another site, before any token is looked at (layer 1 of two; the
// session's CSRF token is layer 2). It is the standard library's
// CrossOriginProtection: Sec-Fetch-Site first ("same-origin" or "none"
// pass, anything else is refused); where a browser sends no Fetch metadata
// (Chromium omits it for plain-http addresses other than localhost), the
// Origin must name the request's own Host or the base URL's origin (behind
// a proxy that rewrites Host). "Origin: null" without Fetch metadata is
// refused: staff pages send Referrer-Policy: same-origin (securityHeaders),
// under which browsers send the real origin on a same-origin form post. A
// request without either header is not a browser's and passes to the token
// check.
func (a *admin) sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := a.crossOrigin.Check(c.Request()); err != nil {
			return errCSRF
		}
		return next(c)
	}
}

// crossOriginProtection trusts, besides the request's own Host, the origin
// of the public base URL: a reverse proxy may pass another Host on.
func crossOriginProtection(baseURL string, log *slog.Logger) *http.CrossOriginProtection {
	cop := http.NewCrossOriginProtection()
	if origin, ok := urlOrigin(baseURL); ok {
		if err := cop.AddTrustedOrigin(origin); err != nil {
			log.Warn("base URL not trusted as an origin", "base_url", baseURL, "err", err)
		}
	}
	return cop
}

// urlOrigin is scheme://host[:port] of an absolute http(s) URL.
func urlOrigin(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), true
}

// page fills what every staff page needs.
func (a *admin) page(c echo.Context, p *portal, titleID, nav string) views.AdminPage {
	dir := "ltr"
	if p.lang == "ar" {
		dir = "rtl"
	}
	sess := session(c)
	return views.AdminPage{Lang: p.lang, Dir: dir, Title: p.T(titleID), Email: sess.Email, Role: sess.Role,
		CSRF: sess.CSRF, Nav: nav}
}

// rmaParam is the :rma of the path, normalized; a value that cannot be an
// RMA is a 404.
func rmaParam(c echo.Context) (string, error) {
	rma, ok := returns.NormalizeRMA(c.Param("rma"))
	if !ok {
		return "", errNotFound
	}
	return rma, nil
}
