package locales

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// goI18nBundle is every message file in one go-i18n bundle, as the server
// loaded them before the catalog kept the plain texts apart: the oracle
// the catalog's localizers are held to.
func goI18nBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b := i18n.NewBundle(Source)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "active.*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, err := b.LoadMessageFileFS(files, n); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// TestLocalizerSaysWhatGoI18nSays: for every message, in every language
// asked for as a tag, a regional variant, an Accept-Language list and one
// the catalog lacks, with and without template data and (for messages
// with plural forms) with counts, a catalog's localizer gives the text,
// the language and the failure or success that go-i18n's own localizer
// over one bundle of every message gives. Also for a message nobody has.
func TestLocalizerSaysWhatGoI18nSays(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	oracle := goI18nBundle(t)
	if got, want := fmt.Sprint(c.LanguageTags()), fmt.Sprint(oracle.LanguageTags()); got != want {
		t.Fatalf("languages %s, go-i18n %s", got, want)
	}
	en := messages(t, "en")
	ids := append(sortedIDs(en), "no.such.message")
	asked := append([]string{"", "xx", "de-AT", "fr-CH, en;q=0.8", "ja-JP", "pt-BR, es;q=0.9"}, langCodes(t)...)
	plural := 0
	for _, langs := range asked {
		got, want := c.NewLocalizer(langs), i18n.NewLocalizer(oracle, langs)
		for _, id := range ids {
			configs := []*i18n.LocalizeConfig{{MessageID: id}, {MessageID: id, TemplateData: map[string]any{"Count": 7}}}
			if en[id].isPlural() {
				plural++
				for _, n := range []int{0, 1, 2, 3, 11, 100} {
					configs = append(configs, &i18n.LocalizeConfig{MessageID: id, PluralCount: n,
						TemplateData: map[string]any{"Count": n}})
				}
			}
			for _, lc := range configs {
				msg, tag, err := got.LocalizeWithTag(lc)
				wmsg, wtag, werr := want.LocalizeWithTag(lc)
				if msg != wmsg || tag != wtag || (err == nil) != (werr == nil) {
					t.Errorf("%q %s %+v: catalog %q %s %v; go-i18n %q %s %v", langs, id, lc, msg, tag, err, wmsg, wtag, werr)
				}
			}
		}
	}
	if plural == 0 {
		t.Fatal("no message with plural forms was compared")
	}
}

// TestCatalogKeepsPlainTextsApart: go-i18n's bundle holds only the
// messages with plural forms or a template, and the probe (the point of
// the catalog: a few dozen per language instead of ~1,200).
func TestCatalogKeepsPlainTextsApart(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := messages(t, "en")
	for _, tag := range c.LanguageTags() {
		loc := i18n.NewLocalizer(c.bundle, tag.String())
		inBundle := 0
		for _, id := range sortedIDs(en) {
			if _, _, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: map[string]any{}}); err == nil {
				inBundle++
			}
		}
		if inBundle > 30 {
			t.Errorf("%s: go-i18n's bundle holds %d messages", tag, inBundle)
		}
		if len(c.plain[tag]) < len(en)-30 {
			t.Errorf("%s: %d plain texts of %d messages", tag, len(c.plain[tag]), len(en))
		}
	}
}

// TestCatalogLocalizerIsMadeOnce: each catalog language has one localizer,
// made at Load and handed out again, speaking as a new one for the same
// language would; another tag gets a new one.
func TestCatalogLocalizerIsMadeOnce(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range c.LanguageTags() {
		l := c.Localizer(tag)
		if l != c.Localizer(tag) || l.Tag() != tag || l.Tag() != c.NewLocalizer(tag.String()).Tag() {
			t.Errorf("%s: a localizer of %s, made more than once or for another language", tag, l.Tag())
		}
	}
	other := language.MustParse("de-AT")
	if l := c.Localizer(other); l == c.Localizer(other) || l.Tag() != language.German {
		t.Errorf("de-AT: %s, made once", l.Tag())
	}
}
