package returns

import "testing"

func TestRMAPrefix(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"R-PZN2", "R-PZN2", true},
		{"r-pzn2", "R-PZN2", true},
		{"  R PZN2 ", "R-PZN2", true},
		{"RPZN2", "R-PZN2", true},
		{"R-PZN2-", "R-PZN2", true},
		{"R-PZN2-7", "R-PZN2-7", true},
		{"R-PZN2-7K3", "R-PZN2-7K3", true},
		{"RPZN27K3", "R-PZN2-7K3", true},
		{"R-PZ", "R-PZ", true},           // the shortest accepted
		{"R-0OIL", "R-0011", true},       // read as NormalizeRMA reads them
		{"R-P", "", false},               // one character: too broad
		{"R-", "", false},                // nothing after the R
		{"R", "", false},                 //
		{"", "", false},                  //
		{"PZN2", "", false},              // no R: an order number, not an RMA
		{"DE-1001", "", false},           //
		{"R-PZN2-7K3P", "", false},       // a whole RMA is not a prefix
		{"R-PZN2-7K3P9", "", false},      // longer than any RMA
		{"R-PZU2", "", false},            // U is not in the alphabet
		{"R-PZ%2", "", false},            // nor is %
		{"R-PZN2\u202e", "", false},      // nor a direction control
		{"Ｒ-PZN2", "", false},            // full-width R is not R
		{"R-ÄBCD", "", false},            // non-ASCII
		{"R--__  PZ", "R-PZ", true},      // separators anywhere
		{"R-pzn2-7k", "R-PZN2-7K", true}, // lower case after the first group
	} {
		got, ok := RMAPrefix(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("RMAPrefix(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRMAPrefixOfEveryRMA: each beginning of a generated RMA number, typed
// as staff would, is a prefix of its canonical form.
func TestRMAPrefixOfEveryRMA(t *testing.T) {
	for range 200 {
		rma := NewRMA()
		for n := 2 + MinRMAPrefix; n < len(rma); n++ {
			typed := rma[:n]
			p, ok := RMAPrefix(typed)
			if !ok {
				t.Fatalf("RMAPrefix(%q) refused", typed)
			}
			if rma[:len(p)] != p {
				t.Fatalf("RMAPrefix(%q) = %q, not a beginning of %s", typed, p, rma)
			}
		}
	}
}
