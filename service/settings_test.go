package service

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

func TestContrastOnWhite(t *testing.T) {
	tests := []struct {
		hex  string
		want float64
	}{
		{"#000000", 21},
		{"#ffffff", 1},
		{"#1f5fbf", 6.09}, // the default accent
		{"#767676", 4.54},
		{"#777777", 4.48},
	}
	for _, tt := range tests {
		if got := contrastOnWhite(tt.hex); math.Abs(got-tt.want) > 0.05 {
			t.Errorf("contrastOnWhite(%s) = %.2f, want %.2f", tt.hex, got, tt.want)
		}
	}
}

func TestAccentColourMustBeReadable(t *testing.T) {
	tests := []struct {
		accent, wantErr string
	}{
		{"#1f5fbf", ""},
		{"#767676", ""},
		{"#777777", "accent_contrast"},
		{"#ffff00", "accent_contrast"},
		{"blue", "accent"},
		{"", ""},
	}
	for _, tt := range tests {
		_, errs := validateSite(SiteForm{Accent: tt.accent})
		got := ""
		for _, e := range errs {
			if e.Path == "accent_color" {
				got = e.Code
			}
		}
		if got != tt.wantErr {
			t.Errorf("accent %q: error %q, want %q", tt.accent, got, tt.wantErr)
		}
	}
}

// TestSeedEmbedOrigins: the flag's origins are stored on the first start
// only; afterwards the stored setting wins.
func TestSeedEmbedOrigins(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testDSN(t, filepath.Join(t.TempDir(), "seed.db")), returns.LoadLegal())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	got, seeded, err := SeedEmbedOrigins(ctx, st, []string{"https://Shop.example:443", "http://localhost:8081"})
	if err != nil || !seeded || !reflect.DeepEqual(got, []string{"https://shop.example", "http://localhost:8081"}) {
		t.Fatalf("first start: %v %v %v", got, seeded, err)
	}
	got, seeded, err = SeedEmbedOrigins(ctx, st, []string{"https://other.example"})
	if err != nil || seeded || !reflect.DeepEqual(got, []string{"https://shop.example", "http://localhost:8081"}) {
		t.Errorf("second start: %v %v %v", got, seeded, err)
	}
	if err := st.SetSetting(ctx, SettingEmbedOrigins, ""); err != nil {
		t.Fatal(err)
	}
	if got, _, err := SeedEmbedOrigins(ctx, st, []string{"https://other.example"}); err != nil || len(got) != 0 {
		t.Errorf("cleared in the settings, the flag must not come back: %v %v", got, err)
	}
	if _, _, err := SeedEmbedOrigins(ctx, st, []string{"https://bad.example/path"}); err == nil {
		t.Error("a bad flag value was accepted")
	}
}
