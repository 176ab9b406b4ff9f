package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// OrderInput is an order as the shop sends it (PUT /api/v1/orders/{number},
// one line of `import orders`): times as strings and the required numbers
// as pointers, so that "missing" and "malformed" can be told apart and
// reported with the field's path.
type OrderInput struct {
	Email           string           `json:"email"`
	CustomerName    string           `json:"customer_name"`
	Locale          string           `json:"locale"`
	Currency        string           `json:"currency"`
	PlacedAt        *string          `json:"placed_at"`
	ShippedAt       *string          `json:"shipped_at"`
	DeliveredAt     *string          `json:"delivered_at"`
	ShippingAddress returns.Address  `json:"shipping_address"`
	Shipping        returns.Shipping `json:"shipping"`
	Payment         returns.Payment  `json:"payment"`
	Gift            bool             `json:"gift"`
	Lines           []LineInput      `json:"lines"`
}

// LineInput is an order line as the shop sends it.
type LineInput struct {
	returns.Line
	Quantity  *int   `json:"quantity"`
	UnitPrice *int64 `json:"unit_price"`
}

// toOrder converts the input, collecting every missing or malformed field.
func (in OrderInput) toOrder(number string) (returns.Order, returns.FieldErrors) {
	var errs returns.FieldErrors
	parseTime := func(path string, v *string, required bool) *time.Time {
		if v == nil || *v == "" {
			if required {
				errs = append(errs, returns.FieldError{Path: path, Code: "required"})
			}
			return nil
		}
		t, err := time.Parse(time.RFC3339, *v)
		if err != nil {
			errs = append(errs, returns.FieldError{Path: path, Code: "invalid"})
			return nil
		}
		t = t.UTC()
		return &t
	}
	o := returns.Order{
		Number: number, Email: in.Email, CustomerName: in.CustomerName, Locale: in.Locale,
		Currency: in.Currency, ShippingAddress: in.ShippingAddress, Shipping: in.Shipping,
		Payment: in.Payment, Gift: in.Gift,
	}
	if t := parseTime("placed_at", in.PlacedAt, true); t != nil {
		o.PlacedAt = *t
	}
	o.ShippedAt = parseTime("shipped_at", in.ShippedAt, false)
	o.DeliveredAt = parseTime("delivered_at", in.DeliveredAt, false)
	for i, li := range in.Lines {
		l := li.Line
		if li.Quantity == nil {
			errs = append(errs, returns.FieldError{Path: fmt.Sprintf("lines[%d].quantity", i), Code: "required"})
		} else {
			l.Quantity = *li.Quantity
		}
		if li.UnitPrice == nil {
			errs = append(errs, returns.FieldError{Path: fmt.Sprintf("lines[%d].unit_price", i), Code: "required"})
		} else {
			l.UnitPrice = *li.UnitPrice
		}
		o.Lines = append(o.Lines, l)
	}
	return o, errs
}

// OrderNumber is an order number as given in its canonical form
// (returns.NormalizeOrderNumber), or a field error on "number" when it
// cannot be one; a caller checks it before anything else of an order is
// read.
func OrderNumber(raw string) (string, error) {
	number, ok := returns.NormalizeOrderNumber(raw)
	if !ok {
		return "", returns.FieldErrors{{Path: "number", Code: returns.FieldInvalid}}
	}
	return number, nil
}

// UpsertOrder converts and validates an order as the shop sent it (every
// problem as a field error with its path: returns.ValidateOrder) and stores
// it, creating it or replacing the stored one; created says which. Its
// lines' images must come from the configured hosts (CheckImageHosts). An
// update that contradicts the order's returns is refused by the domain
// (returns.CheckOrderUpdate, wrapped with ErrConflict).
func (s *Service) UpsertOrder(ctx context.Context, number string, in OrderInput) (created bool, err error) {
	o, err := s.validOrder(number, in)
	if err != nil {
		return false, err
	}
	return inTx(ctx, s, func(tx *store.Tx) (bool, error) { return tx.UpsertOrder(o) })
}

// validOrder converts and validates an order as the shop sent it: the one
// validation of the API's orders and of imported ones.
func (s *Service) validOrder(number string, in OrderInput) (returns.Order, error) {
	number, err := OrderNumber(number)
	if err != nil {
		return returns.Order{}, err
	}
	o, errs := in.toOrder(number)
	if errs = errs.Merge(returns.ValidateOrder(o, s.legal)); len(errs) > 0 {
		return returns.Order{}, errs
	}
	if errs := returns.CheckImageHosts(o, s.imageHosts); len(errs) > 0 {
		return returns.Order{}, errs
	}
	return o, nil
}

// ImportOrder upserts one line of an `import orders` file: an OrderInput
// with a "number" field, validated exactly as UpsertOrder validates the
// API's orders.
func (s *Service) ImportOrder(ctx context.Context, line []byte) error {
	o, err := s.importedOrder(line)
	if err != nil {
		return err
	}
	_, err = inTx(ctx, s, func(tx *store.Tx) (bool, error) { return tx.UpsertOrder(o) })
	return err
}

// importedOrder decodes and validates one line of an import file.
func (s *Service) importedOrder(line []byte) (returns.Order, error) {
	var in struct {
		Number string `json:"number"`
		OrderInput
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return returns.Order{}, err
	}
	return s.validOrder(in.Number, in.OrderInput)
}
