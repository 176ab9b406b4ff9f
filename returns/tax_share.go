package returns

import "math/big"

// TaxIncluded is the tax contained in part of what was paid for a line
// (prices are gross: Line.Tax is included in Line.Paid()): tax × part /
// paid, rounded half up, without overflow. A part outside 0..paid is held
// to it, so a refund never claims more tax than the line carried. Shops
// that record a refund per line without its tax (WooCommerce's
// refund_total) are told the refund minus this.
func TaxIncluded(paid, tax, part int64) int64 {
	if paid <= 0 || tax <= 0 || part <= 0 {
		return 0
	}
	part, tax = min(part, paid), min(tax, paid)
	// floor((2*tax*part + paid) / (2*paid))
	n := new(big.Int).Mul(big.NewInt(tax), big.NewInt(part))
	n.Mul(n, big.NewInt(2)).Add(n, big.NewInt(paid))
	return floorDivBig(n, new(big.Int).Mul(big.NewInt(paid), big.NewInt(2)))
}
