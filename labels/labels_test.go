package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
)

// requireTool fails (never skips) when a poppler tool is missing: CI must
// run these checks, and `make test` installs poppler-utils.
func requireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: run `make test` (it installs poppler-utils), or apt-get install poppler-utils", name)
	}
}

// pdfText extracts the text of a PDF with pdftotext (in reading order, or
// with -layout in the physical layout, which keeps table rows together).
func pdfText(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	requireTool(t, "pdftotext")
	cmd := exec.Command("pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), "-", "-")...)
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errb.String())
	}
	return out.String()
}

// pdfInfo returns pdfinfo's fields (Pages, Page size, ...).
func pdfInfo(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	requireTool(t, "pdfinfo")
	cmd := exec.Command("pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	info := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

// pageSize reads pdfinfo's "Page size: 288 x 432 pts".
func pageSize(t testing.TB, pdf []byte) (w, h float64) {
	t.Helper()
	size := pdfInfo(t, pdf)["Page size"]
	if _, err := fmt.Sscanf(size, "%g x %g", &w, &h); err != nil {
		t.Fatalf("page size %q: %v", size, err)
	}
	return w, h
}

// rasterize renders the first page of a PDF as a grey image with pdftoppm.
func rasterize(t testing.TB, pdf []byte, dpi int) *image.Gray {
	t.Helper()
	requireTool(t, "pdftoppm")
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-png", "-gray", "-r", fmt.Sprint(dpi), "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "page"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				g.Set(x, y, img.At(x, y))
			}
		}
	}
	return g
}

// screenshot writes page images of a PDF into artifacts/ at the repository
// root (git-ignored), for people to look at.
func screenshot(t testing.TB, pdf []byte, name string) {
	t.Helper()
	requireTool(t, "pdftoppm")
	dir := filepath.Join("..", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, name))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}

var (
	bundleOnce sync.Once
	bundle     *locales.Catalog
)

// translator translates through the portal's own message files.
func translator(t testing.TB, lang string) Translator {
	t.Helper()
	bundleOnce.Do(func() {
		b, err := locales.Load()
		if err != nil {
			panic(err)
		}
		bundle = b
	})
	loc := bundle.NewLocalizer(lang)
	return func(id string) string {
		msg, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			t.Errorf("message %s (%s): %v", id, lang, err)
			return id
		}
		return msg
	}
}

// fixture is a demo order with a return of all its units, priced by the
// real quote engine, and the hub of the demo policy for its country.
type fixture struct {
	order   returns.Order
	ret     returns.Return
	hub     returns.Hub
	label   LabelData
	customs CustomsData
}

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func newFixture(t testing.TB, number string) fixture {
	t.Helper()
	var o returns.Order
	for _, x := range demo.Orders(now) {
		if x.Number == number {
			o = x
		}
	}
	if o.Number == "" {
		t.Fatalf("no demo order %s", number)
	}
	p := demo.Policy()
	legal := returns.LoadLegal()
	var req returns.QuoteRequest
	req.RefundMethod = returns.MethodOriginalPayment
	for _, l := range o.Lines {
		req.Items = append(req.Items, returns.QuoteItem{LineID: l.ID, Quantity: l.Quantity, Reason: "damaged"})
	}
	q, err := returns.BuildQuote(o, p, legal, returns.History{}, req, now)
	if err != nil {
		// Some lines are not returnable: return the first line alone.
		req.Items = req.Items[:1]
		if q, err = returns.BuildQuote(o, p, legal, returns.History{}, req, now); err != nil {
			t.Fatalf("quote %s: %v", number, err)
		}
	}
	r := returns.Return{RMA: "R-7K3P-9XQ2", OrderNumber: o.Number, Status: returns.StatusApproved,
		Quote: q, Items: req.Items, Locale: o.Locale}
	hub, ok := p.HubByCode(p.Effective(legal, o.ShippingAddress.Country).Hub)
	if !ok {
		t.Fatalf("no hub for %s", number)
	}
	l, c := ForReturn(o, r, hub, "https://returns.example/r/"+r.RMA+"?t=eyJrIjoiciIsInIiOiJSLTdLM1AtOVhRMiJ9.Zk3pYgM2vQ0r8sX1nTqLw4uH7cJb5aEoD9yKfVtRiU0", legal)
	lang := strings.SplitN(o.Locale, "-", 2)[0]
	l.English, c.English = translator(t, "en"), translator(t, "en")
	if lang != "en" {
		l.Local, c.Local = translator(t, o.Locale), translator(t, o.Locale)
	}
	c.Date = now
	return fixture{order: o, ret: r, hub: hub, label: l, customs: c}
}

