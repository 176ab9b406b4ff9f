package returns

import (
	"testing"
	"time"
)

func TestZoneTablesLoad(t *testing.T) {
	if n := len(countryZones); n != 249 {
		t.Errorf("%d countries, want 249 (ISO 3166-1)", n)
	}
	names := map[string]bool{}
	for c, z := range countryZones {
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			t.Errorf("bad country code %q", c)
		}
		names[z] = true
	}
	for c, regions := range regionZones {
		if !ValidCountry(c) {
			t.Errorf("region table for unknown country %s", c)
		}
		for _, z := range regions {
			names[z] = true
		}
	}
	for c, z := range regionDefaults {
		if regionZones[c] == nil {
			t.Errorf("region default without region table: %s", c)
		}
		names[z] = true
	}
	for z := range names {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %s: %v", z, err)
		}
	}
}

func TestRegionTablesComplete(t *testing.T) {
	want := map[string]int{"US": 51 + 6, "CA": 13, "AU": 8, "BR": 27, "MX": 32}
	for c, n := range want {
		if got := len(regionZones[c]); got != n {
			t.Errorf("%s: %d regions, want %d", c, got, n)
		}
	}
}

func TestZoneFor(t *testing.T) {
	tests := []struct{ country, region, want string }{
		{"DE", "", "Europe/Berlin"},
		{"JP", "", "Asia/Tokyo"},
		{"KW", "", "Asia/Kuwait"},
		{"US", "CA", "America/Los_Angeles"},
		{"US", "HI", "Pacific/Honolulu"},
		{"US", "NY", "America/New_York"},
		{"US", "AZ", "America/Phoenix"},
		{"US", "", "Pacific/Honolulu"},
		{"US", "XX", "Pacific/Honolulu"},
		{"CA", "BC", "America/Vancouver"},
		{"CA", "NL", "America/St_Johns"},
		{"CA", "", "America/Vancouver"},
		{"AU", "NSW", "Australia/Sydney"},
		{"AU", "", "Australia/Perth"},
		{"BR", "SP", "America/Sao_Paulo"},
		{"BR", "AC", "America/Rio_Branco"},
		{"MX", "CMX", "America/Mexico_City"},
		{"MX", "", "America/Tijuana"},
		{"RU", "MOW", "Europe/Moscow"},
		{"RU", "PRI", "Asia/Vladivostok"},
		{"RU", "", "Europe/Kaliningrad"},
		{"ES", "", "Atlantic/Canary"},
		{"ES", "TF", "Atlantic/Canary"},
		{"ES", "M", "Europe/Madrid"},
		{"PT", "20", "Atlantic/Azores"},
		{"PT", "11", "Europe/Lisbon"},
		{"PT", "", "Atlantic/Azores"},
		{"CN", "", "Asia/Shanghai"},
		{"NZ", "", "Pacific/Auckland"},
		{"GB", "ENG", "Europe/London"},
		{"XX", "", "UTC"},
		{"", "", "UTC"},
	}
	for _, tt := range tests {
		loc, name := ZoneFor(tt.country, tt.region)
		if name != tt.want || loc.String() != tt.want {
			t.Errorf("ZoneFor(%q, %q) = %s (%s), want %s", tt.country, tt.region, name, loc, tt.want)
		}
	}
}

// The default zone of a country spanning zones is its most generous: no
// populated zone of the country has an earlier local date at any moment.
func TestCountryZoneIsMostGenerous(t *testing.T) {
	instants := []time.Time{
		time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC),
	}
	for _, c := range []string{"US", "CA", "AU", "BR", "MX", "RU"} {
		def, _ := ZoneFor(c, "")
		for r, z := range regionZones[c] {
			loc, _ := time.LoadLocation(z)
			for _, at := range instants {
				_, od := at.In(def).Zone()
				_, or := at.In(loc).Zone()
				if or < od && r != "UM" && r != "AS" {
					t.Errorf("%s-%s (%s) is behind the default %s at %v", c, r, z, def, at)
				}
			}
		}
	}
}

func TestValidCountry(t *testing.T) {
	for _, c := range []string{"DE", "US", "JP", "KW", "AQ", "BV", "AX", "SS", "CW"} {
		if !ValidCountry(c) {
			t.Errorf("%s not valid", c)
		}
	}
	for _, c := range []string{"", "de", "XX", "EU", "UK", "USA", "D"} {
		if ValidCountry(c) {
			t.Errorf("%q valid", c)
		}
	}
}
