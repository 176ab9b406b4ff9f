package returns

import "slices"

// ReturnlessRule is one entry of the policy's "returnless" list: an item
// worth at most MaxItemValue (per unit, in the order's currency; a
// currency the rule does not list never matches), of one of Categories
// and returned for one of Reasons (an empty list: any) need not be sent
// back — its return shipping would cost more than it is worth.
type ReturnlessRule struct {
	MaxItemValue map[string]int64 `json:"max_item_value"`
	Categories   []string         `json:"categories,omitempty"`
	Reasons      []string         `json:"reasons,omitempty"`
}

// UnitValue is what one unit of a line was paid, rounded up: the price
// less its share of the line's discount. Rounding up keeps an item that
// cost a fraction of a cent more than a rule's limit outside it.
func (l Line) UnitValue() int64 {
	if l.Quantity <= 0 {
		return 0
	}
	paid := l.Paid()
	q := int64(l.Quantity)
	v := paid / q
	if paid%q > 0 {
		v++
	}
	return v
}

// matches reports whether the rule covers an item of line l for reason.
func (rule ReturnlessRule) matches(l Line, reason, cur string) bool {
	limit, ok := rule.MaxItemValue[cur]
	if !ok || l.UnitValue() > limit {
		return false
	}
	if len(rule.Categories) > 0 && !slices.Contains(rule.Categories, l.Category) {
		return false
	}
	return len(rule.Reasons) == 0 || slices.Contains(rule.Reasons, reason)
}

// MatchReturnless reports whether the shopper keeps the items of a return:
// when every item matches one of the policy's returnless rules (each item
// may match another). Then no parcel is sent, no label is made, and the
// return is settled at once — refunded or exchanged through the same
// exactly-once path as any other — or after review where review applies.
// A request without items, or a policy without rules, never matches.
func MatchReturnless(o Order, p Policy, items []QuoteItem) bool {
	if len(items) == 0 || len(p.Returnless) == 0 {
		return false
	}
	for _, it := range items {
		l, ok := o.Line(it.LineID)
		if !ok || !slices.ContainsFunc(p.Returnless, func(r ReturnlessRule) bool { return r.matches(l, it.Reason, o.Currency) }) {
			return false
		}
	}
	return true
}

// Returnless reports whether the shopper keeps the return's items
// (Quote.Returnless): no label, no parcel.
func (r Return) Returnless() bool { return r.Quote.Returnless }