func testRenderer(log *slog.Logger) *Renderer {
	return New(EmbeddedFonts(), Options{Logger: log})
}

// squash removes the spaces and line breaks pdftotext puts between runs and
// lines, so that a phrase is found however the layout broke it.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// itemRow checks that a -layout text holds an item's row: the figures on
// one line, and in the description column from that line down the lines of
// the description cell (wrapped as the width wants), nothing else.
func itemRow(t *testing.T, what, layout string, cell []string, figures ...string) {
	t.Helper()
	var pat []string
	for _, f := range figures {
		pat = append(pat, regexp.QuoteMeta(f))
	}
	re := regexp.MustCompile(`\s` + strings.Join(pat, `\s+`) + `(\s|$)`)
	lines := strings.Split(layout, "\n")
	for i, l := range lines {
		loc := re.FindStringIndex(l)
		if loc == nil {
			continue
		}
		col := utf8.RuneCountInString(l[:loc[0]])
		var desc []string
		for j := i; j < len(lines); j++ {
			rs := []rune(lines[j])
			left, right := string(rs[:min(col, len(rs))]), ""
			if len(rs) > col {
				right = string(rs[col:])
			}
			if j > i && (strings.TrimSpace(left) == "" || strings.TrimSpace(right) != "") {
				break // a blank line, or the next row
			}
			desc = append(desc, left)
		}
		if got, want := squash(strings.Join(desc, " ")), squash(strings.Join(cell, " ")); got != want {
			t.Errorf("%s: row %v describes %q, want %q", what, figures, strings.Join(desc, " / "), strings.Join(cell, " / "))
		}
		return
	}
	t.Errorf("%s: no row with %v in:\n%s", what, figures, layout)
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(squash(text), squash(w)) {
			t.Errorf("%s: %q missing from the text:\n%s", what, w, text)
		}
	}
}

func TestLabel4x6(t *testing.T) {
	r := testRenderer(nil)
	f := newFixture(t, "DE-1001")
	pdf, err := r.Label(f.label, Size4x6)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pageSize(t, pdf); w != 288 || h != 432 {
		t.Fatalf("page %gx%g, want 288x432", w, h)
	}
	if n := pdfInfo(t, pdf)["Pages"]; n != "1" {
		t.Fatalf("pages: %s", n)
	}
	text := pdfText(t, pdf)
	contains(t, "label", text, "R-7K3P-9XQ2", "DHL Return", "PREPAID", "DHL Retoure account 2222222222",
		"Returns Centre Berlin", "Lagerstraße 12", "10115 Berlin", "GERMANY",
		"Anna Schmidt", "Demo Street 1", "Order: DE-1001", "Items: 4")
	if strings.Contains(text, "CUSTOMS") {
		t.Errorf("a domestic EU label mentions customs:\n%s", text)
	}
	// Weight: the items' weight times quantity plus the packaging allowance.
	want := PackagingGrams
	for _, l := range f.ret.Quote.Lines {
		line, _ := f.order.Line(l.LineID)
		want += line.WeightGrams * l.Quantity
	}
	contains(t, "weight", text, formatKg(want))
	t.Logf("4x6 label: %d bytes", len(pdf))
	screenshot(t, pdf, "label-4x6")
}

func TestLabelA4(t *testing.T) {
	r := testRenderer(nil)
	f := newFixture(t, "CH-1011")
	pdf, err := r.Label(f.label, SizeA4)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pageSize(t, pdf); w != 595 || h != 842 {
		t.Fatalf("page %gx%g, want 595x842 (A4)", w, h)
	}
	text := pdfText(t, pdf)
	// German-speaking Swiss shopper: German instructions, customs reminder.
	contains(t, "A4", text, "R-7K3P-9XQ2", "DHL Return", "Lukas Meier", "SWITZERLAND", "CUSTOMS DECLARATION ATTACHED",
		"So schicken Sie Ihre Rücksendung ab", "gestrichelten Linie", "Zollinhaltserklärung")
	t.Logf("A4 label: %d bytes", len(pdf))
	screenshot(t, pdf, "label-a4")
}

