// Package labels renders the documents a shopper prints for a return: the
// prepaid return label (4×6 in for thermal printers, or A4 with the label in
// the top half, a cut line and packing instructions) and, for a parcel that
// crosses a customs border, a CN23-style customs declaration / pro-forma
// invoice. It is pure rendering: no HTTP, no database. Callers gather the data
// (ForReturn does it from an order, a return and the hub) and pass translated
// words through Translators.
//
// Fonts are embedded (DejaVu Sans for Latin, Greek and Cyrillic, Droid Sans
// Fallback for CJK), parsed once per process (EmbeddedFonts) and subset into
// each document. Text is split into runs by glyph coverage. Scripts that need
// shaping (Arabic, Hebrew, Indic, ...) cannot be printed correctly, so the
// documents choose what to print: the address's Latin form instead of one
// they cannot print, an item's English (customs or HS heading) description
// always and its own name only where it prints, English words where the
// shopper's language does not print. Nothing is ever printed as "?": a
// character that still cannot be printed is left out and logged.
package labels

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/returns-portal/returns/returns"
)

// Size is the paper a label is rendered for.
type Size int

// Label sizes: a 4×6 in thermal label (288×432 pt), or an A4 (595×842 pt)
// or US Letter (612×792 pt) sheet with the label in its top half.
const (
	Size4x6 Size = iota
	SizeA4
	SizeLetter
)

// ParseSize reads the size parameter of a label link: "4x6" (the default
// when empty), "a4" or "letter" (returns.PaperThermal, PaperA4,
// PaperLetter), case-insensitive.
func ParseSize(s string) (Size, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", returns.PaperThermal:
		return Size4x6, true
	case returns.PaperA4:
		return SizeA4, true
	case returns.PaperLetter:
		return SizeLetter, true
	}
	return 0, false
}

// String is the size as ParseSize reads it.
func (s Size) String() string {
	switch s {
	case SizeA4:
		return returns.PaperA4
	case SizeLetter:
		return returns.PaperLetter
	}
	return returns.PaperThermal
}

// Page sizes in points.
var (
	page4x6    = gopdf.Rect{W: 288, H: 432}
	pageA4     = gopdf.Rect{W: 595, H: 842}
	pageLetter = gopdf.Rect{W: 612, H: 792}
)

// Translator returns the text of a message ID (see MessageIDs) in one
// language. English is always given; the shopper's language may be nil when it
// is English.
type Translator func(id string) string

// LabelData is what a return label shows.
type LabelData struct {
	RMA         string
	OrderNumber string
	// Sender is the shopper's address from the order.
	Sender returns.Address
	// Hub is the returns hub the parcel goes to, with carrier and service.
	Hub returns.Hub
	// StatusURL is encoded in the QR code.
	StatusURL string
	// WeightGrams is the estimated gross weight (see EstimateWeight).
	WeightGrams int
	// Items is the number of units in the parcel.
	Items int
	// Customs says the parcel needs a customs declaration (the A4
	// instructions then tell the shopper to attach it).
	Customs bool
	// English and Local translate the A4 page's instructions; Local is the
	// shopper's language (nil: English).
	English, Local Translator
}

// CustomsItem is one row of a customs declaration.
type CustomsItem struct {
	// Description names the goods in English (Latin script): the order
	// line's customs description, else its HS heading's; "" when it has
	// neither.
	Description string
	// Name is the item's own name (and variant) as the shop sells it, in
	// any language: printed below the description where the fonts print it
	// correctly, alone when there is no description.
	Name string
	// SKU stands in where neither can be printed.
	SKU      string
	Quantity int
	HSCode   string
	Origin   string // ISO 3166-1 alpha-2
	// Value is in minor units of CustomsData.Currency.
	Value       int64
	WeightGrams int // net, all units of the row
}

// CustomsData is what a customs declaration shows.
type CustomsData struct {
	RMA         string
	OrderNumber string
	// ShippedAt is when the goods first went to the shopper (evidence for
	// returned-goods relief); nil prints a dash.
	ShippedAt *time.Time
	// Date is the date printed next to the signature box.
	Date     time.Time
	Sender   returns.Address
	Hub      returns.Hub
	Currency string
	Items    []CustomsItem
	// GrossWeightGrams is the parcel's estimated weight with packaging.
	GrossWeightGrams int
	// Copies of the form in the document; 0 uses the renderer's default.
	Copies int
	// English and Local translate the form; Local is the shopper's language
	// (nil: English only).
	English, Local Translator
}

// Options configure a Renderer.
type Options struct {
	// Logger receives warnings about characters that cannot be printed.
	Logger *slog.Logger
	// CustomsCopies is how many copies of the customs form a document
	// holds when CustomsData.Copies is 0 (some carriers want three). Default 1.
	CustomsCopies int
}

// Renderer renders labels and customs forms. It is safe for concurrent use.
type Renderer struct {
	fonts  *Fonts
	log    *slog.Logger
	copies int
}

// New returns a renderer over parsed fonts (EmbeddedFonts for the fonts that
// ship with the binary).
func New(fonts *Fonts, opts Options) *Renderer {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.CustomsCopies <= 0 {
		opts.CustomsCopies = 1
	}
	return &Renderer{fonts: fonts, log: opts.Logger, copies: opts.CustomsCopies}
}

// Label renders a return label as PDF.
func (r *Renderer) Label(data LabelData, size Size) ([]byte, error) {
	d, err := r.newDoc(data.RMA, "label")
	if err != nil {
		return nil, err
	}
	switch size {
	case SizeA4:
		d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &pageA4})
		err = d.sheetLabel(data, pageA4)
	case SizeLetter:
		d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &pageLetter})
		err = d.sheetLabel(data, pageLetter)
	default:
		d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &page4x6})
		err = d.label(data, frame{x: 0, y: 0, s: 1})
	}
	if err != nil {
		return nil, fmt.Errorf("labels: label %s: %w", data.RMA, err)
	}
	return d.finish()
}

// Customs renders a customs declaration as PDF: Copies pages (or more when
// the items do not fit one page).
func (r *Renderer) Customs(data CustomsData) ([]byte, error) {
	d, err := r.newDoc(data.RMA, "customs")
	if err != nil {
		return nil, err
	}
	copies := data.Copies
	if copies <= 0 {
		copies = r.copies
	}
	for i := 1; i <= copies; i++ {
		if err := d.customs(data, i, copies); err != nil {
			return nil, fmt.Errorf("labels: customs %s: %w", data.RMA, err)
		}
	}
	return d.finish()
}

// finish writes the PDF and logs what could not be printed.
func (d *doc) finish() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := d.gp.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("labels: write %s %s: %w", d.kind, d.rma, err)
	}
	for _, m := range d.missing {
		d.r.log.Warn("labels: characters cannot be printed", "document", d.kind, "rma", d.rma,
			"field", m.field, "chars", string(m.runes), "count", len(m.runes))
	}
	return buf.Bytes(), nil
}
