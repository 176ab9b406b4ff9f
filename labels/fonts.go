package labels

import (
	_ "embed"
	"fmt"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
)

// The fonts ship with the binary (see fonts/README.md for their licences):
// the go:embed directive cannot reach system font folders, and a fresh machine has only
// DejaVu.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
	//go:embed fonts/DroidSansFallbackFull.ttf
	droidFallback []byte
)

// font identifies one of the fonts of a Fonts set.
type font int

const (
	fontSans font = iota // DejaVu Sans: Latin, Greek, Cyrillic, symbols
	fontBold             // DejaVu Sans Bold
	fontCJK              // Droid Sans Fallback: Chinese, Japanese, Korean
	numFonts
)

// families are the names the fonts carry inside a PDF.
var families = [numFonts]string{"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"}

// Fonts is a set of parsed TrueType fonts: parsed once, then subset into each
// document. It is safe for concurrent use.
type Fonts struct {
	// container holds the regular and bold fonts.
	container gopdf.FontContainer
	// covers maps each font's characters to glyph indexes (read-only once
	// parsed).
	covers [numFonts]map[int]uint
	// The CJK fallback is parsed on the first character that only it can
	// print: 4 MB of font data, and a few MiB once parsed, that a label
	// in Latin script never needs.
	cjkData      []byte
	cjkOnce      sync.Once
	cjkContainer gopdf.FontContainer
	cjkErr       error
}

// ParseFonts parses TrueType (glyf) font data: regular, bold and a CJK
// fallback (the fallback on first use: Err reports whether it parsed).
func ParseFonts(regular, bold, cjk []byte) (*Fonts, error) {
	f := &Fonts{cjkData: cjk}
	for i, data := range [...][]byte{regular, bold} {
		if err := f.parse(&f.container, font(i), data); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (f *Fonts) parse(c *gopdf.FontContainer, ft font, data []byte) error {
	if err := c.AddTTFFontData(families[ft], data); err != nil {
		return fmt.Errorf("labels: font %s: %w", families[ft], err)
	}
	var p core.TTFParser
	if err := p.ParseFontData(data); err != nil {
		return fmt.Errorf("labels: font %s: %w", families[ft], err)
	}
	f.covers[ft] = p.Chars()
	return nil
}

// loadCJK parses the CJK fallback once; if it does not parse, no character
// is printed with it (and the documents log what they leave out).
func (f *Fonts) loadCJK() {
	f.cjkOnce.Do(func() { f.cjkErr = f.parse(&f.cjkContainer, fontCJK, f.cjkData) })
}

// Err parses every font and reports whether one of them does not parse.
func (f *Fonts) Err() error {
	f.loadCJK()
	return f.cjkErr
}

// containerOf is the container that holds a font, for subsetting.
func (f *Fonts) containerOf(ft font) *gopdf.FontContainer {
	if ft == fontCJK {
		f.loadCJK()
		return &f.cjkContainer
	}
	return &f.container
}

var (
	embeddedOnce  sync.Once
	embeddedFonts *Fonts
)

// EmbeddedFonts returns the fonts that ship with the binary, parsed once per
// process (the CJK fallback on first use). They are part of the build, so a
// parse failure is a build defect and panics (the fallback's: a test checks
// Err).
func EmbeddedFonts() *Fonts {
	embeddedOnce.Do(func() {
		f, err := ParseFonts(dejaVuSans, dejaVuSansBold, droidFallback)
		if err != nil {
			panic(err)
		}
		embeddedFonts = f
	})
	return embeddedFonts
}

// has reports whether a font has a glyph for r.
func (f *Fonts) has(ft font, r rune) bool {
	if ft == fontCJK {
		f.loadCJK()
	}
	g, ok := f.covers[ft][int(r)]
	return ok && g != 0
}

// needsShaping reports whether r belongs to a script whose letters change
// form with their neighbours or are written right to left: printing such
// text glyph by glyph, left to right, would print something else.
func needsShaping(r rune) bool {
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana,
		unicode.Nko, unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati,
		unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam,
		unicode.Sinhala, unicode.Thai, unicode.Lao, unicode.Tibetan, unicode.Myanmar,
		unicode.Khmer, unicode.Mongolian)
}

// run is a piece of text in one font.
type run struct {
	font font
	text string
}

// pick chooses the font for one character, preferring the current one for
// characters every font has (spaces, digits, punctuation), so that a CJK
// line is not cut into many runs. It returns -1 when nothing can print r.
func (f *Fonts) pick(r rune, bold bool, cur font) font {
	if needsShaping(r) {
		return -1
	}
	if cur >= 0 && r < 0x80 && f.has(cur, r) && !unicode.IsLetter(r) {
		return cur
	}
	if bold && f.has(fontBold, r) {
		return fontBold
	}
	if f.has(fontSans, r) {
		return fontSans
	}
	if f.has(fontCJK, r) {
		return fontCJK
	}
	return -1
}

// skipped reports whether runs leaves r out without a word: control
// characters, a zero-width space and a byte-order mark print nothing anyway.
func skipped(r rune) bool {
	return unicode.IsControl(r) || r == '\u200b' || r == '\ufeff'
}

// printable reports whether every character of text can be printed as it
// is read: a font has its glyph and its script needs no shaping. Documents
// print a text that is not printable only where nothing else can stand in
// for it (a Latin address, an English description).
func (f *Fonts) printable(text string) bool {
	for _, r := range text {
		if r == '\n' || r == '\t' || r == '\r' || skipped(r) {
			continue
		}
		if f.pick(r, false, -1) < 0 {
			return false
		}
	}
	return true
}

// runs splits text into runs by font. Characters no font can print (or that
// need shaping) are left out and reported to miss: a "?" in their place would
// read as part of the data (a customs officer cannot tell it from a real
// question mark), and the log says what was lost.
func (f *Fonts) runs(text string, bold bool, miss func(rune)) []run {
	var out []run
	cur := font(-1)
	start := 0
	var buf []byte
	flush := func() {
		if len(buf) > start {
			out = append(out, run{font: cur, text: string(buf[start:])})
		}
		start = len(buf)
	}
	for _, r := range text {
		if r == '\n' || r == '\t' || r == '\r' {
			r = ' '
		}
		if skipped(r) {
			continue
		}
		ft := f.pick(r, bold, cur)
		if ft < 0 {
			miss(r)
			continue
		}
		if ft != cur {
			flush()
			cur = ft
		}
		buf = appendRune(buf, r)
	}
	flush()
	return out
}

func appendRune(b []byte, r rune) []byte {
	return append(b, string(r)...)
}
