package labels

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/returns/hs"
)

func TestPrintable(t *testing.T) {
	f := EmbeddedFonts()
	tests := []struct {
		text string
		want bool
	}{
		{"Uhr", true},
		{"Geschenkkarte 50 €", true},
		{"Tシャツ (M / 黒)", true},
		{"게임 (밀봉)", false}, // Droid Sans Fallback has no Hangul syllables
		{"Ελαιόλαδο δώρου", true},
		{"Ўзбекча кийим", true},
		{"line\tbreak\n", true}, // printed as spaces
		{"", true},
		{"عباية", false},          // Arabic: needs shaping
		{"T-shirt عباية", false},  // one word is enough
		{"שלום", false},           // Hebrew
		{"เสื้อยืด", false},       // Thai
		{"Mug \U0001F431", false}, // an emoji no embedded font has
	}
	for _, tc := range tests {
		if got := f.printable(tc.text); got != tc.want {
			t.Errorf("printable(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestItemLines: the description cell of a declaration always has the
// English description when there is one, the item's own name in addition
// only where it prints as it reads, and never nothing when the SKU prints.
func TestItemLines(t *testing.T) {
	d, err := testRenderer(nil).newDoc("R-TEST", "customs")
	if err != nil {
		t.Fatal(err)
	}
	const tees = "T-shirts, singlets and other vests; knitted or crocheted"
	tests := []struct {
		name string
		item CustomsItem
		want []string
	}{
		{"Latin name", CustomsItem{Description: tees, Name: "T-Shirt (M)"}, []string{tees, "T-Shirt (M)"}},
		{"Japanese name", CustomsItem{Description: tees, Name: "Tシャツ"}, []string{tees, "Tシャツ"}},
		{"Korean name (no font)", CustomsItem{Description: "Optical media", Name: "게임 (밀봉)"}, []string{"Optical media"}},
		{"Arabic name", CustomsItem{Description: tees, Name: "قميص", SKU: "TEE"}, []string{tees}},
		{"name is the description", CustomsItem{Description: "Cushion", Name: "Cushion"}, []string{"Cushion"}},
		{"no description, Latin name", CustomsItem{Name: "Cushion", SKU: "CSH-1"}, []string{"Cushion"}},
		{"no description, Japanese name", CustomsItem{Name: "トートバッグ"}, []string{"トートバッグ"}},
		{"no description, Arabic name", CustomsItem{Name: "عباية", SKU: "ABY-M"}, []string{"SKU ABY-M"}},
		{"no description, emoji", CustomsItem{Name: "\U0001F431", SKU: "CAT-1"}, []string{"SKU CAT-1"}},
		// Nothing prints: the name goes to the renderer, which leaves the
		// letters out and logs them.
		{"nothing printable", CustomsItem{Name: "عباية", SKU: "عباية"}, []string{"عباية"}},
	}
	for _, tc := range tests {
		if got := d.itemLines(tc.item); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestCustomsDescriptionChoice: the shop's customs description first, then
// the HS heading's English description, then the chapter's, else none.
func TestCustomsDescriptionChoice(t *testing.T) {
	tab := hs.Load()
	tests := []struct {
		name string
		line returns.Line
		want string
	}{
		{"customs description", returns.Line{Name: "عباية", HSCode: "620443", CustomsDescription: "Women's abaya, polyester"}, "Women's abaya, polyester"},
		{"blank customs description", returns.Line{HSCode: "910211", CustomsDescription: "  "},
			"Wrist-watches, pocket-watches, stop-watches and other watches, other than those of heading no. 9101"},
		{"heading", returns.Line{Name: "وشاح", HSCode: "6214300000"},
			"Shawls, scarves, mufflers, mantillas, veils and the like (not knitted or crocheted)"},
		{"chapter when the heading is unknown", returns.Line{HSCode: "919800"}, "Clocks and watches and parts thereof"},
		{"neither", returns.Line{Name: "Uhr", HSCode: "980100"}, ""},
		{"no HS code", returns.Line{Name: "Uhr"}, ""},
	}
	for _, tc := range tests {
		if got := customsDescription(tc.line, tab); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestArabicAndJapaneseLines: one declaration with an Arabic and a Japanese
// line, each with and without a customs description, built from an order as
// ForReturn builds it. English descriptions always; the Japanese names in
// addition; no Arabic letters and no "?" anywhere; nothing logged.
func TestArabicAndJapaneseLines(t *testing.T) {
	var logs bytes.Buffer
	r := testRenderer(slog.New(slog.NewTextHandler(&logs, nil)))
	f := newFixture(t, "KW-1007")
	o := f.order
	o.Lines = []returns.Line{
		{ID: "A1", SKU: "ABY-M", Name: "عباية", Variant: "أسود", Quantity: 1, UnitPrice: 45750, HSCode: "620443", OriginCountry: "PT",
			WeightGrams: 700, CustomsDescription: "Women's abaya (long robe), polyester"},
		{ID: "A2", SKU: "SCF-1", Name: "وشاح", Quantity: 2, UnitPrice: 12125, HSCode: "621430", OriginCountry: "PT", WeightGrams: 100},
		{ID: "J1", SKU: "BAG-TOTE", Name: "トートバッグ", Quantity: 1, UnitPrice: 12000, HSCode: "420222", OriginCountry: "JP",
			WeightGrams: 400, CustomsDescription: "Tote bag, cotton canvas"},
		{ID: "J2", SKU: "TEE-M-BLK", Name: "Tシャツ", Variant: "M / 黒", Quantity: 3, UnitPrice: 3300, HSCode: "610910", OriginCountry: "JP", WeightGrams: 200},
	}
	ret := allLinesReturn(o)
	_, c := ForReturn(o, ret, f.hub, "https://returns.example/r/x", returns.LoadLegal())
	c.English, c.Local, c.Date = f.customs.English, f.customs.Local, now
	pdf, err := r.Customs(c)
	if err != nil {
		t.Fatal(err)
	}
	layout := pdfText(t, pdf, "-layout")
	itemRow(t, "abaya", layout, []string{"Women's abaya (long robe), polyester"}, "1", "620443", "PT", "0.700", "45.750")
	itemRow(t, "scarves", layout, []string{"Shawls, scarves, mufflers, mantillas, veils and the like (not knitted or crocheted)"},
		"2", "621430", "PT", "0.200", "24.250")
	itemRow(t, "tote", layout, []string{"Tote bag, cotton canvas", "トートバッグ"}, "1", "420222", "JP", "0.400", "12.000")
	itemRow(t, "tees", layout, []string{"T-shirts, singlets and other vests; knitted or crocheted", "Tシャツ (M / 黒)"},
		"3", "610910", "JP", "0.600", "9.900")
	if regexp.MustCompile(`\p{Arabic}`).MatchString(layout) || strings.Contains(layout, "?") {
		t.Errorf("Arabic printed without shaping, or as ?:\n%s", layout)
	}
	if logs.Len() != 0 {
		t.Errorf("the documents chose what prints; nothing should be lost: %s", logs.String())
	}
	screenshot(t, pdf, "customs-ar-ja")
}

// TestDemoDocumentsPrintNoQuestionMarks renders every demo order's label
// (4x6 and A4) and, where the parcel crosses a customs border, its customs
// declaration, for a return of every unit of every line, and reads them back
// with pdftotext: no "?" may appear that the data (the order, the hub, the
// translated texts) did not contain, and nothing may be left out.
func TestDemoDocumentsPrintNoQuestionMarks(t *testing.T) {
	var logs bytes.Buffer
	r := testRenderer(slog.New(slog.NewTextHandler(&logs, nil)))
	p := demo.Policy()
	legal := returns.LoadLegal()
	crossBorder := 0
	for _, o := range demo.Orders(now) {
		hub, ok := p.HubByCode(p.Effective(legal, o.ShippingAddress.Country).Hub)
		if !ok {
			t.Fatalf("%s: no hub", o.Number)
		}
		l, c := ForReturn(o, allLinesReturn(o), hub, "https://returns.example/r/R-7K3P-9XQ2?t=x", legal)
		en, local := translator(t, "en"), translator(t, o.Locale)
		if strings.HasPrefix(o.Locale, "en") {
			local = nil
		}
		l.English, l.Local, c.English, c.Local, c.Date = en, local, en, local, now
		// What the data says, where it holds a "?".
		var data []string
		for _, tr := range []Translator{en, local} {
			for _, id := range MessageIDs() {
				if tr != nil {
					data = append(data, tr(id))
				}
			}
		}
		data = append(data, stringsOf(t, o)...)
		data = append(data, stringsOf(t, hub)...)
		docs := map[string]func() ([]byte, error){
			"label 4x6": func() ([]byte, error) { return r.Label(l, Size4x6) },
			"label A4":  func() ([]byte, error) { return r.Label(l, SizeA4) },
		}
		if l.Customs {
			crossBorder++
			docs["customs"] = func() ([]byte, error) { return r.Customs(c) }
		}
		for name, render := range docs {
			pdf, err := render()
			if err != nil {
				t.Fatalf("%s %s: %v", o.Number, name, err)
			}
			text := squash(pdfText(t, pdf))
			for _, s := range data {
				if strings.Contains(s, "?") {
					text = strings.ReplaceAll(text, squash(s), "")
				}
			}
			if strings.Contains(text, "?") {
				t.Errorf("%s %s: a \"?\" the data does not hold:\n%s", o.Number, name, pdfText(t, pdf))
			}
		}
	}
	// The demo data gives every text that cannot print an alternative (a
	// Latin address, an English description), so nothing is left out.
	if logs.Len() != 0 {
		t.Errorf("characters left out of demo documents:\n%s", logs.String())
	}
	if crossBorder < 3 {
		t.Fatalf("only %d demo orders cross a customs border; the test would prove little", crossBorder)
	}
}

// stringsOf lists every string value of v as JSON holds it.
func stringsOf(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case string:
			out = append(out, n)
		case []any:
			for _, c := range n {
				walk(c)
			}
		case map[string]any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(tree)
	return out
}

// allLinesReturn is an approved return of every unit of every line of o,
// refunding what was paid (the documents do not care whether the rules
// would allow it).
func allLinesReturn(o returns.Order) returns.Return {
	q := returns.Quote{Currency: o.Currency}
	for _, l := range o.Lines {
		q.Lines = append(q.Lines, returns.QuoteLine{LineID: l.ID, Quantity: l.Quantity, Reason: "damaged", Refund: l.Paid()})
		q.ItemsRefund += l.Paid()
	}
	q.Total = q.ItemsRefund
	return returns.Return{RMA: "R-7K3P-9XQ2", OrderNumber: o.Number, Status: returns.StatusApproved, Quote: q,
		Locale: o.Locale, CreatedAt: now.Add(-time.Hour)}
}

// TestEmbeddedFontsParse: every embedded font parses, the CJK fallback
// (parsed on first use) included.
func TestEmbeddedFontsParse(t *testing.T) {
	if err := EmbeddedFonts().Err(); err != nil {
		t.Fatal(err)
	}
	f, err := ParseFonts(dejaVuSans, dejaVuSansBold, []byte("not a font"))
	if err != nil {
		t.Fatalf("the regular fonts: %v", err)
	}
	if f.has(fontCJK, '黒') || f.Err() == nil || f.printable("黒") {
		t.Error("a CJK fallback that does not parse is taken for one")
	}
}
