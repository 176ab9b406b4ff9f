package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/locales"
)

// ctxLang is where a handler records the language of the order or return
// it serves (the order's locale, or the choice its token recorded): the
// fallback of pickLanguage when the request names none the portal speaks.
const ctxLang = "lang"

// ctxOrderLocale is the locale of the order a portal page shows, recorded
// when the order is loaded: amounts take its region (moneyfmt.Locale).
const ctxOrderLocale = "order_locale"

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

// pickLanguage decides the language of a page or an answer, in this order
// of precedence:
//
//  1. explicit: the shopper's own choice (the switcher, ?lang=, the embed's
//     lang, a form's lang), when the portal speaks it;
//  2. acceptLanguage: the browser's languages, strongest first, the first
//     one the portal speaks;
//  3. fallback: the language of the order or return on the page (its
//     locale, or the choice its token recorded), when the portal speaks it;
//  4. the catalog's default (English).
//
// An English visitor who looks up a German order reads English; one whose
// browser asks only for languages the portal lacks reads the order's.
func pickLanguage(l languages, explicit, acceptLanguage, fallback string) language.Tag {
	spoken := func(tags ...language.Tag) (language.Tag, bool) {
		for _, t := range tags {
			if t == language.Und {
				continue
			}
			if _, i, conf := l.matcher.Match(t); conf != language.No {
				base, _ := l.tags[i].Base()
				return language.Make(base.String()), true
			}
		}
		return language.Und, false
	}
	if t, err := language.Parse(explicit); err == nil && explicit != "" {
		if got, ok := spoken(t); ok {
			return got
		}
	}
	if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil {
		if got, ok := spoken(tags...); ok {
			return got
		}
	}
	if t, err := language.Parse(fallback); err == nil && fallback != "" {
		if got, ok := spoken(t); ok {
			return got
		}
	}
	return l.def
}

// languages are the languages the portal speaks: the catalog's, matched
// against a request's, and the default.
type languages struct {
	matcher language.Matcher
	tags    []language.Tag
	def     language.Tag
}

func newLanguages(tags []language.Tag, def language.Tag) languages {
	return languages{matcher: language.NewMatcher(tags), tags: tags, def: def}
}

// language is the language of the request's page or answer (pickLanguage):
// its explicit choice, its browser's, or the one a handler recorded from
// the order or return (ctxLang), settled once per request (speaker).
func (s *Server) language(c echo.Context) language.Tag {
	return s.speaker(c).tag
}

// localizer translates for the current request, in its language: the
// speaker's, made once per language (translations), not one per request.
func (s *Server) localizer(c echo.Context) *locales.Localizer {
	sp := s.speaker(c)
	return sp.tr.locs[sp.index]
}

// translate returns the message for id, or fallback when there is none.
func translate(loc *locales.Localizer, id, fallback string) string {
	msg, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil || msg == "" {
		return fallback
	}
	return msg
}
