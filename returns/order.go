// Package returns is the domain of the returns portal: orders as the portal sees
// them, the merchant's policy raised to the legal floors of the shopper's
// country, per-line eligibility, refund quotes, the status machine of a return
// and RMA numbers. It is pure Go: no I/O, no clock (callers pass "now"), no
// database, so every rule can be table-tested.
package returns

import "time"

// Order is an order as ingested from the merchant's shop. The portal never
// changes it; its JSON form is the ingest schema of PUT /api/v1/orders/{number}.
// Amounts are integers in the minor units of Currency.
type Order struct {
	Number          string     `json:"number"`
	Email           string     `json:"email"`
	CustomerName    string     `json:"customer_name"`
	Locale          string     `json:"locale"`
	Currency        string     `json:"currency"`
	PlacedAt        time.Time  `json:"placed_at"`
	ShippedAt       *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt     *time.Time `json:"delivered_at,omitempty"`
	ShippingAddress Address    `json:"shipping_address"`
	Shipping        Shipping   `json:"shipping"`
	Payment         Payment    `json:"payment"`
	Gift            bool       `json:"gift"`
	Lines           []Line     `json:"lines"`
}

// Address is a postal address. Country is ISO 3166-1 alpha-2; Region the
// ISO 3166-2 subdivision code without the country prefix ("CA" for California).
type Address struct {
	Name       string        `json:"name"`
	Line1      string        `json:"line1"`
	Line2      string        `json:"line2"`
	City       string        `json:"city"`
	PostalCode string        `json:"postal_code"`
	Region     string        `json:"region"`
	Country    string        `json:"country"`
	Phone      string        `json:"phone"`
	Latin      *LatinAddress `json:"latin,omitempty"`
}

// LatinAddress is a Latin-script rendering of an address for carriers' labels.
type LatinAddress struct {
	Name  string `json:"name"`
	Line1 string `json:"line1"`
	Line2 string `json:"line2"`
	City  string `json:"city"`
}

// Shipping is what the shopper paid for outbound delivery. StandardAmount is the
// cheapest standard delivery offered at checkout (the EU refunds at most that).
type Shipping struct {
	Amount         int64  `json:"amount"`
	Method         string `json:"method"`
	StandardAmount *int64 `json:"standard_amount,omitempty"`
}

// Standard returns StandardAmount, defaulting to Amount when it was not given.
func (s Shipping) Standard() int64 {
	if s.StandardAmount == nil {
		return s.Amount
	}
	return *s.StandardAmount
}

// Payment says how the order was paid, for refunds to the original payment.
type Payment struct {
	Method    string `json:"method"`
	Provider  string `json:"provider"`
	Reference string `json:"reference"`
}

// Line is one order line. UnitPrice is gross as charged; Discount is the
// line's total discount; Tax is included in the price. HSCode is 6 to 10
// digits; CustomsDescription is the goods' description in English (Latin
// script) for a customs declaration, where Name may be in any language.
type Line struct {
	ID            string `json:"id"`
	SKU           string `json:"sku"`
	Name          string `json:"name"`
	Variant       string `json:"variant"`
	Quantity      int    `json:"quantity"`
	UnitPrice     int64  `json:"unit_price"`
	Discount      int64  `json:"discount"`
	Tax           int64  `json:"tax"`
	Category      string `json:"category"`
	Exemption     string `json:"exemption"`
	FinalSale     bool   `json:"final_sale"`
	HSCode        string `json:"hs_code"`
	OriginCountry string `json:"origin_country"`
	WeightGrams   int    `json:"weight_grams"`
	// CustomsDescription is optional; without it a declaration describes
	// the goods by their HS heading.
	CustomsDescription string `json:"customs_description,omitempty"`
	// ImageURL is a picture of the item for the shopper's pages: an https
	// URL on a host the portal's settings allow (CheckImageHosts), so that
	// the pages' CSP names every place an image may come from.
	ImageURL string `json:"image_url,omitempty"`
	// ProductID names the line's product in the portal's catalog (PUT
	// /api/v1/products/{id}), whose other variants it may be exchanged
	// for; empty: the line cannot be exchanged.
	ProductID string `json:"product_id,omitempty"`
}

// Paid is what the shopper paid for the whole line.
func (l Line) Paid() int64 { return l.UnitPrice*int64(l.Quantity) - l.Discount }

// Line returns the order line with the given id.
func (o Order) Line(id string) (Line, bool) {
	for _, l := range o.Lines {
		if l.ID == id {
			return l, true
		}
	}
	return Line{}, false
}

// TotalUnits is the number of units over all lines.
func (o Order) TotalUnits() int {
	n := 0
	for _, l := range o.Lines {
		n += l.Quantity
	}
	return n
}

// History is what earlier returns of an order hold, as the store sees it:
// units per line in returns that are neither cancelled nor rejected, and
// whether an earlier return already refunds the outbound shipping.
type History struct {
	UnitsHeld        map[string]int
	OutboundRefunded bool
	// UnitsExchanged are the units of UnitsHeld that earlier returns
	// exchange rather than refund (not released): they were sent back but
	// replaced, so they do not count as returned for the outbound
	// shipping refund.
	UnitsExchanged map[string]int
}

// Held is the number of units of a line already in active returns.
func (h History) Held(lineID string) int { return h.UnitsHeld[lineID] }
