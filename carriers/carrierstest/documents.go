// Package carrierstest runs stand-ins of the carrier platforms' APIs for
// tests: httptest servers that check each request as the platform's API
// reference documents it (authentication, fields, the customs block) and
// answer with the documented shapes (fixtures/, with their sources), in
// success and in error. Neither EasyPost nor Sendcloud publishes an
// offline double. A request the reference would refuse, or that our
// client should never make (a second purchase of one shipment), is
// reported as a test failure.
package carrierstest

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
)

//go:embed fixtures
var fixtures embed.FS

// fixture reads a fixture and fills its __NAME__ placeholders (pairs of
// name and value).
func fixture(name string, pairs ...string) []byte {
	b, err := fixtures.ReadFile("fixtures/" + name)
	if err != nil {
		panic(err)
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(b)))
}

// Fixture is a fixture's bytes with its placeholders filled, for tests
// that parse the documented shapes directly.
func Fixture(name string, pairs ...string) []byte { return fixture(name, pairs...) }

// PDF is a one-page PDF printing lines (Helvetica, Latin-1 text), the
// stand-in of a carrier's label or form: real enough for pdftotext to read
// the tracking number off it.
func PDF(width, height int, lines ...string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 11 Tf 14 TL 20 " + fmt.Sprint(height-40) + " Td\n")
	for _, l := range lines {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		content.WriteString("(" + r.Replace(l) + ") Tj T*\n")
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>", width, height),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// Label sizes of the stand-in PDFs, in points.
const (
	A6Width, A6Height = 288, 432
	A4Width, A4Height = 595, 842
)

// QRPNG is a small PNG standing in for a carrier's QR code.
func QRPNG() []byte {
	img := image.NewGray(image.Rect(0, 0, 21, 21))
	for y := range 21 {
		for x := range 21 {
			if (x*7+y*3)%5 < 2 {
				img.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}
