package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// ctxLang is where a handler records the language it settled on (e.g. the
// order's locale after a lookup), so that errors come in the same language.
const ctxLang = "lang"

// ctxOrderLocale is the locale of the order a portal page shows, recorded
// when the order is loaded: amounts take its region (moneyfmt.Locale).
const ctxOrderLocale = "order_locale"

// requestLanguages lists the caller's language preferences, strongest first:
// the explicit lang parameter, a language a handler chose, Accept-Language.
func requestLanguages(c echo.Context) []string {
	var langs []string
	if l := explicitLang(c); l != "" {
		langs = append(langs, l)
	}
	if l, ok := c.Get(ctxLang).(string); ok && l != "" {
		langs = append(langs, l)
	}
	if al := c.Request().Header.Get("Accept-Language"); al != "" {
		langs = append(langs, al)
	}
	return langs
}

// explicitLang is the language the shopper chose: the lang parameter of the
// URL or, for a portal form, of the form. Only a well-formed tag counts.
func explicitLang(c echo.Context) string {
	l := c.QueryParam("lang")
	if l == "" && isForm(c) {
		l = c.FormValue("lang")
	}
	if l == "" || len(l) > 35 {
		return ""
	}
	if _, err := language.Parse(l); err != nil {
		return ""
	}
	return l
}

// isForm reports whether the request carries an HTML form body: urlencoded,
// or multipart once readPhotoUpload has read its fields (photos.go; reading
// a multipart body here would consume the photos).
func isForm(c echo.Context) bool {
	r := c.Request()
	return r.Method == "POST" && (strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") ||
		r.PostForm != nil && isMultipart(r))
}

// preferredTags parses the request's language preferences in order.
func preferredTags(c echo.Context) []language.Tag {
	var tags []language.Tag
	for _, l := range requestLanguages(c) {
		ts, _, err := language.ParseAcceptLanguage(l)
		if err == nil {
			tags = append(tags, ts...)
		}
	}
	return tags
}

// language is the best supported language for the request (the matcher
// is built once, from the bundle's languages; the request's speaker
// settles it once).
func (s *Server) language(c echo.Context) language.Tag {
	base, _ := s.speaker(c).tag.Base()
	return language.Make(base.String())
}

// localizer translates for the current request.
func (s *Server) localizer(c echo.Context) *i18n.Localizer {
	return i18n.NewLocalizer(s.cfg.Bundle, requestLanguages(c)...)
}

// translate returns the message for id, or fallback when there is none.
func translate(loc *i18n.Localizer, id, fallback string) string {
	msg, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil || msg == "" {
		return fallback
	}
	return msg
}
