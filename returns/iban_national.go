package returns

// nationalChecks verify the check digits a country's BBAN carries besides
// the IBAN's own, given the upper-case BBAN whose character classes are
// already right. Countries whose national check is not here are checked by
// the IBAN's mod-97 alone: Germany's and Austria's depend on each bank's own
// method, and Czechia, Slovakia, Hungary, Finland and the others are left
// for lack of an independent implementation to test against
// (returns/testdata/iban-oracles.tsv holds the verdicts of two libraries on
// the countries below).
var nationalChecks = map[string]func(bban string) bool{
	"BE": checkBE, "ES": checkES, "FR": checkFR, "MC": checkFR, "IT": checkIT, "SM": checkIT,
	"NO": checkNO, "PT": checkMod97BBAN, "BA": checkMod97BBAN, "ME": checkMod97BBAN,
	"MK": checkMod97BBAN, "RS": checkMod97BBAN, "SI": checkMod97BBAN, "EE": checkEE,
	"HR": checkHR, "PL": checkPL,
}

func digit(c byte) int { return int(c - '0') }

// checkBE: bank code and account (10 digits) mod 97, 0 read as 97, are the
// last two digits.
func checkBE(b string) bool {
	r := ibanMod97(b[:10])
	if r == 0 {
		r = 97
	}
	return r == digit(b[10])*10+digit(b[11])
}

// checkES: the two "dígitos de control" (positions 9 and 10) weight bank and
// branch (preceded by 00), then the account, by 1 2 4 8 5 10 9 7 3 6 mod 11.
func checkES(b string) bool {
	return esDigit("00"+b[:8]) == digit(b[8]) && esDigit(b[10:20]) == digit(b[9])
}

func esDigit(s string) int {
	weights := [10]int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	sum := 0
	for i := range 10 {
		sum += digit(s[i]) * weights[i]
	}
	d := 11 - sum%11
	switch d {
	case 11:
		return 0
	case 10:
		return 1
	}
	return d
}

// checkFR: the RIB key. Letters of the account read as digits (A, J = 1; B,
// K, S = 2; ... I, R, Z = 9); the 23 digits of bank, branch, account and key
// are a multiple of 97, the key being 01–97 (a key of 00 is never issued).
// Monaco uses the same RIB.
func checkFR(b string) bool {
	if b[21:23] == "00" {
		return false
	}
	r := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		v := digit(c)
		if c >= 'A' && c <= 'Z' {
			v = ribLetter(c)
		}
		r = (r*10 + v) % 97
	}
	return r == 0
}

// ribLetter is a letter's digit in a RIB: A–I are 1–9, J–R are 1–9, S–Z are
// 2–9.
func ribLetter(c byte) int {
	switch {
	case c <= 'I':
		return int(c-'A') + 1
	case c <= 'R':
		return int(c-'J') + 1
	}
	return int(c-'S') + 2
}

// checkIT: the CIN, the first character, is a letter computed from the 22
// characters after it (ABI, CAB, account): each character's value (digits
// 0–9, letters A–Z 0–25) counts through the odd table at odd positions
// (first, third, ...) and as itself at even ones; the sum mod 26 is the
// letter. San Marino uses the same.
func checkIT(b string) bool {
	odd := [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 1; i < len(b); i++ {
		c := b[i]
		v := digit(c)
		if c >= 'A' && c <= 'Z' {
			v = int(c - 'A')
		}
		if (i-1)%2 == 0 {
			v = odd[v]
		}
		sum += v
	}
	return b[0] == byte('A'+sum%26)
}

// checkNO: the last digit is the mod-11 check of the ten before it, weights
// 5 4 3 2 7 6 5 4 3 2; an account whose check would be 10 does not exist.
func checkNO(b string) bool {
	weights := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := range 10 {
		sum += digit(b[i]) * weights[i]
	}
	d := (11 - sum%11) % 11
	return d != 10 && d == digit(b[10])
}

// checkMod97BBAN: the whole BBAN, its last two digits included, is 1 mod 97
// (ISO 7064 MOD 97-10: Portugal's NIB, and the accounts of Bosnia and
// Herzegovina, Montenegro, North Macedonia, Serbia and Slovenia).
func checkMod97BBAN(b string) bool { return ibanMod97(b) == 1 }

// checkEE: the last digit checks the 13 before it after the bank code,
// weights 7 1 3 repeated, to the next multiple of 10.
func checkEE(b string) bool {
	weights := [3]int{7, 1, 3}
	sum := 0
	for i := 2; i < 15; i++ {
		sum += digit(b[i]) * weights[(i-2)%3]
	}
	return (10-sum%10)%10 == digit(b[15])
}

// checkHR: the bank code (7 digits) and the account (10 digits) each end in
// an ISO 7064 MOD 11,10 check digit.
func checkHR(b string) bool { return mod1110(b[:7]) && mod1110(b[7:17]) }

func mod1110(s string) bool {
	p := 10
	for i := 0; i < len(s)-1; i++ {
		t := (p + digit(s[i])) % 10
		if t == 0 {
			t = 10
		}
		p = 2 * t % 11
	}
	return (11-p)%10 == digit(s[len(s)-1])
}

// checkPL: the eighth digit checks the bank's sort code, weights 3 9 7 1 3
// 9 7, to the next multiple of 10.
func checkPL(b string) bool {
	weights := [7]int{3, 9, 7, 1, 3, 9, 7}
	sum := 0
	for i := range 7 {
		sum += digit(b[i]) * weights[i]
	}
	return (10-sum%10)%10 == digit(b[7])
}
