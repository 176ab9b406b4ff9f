package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/internal/datefmt"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/moneyfmt"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// Renderer writes the shopper's e-mails: in the language the return was
// made in (the outbox row's locale), amounts and dates formatted as the
// portal formats them (moneyfmt, datefmt), with the merchant's name and
// accent colour, as an HTML and a plain-text part of the same props
// (views.EmailHTML, views.EmailText).
type Renderer struct {
	catalog *locales.Catalog
	tags    []language.Tag // the catalog's languages
	matcher language.Matcher
	base    string
}

// NewRenderer makes a renderer; baseURL is the portal's public URL, which
// every link in an e-mail starts with.
func NewRenderer(catalog *locales.Catalog, baseURL string) *Renderer {
	tags := catalog.LanguageTags()
	return &Renderer{catalog: catalog, tags: tags, matcher: language.NewMatcher(tags),
		base: strings.TrimRight(baseURL, "/")}
}

// Rendered is an e-mail ready to send.
type Rendered struct {
	Lang, Subject, Text, HTML string
}

// Render writes the e-mail of an outbox row from what it is about.
func (rd *Renderer) Render(m store.OutboxMessage, ec service.EmailContext) (Rendered, error) {
	w := rd.words(m.Locale, ec.Order.Locale)
	p := views.EmailProps{Lang: w.lang, Dir: "ltr", Merchant: ec.Site.MerchantName, Accent: ec.Site.Accent}
	if w.lang == "ar" {
		p.Dir = "rtl"
	}
	if p.Merchant == "" {
		p.Merchant = w.T("home.title")
	}
	var facts emailFacts
	if err := json.Unmarshal([]byte(m.Payload), &facts); err != nil {
		return Rendered{}, fmt.Errorf("notify: facts of %s: %w", m.PublicID, err)
	}
	e := email{rd: rd, w: w, m: m, ec: ec, facts: facts, p: &p}
	if err := e.write(); err != nil {
		return Rendered{}, err
	}
	for _, b := range p.Blocks { // the inbox shows the first sentence
		if b.Text != "" && b.Link == nil && len(b.Facts) == 0 && len(b.Items) == 0 {
			p.Preheader = b.Text
			break
		}
	}
	if ec.Site.MerchantName != "" {
		p.Footer = append(p.Footer, w.TData("email.footer.why", map[string]any{"Order": w.iso(ec.Order.Number), "Merchant": w.iso(ec.Site.MerchantName)}))
	} else {
		p.Footer = append(p.Footer, w.TData("email.footer.why_shop", map[string]any{"Order": w.iso(ec.Order.Number)}))
	}
	var html bytes.Buffer
	ctx := views.WithTranslator(context.Background(), w)
	if err := views.EmailHTML(p).Render(ctx, &html); err != nil {
		return Rendered{}, err
	}
	return Rendered{Lang: w.lang, Subject: oneLine(p.Subject), Text: views.EmailText(p), HTML: html.String()}, nil
}

// oneLine keeps a header value on one line: no CR, LF or other control
// character may reach an e-mail header.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }), " ")
}

// emailFacts are the facts an outbox row carries (service/announce.go).
type emailFacts struct {
	Status     returns.Status `json:"status"`
	Reason     string         `json:"reason"`
	ReceivedAt *time.Time     `json:"received_at"`
	Before     int64          `json:"before"`
	After      int64          `json:"after"`
	Currency   string         `json:"currency"`
	DropOffBy  *returns.Date  `json:"drop_off_by"`
}

// words speak one language: messages, dates and amounts.
type words struct {
	loc   *locales.Localizer
	lang  string
	money *moneyfmt.Formatter
}

// Lang is the language an e-mail for a locale is written in: the best the
// portal speaks (English when it speaks none of the locale's).
func (rd *Renderer) Lang(locale string) string {
	base, _ := rd.speaks(locale).Base()
	return base.String()
}

// speaks is the catalog language an e-mail for a locale is written in.
func (rd *Renderer) speaks(locale string) language.Tag {
	_, i, _ := rd.matcher.Match(language.Make(locale))
	return rd.tags[i]
}

func (rd *Renderer) words(locale, orderLocale string) *words {
	tag := rd.speaks(locale)
	base, _ := tag.Base()
	lang := base.String()
	return &words{loc: rd.catalog.Localizer(tag), lang: lang,
		money: moneyfmt.New(moneyfmt.Locale(lang, orderLocale))}
}

// T translates a message ID (views.Translator).
func (w *words) T(id string) string {
	msg, err := w.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil {
		return id
	}
	return msg
}

// TData translates a message and fills its {Name} placeholders in one
// pass, as the portal does (an int Count picks the plural form).
func (w *words) TData(id string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if n, ok := data["Count"].(int); ok {
		cfg.PluralCount = n
		cfg.TemplateData = map[string]any{"Count": n}
	}
	msg, err := w.loc.Localize(cfg)
	if err != nil {
		return id
	}
	var pairs []string
	for k, v := range data {
		pairs = append(pairs, "{"+k+"}", fmt.Sprint(v))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// iso isolates a value (an RMA, a name) from the direction of a
// right-to-left sentence around it (views.Isolate); left-to-right text
// needs no invisible characters in subjects and text parts.
func (w *words) iso(s string) string {
	if w.lang == "ar" {
		return views.Isolate(s)
	}
	return s
}

func (w *words) date(d returns.Date) string {
	return datefmt.Format(w.lang, func(m time.Month) string { return w.T("date.month." + strconv.Itoa(int(m))) }, d)
}

func (w *words) amount(minor int64, currency string) string { return w.money.Format(minor, currency) }

// dateTime is an instant for a message's {Date}, {Time}, {City}, {Zone}
// and {UTC}, as the portal's withdrawal acknowledgement writes it.
func (w *words) dateTime(t time.Time, zone string) map[string]any {
	city := returns.ZoneCity(zone)
	if city == "" {
		city = zone
	}
	return map[string]any{"Date": w.date(returns.DateOf(t, t.Location())), "Time": t.Format("15:04"),
		"City": w.iso(city), "Zone": w.iso(returns.ZoneAbbreviation(t)),
		"UTC": w.iso(t.UTC().Format("2006-01-02 15:04") + " UTC")}
}

// link is an absolute URL of the portal in the e-mail's language.
func (rd *Renderer) link(path string, q url.Values, lang string) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("lang", lang)
	return rd.base + path + "?" + q.Encode()
}
