// Package hs holds the chapters (2 digits) and headings (4 digits) of the
// Harmonized System nomenclature with their English descriptions, so that a
// customs declaration can name the goods in English when the shop gave no
// description of its own. The table is data (headings.csv, HS 2022, from
// UN Comtrade via the datasets/harmonized-system repository; see README.md
// for its source and licence), embedded and parsed once.
package hs

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Edition is the edition of the nomenclature the table holds.
const Edition = "HS 2022"

//go:embed headings.csv
var headingsCSV string

// Code lengths: an HS code has 6 digits (the international subheading) and
// national tariffs add up to 4 more.
const (
	MinCodeDigits = 6
	MaxCodeDigits = 10
)

// ValidCode reports whether s is an HS code as an order carries it: 6 to 10
// ASCII digits, nothing else (no dots or spaces: "6109.10" is written
// "610910").
func ValidCode(s string) bool {
	return len(s) >= MinCodeDigits && len(s) <= MaxCodeDigits && digits(s)
}

// Table maps chapters and headings to their English descriptions. It is
// read-only once built, so safe for concurrent use.
type Table struct {
	chapters map[string]string // "61" → "Apparel and clothing accessories; knitted or crocheted"
	headings map[string]string // "6109" → "T-shirts, singlets and other vests; knitted or crocheted"
}

// Describe returns the English description of the heading of an HS code
// (its first 4 digits), or of its chapter (first 2 digits) when the table
// has no such heading, and false when it has neither or code is not a valid
// HS code.
func (t *Table) Describe(code string) (string, bool) {
	if !ValidCode(code) {
		return "", false
	}
	if d, ok := t.Heading(code); ok {
		return d, true
	}
	d, ok := t.chapters[code[:2]]
	return d, ok
}

// Heading returns the English description of the 4-digit heading an HS
// code (or a heading itself) begins with, and false when the table has no
// such heading.
func (t *Table) Heading(code string) (string, bool) {
	if len(code) < 4 || !digits(code) {
		return "", false
	}
	d, ok := t.headings[code[:4]]
	return d, ok
}

// Chapters counts the table's 2-digit chapters.
func (t *Table) Chapters() int { return len(t.chapters) }

// Headings counts the table's 4-digit headings.
func (t *Table) Headings() int { return len(t.headings) }

// Parse reads a table in the dataset's CSV form: a header, then rows of
// section, hscode, description, parent, level; rows of level 2 are chapters,
// level 4 headings, and other levels are ignored.
func Parse(r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 5
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("hs: header: %w", err)
	}
	if strings.Join(header, ",") != "section,hscode,description,parent,level" {
		return nil, fmt.Errorf("hs: unexpected header %q", header)
	}
	t := &Table{chapters: map[string]string{}, headings: map[string]string{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("hs: %w", err)
		}
		code, desc, level := rec[1], strings.TrimSpace(rec[2]), rec[4]
		if desc == "" {
			return nil, fmt.Errorf("hs: %s has no description", code)
		}
		var m map[string]string
		var width int
		switch level {
		case "2":
			m, width = t.chapters, 2
		case "4":
			m, width = t.headings, 4
		default:
			continue
		}
		if len(code) != width || !digits(code) {
			return nil, fmt.Errorf("hs: code %q does not match level %s", code, level)
		}
		if _, dup := m[code]; dup {
			return nil, fmt.Errorf("hs: %s listed twice", code)
		}
		m[code] = desc
	}
	return t, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Load returns the embedded table, parsed once per process. It is part of
// the build, so a parse failure is a build defect and panics.
var Load = sync.OnceValue(func() *Table {
	t, err := Parse(strings.NewReader(headingsCSV))
	if err != nil {
		panic(err)
	}
	return t
})
