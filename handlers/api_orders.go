package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// orderInput is the ingest schema as it arrives: times as strings and the
// required numbers as pointers, so that "missing" and "malformed" can be told
// apart and reported with the field's path.
type orderInput struct {
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
	Lines           []lineInput      `json:"lines"`
}

type lineInput struct {
	returns.Line
	Quantity  *int   `json:"quantity"`
	UnitPrice *int64 `json:"unit_price"`
}

// toOrder converts the input, collecting every missing or malformed field.
func (in orderInput) toOrder(number string) (returns.Order, returns.FieldErrors) {
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

// validOrder converts and validates the input: every problem, with its path.
func (in orderInput) validOrder(number string, legal *returns.Legal) (returns.Order, returns.FieldErrors) {
	o, errs := in.toOrder(number)
	return o, errs.Merge(returns.ValidateOrder(o, legal))
}

// ParseOrderLine reads one line of an `import orders` file: the ingest schema
// of PUT /api/v1/orders/{number} plus a "number" field, validated exactly as
// the API validates it.
func ParseOrderLine(line []byte, legal *returns.Legal) (returns.Order, error) {
	var in struct {
		Number string `json:"number"`
		orderInput
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return returns.Order{}, err
	}
	number, ok := returns.NormalizeOrderNumber(in.Number)
	if !ok {
		return returns.Order{}, returns.FieldErrors{{Path: "number", Code: returns.FieldInvalid}}
	}
	o, errs := in.validOrder(number, legal)
	return o, errs.Err()
}

// putOrder upserts an order pushed by the merchant's shop.
func (s *Server) putOrder(c echo.Context) error {
	number, ok := returns.NormalizeOrderNumber(lastPathSegment(c))
	if !ok {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_order",
			Fields: returns.FieldErrors{{Path: "number", Code: "invalid"}}}
	}
	var in orderInput
	if err := decodeJSON(c, &in, "invalid_order"); err != nil {
		return err
	}
	o, errs := in.validOrder(number, s.legal)
	if len(errs) > 0 {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_order", Fields: errs}
	}
	created, err := s.cfg.Store.UpsertOrder(c.Request().Context(), o)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, map[string]any{"number": o.Number, "created": created})
}

// lastPathSegment is the request path's last segment, percent-decoded
// exactly once ("" when it does not decode). c.Param cannot be used: Echo
// routes on the escaped path only when it differs from the default encoding,
// so c.Param holds "A%2B1" for A%2B1 but "%2B" for %252B, and decoding that
// again would turn %252B into "+".
func lastPathSegment(c echo.Context) string {
	p := c.Request().URL.EscapedPath()
	seg, err := url.PathUnescape(p[strings.LastIndexByte(p, '/')+1:])
	if err != nil {
		return ""
	}
	return seg
}
