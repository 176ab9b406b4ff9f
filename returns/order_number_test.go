package returns

import (
	"strings"
	"testing"
)

func TestNormalizeOrderNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"digits", "1001", "1001", true},
		{"prefix and dash", "DE-1001", "DE-1001", true},
		{"case is kept", "de-1001", "de-1001", true},
		{"every allowed sign", "SO_2026.04-17+b", "SO_2026.04-17+b", true},
		{"plus, as decoded from A%2B1", "A+1", "A+1", true},
		{"64 characters", strings.Repeat("9", 64), strings.Repeat("9", 64), true},
		{"white space around", "  DE-1001\t", "DE-1001", true},
		{"leading hash as shops print it", "#1001", "1001", true},
		{"hash and space", " # 1001", "", false},
		{"two hashes", "##1001", "", false},
		{"full-width from a Japanese keyboard", "ＪＰ－１００６", "JP-1006", true},
		{"ideographic space around", "\u3000JP-1006\u3000", "JP-1006", true},
		{"full-width plus", "A＋1", "A+1", true},

		{"empty", "", "", false},
		{"only space", "   ", "", false},
		{"only hash", "#", "", false},
		{"65 characters", strings.Repeat("9", 65), "", false},
		{"huge", strings.Repeat("9", 10000), "", false},
		{"inner space", "10 01", "", false},
		{"slash", "10/01", "", false},
		{"question mark", "10?01", "", false},
		{"hash inside", "10#01", "", false},
		{"percent-encoded once more", "A%2B1", "", false},
		{"quote", "10'01", "", false},
		{"angle bracket", "<1001>", "", false},
		{"newline", "1001\n1002", "", false},
		{"tab inside", "10\t01", "", false},
		{"delete", "\x7f1001", "", false},
		{"RLO", "1001\u202e", "", false},
		{"FSI", "\u20681001", "", false},
		{"non-ASCII letter", "Ünïcode", "", false},
		{"Arabic-Indic digits", "١٠٠١", "", false},
		{"starts with a dash", "-1001", "", false},
		{"starts with a dot", ".1001", "", false},
		{"dot-dot", "..", "", false},
		{"invalid UTF-8", "10\xff01", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NormalizeOrderNumber(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("NormalizeOrderNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
			if ok {
				// Canonical forms are fixed points, and valid as stored.
				again, ok2 := NormalizeOrderNumber(got)
				if again != got || !ok2 || !ValidOrderNumber(got) {
					t.Errorf("canonical %q normalises to %q, %v", got, again, ok2)
				}
			}
		})
	}
}

func TestValidOrderNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"1001", true},
		{"SO-2026-000042", true},
		{"A+1", true},
		{"#1001", false},   // valid input, but not the stored form
		{" 1001", false},   // idem
		{"ＪＰ-1006", false}, // idem
		{"", false},
		{"a~b", false},
	}
	for _, tc := range tests {
		if got := ValidOrderNumber(tc.in); got != tc.want {
			t.Errorf("ValidOrderNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func BenchmarkNormalizeOrderNumber(b *testing.B) {
	for b.Loop() {
		NormalizeOrderNumber(" #SO-2026-000042 ")
	}
}
