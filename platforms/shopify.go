package platforms

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Shopify topics the portal acts on.
const (
	TopicOrdersCreate       = "orders/create"
	TopicOrdersUpdated      = "orders/updated"
	TopicOrdersCancelled    = "orders/cancelled"
	TopicFulfillmentsCreate = "fulfillments/create"
	TopicFulfillmentsUpdate = "fulfillments/update"
	TopicRefundsCreate      = "refunds/create"
)

// RefundNotePrefix starts the note of the refunds the portal makes in a
// shop (payments.RefundNotePrefix, repeated so that this package needs no
// other of ours).
const RefundNotePrefix = "returns-portal:"

type shopifyMoney struct {
	PresentmentMoney struct {
		Amount       string `json:"amount"`
		CurrencyCode string `json:"currency_code"`
	} `json:"presentment_money"`
}

type shopifyAmount struct {
	AmountSet shopifyMoney `json:"amount_set"`
}

type shopifyTax struct {
	PriceSet shopifyMoney `json:"price_set"`
}

type shopifyAddress struct {
	Name         string `json:"name"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Address1     string `json:"address1"`
	Address2     string `json:"address2"`
	City         string `json:"city"`
	Zip          string `json:"zip"`
	ProvinceCode string `json:"province_code"`
	CountryCode  string `json:"country_code"`
	Phone        string `json:"phone"`
}

type shopifyFulfillment struct {
	ID             json.Number `json:"id"`
	OrderID        json.Number `json:"order_id"`
	Status         string      `json:"status"`
	ShipmentStatus string      `json:"shipment_status"`
	CreatedAt      string      `json:"created_at"`
	UpdatedAt      string      `json:"updated_at"`
}

type shopifyOrder struct {
	ID                  json.Number     `json:"id"`
	AdminGraphqlAPIID   string          `json:"admin_graphql_api_id"`
	Name                string          `json:"name"`
	Email               string          `json:"email"`
	ContactEmail        string          `json:"contact_email"`
	CustomerLocale      string          `json:"customer_locale"`
	PresentmentCurrency string          `json:"presentment_currency"`
	Currency            string          `json:"currency"`
	CreatedAt           string          `json:"created_at"`
	CancelledAt         *string         `json:"cancelled_at"`
	Tags                string          `json:"tags"`
	TaxesIncluded       bool            `json:"taxes_included"`
	PaymentGatewayNames []string        `json:"payment_gateway_names"`
	ShippingAddress     *shopifyAddress `json:"shipping_address"`
	BillingAddress      *shopifyAddress `json:"billing_address"`
	Customer            *struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
	} `json:"customer"`
	LineItems []struct {
		ID                  json.Number     `json:"id"`
		ProductID           json.Number     `json:"product_id"` // null for a custom item
		SKU                 *string         `json:"sku"`
		Title               string          `json:"title"`
		VariantTitle        *string         `json:"variant_title"`
		Vendor              *string         `json:"vendor"`
		ProductType         string          `json:"product_type"`
		Quantity            int             `json:"quantity"`
		GiftCard            bool            `json:"gift_card"`
		Grams               int             `json:"grams"`
		PriceSet            shopifyMoney    `json:"price_set"`
		TotalDiscountSet    shopifyMoney    `json:"total_discount_set"`
		DiscountAllocations []shopifyAmount `json:"discount_allocations"`
		TaxLines            []shopifyTax    `json:"tax_lines"`
	} `json:"line_items"`
	ShippingLines []struct {
		Title               string          `json:"title"`
		PriceSet            shopifyMoney    `json:"price_set"`
		DiscountAllocations []shopifyAmount `json:"discount_allocations"`
		TaxLines            []shopifyTax    `json:"tax_lines"`
	} `json:"shipping_lines"`
	Fulfillments []shopifyFulfillment `json:"fulfillments"`
}

type shopifyRefund struct {
	ID           json.Number `json:"id"`
	OrderID      json.Number `json:"order_id"`
	Note         *string     `json:"note"`
	Transactions []struct {
		Kind     string `json:"kind"`
		Status   string `json:"status"`
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	} `json:"transactions"`
}

// ParseShopify maps one Shopify webhook delivery by its topic
// (X-Shopify-Topic). Unknown fields are ignored; a payload that does not
// give what the portal needs is an UnmappableError.
func ParseShopify(topic string, body []byte, m Mapping) (Event, error) {
	switch topic {
	case TopicOrdersCreate, TopicOrdersUpdated, TopicOrdersCancelled:
		var so shopifyOrder
		if err := decode(body, &so); err != nil {
			return Event{}, err
		}
		o, err := so.toOrder(m)
		if err != nil {
			return Event{}, err
		}
		return Event{Order: &o, ExternalID: so.ID.String()}, nil
	case TopicFulfillmentsCreate, TopicFulfillmentsUpdate:
		var f shopifyFulfillment
		if err := decode(body, &f); err != nil {
			return Event{}, err
		}
		if f.OrderID == "" {
			return Event{}, unmappable("fulfillment without order_id")
		}
		ev := Event{ExternalID: f.OrderID.String()}
		at, err := shopifyTime(firstNonEmpty(f.UpdatedAt, f.CreatedAt))
		if err != nil {
			return Event{}, err
		}
		switch f.ShipmentStatus {
		case "delivered":
			ev.Delivered = &at
		case "in_transit", "out_for_delivery", "confirmed", "label_printed", "label_purchased":
			ev.Shipped = &at
		default:
			if f.Status == "success" {
				ev.Shipped = &at
			} else {
				ev.Ignored = "fulfillment " + f.Status + " " + f.ShipmentStatus
			}
		}
		return ev, nil
	case TopicRefundsCreate:
		var r shopifyRefund
		if err := decode(body, &r); err != nil {
			return Event{}, err
		}
		if r.ID == "" || r.OrderID == "" {
			return Event{}, unmappable("refund without id or order_id")
		}
		sr := &ShopRefund{ID: r.ID.String(), Ours: r.Note != nil && strings.HasPrefix(*r.Note, RefundNotePrefix)}
		for _, t := range r.Transactions {
			if t.Kind != "refund" || t.Status != "success" {
				continue
			}
			n, err := minor(t.Amount, t.Currency)
			if err != nil {
				return Event{}, unmappable("refund amount: %v", err)
			}
			sr.Amount += n
			sr.Currency = t.Currency
		}
		return Event{ExternalID: r.OrderID.String(), Refund: sr}, nil
	}
	return Event{Ignored: "topic " + topic}, nil
}

// toOrder maps an order: the number is name without its "#", money in the
// presentment currency (what the shopper paid), lines by Shopify's line
// item id.
func (so shopifyOrder) toOrder(m Mapping) (returns.Order, error) {
	number, ok := returns.NormalizeOrderNumber(strings.TrimPrefix(strings.TrimSpace(so.Name), "#"))
	if !ok {
		return returns.Order{}, unmappable("order name %q is not a valid order number", so.Name)
	}
	cur := strings.ToUpper(firstNonEmpty(so.PresentmentCurrency, so.Currency))
	if cur == "" {
		return returns.Order{}, unmappable("order without a currency")
	}
	placed, err := shopifyTime(so.CreatedAt)
	if err != nil {
		return returns.Order{}, err
	}
	o := returns.Order{Number: number, Email: firstNonEmpty(so.Email, so.ContactEmail), Locale: so.CustomerLocale,
		Currency: cur, PlacedAt: placed,
		Payment: returns.Payment{Provider: Shopify, Reference: firstNonEmpty(so.AdminGraphqlAPIID, "gid://shopify/Order/"+so.ID.String())}}
	if len(so.PaymentGatewayNames) > 0 {
		o.Payment.Method = so.PaymentGatewayNames[0]
	}
	addr := so.ShippingAddress
	if addr == nil {
		addr = so.BillingAddress
	}
	if addr == nil {
		return returns.Order{}, unmappable("order without a shipping or billing address")
	}
	o.ShippingAddress = returns.Address{Name: firstNonEmpty(addr.Name, strings.TrimSpace(addr.FirstName+" "+addr.LastName)),
		Line1: addr.Address1, Line2: addr.Address2, City: addr.City, PostalCode: addr.Zip,
		Region: addr.ProvinceCode, Country: strings.ToUpper(addr.CountryCode), Phone: addr.Phone}
	o.CustomerName = o.ShippingAddress.Name
	if so.Customer != nil {
		if n := strings.TrimSpace(so.Customer.FirstName + " " + so.Customer.LastName); n != "" {
			o.CustomerName = n
		}
	}
	tags := strings.Split(so.Tags, ",")
	for i, li := range so.LineItems {
		price, err := minor(li.PriceSet.PresentmentMoney.Amount, cur)
		if err != nil {
			return returns.Order{}, unmappable("line_items[%d].price_set: %v", i, err)
		}
		var discount, tax int64
		for _, d := range li.DiscountAllocations {
			n, err := minor(d.AmountSet.PresentmentMoney.Amount, cur)
			if err != nil {
				return returns.Order{}, unmappable("line_items[%d].discount_allocations: %v", i, err)
			}
			discount += n
		}
		if len(li.DiscountAllocations) == 0 {
			if discount, err = minor(li.TotalDiscountSet.PresentmentMoney.Amount, cur); err != nil {
				return returns.Order{}, unmappable("line_items[%d].total_discount_set: %v", i, err)
			}
		}
		for _, t := range li.TaxLines {
			n, err := minor(t.PriceSet.PresentmentMoney.Amount, cur)
			if err != nil {
				return returns.Order{}, unmappable("line_items[%d].tax_lines: %v", i, err)
			}
			tax += n
		}
		l := returns.Line{ID: li.ID.String(), SKU: deref(li.SKU), Name: li.Title, Variant: deref(li.VariantTitle),
			Quantity: li.Quantity, Tax: tax, WeightGrams: li.Grams, ProductID: li.ProductID.String()}
		gross, paid := price*int64(li.Quantity), price*int64(li.Quantity)-discount
		if !so.TaxesIncluded {
			// Prices without tax: the shopper paid the tax on top, and the
			// portal's prices are gross.
			gross, paid = gross+tax, paid+tax
		}
		grossLine(&l, gross, paid, li.Quantity)
		m.apply(&l, item{Tags: tags, ProductType: li.ProductType, Vendor: deref(li.Vendor), SKU: l.SKU, GiftCard: li.GiftCard})
		o.Lines = append(o.Lines, l)
	}
	for i, s := range so.ShippingLines {
		n, err := minor(s.PriceSet.PresentmentMoney.Amount, cur)
		if err != nil {
			return returns.Order{}, unmappable("shipping_lines[%d]: %v", i, err)
		}
		for _, d := range s.DiscountAllocations {
			dn, err := minor(d.AmountSet.PresentmentMoney.Amount, cur)
			if err != nil {
				return returns.Order{}, unmappable("shipping_lines[%d]: %v", i, err)
			}
			n -= dn
		}
		if !so.TaxesIncluded {
			for _, t := range s.TaxLines {
				tn, err := minor(t.PriceSet.PresentmentMoney.Amount, cur)
				if err != nil {
					return returns.Order{}, unmappable("shipping_lines[%d]: %v", i, err)
				}
				n += tn
			}
		}
		o.Shipping.Amount += max(n, 0)
		if o.Shipping.Method == "" {
			o.Shipping.Method = s.Title
		}
	}
	for _, f := range so.Fulfillments {
		at, err := shopifyTime(firstNonEmpty(f.UpdatedAt, f.CreatedAt))
		if err != nil {
			continue
		}
		switch {
		case f.ShipmentStatus == "delivered":
			o.DeliveredAt = latest(o.DeliveredAt, at)
			o.ShippedAt = earliest(o.ShippedAt, at)
		case f.Status == "success":
			o.ShippedAt = earliest(o.ShippedAt, at)
		}
	}
	return o, nil
}

func shopifyTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, unmappable("time %q is not RFC 3339", s)
	}
	return t.UTC(), nil
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return unmappable("not the expected JSON: %v", err)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func latest(cur *time.Time, t time.Time) *time.Time {
	if cur == nil || t.After(*cur) {
		return &t
	}
	return cur
}

func earliest(cur *time.Time, t time.Time) *time.Time {
	if cur == nil || t.Before(*cur) {
		return &t
	}
	return cur
}

// idString is a numeric id as text.
func idString(n int64) string { return strconv.FormatInt(n, 10) }
