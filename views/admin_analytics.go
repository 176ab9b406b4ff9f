package views

// AnalyticsProps is a page of the staff area's analytics (/admin/analytics):
// the report tabs, the filters, the headline figures, and the report's
// sections, each with its charts and its table.
type AnalyticsProps struct {
	Page AdminPage
	// Report is the report shown (overview, products, ...).
	Report string
	Tabs   []AnalyticsTab
	Filter AnalyticsFilterProps
	// KPIs are the headline figures.
	KPIs []KPI
	// Notice says what a report could not do with the filters.
	Notice   string
	Sections []AnalyticsSection
}

// AnalyticsTab links a report with the current filters.
type AnalyticsTab struct {
	Report, Label, Href string
	Current             bool
}

// AnalyticsFilterProps are the filter form's values and choices.
type AnalyticsFilterProps struct {
	From, To, Country, Region, Hub, Reason, Category, Method string
	Hubs, Reasons, Methods                                   []AdminOption
	// Errors are the messages of the fields that were not valid.
	Errors map[string]FieldError
}

// Error is the message of a field, if any.
func (f AnalyticsFilterProps) Error(field string) FieldError { return f.Errors[field] }

// KPI is a headline figure.
type KPI struct {
	ID, Label, Value, Hint, Href string
}

// AnalyticsSection is a part of a report: a heading, an introduction,
// charts, a table and its CSV export.
type AnalyticsSection struct {
	ID, Title, Intro string
	Bar              *BarChart
	Line             *LineChart
	Stacked          *StackedChart
	Table            *AnalyticsTable
	CSVHref          string
}

// AnalyticsTable is a report table, display-ready.
type AnalyticsTable struct {
	Caption string
	Cols    []TableCol
	Rows    [][]TableCell
	// Empty is said when there are no rows.
	Empty string
}

// TableCol is a column's heading; Num aligns numbers.
type TableCol struct {
	Label string
	Num   bool
}

// TableCell is a cell: its text, a link, and a bar drawn beside it.
type TableCell struct {
	Text, Href string
	// Isolate wraps user-supplied text (<bdi>).
	Isolate bool
	Bar     *InlineBar
}
