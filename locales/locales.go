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

// Bundle parses every embedded message file into one bundle.
func Bundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(Source)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "active.*.toml")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := b.LoadMessageFileFS(files, n); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", n, err)
		}
	}
	return b, nil
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
