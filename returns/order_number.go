package returns

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// maxOrderNumber is the longest order number, in characters.
const maxOrderNumber = 64

// NormalizeOrderNumber returns the canonical form of an order number, as a
// shop sends it (PUT /api/v1/orders/{number}, `import orders`) or a shopper
// types it (the lookup), and whether it is a valid order number. Both sides
// go through this one function, so the number a shop stored is the number its
// shopper finds.
//
// The canonical form is the input with the white space around it removed,
// compatibility characters folded (Unicode NFKC, so that "ＤＥ－１００１" typed
// with a Japanese input method is "DE-1001") and one leading '#' dropped
// (shops print "#1001"). It is valid when it then has 1 to 64 characters,
// each an ASCII letter or digit or one of '-', '_', '.', '+', and begins
// with a letter or digit. Letters keep their case.
//
// Everything else is refused — spaces, '/', '%', '?', '#' inside, quotes,
// control and direction characters, letters outside ASCII — because such a
// number is either hard to type from a printed e-mail or label, or reads
// differently in a URL, a label or a CSV file. An invalid number returns "".
func NormalizeOrderNumber(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 4*maxOrderNumber {
		return "", false // far too long whatever it folds to; NFKC is not free
	}
	s = norm.NFKC.String(s)
	s = strings.TrimSpace(s) // NFKC turns an ideographic space into a plain one
	s = strings.TrimPrefix(s, "#")
	if len(s) == 0 || len(s) > maxOrderNumber || !isASCIIAlnum(s[0]) {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIIAlnum(c) && c != '-' && c != '_' && c != '.' && c != '+' {
			return "", false
		}
	}
	return s, true
}

// ValidOrderNumber reports whether s is an order number in its canonical
// form (see NormalizeOrderNumber): what an order as stored carries.
func ValidOrderNumber(s string) bool {
	n, ok := NormalizeOrderNumber(s)
	return ok && n == s
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isASCIIDigit(c)
}
