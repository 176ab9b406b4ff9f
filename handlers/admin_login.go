package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// loginPage shows the login form. A login CSRF token pairs the form with a
// short-lived cookie, so that another site cannot log a browser into an
// account of its choosing.
func (a *admin) loginPage(c echo.Context) error {
	token := ""
	if ck, err := c.Cookie(a.loginCookie()); err == nil && len(ck.Value) == 43 {
		token = ck.Value
	} else {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		token = base64.RawURLEncoding.EncodeToString(b)
	}
	a.setCookie(c, a.loginCookie(), token, int(loginCookieAge/time.Second))
	return a.renderLogin(c, http.StatusOK, "", safeNext(c.QueryParam("next")), token, "")
}

func (a *admin) renderLogin(c echo.Context, status int, email, next, token, problem string) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	p := a.portal(c)
	pg := a.page(c, p, "admin.login.title", "")
	pg.Email, pg.Role, pg.CSRF = "", "", ""
	return p.view(status, views.AdminLogin(views.LoginProps{Page: pg, Email: email, Next: next,
		LoginCSRF: token, Error: problem}))
}

// loginCookieAge is how long the login form's CSRF cookie lives.
const loginCookieAge = 15 * time.Minute

// safeNext keeps a post-login destination only when it is a path of the
// staff area (no open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return ""
}

// loginSubmit checks an e-mail and password (service.Login: throttled per
// account and per client IP, the same answer for an unknown e-mail and a
// wrong password) and starts a session in a new cookie.
func (a *admin) loginSubmit(c echo.Context) error {
	ck, err := c.Cookie(a.loginCookie())
	token := c.FormValue(loginCSRFField)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(token)) != 1 {
		return errCSRF
	}
	email := strings.TrimSpace(c.FormValue("email"))
	next := safeNext(c.FormValue("next"))
	req := service.LoginRequest{Email: email, Password: c.FormValue("password"), ClientIP: c.RealIP()}
	if old, err := c.Cookie(a.sessionCookie()); err == nil {
		req.OldSession = old.Value
	}
	id, err := a.svc.Login(c.Request().Context(), req)
	if errors.Is(err, service.ErrBadCredentials) {
		p := a.portal(c)
		return a.renderLogin(c, http.StatusUnauthorized, email, next, token, p.T("admin.login.failed"))
	}
	if err != nil {
		return err
	}
	a.setCookie(c, a.sessionCookie(), id, int(store.SessionAbsolute/time.Second))
	a.setCookie(c, a.loginCookie(), "", -1)
	if next == "" {
		next = "/admin/returns"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session on the server and in the browser.
func (a *admin) logout(c echo.Context) error {
	if ck, err := c.Cookie(a.sessionCookie()); err == nil {
		if err := a.svc.Logout(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	a.setCookie(c, a.sessionCookie(), "", -1)
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}
