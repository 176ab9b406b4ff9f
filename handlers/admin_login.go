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
	a.setCookie(c, a.loginCookie(), token, int(loginWindow/time.Second))
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

// safeNext keeps a post-login destination only when it is a path of the
// staff area (no open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return ""
}

// loginSubmit checks an e-mail and password. The attempt counts against the
// account and the client IP first (over a limit: 429 with Retry-After);
// an unknown e-mail and a wrong password give the same answer, after the
// same argon2id work.
func (a *admin) loginSubmit(c echo.Context) error {
	ck, err := c.Cookie(a.loginCookie())
	token := c.FormValue(loginCSRFField)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(token)) != 1 {
		return errCSRF
	}
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	now := a.now()
	ok, wait := a.ipLimit.allow(c.RealIP(), now)
	if ok {
		ok, wait = a.accountLimit.allow(store.NormalizeEmail(email), now)
	}
	if !ok {
		secs := max(int(wait.Round(time.Second)/time.Second), 1)
		return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: secs}
	}
	ctx := c.Request().Context()
	member, hash, err := a.st.StaffCredentials(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// VerifyPassword works through a dummy hash when hash is empty, so an
	// unknown account takes as long as a known one.
	if !store.VerifyPassword(hash, password) || err != nil {
		p := a.portal(c)
		return a.renderLogin(c, http.StatusUnauthorized, email, next, token, p.T("admin.login.failed"))
	}
	// A new session id at every login (no fixation); the old one ends.
	if old, err := c.Cookie(a.sessionCookie()); err == nil {
		_ = a.st.DeleteSession(ctx, old.Value)
	}
	id, _, err := a.st.CreateSession(ctx, member.ID, now)
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
		if err := a.st.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	a.setCookie(c, a.sessionCookie(), "", -1)
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}
