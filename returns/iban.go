package returns

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// ibanRegistryTSV is the IBAN format of every IBAN country, from the SWIFT
// IBAN registry (source and release in the file's header).
//
//go:embed iban-registry.tsv
var ibanRegistryTSV string

// IBANFault says why a string is not a valid IBAN ("" when it is one). The
// portal shows every fault as CodeInvalidIBAN: the shopper's next step is the
// same, to compare the IBAN with her bank's; the faults are for tests, logs
// and the API's future.
type IBANFault string

// The faults, in the order CheckIBAN looks for them.
const (
	IBANValid         IBANFault = ""
	IBANCharacters    IBANFault = "characters"     // something else than letters, digits, spaces and hyphens
	IBANCountry       IBANFault = "country"        // not an IBAN country of the registry
	IBANLength        IBANFault = "length"         // not the country's length
	IBANFormat        IBANFault = "format"         // a letter where the registry wants digits, or the reverse
	IBANChecksum      IBANFault = "checksum"       // the ISO 7064 mod-97 check digits are wrong
	IBANNationalCheck IBANFault = "national_check" // the country's own check digits in the BBAN are wrong
)

// ibanFormat is one country's entry of the registry.
type ibanFormat struct {
	length  int
	bban    []ibanField // the BBAN's fields in order
	example string
}

// ibanField is a run of characters of one class ('n' digits, 'a' upper-case
// letters, 'c' letters or digits) in a BBAN.
type ibanField struct {
	class byte
	n     int
}

type ibanRegistry struct {
	formats     map[string]ibanFormat
	territories map[string]string // territory → the country whose IBAN it uses
	order       []string          // countries in the registry's order
}

var (
	ibanOnce sync.Once
	ibanReg  *ibanRegistry
)

// loadIBANRegistry parses the embedded registry once. The file ships with the
// binary, so a parse failure is a build defect and panics (a test parses it).
func loadIBANRegistry() *ibanRegistry {
	ibanOnce.Do(func() {
		r, err := parseIBANRegistry(ibanRegistryTSV)
		if err != nil {
			panic(err)
		}
		ibanReg = r
	})
	return ibanReg
}

func parseIBANRegistry(data string) (*ibanRegistry, error) {
	r := &ibanRegistry{formats: map[string]ibanFormat{}, territories: map[string]string{}}
	for i, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 6 {
			return nil, fmt.Errorf("iban registry line %d: %d columns", i+1, len(cols))
		}
		country := cols[0]
		length, err := strconv.Atoi(cols[1])
		if err != nil {
			return nil, fmt.Errorf("iban registry line %d: length %q", i+1, cols[1])
		}
		fields, err := parseBBANStructure(cols[2])
		if err != nil {
			return nil, fmt.Errorf("iban registry line %d: %w", i+1, err)
		}
		sum := 0
		for _, f := range fields {
			sum += f.n
		}
		if sum != length-4 {
			return nil, fmt.Errorf("iban registry line %d: BBAN of %d for an IBAN of %d", i+1, sum, length)
		}
		r.formats[country] = ibanFormat{length: length, bban: fields, example: cols[3]}
		r.order = append(r.order, country)
		if cols[4] != "-" {
			for _, t := range strings.Split(cols[4], ",") {
				r.territories[t] = country
			}
		}
	}
	return r, nil
}

// parseBBANStructure reads the registry's notation: "4!n4!n12!c" is 4
// digits, 4 digits, 12 letters or digits.
func parseBBANStructure(s string) ([]ibanField, error) {
	var out []ibanField
	for s != "" {
		bang := strings.IndexByte(s, '!')
		if bang < 1 || bang+1 >= len(s) {
			return nil, fmt.Errorf("BBAN structure %q", s)
		}
		n, err := strconv.Atoi(s[:bang])
		class := s[bang+1]
		if err != nil || n < 1 || (class != 'n' && class != 'a' && class != 'c') {
			return nil, fmt.Errorf("BBAN structure %q", s)
		}
		out = append(out, ibanField{class: class, n: n})
		s = s[bang+2:]
	}
	return out, nil
}

// UsesIBAN reports whether bank accounts in a country (ISO 3166-1 alpha-2)
// are identified by IBAN, so that a refund by bank transfer can be offered
// there: an IBAN country of the registry, or a territory whose accounts carry
// another country's IBAN (Åland Finland's, the French overseas departments
// and collectivities France's, the Crown Dependencies the United Kingdom's).
func UsesIBAN(country string) bool {
	r := loadIBANRegistry()
	if _, ok := r.formats[country]; ok {
		return true
	}
	_, ok := r.territories[country]
	return ok
}

// NormalizeIBAN returns the IBAN in its electronic form (upper case, no
// spaces) when s is a valid IBAN (CheckIBAN).
func NormalizeIBAN(s string) (string, bool) {
	iban, fault := CheckIBAN(s)
	return iban, fault == IBANValid
}

// CheckIBAN returns the IBAN in its electronic form and IBANValid when s is
// a valid IBAN, else "" and the first fault found. Spaces and hyphens
// anywhere are ignored and case is folded; then the country must be in the
// registry, the length the registered one, every BBAN position of the
// registered class (digits where the country allows only digits), the check
// digits 02–98 with the ISO 7064 mod-97 remainder 1, and the BBAN's national
// check digits right where the country defines them (nationalChecks).
func CheckIBAN(s string) (string, IBANFault) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', isASCIIDigit(c):
		default:
			return "", IBANCharacters
		}
		if b.Len() == 34 { // the longest IBAN ISO 13616 allows
			return "", IBANLength
		}
		b.WriteByte(c)
	}
	iban := b.String()
	if len(iban) < 2 {
		return "", IBANCountry
	}
	f, ok := loadIBANRegistry().formats[iban[:2]]
	if !ok {
		return "", IBANCountry
	}
	if len(iban) != f.length {
		return "", IBANLength
	}
	if !isASCIIDigit(iban[2]) || !isASCIIDigit(iban[3]) || !f.matches(iban[4:]) {
		return "", IBANFormat
	}
	if check := iban[2:4]; check == "00" || check == "01" || check == "99" || ibanMod97(iban[4:]+iban[:4]) != 1 {
		return "", IBANChecksum
	}
	if national, ok := nationalChecks[iban[:2]]; ok && !national(iban[4:]) {
		return "", IBANNationalCheck
	}
	return iban, IBANValid
}

// matches reports whether every character of an upper-case BBAN is of the
// class its position requires.
func (f ibanFormat) matches(bban string) bool {
	i := 0
	for _, field := range f.bban {
		for end := i + field.n; i < end; i++ {
			c := bban[i]
			digit, letter := isASCIIDigit(c), c >= 'A' && c <= 'Z'
			switch field.class {
			case 'n':
				if !digit {
					return false
				}
			case 'a':
				if !letter {
					return false
				}
			default:
				if !digit && !letter {
					return false
				}
			}
		}
	}
	return i == len(bban)
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
