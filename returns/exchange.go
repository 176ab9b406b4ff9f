package returns

import "strconv"

// Resolutions of a returned item: how the shopper wants it settled.
const (
	// ResolutionRefund is the default, always on offer: under a statutory
	// right the law gives the money back, and an exchange may only be an
	// offer the shopper takes.
	ResolutionRefund = "refund"
	// ResolutionExchange: another variant of the same product instead of
	// the money (ExchangeOptions).
	ResolutionExchange = "exchange"
)

// Codes of the *Error that an exchange request gets (BuildQuoteWithStock);
// Field is items[i].resolution or items[i].exchange_sku.
const (
	CodeUnknownResolution = "unknown_resolution"
	// CodeExchangesOff: the policy offers no exchanges in the order's
	// country.
	CodeExchangesOff = "exchanges_off"
	// CodeNotExchangeable: the line names no product of the catalog.
	CodeNotExchangeable = "not_exchangeable"
	// CodeUnknownVariant: the SKU is not another variant of the line's
	// product (or none was given).
	CodeUnknownVariant = "unknown_variant"
	// CodeExchangePrice: the variant costs another price in the order's
	// currency (price differences are not settled yet).
	CodeExchangePrice = "exchange_price_differs"
	// CodeOutOfStock: not enough units are available (answered 409: a
	// concurrent return may have reserved the last one).
	CodeOutOfStock = "out_of_stock"
)

// ExchangePolicy is the policy's "exchanges" entry. SamePriceOnly must be
// true (its default): a variant of another price would need the
// difference charged or refunded, which is a later step.
// FreeReturnShipping waives the return shipping fee of a return that
// exchanges anything.
type ExchangePolicy struct {
	Enabled            bool  `json:"enabled"`
	SamePriceOnly      *bool `json:"same_price_only,omitempty"`
	FreeReturnShipping bool  `json:"free_return_shipping"`
}

// ExchangeStock is what the catalog holds for an order's exchanges: its
// products by ID and the units of each SKU available for exchanges now
// (the shop's figure less the portal's open reservations).
type ExchangeStock struct {
	Products  map[string]Product
	Available map[string]int
}

// ExchangeOption is a variant a line may be exchanged for, with the units
// available.
type ExchangeOption struct {
	Variant   Variant
	Available int
	// Difference is the variant's price less the reference price
	// (exchangeReference), in the order's currency: what the shopper
	// would owe, shown before she confirms. Zero while only variants of
	// the same price are offered.
	Difference int64
}

// ExchangeOptions lists the variants a line of the order may be exchanged
// for, in the catalog's order: when the policy offers exchanges in the
// order's country, every other variant of the line's product that costs
// the same in the order's currency as the variant bought
// (exchangeReference) and has a unit available. None when the line names
// no product.
func ExchangeOptions(o Order, p Policy, legal *Legal, l Line, stock ExchangeStock) []ExchangeOption {
	if !p.Effective(legal, o.ShippingAddress.Country).Exchanges.Enabled {
		return nil
	}
	prod, ok := stock.Products[l.ProductID]
	if l.ProductID == "" || !ok {
		return nil
	}
	ref := exchangeReference(l, prod, o.Currency)
	var out []ExchangeOption
	for _, v := range prod.Variants {
		price, priced := v.Prices[o.Currency]
		if v.SKU == l.SKU || !priced || price != ref || stock.Available[v.SKU] <= 0 {
			continue
		}
		out = append(out, ExchangeOption{Variant: v, Available: stock.Available[v.SKU], Difference: price - ref})
	}
	return out
}

// exchangeReference is the price an exchange must match: the catalog's
// price of the variant bought (by the line's SKU) in the order's currency,
// or, where the catalog does not list it, the unit price charged. A sale
// price charged does not make the regular variants unexchangeable.
func exchangeReference(l Line, prod Product, cur string) int64 {
	if v, ok := prod.Variant(l.SKU); ok {
		if price, ok := v.Prices[cur]; ok {
			return price
		}
	}
	return l.UnitPrice
}

// exchangeCheck decides about the exchange of one item of a request (the
// i-th, of line l): nil when it may be exchanged as asked.
type exchangeCheck func(i int, l Line, it QuoteItem) *Error

// noExchanges refuses every exchange: a quote without the catalog.
func noExchanges(i int, _ Line, _ QuoteItem) *Error {
	return &Error{Code: CodeExchangesOff, Field: itemPath(i, "resolution")}
}

// decidedExchanges accepts the exchanges of a return already made (their
// units were reserved then): its re-quote at inspection.
func decidedExchanges(int, Line, QuoteItem) *Error { return nil }

