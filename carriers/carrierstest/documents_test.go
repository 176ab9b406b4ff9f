package carrierstest

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The stand-in documents are real: pdftotext (poppler, which the label
// tests use too) reads the tracking number off the label.
func TestPDFReadable(t *testing.T) {
	pdf := PDF(A6Width, A6Height, "USPS RETURN LABEL", "TRACKING # 9400111899000000000001", `odd (chars) \ here`)
	path := filepath.Join(t.TempDir(), "label.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range []string{"USPS RETURN LABEL", "TRACKING # 9400111899000000000001", `odd (chars) \ here`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, out)
		}
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil || !bytes.Contains(info, []byte("288 x 432 pts")) {
		t.Errorf("pdfinfo: %v\n%s", err, info)
	}
}

func TestQRPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(QRPNG()))
	if err != nil || img.Bounds().Dx() != 21 {
		t.Fatalf("%v %v", img, err)
	}
}
