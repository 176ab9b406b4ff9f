// Package locales holds the translated messages (go-i18n TOML files, one per
// language) and builds the bundle the server translates with. English is the
// source language: every other file must have exactly its keys (a test checks).
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var files embed.FS

// Source is the language every message is first written in.
var Source = language.English

// Catalog is every language's messages. go-i18n's bundle holds those that
// take a count or data (plural forms, or a {{ template); the plain texts,
// all but a few dozen of each language's, are kept as strings. go-i18n
// keeps ~650 bytes of structs, maps and templates per message: 4.6 MB for
// 7,000 messages whose text is 277 KB, and the garbage collector lets the
// heap grow by as much again (docs/PERFORMANCE.md, fifth round).
type Catalog struct {
	bundle *i18n.Bundle
	plain  map[language.Tag]map[string]string
	// locs is a localizer for each of the catalog's languages, made once:
	// every page and every e-mail speaks one of them.
	locs map[language.Tag]*Localizer
}

// probeID is a plain message every language has (Load checks), kept in
// the bundle as well: asking go-i18n for it tells which of the bundle's
// languages it matched a localizer's languages to.
const probeID = "home.title"

// Load parses every embedded message file.
func Load() (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(Source), plain: map[language.Tag]map[string]string{}}
	names, err := fs.Glob(files, "active.*.toml")
	if err != nil {
		return nil, err
	}
	unmarshal := map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal}
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f, err := i18n.ParseMessageFileBytes(data, n, unmarshal)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", n, err)
		}
		plain := map[string]string{}
		var templated []*i18n.Message
		for _, m := range f.Messages {
			simple := isPlain(m)
			if simple {
				plain[m.ID] = m.Other
			}
			if !simple || m.ID == probeID {
				templated = append(templated, m)
			}
		}
		if _, ok := plain[probeID]; !ok {
			return nil, fmt.Errorf("locales: %s: no plain message %q", n, probeID)
		}
		// Every language is one of the bundle's, whatever it holds: the
		// bundle's languages are what localizers are matched against.
		if err := c.bundle.AddMessages(f.Tag, templated...); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", n, err)
		}
		c.plain[f.Tag] = plain
	}
	c.locs = map[language.Tag]*Localizer{}
	for _, t := range c.bundle.LanguageTags() {
		c.locs[t] = c.NewLocalizer(t.String())
	}
	return c, nil
}

// isPlain reports whether go-i18n would say m as its text whatever the
// data: one form, no template.
func isPlain(m *i18n.Message) bool {
	delim := m.LeftDelim
	if delim == "" {
		delim = "{{"
	}
	return m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" &&
		!strings.Contains(m.Other, delim)
}

// LanguageTags are the languages that have messages, as the bundle lists
// them.
func (c *Catalog) LanguageTags() []language.Tag { return c.bundle.LanguageTags() }

// Localizer says messages in the best of the catalog's languages for the
// languages it was made for, as go-i18n's Localizer does.
type Localizer struct {
	loc                *i18n.Localizer
	tag                language.Tag
	plain, plainSource map[string]string
}

// Localizer is the localizer of one of the catalog's languages (one of
// LanguageTags), made once; for any other tag, a new one (NewLocalizer).
func (c *Catalog) Localizer(tag language.Tag) *Localizer {
	if l, ok := c.locs[tag]; ok {
		return l
	}
	return c.NewLocalizer(tag.String())
}

// NewLocalizer makes a localizer for langs (language tags or
// Accept-Language values, best first), as i18n.NewLocalizer.
func (c *Catalog) NewLocalizer(langs ...string) *Localizer {
	loc := i18n.NewLocalizer(c.bundle, langs...)
	_, tag, _ := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: probeID})
	return &Localizer{loc: loc, tag: tag, plain: c.plain[tag], plainSource: c.plain[Source]}
}

// Tag is the language the localizer speaks: the catalog's language go-i18n
// matched its languages to.
func (l *Localizer) Tag() language.Tag { return l.tag }

// Localize says a message as i18n.Localizer.Localize does (LocalizeWithTag).
func (l *Localizer) Localize(lc *i18n.LocalizeConfig) (string, error) {
	msg, _, err := l.LocalizeWithTag(lc)
	return msg, err
}

// LocalizeWithTag says a message, and in which language, as
// i18n.Localizer.LocalizeWithTag does. A plain message comes from the
// catalog's strings, also with template data (it has no template to
// fill); with a count it is not found, as a count needs plural forms. A
// message its language lacks is said in the source language, with a
// MessageNotFoundErr, as go-i18n falls back.
func (l *Localizer) LocalizeWithTag(lc *i18n.LocalizeConfig) (string, language.Tag, error) {
	if lc.PluralCount == nil && lc.DefaultMessage == nil {
		if s, ok := l.plain[lc.MessageID]; ok {
			return s, l.tag, nil
		}
		if s, ok := l.plainSource[lc.MessageID]; ok {
			return s, Source, &i18n.MessageNotFoundErr{Tag: l.tag, MessageID: lc.MessageID}
		}
	}
	return l.loc.LocalizeWithTag(lc)
}

// Languages lists the languages that have a message file, English first.
func Languages() []language.Tag {
	tags := []language.Tag{Source}
	names, _ := fs.Glob(files, "active.*.toml")
	for _, n := range names {
		code := strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "active."), ".toml")
		t := language.Make(code)
		if t != Source {
			tags = append(tags, t)
		}
	}
	return tags
}

// Raw returns the message IDs of one language's file, for completeness tests.
func Raw(lang string) (map[string]any, error) {
	data, err := files.ReadFile("active." + lang + ".toml")
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := toml.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}
