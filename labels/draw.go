package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"

	"github.com/boombuler/barcode/code128"
	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"
)

// doc is one document being drawn.
type doc struct {
	r       *Renderer
	gp      *gopdf.GoPdf
	kind    string // "label" or "customs", for logs
	rma     string
	added   [numFonts]bool
	field   string // what is being printed, for logs
	missing []missing
}

// missing records characters of a field that could not be printed.
type missing struct {
	field string
	runes []rune
}

func (r *Renderer) newDoc(rma, kind string) (*doc, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: page4x6})
	gp.SetInfo(gopdf.PdfInfo{Title: kind + " " + rma, Producer: "returns-portal"})
	return &doc{r: r, gp: gp, kind: kind, rma: rma}, nil
}

// miss records a character of the current field that cannot be printed.
func (d *doc) miss(c rune) {
	if n := len(d.missing); n > 0 && d.missing[n-1].field == d.field {
		d.missing[n-1].runes = append(d.missing[n-1].runes, c)
		return
	}
	d.missing = append(d.missing, missing{field: d.field, runes: []rune{c}})
}

// setFont selects a font, adding it to the document on first use (so a
// document embeds only the fonts, and glyphs, it uses).
func (d *doc) setFont(f font, size float64) error {
	if !d.added[f] {
		if err := d.gp.AddTTFFontFromFontContainer(families[f], d.r.fonts.containerOf(f)); err != nil {
			return err
		}
		d.added[f] = true
	}
	return d.gp.SetFont(families[f], "", size)
}

// style is how a piece of text is set.
type style struct {
	size float64
	bold bool
	// min is the smallest size the text may shrink to in order to fit its
	// width; 0 means it never shrinks.
	min float64
	// align: 0 left, 1 centre, 2 right (within the width).
	align int
	// white prints white text (on a black box).
	white bool
}

// measure returns the width of runs at a size.
func (d *doc) measure(rs []run, size float64) (float64, error) {
	w := 0.0
	for _, rn := range rs {
		if err := d.setFont(rn.font, size); err != nil {
			return 0, err
		}
		rw, err := d.gp.MeasureTextWidth(rn.text)
		if err != nil {
			return 0, err
		}
		w += rw
	}
	return w, nil
}

// text prints one line at (x, y) (top left), within width w: shrunk down to
// st.min where needed, else wrapped onto further lines. It returns the height
// used.
func (d *doc) text(field string, x, y, w float64, s string, st style) (float64, error) {
	d.field = field
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	rs := d.r.fonts.runs(s, st.bold, d.miss)
	size := st.size
	tw, err := d.measure(rs, size)
	if err != nil {
		return 0, err
	}
	for tw > w && st.min > 0 && size > st.min {
		size = max(st.min, size-0.5)
		if tw, err = d.measure(rs, size); err != nil {
			return 0, err
		}
	}
	if tw > w {
		// Still too wide: wrap at the last space that fits (or anywhere).
		head, tail := d.split(rs, size, w, st.bold)
		h1, err := d.drawRuns(x, y, w, head, size, st)
		if err != nil {
			return 0, err
		}
		h2, err := d.text(field, x, y+h1, w, tail, st)
		return h1 + h2, err
	}
	return d.drawRuns(x, y, w, rs, size, st)
}

// split cuts runs into a head that fits the width and the rest as text.
func (d *doc) split(rs []run, size, w float64, bold bool) ([]run, string) {
	var flat []rune
	for _, rn := range rs {
		flat = append(flat, []rune(rn.text)...)
	}
	// Longest prefix that fits, by bisection over runes.
	lo, hi := 1, len(flat)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		pw, err := d.measure(d.r.fonts.runs(string(flat[:mid]), bold, func(rune) {}), size)
		if err == nil && pw <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	cut := lo
	if i := strings.LastIndex(string(flat[:lo]), " "); i > 0 && lo < len(flat) {
		cut = len([]rune(string(flat[:lo])[:i]))
	}
	head := string(flat[:cut])
	return d.r.fonts.runs(head, bold, func(rune) {}), strings.TrimSpace(string(flat[cut:]))
}

