package returns

import (
	"slices"
	"strconv"
	"strings"
)

// FieldError is one invalid field of a request body: the field's JSON path
// (such as "lines[2].unit_price" or "regions[0].countries[1]") and a
// machine-readable code that handlers translate (see locales/).
type FieldError struct {
	Path string `json:"path"`
	Code string `json:"code"`
}

// FieldErrors lists every invalid field of a document, in document order.
// The validators return nil when the document is valid; note that a nil
// FieldErrors stored in an error interface is not a nil error: use Err.
type FieldErrors []FieldError

// Validation codes of FieldError. Handlers answer them with 422.
const (
	FieldRequired        = "required"
	FieldInvalid         = "invalid"
	FieldTooLong         = "too_long"
	FieldTooLarge        = "too_large"
	FieldNegative        = "negative"
	FieldOutOfRange      = "out_of_range"
	FieldDuplicate       = "duplicate"
	FieldUnknownCurrency = "unknown_currency"
	FieldUnknownCountry  = "unknown_country"
	FieldUnknownClass    = "unknown_class"
	FieldUnknownMethod   = "unknown_method"
	FieldNotSupported    = "not_supported"
	FieldUnknownHub      = "unknown_hub"
	FieldLabelRequired   = "label_required"
	FieldBeforePlaced    = "before_placed"
	FieldBeforeShipped   = "before_shipped"
)

// Error lists the paths and codes, e.g.
// "invalid fields: email: required; lines[0].quantity: negative".
func (fe FieldErrors) Error() string {
	if len(fe) == 0 {
		return "no invalid fields"
	}
	var b strings.Builder
	b.WriteString("invalid fields: ")
	for i, e := range fe {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Path)
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	return b.String()
}

// Err returns fe as an error, or a nil error when fe is empty.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// Has reports whether fe holds the given path with the given code.
func (fe FieldErrors) Has(path, code string) bool {
	for _, e := range fe {
		if e.Path == path && e.Code == code {
			return true
		}
	}
	return false
}

// Merge returns fe followed by the errors of other whose path fe does not
// already name: a handler that reported "placed_at: invalid" while binding
// does not also report ValidateOrder's "placed_at: required".
func (fe FieldErrors) Merge(other FieldErrors) FieldErrors {
	out := fe
	for _, e := range other {
		if !slices.ContainsFunc(fe, func(f FieldError) bool { return f.Path == e.Path }) {
			out = append(out, e)
		}
	}
	return out
}

func (fe *FieldErrors) add(path, code string) {
	*fe = append(*fe, FieldError{Path: path, Code: code})
}

// fieldPath builds a JSON path: fieldPath("lines", 2, "unit_price") = "lines[2].unit_price".
func fieldPath(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(v))
			b.WriteByte(']')
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}
