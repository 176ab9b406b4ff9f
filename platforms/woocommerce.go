package platforms

import (
	"encoding/json"
	"html"
	"strings"
	"time"

	"github.com/returns-portal/returns/returns"
)

// WooCommerce topics (X-WC-Webhook-Topic) the portal acts on.
const (
	TopicOrderCreated = "order.created"
	TopicOrderUpdated = "order.updated"
	TopicOrderDeleted = "order.deleted"
)

type wooAddress struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type wooOrder struct {
	ID               int64      `json:"id"`
	Number           string     `json:"number"`
	Status           string     `json:"status"`
	Currency         string     `json:"currency"`
	DateCreatedGMT   string     `json:"date_created_gmt"`
	DateCompletedGMT *string    `json:"date_completed_gmt"`
	PricesIncludeTax bool       `json:"prices_include_tax"`
	Billing          wooAddress `json:"billing"`
	Shipping         wooAddress `json:"shipping"`
	PaymentMethod    string     `json:"payment_method"`
	TransactionID    string     `json:"transaction_id"`
	LineItems        []struct {
		ID          int64  `json:"id"`
		ProductID   int64  `json:"product_id"` // 0 for an item without a product
		Name        string `json:"name"`
		SKU         string `json:"sku"`
		Quantity    int    `json:"quantity"`
		Subtotal    string `json:"subtotal"`
		SubtotalTax string `json:"subtotal_tax"`
		Total       string `json:"total"`
		TotalTax    string `json:"total_tax"`
		MetaData    []struct {
			Key          string `json:"key"`
			Value        any    `json:"value"`
			DisplayKey   string `json:"display_key"`
			DisplayValue any    `json:"display_value"`
		} `json:"meta_data"`
	} `json:"line_items"`
	ShippingLines []struct {
		MethodTitle string `json:"method_title"`
		Total       string `json:"total"`
		TotalTax    string `json:"total_tax"`
	} `json:"shipping_lines"`
	// Refunds are every refund of the order, each with its reason under
	// "reason" (current WooCommerce) or "refund" (older releases, and the
	// REST API docs' samples); nil when the payload has no refunds key.
	Refunds *[]struct {
		ID     json.Number `json:"id"`
		Reason string      `json:"reason"`
		Refund string      `json:"refund"`
		Total  string      `json:"total"`
	} `json:"refunds"`
}

// ParseWooCommerce maps one WooCommerce webhook delivery by its topic.
// Status completed sets the delivery time from date_completed_gmt (an
// assumption: WooCommerce records no delivery; a later order update with
// another time overrules it). A deleted order is acknowledged and ignored:
// the portal keeps orders with their returns.
func ParseWooCommerce(topic string, body []byte, m Mapping) (Event, error) {
	switch topic {
	case TopicOrderCreated, TopicOrderUpdated:
	case TopicOrderDeleted:
		return Event{Ignored: "order deleted in WooCommerce; the portal keeps it"}, nil
	default:
		return Event{Ignored: "topic " + topic}, nil
	}
	var wo wooOrder
	if err := decode(body, &wo); err != nil {
		return Event{}, err
	}
	o, err := wo.toOrder(m)
	if err != nil {
		return Event{}, err
	}
	refunds, err := wo.shopRefunds(o.Currency)
	if err != nil {
		return Event{}, err
	}
	return Event{Order: &o, ExternalID: idString(wo.ID), ShopRefunds: refunds}, nil
}

// shopRefunds are the order's refunds made in WooCommerce (its total is
// negative, "-10.00"), without the ones the portal made itself (their
// reason names a portal refund: payments' WooCommerce executor writes
// it): they count against what the portal may still refund.
func (wo wooOrder) shopRefunds(cur string) ([]ShopRefund, error) {
	if wo.Refunds == nil {
		return nil, nil
	}
	out := []ShopRefund{}
	for i, r := range *wo.Refunds {
		if r.ID == "" {
			return nil, unmappable("refunds[%d] without an id", i)
		}
		n, err := minor(strings.TrimPrefix(strings.TrimSpace(r.Total), "-"), cur)
		if err != nil || n < 0 {
			return nil, unmappable("refunds[%d].total %q is not an amount in %s", i, r.Total, cur)
		}
		reason := firstNonEmpty(r.Reason, r.Refund)
		out = append(out, ShopRefund{ID: r.ID.String(), Amount: n, Currency: cur,
			Ours: strings.Contains(reason, "("+RefundNotePrefix)})
	}
	return out, nil
}

