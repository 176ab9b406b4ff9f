package returns

import (
	"strings"
	"time"
)

// Time stamps shown to a shopper (the withdrawal acknowledgement, its
// e-mail) are in the zone where she lives: her region's zone when the region
// is known, else the zone of her country's capital. Deadlines are not: they
// count in ZoneFor's most generous zone, which for a country spanning zones
// is its westernmost (Portugal's is the Azores, whose "-01" means nothing to
// a shopper in Lisbon).

// capitalZones are the capital's zone of the countries whose countryZones
// entry (the westernmost) is another one; every other country's entry is its
// capital's zone already. Antarctica and the US minor outlying islands have
// no capital and keep theirs.
var capitalZones = map[string]string{
	"AU": "Australia/Sydney",    // Canberra
	"BR": "America/Sao_Paulo",   // Brasília
	"CA": "America/Toronto",     // Ottawa
	"CL": "America/Santiago",    // Santiago
	"EC": "America/Guayaquil",   // Quito
	"ES": "Europe/Madrid",       // Madrid
	"FM": "Pacific/Pohnpei",     // Palikir
	"GL": "America/Nuuk",        // Nuuk
	"MN": "Asia/Ulaanbaatar",    // Ulaanbaatar
	"MX": "America/Mexico_City", // Mexico City
	"PT": "Europe/Lisbon",       // Lisbon
	"RU": "Europe/Moscow",       // Moscow
	"US": "America/New_York",    // Washington, D.C.
}

// ShopperZone is the time zone, and its IANA name, in which a time stamp is
// shown to a shopper in country (ISO 3166-1 alpha-2) and region (ISO 3166-2
// code without the country prefix, may be empty): the region's zone where
// the region is known, else the capital's. An unknown country is UTC.
func ShopperZone(country, region string) (*time.Location, string) {
	if region != "" {
		if z, ok := regionZones[country][region]; ok {
			return loadZone(z)
		}
		if z, ok := regionDefaults[country]; ok {
			return loadZone(z)
		}
	}
	if z, ok := capitalZones[country]; ok {
		return loadZone(z)
	}
	return loadZone(zoneName(country, ""))
}

// ZoneCity is the readable name of an IANA zone, the city it is named after:
// "Europe/Lisbon" → "Lisbon", "America/Argentina/Buenos_Aires" → "Buenos
// Aires"; "" for UTC and the Etc/ zones, which are named after no place.
func ZoneCity(name string) string {
	if name == "UTC" || strings.HasPrefix(name, "Etc/") {
		return ""
	}
	city := name[strings.LastIndexByte(name, '/')+1:]
	return strings.ReplaceAll(city, "_", " ")
}

// ZoneAbbreviation is the abbreviation of the zone in force at t ("WEST",
// "CET"), or its offset from UTC ("UTC−01") where the tz database has no
// letters for it.
func ZoneAbbreviation(t time.Time) string {
	abbr := t.Format("MST")
	if abbr == "" || abbr[0] != '+' && abbr[0] != '-' {
		return abbr
	}
	return "UTC" + strings.Replace(abbr[:1], "-", "−", 1) + abbr[1:]
}
