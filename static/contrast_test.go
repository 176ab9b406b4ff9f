package static

import (
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPortalContrast: every text colour of portal.css on every background
// it is used on reaches 4.5:1 (WCAG 2.2 AA), the default accent colour
// included (links, buttons, the white text on primary buttons).
func TestPortalContrast(t *testing.T) {
	css, err := fs.ReadFile(Files, "portal.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"#fff": "#ffffff"}
	for _, m := range regexp.MustCompile(`(--[a-z-]+):\s*(#[0-9a-fA-F]{3,6})\b`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	pairs := [][2]string{
		{"--text", "--bg"}, {"--text", "--panel"}, {"--text", "--error-bg"},
		{"--muted", "--bg"}, {"--muted", "--panel"},
		{"--accent", "--bg"}, {"--accent", "--panel"}, {"#fff", "--accent"},
		{"--accent-dark", "--bg"}, {"#fff", "--accent-dark"},
		{"--error", "--bg"}, {"--error", "--error-bg"},
		{"--ok", "--bg"}, {"--ok", "--panel"},
		{"--limited", "--bg"}, {"--limited", "--limited-bg"}, {"--text", "--limited-bg"},
		{"#fff", "--error"},
	}
	for _, p := range pairs {
		fg, bg := vars[p[0]], vars[p[1]]
		if fg == "" || bg == "" {
			t.Fatalf("colour %s or %s not in portal.css", p[0], p[1])
		}
		r := contrast(fg, bg)
		t.Logf("%s %s on %s %s: %.2f:1", p[0], fg, p[1], bg, r)
		if r < 4.5 {
			t.Errorf("%s on %s: %.2f:1, below 4.5:1", p[0], p[1], r)
		}
	}
}

func luminance(hex string) float64 {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		n, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		c := float64(n) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