func (wo wooOrder) toOrder(m Mapping) (returns.Order, error) {
	number, ok := returns.NormalizeOrderNumber(firstNonEmpty(strings.TrimSpace(wo.Number), idString(wo.ID)))
	if !ok {
		return returns.Order{}, unmappable("order number %q is not a valid order number", wo.Number)
	}
	cur := strings.ToUpper(wo.Currency)
	if cur == "" {
		return returns.Order{}, unmappable("order without a currency")
	}
	placed, err := wooTime(wo.DateCreatedGMT)
	if err != nil {
		return returns.Order{}, err
	}
	addr := wo.Shipping
	if addr.Country == "" {
		addr = wo.Billing
	}
	o := returns.Order{Number: number, Email: wo.Billing.Email, Currency: cur, PlacedAt: placed,
		CustomerName: strings.TrimSpace(wo.Billing.FirstName + " " + wo.Billing.LastName),
		ShippingAddress: returns.Address{Name: strings.TrimSpace(addr.FirstName + " " + addr.LastName),
			Line1: addr.Address1, Line2: addr.Address2, City: addr.City, PostalCode: addr.Postcode,
			Region: addr.State, Country: strings.ToUpper(addr.Country), Phone: wo.Billing.Phone},
		Payment: returns.Payment{Method: wo.PaymentMethod, Provider: WooCommerce, Reference: idString(wo.ID)}}
	if wo.Status == "completed" && wo.DateCompletedGMT != nil && *wo.DateCompletedGMT != "" {
		done, err := wooTime(*wo.DateCompletedGMT)
		if err != nil {
			return returns.Order{}, err
		}
		o.DeliveredAt, o.ShippedAt = &done, &done
	}
	for i, li := range wo.LineItems {
		sub, err1 := minor(li.Subtotal, cur)
		subTax, err2 := minor(li.SubtotalTax, cur)
		total, err3 := minor(li.Total, cur)
		tax, err4 := minor(li.TotalTax, cur)
		if err := firstErr(err1, err2, err3, err4); err != nil {
			return returns.Order{}, unmappable("line_items[%d]: %v", i, err)
		}
		l := returns.Line{ID: idString(li.ID), SKU: li.SKU, Name: html.UnescapeString(li.Name), Quantity: li.Quantity, Tax: tax}
		if li.ProductID > 0 {
			l.ProductID = idString(li.ProductID)
		}
		var variant []string
		for _, md := range li.MetaData {
			if strings.HasPrefix(md.Key, "_") {
				continue // WooCommerce's own hidden meta
			}
			v := md.DisplayValue
			if v == nil {
				v = md.Value
			}
			if s, ok := v.(string); ok && s != "" {
				variant = append(variant, html.UnescapeString(s))
			}
		}
		l.Variant = strings.Join(variant, " / ")
		grossLine(&l, sub+subTax, total+tax, li.Quantity)
		m.apply(&l, item{SKU: li.SKU})
		o.Lines = append(o.Lines, l)
	}
	for i, s := range wo.ShippingLines {
		t, err1 := minor(s.Total, cur)
		tt, err2 := minor(s.TotalTax, cur)
		if err := firstErr(err1, err2); err != nil {
			return returns.Order{}, unmappable("shipping_lines[%d]: %v", i, err)
		}
		o.Shipping.Amount += t + tt
		if o.Shipping.Method == "" {
			o.Shipping.Method = s.MethodTitle
		}
	}
	return o, nil
}

// wooTime reads WooCommerce's *_gmt times ("2017-03-22T19:28:02", UTC
// without a zone).
func wooTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, unmappable("time %q is not a WooCommerce GMT time", s)
		}
	}
	return t.UTC(), nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
