package hs

import (
	"strings"
	"testing"
)

func TestValidCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"610910", true},
		{"9102110000", true}, // 10 digits: a national tariff line
		{"91021100", true},
		{"61091", false},       // 5 digits
		{"91021100001", false}, // 11 digits
		{"6109.10", false},     // dots are not part of the stored form
		{"6109 10", false},
		{"", false},
		{"61091O", false},       // letter O
		{"６１０９１０", false},       // full-width digits
		{"610910\u202e", false}, // a direction control
		{"-610910", false},
	}
	for _, tc := range tests {
		if got := ValidCode(tc.code); got != tc.want {
			t.Errorf("ValidCode(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

// TestEmbeddedTable checks the committed file against facts of the HS 2022
// nomenclature: 97 chapters (77 is reserved), 1229 headings, and known
// descriptions.
func TestEmbeddedTable(t *testing.T) {
	tab := Load()
	if tab.Chapters() != 97 || tab.Headings() != 1229 {
		t.Fatalf("%d chapters and %d headings, want 97 and 1229 (HS 2022)", tab.Chapters(), tab.Headings())
	}
	if _, ok := tab.chapters["77"]; ok {
		t.Error("chapter 77 is reserved in the HS and must not be listed")
	}
	for h := range tab.headings {
		if _, ok := tab.chapters[h[:2]]; !ok {
			t.Errorf("heading %s has no chapter", h)
		}
	}
	for code, d := range tab.headings {
		for _, r := range d {
			if r < 0x20 || r > 0x7e {
				t.Errorf("heading %s: description has %q; the documents print it in Latin script", code, r)
			}
		}
	}
	tests := []struct {
		code, want string
		ok         bool
	}{
		// The heading's description when the table has the heading.
		{"610910", "T-shirts, singlets and other vests; knitted or crocheted", true},
		{"910211", "Wrist-watches, pocket-watches, stop-watches and other watches, other than those of heading no. 9101", true},
		{"9102110000", "Wrist-watches, pocket-watches, stop-watches and other watches, other than those of heading no. 9101", true},
		// The chapter's where the heading is not in the table (9198 does
		// not exist; chapter 91 does).
		{"919800", "Clocks and watches and parts thereof", true},
		// Neither: reserved chapter 77, national chapter 98, not a code.
		{"770000", "", false},
		{"980100", "", false},
		{"6109", "", false},
		{"", "", false},
	}
	for code, want := range map[string]bool{"9102": true, "910211": true, "9198": false, "91": false, "91a2": false} {
		if _, ok := tab.Heading(code); ok != want {
			t.Errorf("Heading(%q) found: %v, want %v", code, ok, want)
		}
	}
	for _, tc := range tests {
		got, ok := tab.Describe(tc.code)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Describe(%q) = %q, %v; want %q, %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseRefusesBrokenData(t *testing.T) {
	const header = "section,hscode,description,parent,level\n"
	tests := map[string]string{
		"wrong header":       "a,b,c,d,e\n",
		"no description":     header + "XI,61,,TOTAL,2\n",
		"level mismatch":     header + "XI,610,Apparel,TOTAL,4\n",
		"not digits":         header + "XI,6A,Apparel,TOTAL,2\n",
		"duplicate":          header + "XI,61,Apparel,TOTAL,2\nXI,61,Apparel,TOTAL,2\n",
		"missing column":     header + "XI,61,Apparel,TOTAL\n",
		"unterminated quote": header + "XI,61,\"Apparel,TOTAL,2\n",
	}
	for name, data := range tests {
		if _, err := Parse(strings.NewReader(data)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
	tab, err := Parse(strings.NewReader(header + "XI,61,Apparel,TOTAL,2\nXI,6109,T-shirts,61,4\nXI,610910,\"T-shirts, of cotton\",6109,6\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Chapters() != 1 || tab.Headings() != 1 {
		t.Errorf("6-digit rows should be ignored: %d chapters, %d headings", tab.Chapters(), tab.Headings())
	}
}

// BenchmarkParse is the one-time cost of the embedded table (Load parses it
// once per process).
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(strings.NewReader(headingsCSV)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribe(b *testing.B) {
	tab := Load()
	for b.Loop() {
		tab.Describe("9102110000")
	}
}
