package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// ctxLang is where a handler records the language it settled on (e.g. the
// order's locale after a lookup), so that errors come in the same language.
const ctxLang = "lang"

// requestLanguages lists the caller's language preferences, strongest first:
// the explicit lang parameter, a language a handler chose, Accept-Language.
func requestLanguages(c echo.Context) []string {
	var langs []string
	if l := c.QueryParam("lang"); l != "" {
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
