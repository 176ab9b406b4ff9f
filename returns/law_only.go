package returns

import "time"

// LawOnly reports whether the law alone made a return possible at now: at
// least one of its items could be returned without fault only on the
// statutory basis, its market's withdrawal window open while the merchant's
// was closed or did not apply (an excluded category, a final sale, an
// exemption the law does not share). The analytics' statutory-versus-policy
// figures count such returns; the return's basis alone does not tell, since
// a return inside both windows is on the statutory basis too.
func LawOnly(o Order, p Policy, legal *Legal, items []QuoteItem, now time.Time) bool {
	c := newOrderContext(o, p, legal, now)
	if c.deliv == nil {
		return false
	}
	for _, it := range items {
		l, ok := o.Line(it.LineID)
		if !ok {
			continue
		}
		if _, _, _, statOpen, merOpen := c.windows(l); statOpen && !merOpen {
			return true
		}
	}
	return false
}
