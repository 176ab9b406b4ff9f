package returns

import "testing"

func TestNeedsCustoms(t *testing.T) {
	legal := LoadLegal()
	cases := []struct {
		from, to string
		want     bool
	}{
		{"CH", "DE", true},  // Switzerland is outside the EU customs union
		{"FR", "DE", false}, // inside the EU customs union
		{"GB", "DE", true},  // the UK left it
		{"DE", "DE", false}, // domestic
		{"NO", "SE", true},  // EEA but not the customs union
		{"GR", "DE", false},
		{"LI", "CH", false}, // Swiss customs territory
		{"LI", "AT", true},
		{"MC", "FR", false},
		{"JE", "GB", false},
		{"US", "US", false},
		{"JP", "DE", true},
		{"DE", "US", true},
	}
	for _, c := range cases {
		if got := NeedsCustoms(legal, c.from, c.to); got != c.want {
			t.Errorf("NeedsCustoms(%s → %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if got := CustomsTerritory(legal, "IT"); got != "EU" {
		t.Errorf("territory of IT = %q", got)
	}
}
