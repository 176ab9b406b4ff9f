package returns

import (
	"testing"
	"time"
)

func TestShopperZone(t *testing.T) {
	tests := []struct {
		country, region, want, city string
	}{
		{"PT", "", "Europe/Lisbon", "Lisbon"},     // not the Azores (deadlines only)
		{"PT", "20", "Atlantic/Azores", "Azores"}, // a shopper on the Azores
		{"PT", "30", "Atlantic/Madeira", "Madeira"},
		{"PT", "11", "Europe/Lisbon", "Lisbon"}, // another district of the mainland
		{"ES", "", "Europe/Madrid", "Madrid"},
		{"ES", "TF", "Atlantic/Canary", "Canary"},
		{"US", "", "America/New_York", "New York"},
		{"US", "CA", "America/Los_Angeles", "Los Angeles"},
		{"US", "ZZ", "America/New_York", "New York"}, // unknown region: the capital
		{"BR", "", "America/Sao_Paulo", "Sao Paulo"},
		{"AU", "WA", "Australia/Perth", "Perth"},
		{"AU", "", "Australia/Sydney", "Sydney"},
		{"RU", "", "Europe/Moscow", "Moscow"},
		{"DE", "BY", "Europe/Berlin", "Berlin"},
		{"AR", "", "America/Argentina/Buenos_Aires", "Buenos Aires"},
		{"JP", "", "Asia/Tokyo", "Tokyo"},
		{"BV", "", "Etc/UTC", ""},
		{"XX", "", "UTC", ""},
	}
	for _, tt := range tests {
		loc, name := ShopperZone(tt.country, tt.region)
		if name != tt.want || loc.String() != tt.want || ZoneCity(name) != tt.city {
			t.Errorf("ShopperZone(%q, %q) = %s (%s, %q), want %s (%q)", tt.country, tt.region, name, loc, ZoneCity(name), tt.want, tt.city)
		}
	}
	for c, z := range capitalZones {
		if !ValidCountry(c) {
			t.Errorf("capital zone of unknown country %s", c)
		}
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", c, err)
		}
		if z == countryZones[c] {
			t.Errorf("%s: capital zone %s is the country's zone already", c, z)
		}
	}
}

func TestZoneAbbreviation(t *testing.T) {
	summer := time.Date(2026, 6, 19, 12, 5, 0, 0, time.UTC)
	winter := time.Date(2026, 1, 19, 12, 5, 0, 0, time.UTC)
	tests := []struct {
		zone string
		at   time.Time
		want string
	}{
		{"Europe/Lisbon", summer, "WEST"},
		{"Europe/Lisbon", winter, "WET"},
		{"Europe/Berlin", summer, "CEST"},
		{"Atlantic/Azores", winter, "UTC−01"},
		{"America/Sao_Paulo", winter, "UTC−03"},
		{"Asia/Dubai", winter, "UTC+04"},
		{"UTC", winter, "UTC"},
	}
	for _, tt := range tests {
		loc, _ := loadZone(tt.zone)
		if got := ZoneAbbreviation(tt.at.In(loc)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.zone, got, tt.want)
		}
	}
}
