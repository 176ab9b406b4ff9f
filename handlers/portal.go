package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/moneyfmt"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The shopper's portal: server-rendered pages, one file per action
// (portal_lookup.go, portal_order.go, ...). State between steps travels in
// the signed token of the form or URL; no cookie, no session. Each page
// renders in full, or only its #portal element for an htmx request.

// portal is what a portal handler needs to speak the shopper's language.
type portal struct {
	s    *Server
	c    echo.Context
	sp   *speaker // T and TData: the request's language, settled once
	loc  *locales.Localizer
	tag  language.Tag
	lang string // base language: en, de, ...
	cur  *moneyfmt.Formatter
	flow views.Flow // top-level, or embedded in a storefront (portal_embed.go)
	// address is the page's own GET address (its step's state in the
	// query), which an htmx answer puts in the address bar (portal_history.go);
	// nil for a page that has none (an error page).
	address *url.URL
}

func (s *Server) portal(c echo.Context) *portal {
	tag := s.language(c)
	base, _ := tag.Base()
	orderLocale, _ := c.Get(ctxOrderLocale).(string)
	p := &portal{s: s, c: c, sp: s.speaker(c), loc: s.localizer(c), tag: tag, lang: base.String(),
		cur: moneyfmt.New(moneyfmt.Locale(base.String(), orderLocale))}
	if isEmbedPath(c.Request().URL.Path) {
		p.flow = views.Flow{Base: embedBase, Parent: s.embedParent(c)}
	}
	return p
}

// link is a path of the flow with its query: under /embed when embedded,
// with the explicit language and the storefront origin kept.
func (p *portal) link(path string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	if l := p.explicit(); l != "" {
		q.Set("lang", l)
	}
	if p.flow.Parent != "" {
		q.Set("parent", p.flow.Parent)
	}
	if path == "/" && p.flow.Base != "" {
		path = ""
	}
	u := url.URL{Path: p.flow.Base + path, RawQuery: q.Encode()}
	return u.String()
}

// absoluteLink is a link to keep (copied, sent on, opened in another
// browser): the portal's public URL, top-level even from the embedded
// flow (the storefront's page around it is not in the link), with the
// explicit language.
func (p *portal) absoluteLink(path string, q url.Values) string {
	if l := p.explicit(); l != "" {
		q.Set("lang", l)
	}
	return strings.TrimRight(p.s.cfg.BaseURL, "/") + path + "?" + q.Encode()
}

// T translates a message ID (views.Translator).
func (p *portal) T(id string) string { return p.sp.translate(id, id) }

// TData translates a message with data (views.Translator). An int "Count"
// picks the plural form and fills {{.Count}}; other entries fill {Name}
// placeholders, in one pass so that a value is never itself expanded.
func (p *portal) TData(id string, data map[string]any) string {
	var msg string
	if n, ok := data["Count"].(int); ok {
		var err error
		msg, err = p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n,
			TemplateData: map[string]any{"Count": n}})
		if err != nil {
			return id
		}
	} else {
		said := p.s.tr.say(p.sp.index, id)
		if said.failed {
			return id
		}
		msg = said.text
	}
	return fill(msg, data)
}

// money formats minor units of a currency for the page's language and the
// order's region (moneyfmt.Locale): 1.234,56 € in de-DE, CHF 1'234.56 in
// de-CH, ￥1,235 in Japanese, 3 decimals for KWD.
func (p *portal) money(minor int64, code string) string {
	return p.cur.Format(minor, code)
}

// isHX reports whether htmx made the request (it then gets a fragment).
func isHX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// page fills what every portal page needs. here is the page's own address,
// without lang: the language switcher links it, and an htmx answer puts it
// in the address bar (nil: an error page, which links the start page and
// leaves the address as it is).
func (p *portal) page(titleID string, here *url.URL) views.Page {
	dir := "ltr"
	if p.lang == "ar" {
		dir = "rtl"
	}
	p.address = here
	if here == nil {
		here = &url.URL{Path: "/"}
	}
	site := p.s.svc.Site(p.c.Request().Context())
	pg := views.Page{Lang: p.lang, Dir: dir, Title: p.T(titleID), Fragment: isHX(p.c),
		HomeHref: p.link("/", nil),
		Brand:    views.Brand{Name: site.MerchantName, LogoURL: site.LogoURL, Theme: site.Accent != ""}}
	pg.Languages = make([]views.LangLink, 0, len(p.s.languages))
	u := *here
	if u.Path == "/" && p.flow.Base != "" {
		u.Path = ""
	}
	u.Path = p.flow.Base + u.Path
	q := u.Query()
	if p.flow.Parent != "" {
		q.Set("parent", p.flow.Parent)
	}
	for _, l := range p.s.languages {
		q.Set("lang", l.code)
		u.RawQuery = q.Encode()
		pg.Languages = append(pg.Languages, views.LangLink{Code: l.code, Name: l.name,
			Href: u.String(), Current: l.code == p.lang})
	}
	return pg
}

// languageName is a portal language's code and its name in itself.
type languageName struct{ code, name string }

// languageNames are the portal's languages (locales.Languages), named once.
func languageNames() []languageName {
	var out []languageName
	for _, t := range locales.Languages() {
		b, _ := t.Base()
		out = append(out, languageName{code: b.String(), name: display.Self.Name(t)})
	}
	return out
}

// explicit is the language to keep in links and forms: the one the shopper
// chose explicitly (as the page's language), or "" to let the order's
// locale and Accept-Language decide.
func (p *portal) explicit() string {
	if explicitLang(p.c) != "" {
		return p.lang
	}
	return ""
}

// withLang adds lang to a path.
func withLang(path, lang string) string {
	if lang == "" {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// view renders a portal page with the response's CSP nonce and translator;
// the answer differs by HX-Request (fragment or full page), and says so.
func (p *portal) view(status int, comp templ.Component) error {
	c := p.c
	c.Response().Header().Add("Vary", "HX-Request")
	c.Response().Header().Set("Cache-Control", "no-store")
	p.setHistory(status)
	ctx := templ.WithNonce(c.Request().Context(), cspNonce(c))
	ctx = views.WithTranslator(ctx, p)
	ctx = views.WithFlow(ctx, p.flow)
	c.SetRequest(c.Request().WithContext(ctx))
	return render(c, status, comp)
}

// date formats a local date in the shopper's language.
func (p *portal) date(d returns.Date) string { return formatDate(p.lang, p.monthName, d) }

// fieldErr is a translated message for a form field, with its element id.
func (p *portal) fieldErr(field, id string) views.FieldError {
	return views.FieldError{ID: "err-" + field, Message: p.T(id)}
}

// seeOther is the redirect after a POST that changed something.
func seeOther(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }
