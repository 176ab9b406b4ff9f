package returns

import "strings"

// ibanLengths is the length of an IBAN per country prefix, from the SWIFT IBAN
// registry (ISO 13616), the countries listed as IBAN countries proper (not the
// "experimental" national formats some banks print).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16,
	"BG": 22, "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22,
	"CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20,
	"EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22,
	"GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21,
	"HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30,
	"KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
	"PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
	"UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ibanTerritories are territories with their own ISO 3166-1 code whose bank
// accounts carry the IBAN of another country (registry notes: Åland in
// Finland's, the French overseas departments and collectivities in France's,
// the Crown Dependencies in the United Kingdom's).
var ibanTerritories = map[string]string{
	"AX": "FI",
	"GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "PM": "FR",
	"BL": "FR", "MF": "FR", "NC": "FR", "PF": "FR", "WF": "FR", "TF": "FR",
	"GG": "GB", "JE": "GB", "IM": "GB",
}

// UsesIBAN reports whether bank accounts in a country (ISO 3166-1 alpha-2)
// are identified by IBAN, so that a refund by bank transfer can be offered
// there.
func UsesIBAN(country string) bool {
	if _, ok := ibanLengths[country]; ok {
		return true
	}
	_, ok := ibanTerritories[country]
	return ok
}

// NormalizeIBAN returns the IBAN in its electronic form (upper case, no
// spaces) when s is a valid IBAN: spaces and hyphens anywhere are ignored,
// case is folded, the country must be in the IBAN registry with the
// registered length, the rest alphanumeric, the check digits 02–98 and the
// ISO 7064 mod-97 remainder 1.
func NormalizeIBAN(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return "", false
		}
		b.WriteByte(c)
		if b.Len() > 34 {
			return "", false
		}
	}
	iban := b.String()
	if len(iban) < 5 {
		return "", false
	}
	n, ok := ibanLengths[iban[:2]]
	if !ok || len(iban) != n {
		return "", false
	}
	if !isASCIIDigit(iban[2]) || !isASCIIDigit(iban[3]) {
		return "", false
	}
	if check := iban[2:4]; check == "00" || check == "01" || check == "99" {
		return "", false
	}
	if ibanMod97(iban[4:]+iban[:4]) != 1 {
		return "", false
	}
	return iban, true
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// ibanMod97 computes the remainder mod 97 of the number formed by s with
// letters replaced by 10 (A) to 35 (Z), digit by digit.
func ibanMod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isASCIIDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}
