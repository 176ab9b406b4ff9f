package moneyfmt

// Number writes a number that is not money (a count, a percentage) as the
// locale writes its amounts: the same digits, decimal separator and
// grouping, so that a page's counts and amounts look alike. The value is
// unscaled × 10^-scale (Number(253, 1) is "25.3" in en, "25,3" in de).
// Locales whose currency separators differ from their plain ones (de-AT,
// de-CH) write the currency's.
func (f *Formatter) Number(unscaled int64, scale int) string {
	magnitude := uint64(unscaled)
	if unscaled < 0 {
		magnitude = -magnitude
	}
	s := f.number(magnitude, scale, scale, f.data.decimal, f.data.group, f.pat)
	if unscaled < 0 {
		s = f.data.minus + s
	}
	return s
}
