package handlers

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/locales"
)

// A page asks for dozens of messages. The portal settles the request's
// language once (speaker) and asks that language's localizer, made once
// (translations), for each: what a localizer made for the request would
// say (locales.Localizer keeps the plain texts as strings, so a message
// costs a map lookup).

// translations are the catalog's messages as each of its languages says
// them.
type translations struct {
	matcher language.Matcher // over the catalog's languages, as go-i18n's own
	tags    []language.Tag
	locs    []*locales.Localizer // one per catalog language
}

// said is what Localize gave for a message without data: its text, or
// failed when it returned an error.
type said struct {
	text   string
	failed bool
}

func newTranslations(c *locales.Catalog) *translations {
	tags := c.LanguageTags()
	tr := &translations{matcher: language.NewMatcher(tags), tags: tags,
		locs: make([]*locales.Localizer, len(tags))}
	for i, t := range tags {
		tr.locs[i] = c.Localizer(t)
	}
	return tr
}

// say is message id in catalog language i, as Localize says it without
// template data.
func (tr *translations) say(i int, id string) said {
	text, err := tr.locs[i].Localize(&i18n.LocalizeConfig{MessageID: id})
	return said{text: text, failed: err != nil}
}

// speaker is the language a request is answered in (pickLanguage), and
// the catalog language that says it, settled once.
type speaker struct {
	tr *translations
	// key is what it was settled from: the explicit choice, the language
	// a handler recorded (ctxLang) and Accept-Language.
	key string
	// index is the catalog language; tag the language pickLanguage chose.
	index int
	tag   language.Tag
}

// ctxSpeaker is where speaker keeps a request's speaker.
const ctxSpeaker = "speaker"

// speaker is the request's speaker, settled again only when what decides
// its language changed (a handler recorded the order's language, ctxLang).
func (s *Server) speaker(c echo.Context) *speaker {
	explicit := explicitLang(c)
	fallback, _ := c.Get(ctxLang).(string)
	accept := c.Request().Header.Get("Accept-Language")
	key := explicit + "\x00" + fallback + "\x00" + accept
	if sp, ok := c.Get(ctxSpeaker).(*speaker); ok && sp.key == key {
		return sp
	}
	sp := s.speakers.of(key, func() *speaker {
		sp := s.tr.speakerOf(pickLanguage(s.langs, explicit, accept, fallback))
		sp.key = key
		return sp
	})
	c.Set(ctxSpeaker, sp)
	return sp
}

// speakers remembers the speaker settled from each key (speaker.key):
// settling one parses and matches language tags, a few microseconds twice
// a page, for the few combinations that most requests share. Bounded,
// since Accept-Language is the client's to write: past maxSpeakers keys a
// new one is settled on every request.
type speakers struct {
	m sync.Map // key → *speaker, never changed once stored
	n atomic.Int32
}

const maxSpeakers = 1024

func (ss *speakers) of(key string, settle func() *speaker) *speaker {
	if sp, ok := ss.m.Load(key); ok {
		return sp.(*speaker)
	}
	sp := settle()
	if ss.n.Load() < maxSpeakers {
		if _, loaded := ss.m.LoadOrStore(key, sp); !loaded {
			ss.n.Add(1)
		}
	}
	return sp
}

// speakerOf is a speaker of tag (a language the catalog has), for words
// that are always in one language (English on labels).
func (tr *translations) speakerOf(tag language.Tag) *speaker {
	_, i, _ := tr.matcher.Match(tag)
	return &speaker{tr: tr, key: tag.String(), index: i, tag: tag}
}

// translate is message id, or fallback where Localize fails or says
// nothing (as translate does with a Localizer).
func (sp *speaker) translate(id, fallback string) string {
	s := sp.tr.say(sp.index, id)
	if s.failed || s.text == "" {
		return fallback
	}
	return s.text
}

// fill replaces each {Name} of msg with data["Name"], in one pass from left
// to right, so that a value is never itself expanded (as a
// strings.Replacer of every "{Name}" would, without building one).
func fill(msg string, data map[string]any) string {
	if len(data) == 0 || strings.IndexByte(msg, '{') < 0 {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg) + 32)
	for {
		open := strings.IndexByte(msg, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(msg[open+1:], '}')
		if end < 0 {
			break
		}
		v, ok := data[msg[open+1:open+1+end]]
		if !ok {
			b.WriteString(msg[:open+1])
			msg = msg[open+1:]
			continue
		}
		b.WriteString(msg[:open])
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		default:
			fmt.Fprint(&b, v)
		}
		msg = msg[open+2+end:]
	}
	b.WriteString(msg)
	return b.String()
}
