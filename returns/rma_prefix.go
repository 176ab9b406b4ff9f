package returns

import "strings"

// MinRMAPrefix is the fewest characters after "R-" that RMAPrefix accepts:
// one character would select a thirty-second of all returns.
const MinRMAPrefix = 2

// RMAPrefix reads the beginning of an RMA number, as staff type it from a
// damaged label ("R-PZN2", "r pzn2 7", "RPZN27"), into the canonical form's
// beginning ("R-PZN2", "R-PZN2-7"), with NormalizeRMA's folding (case, O→0,
// I/L→1, separators anywhere). Unlike NormalizeRMA the "R" is required, so
// that an order number is not read as a partial RMA, and the input must
// have MinRMAPrefix to 7 characters after it: 8 make a whole RMA number
// (NormalizeRMA), which is not a prefix.
func RMAPrefix(in string) (string, bool) {
	s := strings.ToUpper(strings.TrimSpace(in))
	s, ok := strings.CutPrefix(s, "R")
	if !ok {
		return "", false
	}
	var digits []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ' || c == '_':
			continue
		case c == 'O':
			c = '0'
		case c == 'I' || c == 'L':
			c = '1'
		}
		if c == 'U' || strings.IndexByte(crockford, c) < 0 {
			return "", false
		}
		digits = append(digits, c)
	}
	if len(digits) < MinRMAPrefix || len(digits) >= 8 {
		return "", false
	}
	if len(digits) <= 4 {
		return "R-" + string(digits), true
	}
	return "R-" + string(digits[:4]) + "-" + string(digits[4:]), true
}
