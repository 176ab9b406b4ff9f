package moneyfmt

//go:generate sh internal/cldrgen/generate.sh

// localeData is what CLDR says about formatting money in one locale, as
// cldrgen writes it into cldr_data.go.
type localeData struct {
	parent string // the CLDR parent locale; "" for a language
	// digits are the numbering system's digits 0–9; "" for ASCII (latn).
	digits string
	// The separators of currency amounts (CLDR's currencyDecimal and
	// currencyGroup where the locale has them) and the signs.
	decimal, group, minus, plus string
	// minGrouping is CLDR's minimumGroupingDigits: Spanish writes 1234,50 €
	// but 12.345,00 €.
	minGrouping int
	// pattern is CLDR's standard currency pattern ("#,##0.00 ¤").
	pattern string
	// symbols are the currency symbols that differ from the parent's (or,
	// for a language, from the ISO code).
	symbols map[string]string
	// special are currency-specific formats (CLDR <currency><pattern>): en-150
	// and its children write euros "€1,234.50" whatever their own format.
	special map[string]specialPattern
}

// specialPattern is a currency-specific format; an empty pattern keeps the
// locale's.
type specialPattern struct {
	pattern, decimal, group string
}
