package handlers

import (
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/locales"
)

// TestSpeakerSaysWhatALocalizerSays: for every message of the bundle, and
// a made-up one, under language preferences of every kind (exact, regional,
// weighted lists, unsupported, none, the lang parameter and a handler's
// choice), the settled speaker says exactly what a go-i18n Localizer built
// for the request says, with translate's fallback, and picks the same
// language.
func TestSpeakerSaysWhatALocalizerSays(t *testing.T) {
	catalog, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := locales.Raw("en")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"no.such.message", ""}
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	s := &Server{cfg: Config{Catalog: catalog}, tr: newTranslations(catalog),
		langs: newLanguages(catalog.LanguageTags(), language.English)}
	e := echo.New()
	for _, tt := range []struct {
		name, query, acceptLanguage, chosen string
	}{
		{name: "none"},
		{name: "german", acceptLanguage: "de"},
		{name: "swiss german", acceptLanguage: "de-CH"},
		{name: "weighted list", acceptLanguage: "pt-BR, fr;q=0.8, en;q=0.5"},
		{name: "unsupported", acceptLanguage: "ko-KR"},
		{name: "malformed", acceptLanguage: ";;q=x"},
		{name: "lang parameter", query: "?lang=ja", acceptLanguage: "de"},
		{name: "the order's language", chosen: "ar-KW", acceptLanguage: "es"},
		{name: "spanish of mexico", chosen: "es-MX"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/order"+tt.query, nil)
			if tt.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			c := e.NewContext(req, httptest.NewRecorder())
			if tt.chosen != "" {
				c.Set(ctxLang, tt.chosen)
			}
			sp := s.speaker(c)
			// The Localizer of the language pickLanguage decides.
			loc := catalog.NewLocalizer(pickLanguage(s.langs, explicitLang(c), tt.acceptLanguage, tt.chosen).String())
			if tag := loc.Tag(); sp.tr.tags[sp.index] != tag {
				t.Errorf("speaker speaks %v, the Localizer %v", sp.tr.tags[sp.index], loc.Tag())
			}
			for _, id := range ids {
				if got, want := sp.translate(id, "FALLBACK"), translate(loc, id, "FALLBACK"); got != want {
					t.Errorf("%q: speaker %q, Localizer %q", id, got, want)
				}
				said := sp.tr.say(sp.index, id)
				msg, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
				if said.failed != (err != nil) || (err == nil && said.text != msg) {
					t.Errorf("%q: said %+v; Localize %q, %v", id, said, msg, err)
				}
			}
			if again := s.speaker(c); again != sp {
				t.Error("the speaker was settled twice for the same preferences")
			}
			c.Set(ctxLang, "fr")
			if changed := s.speaker(c); changed == sp {
				t.Error("the speaker was kept after the preferences changed")
			}
		})
	}
}

// TestFillAsReplacer: fill gives what a strings.Replacer of every
// "{Name}" gives (what the portal used to build per message): one pass,
// leftmost first, values never expanded again, unknown and unclosed
// braces kept.
func TestFillAsReplacer(t *testing.T) {
	data := map[string]any{"Date": "19. November 2026", "Count": 3, "Percent": "10", "Name": "{Date}", "A": "x"}
	for _, msg := range []string{
		"",
		"no placeholders",
		"Returnable until {Date}.",
		"{Count} items, {Percent} % bonus",
		"{Name} stays as given",
		"{Unknown} and {Date}",
		"{{Date}}",
		"{a{Date}",
		"unclosed {Date",
		"}{Date}{",
		"{A}{A}{A}",
		"{}",
		"{{.Count}} kept for go-i18n",
		"Ümlaut {Date} – ﬁn {Percent}",
	} {
		var pairs []string
		for k, v := range data {
			pairs = append(pairs, "{"+k+"}", fmt.Sprint(v))
		}
		want := strings.NewReplacer(pairs...).Replace(msg)
		if got := fill(msg, data); got != want {
			t.Errorf("fill(%q) = %q, want %q", msg, got, want)
		}
	}
	if got := fill("{Date}", nil); got != "{Date}" {
		t.Errorf("fill without data = %q", got)
	}
}

// TestSpeakersSettleEachKeyOnce: a key's speaker is settled once and then
// shared; past maxSpeakers keys, new ones are settled every time and not
// kept (Accept-Language is the client's to vary).
func TestSpeakersSettleEachKeyOnce(t *testing.T) {
	var ss speakers
	settled := 0
	settle := func(key string) func() *speaker {
		return func() *speaker { settled++; return &speaker{key: key} }
	}
	a := ss.of("de\x00\x00", settle("de\x00\x00"))
	if b := ss.of("de\x00\x00", settle("de\x00\x00")); b != a || settled != 1 {
		t.Errorf("the same key settled %d times (same speaker: %v)", settled, a == b)
	}
	for i := range maxSpeakers + 10 {
		k := fmt.Sprintf("\x00\x00x-%d", i)
		ss.of(k, settle(k))
	}
	settled = 0
	last := fmt.Sprintf("\x00\x00x-%d", maxSpeakers+5)
	ss.of(last, settle(last))
	ss.of(last, settle(last))
	if settled != 2 {
		t.Errorf("a key past the bound was settled %d times in two requests, want every time", settled)
	}
	n := 0
	ss.m.Range(func(any, any) bool { n++; return true })
	if n != maxSpeakers || int(ss.n.Load()) != maxSpeakers {
		t.Errorf("%d speakers kept (count %d), want %d", n, ss.n.Load(), maxSpeakers)
	}
}