// TestLabelLetter: a US Letter sheet for shoppers whose printers hold it
// (returns.DefaultPaper), laid out like the A4 one; a parcel that crosses no
// customs border says nothing of a customs declaration.
func TestLabelLetter(t *testing.T) {
	r := testRenderer(nil)
	f := newFixture(t, "US-1005")
	pdf, err := r.Label(f.label, SizeLetter)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pageSize(t, pdf); w != 612 || h != 792 {
		t.Fatalf("page %gx%g, want 612x792 (US Letter)", w, h)
	}
	text := pdfText(t, pdf)
	contains(t, "Letter", text, "R-7K3P-9XQ2", "UPS Ground Returns", "Jordan Lee", "How to send your return",
		"dashed line", "R-7K3P-9XQ2")
	for _, absent := range []string{"CUSTOMS DECLARATION ATTACHED", "customs declaration"} {
		if strings.Contains(text, absent) {
			t.Errorf("a domestic US parcel's label mentions %q", absent)
		}
	}
	t.Logf("Letter label: %d bytes", len(pdf))
	screenshot(t, pdf, "label-letter")
}

// TestLabelCustomsMentionOnlyWithDeclaration: "customs declaration
// attached" is printed on every size exactly when the parcel has one.
func TestLabelCustomsMentionOnlyWithDeclaration(t *testing.T) {
	r := testRenderer(nil)
	for order, customs := range map[string]bool{"CH-1011": true, "DE-1001": false, "US-1005": false} {
		f := newFixture(t, order)
		for _, size := range []Size{Size4x6, SizeA4, SizeLetter} {
			pdf, err := r.Label(f.label, size)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(pdfText(t, pdf), "CUSTOMS DECLARATION ATTACHED"); got != customs {
				t.Errorf("%s %s: customs mention %v, want %v", order, size, got, customs)
			}
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{"": Size4x6, "4x6": Size4x6, "4X6": Size4x6, "a4": SizeA4, "A4": SizeA4,
		" letter ": SizeLetter, "LETTER": SizeLetter} {
		got, ok := ParseSize(in)
		if !ok || got != want {
			t.Errorf("ParseSize(%q) = %v %v, want %v", in, got, ok, want)
		}
		if again, _ := ParseSize(got.String()); again != got {
			t.Errorf("%v does not read back from %q", got, got.String())
		}
	}
	for _, bad := range []string{"a5", "legal", "4x6x", "4x6'", "letter;"} {
		if _, ok := ParseSize(bad); ok {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestLabelScripts(t *testing.T) {
	r := testRenderer(nil)
	cases := []struct {
		order string
		wants []string
	}{
		// Japanese shopper to the Tokyo hub: kanji and kana via the CJK
		// font, with the Latin form of the address too.
		{"JP-1006", []string{"佐藤 花子", "渋谷区神南1-2-3", "東京都", "Hanako Sato", "返品センター東京", "江東区新木場1-2-3", "Yamato Takkyubin", "JAPAN"}},
		// Greek name and item.
		{"GR-1021", []string{"Γιώργος Παπαδόπουλος", "GREECE"}},
	}
	for _, c := range cases {
		f := newFixture(t, c.order)
		for _, size := range []Size{Size4x6, SizeA4} {
			pdf, err := r.Label(f.label, size)
			if err != nil {
				t.Fatal(err)
			}
			contains(t, c.order+" "+size.String(), pdfText(t, pdf), c.wants...)
		}
	}
}

// TestShapingScripts: an Arabic address prints its Latin form and the A4
// instructions fall back to English; without a Latin form the characters
// are left out — never printed as "?" — and logged.
func TestShapingScripts(t *testing.T) {
	var logs bytes.Buffer
	r := testRenderer(slog.New(slog.NewTextHandler(&logs, nil)))
	f := newFixture(t, "KW-1007")
	pdf, err := r.Label(f.label, SizeA4)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	contains(t, "KW", text, "Fatima Al-Ali", "Block 3, Street 12", "Kuwait City", "KUWAIT", "How to send your return")
	if strings.ContainsAny(text, "فاطمة") || logs.Len() != 0 {
		t.Errorf("unshaped Arabic printed, or a warning logged: %q / %s", text, logs.String())
	}

	f.label.Sender.Latin = nil
	pdf, err = r.Label(f.label, Size4x6)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, pdf)
	contains(t, "KW without Latin", text, "Demo Street 1", "KUWAIT")
	if strings.Contains(text, "?") || regexp.MustCompile(`\p{Arabic}`).MatchString(text) {
		t.Errorf("unprintable name printed as ? or unshaped:\n%s", text)
	}
	if !strings.Contains(logs.String(), "characters cannot be printed") || !strings.Contains(logs.String(), "فاطمة") {
		t.Errorf("no warning for the unprintable name: %s", logs.String())
	}
}

func TestCustoms(t *testing.T) {
	r := testRenderer(nil)
	f := newFixture(t, "CH-1011")
	if !f.label.Customs {
		t.Fatal("CH → DE hub should need customs")
	}
	pdf, err := r.Customs(f.customs)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pageSize(t, pdf); w != 595 || h != 842 {
		t.Fatalf("page %gx%g, want A4", w, h)
	}
	text := pdfText(t, pdf)
	contains(t, "customs", text, "Customs declaration CN23", "Zollinhaltserklärung", "R-7K3P-9XQ2",
		"Returned goods", "Rücksendung von Waren", "Return of goods for refund/exchange",
		"CH-1011", docDate(*f.order.ShippedAt), "Lukas Meier", "SWITZERLAND",
		"Returns Centre Berlin", "Lagerstraße 12", "GERMANY", "Sender's signature", "Place and date", "Value (CHF)")
	layout := pdfText(t, pdf, "-layout")
	// The watch, described by its HS heading (9102) in English, with its
	// German name below.
	if len(f.customs.Items) != 1 {
		t.Fatalf("items: %+v", f.customs.Items)
	}
	itemRow(t, "watch", layout, []string{"Wrist-watches, pocket-watches, stop-watches and other watches, other than those of heading no. 9101", "Uhr"},
		"1", "910211", "CH", "0.150", "249.00")
	t.Logf("customs: %d bytes", len(pdf))
	screenshot(t, pdf, "customs")

	// Three copies where carriers need them.
	f.customs.Copies = 3
	pdf, err = r.Customs(f.customs)
	if err != nil {
		t.Fatal(err)
	}
	if n := pdfInfo(t, pdf)["Pages"]; n != "3" {
		t.Errorf("3 copies: %s pages", n)
	}
	contains(t, "copies", pdfText(t, pdf), "Copy 1/3", "Copy 2/3", "Copy 3/3")
}

// TestCustomsManyItemsAndLanguages: every item of a multi-line return is
// listed (with HS code, origin and value in a zero-decimal currency), a
// Japanese form carries Japanese captions, an Arabic one English only.
func TestCustomsManyItemsAndLanguages(t *testing.T) {
	r := testRenderer(nil)
	f := newFixture(t, "JP-1006")
	f.customs.Hub = demo.Policy().Hubs[0] // as if sent to Berlin
	var items []CustomsItem
	for i := 0; i < 40; i++ {
		items = append(items, CustomsItem{Description: fmt.Sprintf("T-shirt no. %d", i), Name: fmt.Sprintf("Tシャツ %d", i),
			Quantity: 1, HSCode: fmt.Sprintf("6109%02d", i), Origin: "JP", Value: int64(1000 + i), WeightGrams: 200})
	}
	f.customs.Items = items
	pdf, err := r.Customs(f.customs)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	contains(t, "ja", text, "税関告知書", "返送品", "佐藤 花子", "Hanako Sato")
	layout := pdfText(t, pdf, "-layout")
	for _, it := range items {
		itemRow(t, "ja item", layout, []string{it.Description, it.Name}, "1", it.HSCode, "JP", "0.200", formatMoney(it.Value, "JPY"))
	}
	if n := pdfInfo(t, pdf)["Pages"]; n == "1" {
		t.Errorf("40 items on one page?")
	}

	f = newFixture(t, "KW-1007")
	pdf, err = r.Customs(f.customs)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, pdf)
	contains(t, "ar", text, "Customs declaration CN23", "Fatima Al-Ali")
	// The abaya by the shop's customs description, the scarves (no such
	// description) by their HS heading, 6214; neither Arabic name.
	layout = pdfText(t, pdf, "-layout")
	itemRow(t, "abaya", layout, []string{"Women's abaya (long robe), polyester"}, "1", "620443", "PT", "0.700", "45.750")
	itemRow(t, "scarves", layout, []string{"Shawls, scarves, mufflers, mantillas, veils and the like (not knitted or crocheted)"},
		"3", "621430", "PT", "0.900", "36.000")
	if regexp.MustCompile(`\p{Arabic}`).MatchString(text) || strings.Contains(text, "?") {
		t.Errorf("Arabic printed without shaping, or as ?:\n%s", text)
	}
}

func TestMessageIDsAreTranslated(t *testing.T) {
	for _, lang := range []string{"en", "de", "fr", "es", "ja", "ar"} {
		tr := translator(t, lang)
		for _, id := range MessageIDs() {
			tr(id) // fails the test when missing
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		amount int64
		code   string
		want   string
	}{{24900, "CHF", "249.00"}, {5, "EUR", "0.05"}, {12345, "JPY", "12345"}, {45750, "KWD", "45.750"}} {
		if got := formatMoney(c.amount, c.code); got != c.want {
			t.Errorf("formatMoney(%d %s) = %s, want %s", c.amount, c.code, got, c.want)
		}
	}
}

// TestConcurrentRendering shares one renderer (and its parsed fonts) across
// goroutines; -race checks that nothing is written to shared state.
func TestConcurrentRendering(t *testing.T) {
	r := testRenderer(nil)
	fs := []fixture{newFixture(t, "JP-1006"), newFixture(t, "GR-1021"), newFixture(t, "CH-1011")}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := fs[i%len(fs)]
			if _, err := r.Label(f.label, Size(i%2)); err != nil {
				t.Error(err)
			}
			if _, err := r.Customs(f.customs); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkLabel4x6(b *testing.B) {
	r := testRenderer(nil)
	f := newFixture(b, "DE-1001")
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, err := r.Label(f.label, Size4x6)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func BenchmarkLabelA4Japanese(b *testing.B) {
	r := testRenderer(nil)
	f := newFixture(b, "JP-1006")
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, err := r.Label(f.label, SizeA4)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func BenchmarkCustoms(b *testing.B) {
	r := testRenderer(nil)
	f := newFixture(b, "CH-1011")
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, err := r.Customs(f.customs)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

// TestSenderPaysLabelNeverSaysPrepaid: a hub whose merchant does not pay
// the postage (no postage_paid) gets labels that say the sender pays and
// hold no form of "prepaid" in any of the six languages, on either size.
func TestSenderPaysLabelNeverSaysPrepaid(t *testing.T) {
	r := testRenderer(nil)
	// Forms of "prepaid" and of "postage paid" per language, lower-cased.
	forbidden := []string{"prepaid", "pre-paid", "postage paid", "paid postage", "freepost",
		"frankiert", "freigemacht", "vorausbezahlt", "porto bezahlt", "entgelt bezahlt", "gebühr bezahlt",
		"prépayé", "prepaye", "port payé", "port paye", "affranchi", "affranchissement payé",
		"prepagado", "prepagada", "franqueo pagado", "porte pagado", "portes pagados",
		"前払", "元払", "料金別納", "料金後納", "支払済", "支払い済",
		"مدفوع مسبق", "مدفوعة مسبق", "مسبق الدفع", "البريد مدفوع"}
	for _, lang := range []string{"en", "de", "fr", "es", "ja", "ar"} {
		for _, size := range []Size{Size4x6, SizeA4} {
			f := newFixture(t, "DE-1001")
			f.label.Hub.PostagePaid = false
			f.label.English, f.label.Local = translator(t, "en"), nil
			if lang != "en" {
				f.label.Local = translator(t, lang)
			}
			pdf, err := r.Label(f.label, size)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			lower := strings.ToLower(text)
			for _, w := range forbidden {
				if strings.Contains(lower, w) || strings.Contains(squash(lower), squash(w)) {
					t.Errorf("%s %s label says %q:\n%s", lang, size, w, text)
				}
			}
			contains(t, lang+" "+size.String(), text, "SENDER PAYS POSTAGE", "Returns Centre Berlin")
			if strings.Contains(text, "2222222222") {
				t.Errorf("%s %s: the merchant's account is named on a label it does not pay:\n%s", lang, size, text)
			}
			if size == SizeA4 {
				// The last step says who pays, in the shopper's language
				// where it prints (Arabic falls back to English).
				want := translator(t, lang)("label.a4.step_drop_sender_pays")
				if lang == "ar" {
					want = translator(t, "en")("label.a4.step_drop_sender_pays")
				}
				contains(t, lang+" A4 step", text, want)
			}
		}
	}
	// The same hub with the flag: prepaid, naming the account.
	f := newFixture(t, "DE-1001")
	f.label.Hub.PostagePaid = true
	pdf, err := r.Label(f.label, SizeA4)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	contains(t, "prepaid", text, "PREPAID", "DHL Retoure account 2222222222", translator(t, "de")("label.a4.step_drop"))
	if strings.Contains(text, "SENDER PAYS") {
		t.Errorf("a prepaid label says the sender pays:\n%s", text)
	}
}