// drawRuns prints runs on one line and returns the line height.
func (d *doc) drawRuns(x, y, w float64, rs []run, size float64, st style) (float64, error) {
	if st.align != 0 {
		tw, err := d.measure(rs, size)
		if err != nil {
			return 0, err
		}
		if st.align == 1 {
			x += (w - tw) / 2
		} else {
			x += w - tw
		}
	}
	if st.white {
		d.gp.SetTextColor(255, 255, 255)
		defer d.gp.SetTextColor(0, 0, 0)
	}
	d.gp.SetXY(x, y)
	for _, rn := range rs {
		if err := d.setFont(rn.font, size); err != nil {
			return 0, err
		}
		if err := d.gp.Cell(nil, rn.text); err != nil {
			return 0, err
		}
	}
	return size * 1.2, nil
}

// lines prints several lines one under the other and returns the height.
func (d *doc) lines(field string, x, y, w float64, ls []string, st style) (float64, error) {
	h := 0.0
	for _, l := range ls {
		lh, err := d.text(field, x, y+h, w, l, st)
		if err != nil {
			return 0, err
		}
		h += lh
	}
	return h, nil
}

// hline draws a horizontal rule.
func (d *doc) hline(x1, x2, y, width float64) {
	d.gp.SetLineWidth(width)
	d.gp.SetLineType("solid")
	d.gp.Line(x1, y, x2, y)
}

// box draws a rectangle outline.
func (d *doc) box(x, y, w, h, width float64) {
	d.gp.SetLineWidth(width)
	d.gp.SetLineType("solid")
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// fill draws a black rectangle.
func (d *doc) fill(x, y, w, h float64) {
	d.gp.SetFillColor(0, 0, 0)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// code128Modules encodes text as Code 128 (checksum included) and returns
// its modules, true for a bar, from the start to the stop pattern.
func code128Modules(text string) ([]bool, error) {
	bc, err := code128.Encode(text)
	if err != nil {
		return nil, err
	}
	b := bc.Bounds()
	mods := make([]bool, b.Dx())
	for x := range mods {
		g := color.GrayModel.Convert(bc.At(b.Min.X+x, b.Min.Y)).(color.Gray)
		mods[x] = g.Y < 128
	}
	return mods, nil
}

// code128QuietModules is the quiet zone either side of a Code 128 symbol.
const code128QuietModules = 10

// barcode128 draws text as a Code 128 barcode centred in width w, as vector
// bars (sharp at any printer resolution), with a quiet zone either side. The
// module is at most maxModule points wide. It returns the drawn width.
func (d *doc) barcode128(text string, x, y, w, h, maxModule float64) (float64, error) {
	mods, err := code128Modules(text)
	if err != nil {
		return 0, err
	}
	m := min(maxModule, w/float64(len(mods)+2*code128QuietModules))
	bw := m * float64(len(mods))
	x0 := x + (w-bw)/2
	for i := 0; i < len(mods); {
		if !mods[i] {
			i++
			continue
		}
		j := i
		for j < len(mods) && mods[j] {
			j++
		}
		d.fill(x0+float64(i)*m, y, float64(j-i)*m, h)
		i = j
	}
	return bw, nil
}

// qrImage encodes text as a QR code (error correction M) in a grey image
// with the standard four-module quiet zone and scale pixels per module
// (gopdf embeds image.Gray as DeviceGray). skip2/go-qrcode is used rather than
// boombuler/barcode's QR encoder: it is about four times faster here.
func qrImage(text string, scale int) (*image.Gray, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	bits := code.Bitmap() // quiet zone included
	n := len(bits)
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for my, row := range bits {
		for py := 0; py < scale; py++ {
			line := img.Pix[(my*scale+py)*img.Stride:]
			for mx, dark := range row {
				v := byte(0xff)
				if dark {
					v = 0
				}
				for px := 0; px < scale; px++ {
					line[mx*scale+px] = v
				}
			}
		}
	}
	return img, nil
}

// pngBuffers keeps the PNG encoder's buffers (its compressor is a megabyte)
// from one QR code to the next.
var pngBuffers = &pngBufferPool{}

type pngBufferPool struct{ pool sync.Pool }

func (p *pngBufferPool) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBufferPool) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// qrCode draws text as a QR code of side points at (x, y).
func (d *doc) qrCode(text string, x, y, side float64) error {
	img, err := qrImage(text, 4)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	if err := enc.Encode(&buf, img); err != nil {
		return err
	}
	holder, err := gopdf.ImageHolderByBytes(buf.Bytes())
	if err != nil {
		return err
	}
	if err := d.gp.ImageByHolder(holder, x, y, &gopdf.Rect{W: side, H: side}); err != nil {
		return fmt.Errorf("qr image: %w", err)
	}
	return nil
}
