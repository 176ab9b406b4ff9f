package returns

import (
	"crypto/rand"
	"io"
	"strings"
)

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a number read
// aloud or typed from paper is unambiguous.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewRMA returns a random RMA number such as "R-7K3P-9XQ2" (40 bits of
// randomness: never sequential, not guessable from another return's number).
func NewRMA() string { return newRMAFrom(rand.Reader) }

func newRMAFrom(r io.Reader) string {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		panic("returns: no randomness: " + err.Error())
	}
	var s strings.Builder
	s.WriteString("R-")
	for i, c := range b {
		if i == 4 {
			s.WriteByte('-')
		}
		s.WriteByte(crockford[c&31])
	}
	return s.String()
}

// NormalizeRMA turns what a person typed or a scanner read into the canonical
// form: case folded, O→0, I/L→1, hyphens and spaces wherever (or nowhere),
// the "R" prefix optional. It reports false when the input cannot be an RMA.
func NormalizeRMA(in string) (string, bool) {
	var digits []byte
	s := strings.ToUpper(strings.TrimSpace(in))
	s = strings.TrimPrefix(s, "R")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ' || c == '_':
			continue
		case c == 'O':
			c = '0'
		case c == 'I' || c == 'L':
			c = '1'
		case c == 'U':
			return "", false
		}
		if strings.IndexByte(crockford, c) < 0 {
			return "", false
		}
		digits = append(digits, c)
	}
	if len(digits) != 8 {
		return "", false
	}
	return "R-" + string(digits[:4]) + "-" + string(digits[4:]), true
}
