package labels

import (
	"errors"
	"image"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// code128Widths is the Code 128 symbol table (ISO/IEC 15417): bar and space
// widths, in modules, of values 0–106 (103–105 start A/B/C, 106 stop). It is
// written out here, independently of the encoder, so that decoding a
// rendered label checks the encoder too.
var code128Widths = strings.Fields(`
212222 222122 222221 121223 121322 131222 122213 122312 132212 221213
221312 231212 112232 122132 122231 113222 123122 123221 223211 221132
221231 213212 223112 312131 311222 321122 321221 312212 322112 322211
212123 212321 232121 111323 131123 131321 112313 132113 132311 211313
231113 231311 112133 112331 132131 113123 113321 133121 313121 211331
231131 213113 213311 213131 311123 311321 331121 312113 312311 332111
314111 221411 431111 111224 111422 121124 121421 141122 141221 112214
112412 122114 122411 142112 142211 241211 221114 413111 241112 134111
111242 121142 121241 114212 124112 124211 411212 421112 421211 212141
214121 412121 111143 111341 131141 114113 114311 411113 411311 113141
114131 311141 411131 211412 211214 211232 2331112`)

// decode128 decodes one Code 128 symbol from bar/space run widths (in
// pixels, starting with a bar), supporting code sets B and C.
func decode128(runs []int) (string, error) {
	lookup := map[string]int{}
	for v, w := range code128Widths {
		lookup[w] = v
	}
	symbol := func(rs []int) (int, bool) {
		total := 0
		for _, r := range rs {
			total += r
		}
		unit := float64(total) / 11
		var b strings.Builder
		for _, r := range rs {
			m := int(float64(r)/unit + 0.5)
			if m < 1 || m > 4 {
				return 0, false
			}
			b.WriteString(strconv.Itoa(m))
		}
		v, ok := lookup[b.String()]
		return v, ok
	}
	// Symbols of six elements each, then the stop of seven (2331112).
	if len(runs) < 6+6+6+7 || (len(runs)-7)%6 != 0 {
		return "", errors.New("not a whole number of symbols")
	}
	var values []int
	for i := 0; i+7 < len(runs); i += 6 {
		v, ok := symbol(runs[i : i+6])
		if !ok {
			return "", errors.New("bad symbol at element " + strconv.Itoa(i))
		}
		values = append(values, v)
	}
	stop := runs[len(runs)-7:]
	total := 0
	for _, r := range stop {
		total += r
	}
	var sb strings.Builder
	for _, r := range stop {
		sb.WriteString(strconv.Itoa(int(float64(r)*13/float64(total) + 0.5)))
	}
	if sb.String() != code128Widths[106] {
		return "", errors.New("no stop symbol")
	}
	start := values[0]
	if start < 103 || start > 105 {
		return "", errors.New("no start symbol")
	}
	values = append(values, 106)
	data := values[1 : len(values)-2]
	check := values[len(values)-2]
	sum := start
	for k, v := range data {
		sum += (k + 1) * v
	}
	if sum%103 != check {
		return "", errors.New("checksum mismatch")
	}
	set := start
	var out strings.Builder
	for _, v := range data {
		switch {
		case set == 105 && v < 100:
			out.WriteString(strconv.Itoa(v/10) + strconv.Itoa(v%10))
		case set == 105 && v == 100, set == 103 && v == 100:
			set = 104
		case set == 104 && v == 99:
			set = 105
		case set == 104 && v < 96:
			out.WriteByte(byte(v + 32))
		default:
			return "", errors.New("value " + strconv.Itoa(v) + " not supported by this decoder (code set A, FNC)")
		}
	}
	return out.String(), nil
}

// scanCode128 looks for a Code 128 symbol in the rows of a rendered page and
// returns what it decodes to, with the bar/space runs of the row that did
// (normalised to modules).
func scanCode128(img *image.Gray) (string, []int, error) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		// Runs of dark and light pixels along the row.
		var runs []int
		var dark []bool
		row := img.Pix[(y-b.Min.Y)*img.Stride : (y-b.Min.Y)*img.Stride+b.Dx()]
		for _, p := range row {
			d := p < 128
			if n := len(dark); n > 0 && dark[n-1] == d {
				runs[n-1]++
				continue
			}
			runs = append(runs, 1)
			dark = append(dark, d)
		}
		// Try every dark run that follows a wide light run (a quiet zone).
		for i := 1; i < len(runs); i++ {
			if !dark[i] || runs[i-1] < 5*runs[i] {
				continue
			}
			end := i
			for end < len(runs) && (dark[end] || runs[end] < 5*runs[i]) {
				end++
			}
			if text, err := decode128(runs[i:end]); err == nil {
				return text, modules(runs[i:end]), nil
			}
		}
	}
	return "", nil, errors.New("no Code 128 symbol found")
}

// modules converts pixel runs to module counts, by the narrowest element.
func modules(runs []int) []int {
	total := 0
	for _, r := range runs {
		total += r
	}
	// A Code 128 symbol is 11 modules per symbol plus 2 for the stop.
	n := (len(runs)-7)/6*11 + 13
	unit := float64(total) / float64(n)
	out := make([]int, len(runs))
	for i, r := range runs {
		out[i] = int(float64(r)/unit + 0.5)
	}
	return out
}

// TestBarcodeDecodesToRMA renders labels, rasterizes them with pdftoppm and
// decodes the bars with the decoder above: what a scanner at the hub reads
// must be the RMA. Regenerating a label gives the same RMA and bars.
func TestBarcodeDecodesToRMA(t *testing.T) {
	r := testRenderer(nil)
	for _, c := range []struct {
		order string
		size  Size
		rma   string
	}{
		{"DE-1001", Size4x6, "R-7K3P-9XQ2"},
		{"JP-1006", SizeA4, "R-7K3P-9XQ2"},
		{"CH-1011", Size4x6, "R-0000-1234"}, // digits: the encoder may switch to code set C
		{"GR-1021", SizeA4, "R-ZZZZ-9999"},
	} {
		f := newFixture(t, c.order)
		f.label.RMA = c.rma
		var first []int
		for attempt := 0; attempt < 2; attempt++ {
			pdf, err := r.Label(f.label, c.size)
			if err != nil {
				t.Fatal(err)
			}
			got, mods, err := scanCode128(rasterize(t, pdf, 200))
			if err != nil {
				t.Fatalf("%s %s: %v", c.order, c.size, err)
			}
			if got != c.rma {
				t.Fatalf("%s %s: barcode reads %q, want %q", c.order, c.size, got, c.rma)
			}
			if attempt == 0 {
				first = mods
			} else if !slices.Equal(first, mods) {
				t.Errorf("%s: regenerated label has other bars: %v vs %v", c.order, first, mods)
			}
		}
	}
}

// TestDecoderTable checks the table above against a known symbol: the
// encoder's own pattern for the RMA, read module by module.
func TestDecoderTable(t *testing.T) {
	mods, err := code128Modules("R-7K3P-9XQ2")
	if err != nil {
		t.Fatal(err)
	}
	var runs []int
	for i, m := range mods {
		if i > 0 && m == mods[i-1] {
			runs[len(runs)-1]++
			continue
		}
		runs = append(runs, 1)
	}
	got, err := decode128(runs)
	if err != nil || got != "R-7K3P-9XQ2" {
		t.Fatalf("decode: %q %v", got, err)
	}
}