// stockCheck checks exchanges against the catalog: exchanges on in the
// order's country, the line's product known, the SKU another variant of it
// at the reference price, and enough units available for this and the
// request's earlier items of the same SKU.
func stockCheck(o Order, rules EffectiveRules, stock ExchangeStock) exchangeCheck {
	taken := map[string]int{}
	return func(i int, l Line, it QuoteItem) *Error {
		if !rules.Exchanges.Enabled {
			return &Error{Code: CodeExchangesOff, Field: itemPath(i, "resolution")}
		}
		prod, ok := stock.Products[l.ProductID]
		if l.ProductID == "" || !ok {
			return &Error{Code: CodeNotExchangeable, Field: itemPath(i, "resolution")}
		}
		v, ok := prod.Variant(it.ExchangeSKU)
		if !ok || it.ExchangeSKU == l.SKU {
			return &Error{Code: CodeUnknownVariant, Field: itemPath(i, "exchange_sku")}
		}
		if price, ok := v.Prices[o.Currency]; !ok || price != exchangeReference(l, prod, o.Currency) {
			return &Error{Code: CodeExchangePrice, Field: itemPath(i, "exchange_sku")}
		}
		if taken[v.SKU]+it.Quantity > stock.Available[v.SKU] {
			return &Error{Code: CodeOutOfStock, Field: itemPath(i, "exchange_sku")}
		}
		taken[v.SKU] += it.Quantity
		return nil
	}
}

func itemPath(i int, field string) string { return "items[" + strconv.Itoa(i) + "]." + field }

// States of an exchange line.
const (
	// ExchangeReserved: the units are reserved from the shop's inventory
	// while the return runs.
	ExchangeReserved = "reserved"
	// ExchangeIssued: the return was inspected (or kept, returnless): the
	// shop is told to send the replacement (exchange.created).
	ExchangeIssued = "issued"
	// ExchangeReleased: the return was cancelled or rejected, or the
	// inspection did not accept the units: the reservation is given back.
	ExchangeReleased = "released"
)

// ExchangeLine is one exchanged item of a return: the line sent back, the
// variant sent instead (its title and options as they were when reserved)
// and the units' state.
type ExchangeLine struct {
	LineID    string            `json:"line_id"`
	ProductID string            `json:"product_id"`
	SKU       string            `json:"sku"`
	Title     string            `json:"title"`
	Options   map[string]string `json:"options"`
	Quantity  int               `json:"quantity"`
	State     string            `json:"state"`
}

// ExchangeLines are the lines a new return reserves: one per exchanged
// item of its quote, described from the catalog.
func ExchangeLines(o Order, q Quote, stock ExchangeStock) []ExchangeLine {
	var out []ExchangeLine
	for _, ql := range q.Lines {
		if ql.Resolution != ResolutionExchange {
			continue
		}
		l, _ := o.Line(ql.LineID)
		x := ExchangeLine{LineID: ql.LineID, ProductID: l.ProductID, SKU: ql.ExchangeSKU, Quantity: ql.Quantity,
			State: ExchangeReserved}
		if v, ok := stock.Products[l.ProductID].Variant(ql.ExchangeSKU); ok {
			x.Title, x.Options = v.Title, v.Options
		}
		out = append(out, x)
	}
	return out
}

// SettleExchanges decides, when a return is inspected, what becomes of its
// reserved exchange lines: the units accepted (accepted, by line) are
// issued, the rest released — a line partly accepted splits in two. Lines
// no longer reserved stay as they are.
func SettleExchanges(lines []ExchangeLine, accepted map[string]int) []ExchangeLine {
	out := make([]ExchangeLine, 0, len(lines))
	for _, x := range lines {
		if x.State != ExchangeReserved {
			out = append(out, x)
			continue
		}
		issued := min(max(accepted[x.LineID], 0), x.Quantity)
		if issued > 0 {
			y := x
			y.Quantity, y.State = issued, ExchangeIssued
			out = append(out, y)
		}
		if rest := x.Quantity - issued; rest > 0 {
			y := x
			y.Quantity, y.State = rest, ExchangeReleased
			out = append(out, y)
		}
	}
	return out
}

// StatusAfterExchange is the status an inspected return moves to once its
// exchanges are settled: exchanged when it owes no money (every item was
// exchanged, or what was to be refunded was not accepted) and sends
// something in exchange; otherwise it stays inspected, and its refund
// decides (refunded or credited).
func StatusAfterExchange(r Return, settled []ExchangeLine) Status {
	issued := false
	for _, x := range settled {
		issued = issued || x.State == ExchangeIssued
	}
	if issued && r.Quote.Total <= 0 && r.GoodwillTotal() <= 0 {
		return StatusExchanged
	}
	return r.Status
}
