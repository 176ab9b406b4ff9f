package returns

import (
	"strings"
	"testing"
)

func TestNormalizeIBAN(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"DE89370400440532013000", "DE89370400440532013000", true},
		{"GB82WEST12345698765432", "GB82WEST12345698765432", true},
		{"FR1420041010050500013M02606", "FR1420041010050500013M02606", true},
		{"NL91ABNA0417164300", "NL91ABNA0417164300", true},
		{"BE68539007547034", "BE68539007547034", true},
		{"NO9386011117947", "NO9386011117947", true},
		{"CH9300762011623852957", "CH9300762011623852957", true},
		{"ES9121000418450200051332", "ES9121000418450200051332", true},
		{"IT60X0542811101000000123456", "IT60X0542811101000000123456", true},
		{"PT50000201231234567890154", "PT50000201231234567890154", true},
		{"MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S", true},
		{"LC55HEMM000100010012001200023015", "LC55HEMM000100010012001200023015", true},
		{"RU0304452522540817810538091310419", "RU0304452522540817810538091310419", true},
		{"de89 3704 0044 0532 0130 00", "DE89370400440532013000", true},
		{"  gb82-west-1234-5698-7654-32 ", "GB82WEST12345698765432", true},
		{"DE89370400440532013001", "", false},  // wrong checksum
		{"DE88370400440532013000", "", false},  // wrong check digits
		{"DE8937040044053201300", "", false},   // one digit short
		{"DE893704004405320130000", "", false}, // one digit long
		{"GB82WEST1234569876543", "", false},   // short
		{"XX89370400440532013000", "", false},  // not an IBAN country
		{"US89370400440532013000", "", false},  // no IBANs in the US
		{"DE89.370400440532013000", "", false}, // stray character
		{"DE89370400440532013ä00", "", false},  // non-ASCII
		{"DEAB370400440532013000", "", false},  // letters as check digits
		{"", "", false},
		{"DE", "", false},
		{"DE89370400440532013000DE89370400440532013000", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := NormalizeIBAN(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizeIBAN(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestNormalizeIBANCheckDigits: 01 is congruent to 98 and 00 to 97 mod 97;
// the standard allows only 02–98, so such forms are refused.
func TestNormalizeIBANCheckDigits(t *testing.T) {
	// DE + 98 and DE + 97: find bodies whose correct check digits are 98/97
	// and swap in the congruent 01/00.
	bodies := map[string]string{"98": "01", "97": "00"}
	for want, alias := range bodies {
		found := false
		for n := 0; n < 100000 && !found; n++ {
			body := "37040044" + valPad10(n)
			iban := "DE" + want + body
			if _, ok := NormalizeIBAN(iban); !ok {
				continue
			}
			found = true
			if _, ok := NormalizeIBAN("DE" + alias + body); ok {
				t.Errorf("check digits %s accepted for %s", alias, iban)
			}
		}
		if !found {
			t.Fatalf("no body with check digits %s", want)
		}
	}
}

func valPad10(n int) string {
	s := []byte("0000000000")
	for i := len(s) - 1; n > 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}

// TestIBANRegistryExamples: the registry's example IBAN of every country is
// valid, in electronic and in print form (groups of four).
func TestIBANRegistryExamples(t *testing.T) {
	r := loadIBANRegistry()
	if len(r.formats) != 89 || len(r.order) != 89 {
		t.Fatalf("%d countries, want the 89 of release 100", len(r.formats))
	}
	for _, c := range r.order {
		ex := r.formats[c].example
		if ex[:2] != c || len(ex) != r.formats[c].length {
			t.Errorf("%s: example %s of length %d", c, ex, len(ex))
		}
		if got, fault := CheckIBAN(ex); got != ex || fault != IBANValid {
			t.Errorf("%s: example %s: %q %q", c, ex, got, fault)
		}
		if got, ok := NormalizeIBAN(strings.ToLower(printForm(ex))); got != ex || !ok {
			t.Errorf("%s: print form of %s: %q %v", c, ex, got, ok)
		}
	}
	for terr, c := range r.territories {
		if _, ok := r.formats[c]; !ok || !ValidCountry(terr) {
			t.Errorf("territory %s maps to %s", terr, c)
		}
	}
}

func printForm(iban string) string {
	var b strings.Builder
	for i := 0; i < len(iban); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(iban[i:min(i+4, len(iban))])
	}
	return b.String()
}

func TestParseIBANRegistryRejects(t *testing.T) {
	for _, bad := range []string{
		"DE\t22\t8!n10!n\tDE89370400440532013000\t-",          // five columns
		"DE\tx\t8!n10!n\tDE89370400440532013000\t-\tGermany",  // length not a number
		"DE\t22\t8!n9!n\tDE89370400440532013000\t-\tGermany",  // BBAN shorter than the IBAN
		"DE\t22\t8!n10!x\tDE89370400440532013000\t-\tGermany", // unknown class
		"DE\t22\t8!n10\tDE89370400440532013000\t-\tGermany",   // no class
		"DE\t22\t!n18!n\tDE89370400440532013000\t-\tGermany",  // no count
	} {
		if _, err := parseIBANRegistry(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestUsesIBAN(t *testing.T) {
	tests := []struct {
		country string
		want    bool
	}{
		{"DE", true}, {"GB", true}, {"NO", true}, {"CH", true}, {"SA", true},
		{"AX", true}, {"RE", true}, {"JE", true},
		{"US", false}, {"JP", false}, {"AU", false}, {"CA", false}, {"", false}, {"de", false},
	}
	for _, tt := range tests {
		if got := UsesIBAN(tt.country); got != tt.want {
			t.Errorf("UsesIBAN(%q) = %v, want %v", tt.country, got, tt.want)
		}
	}
}
