package handlers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// analyticsView lays a report out for the page: headline figures, and per
// table a section with a chart where a picture helps, the table itself
// (translated, formatted) and its CSV link.
type analyticsView struct {
	p      *portal
	report string
	query  url.Values
	data   reportData
	rtl    bool
}

// count writes a count in the page's digits.
func (v analyticsView) count(n int64) string { return v.p.cur.Number(n, 0) }

// percent writes a ratio as a percentage with one decimal, or a dash
// without a denominator.
func (v analyticsView) percent(r analytics.Ratio) string {
	pm, ok := r.Scaled(3)
	if !ok {
		return "–"
	}
	return v.p.TData("admin.analytics.percent", map[string]any{"Value": v.p.cur.Number(pm, 1)})
}

// moneyText writes amounts per currency, each in its own format.
// keptMoney is what was paid back for the kept items, per currency.
func keptMoney(rows []service.KeptRow) service.Money {
	m := service.Money{}
	for _, k := range rows {
		if k.Refunded != 0 {
			m[k.Currency] += k.Refunded
		}
	}
	return m
}

func (v analyticsView) moneyText(m service.Money) string {
	if len(m) == 0 {
		return "–"
	}
	var parts []string
	for _, c := range m.Currencies() {
		parts = append(parts, v.p.money(m[c], c))
	}
	return strings.Join(parts, " · ")
}

// code translates a code of a kind (codeMessage: a reason, a state...), the
// code itself when there is no message.
func (v analyticsView) code(kind, code string) string {
	if code == "" {
		return v.p.T("admin.analytics.none")
	}
	return translate(v.p.loc, codeMessage(kind, code), code)
}

// csvHref is the CSV export of a table.
func (v analyticsView) csvHref(table string) string {
	q := url.Values{}
	for k, vs := range v.query {
		q[k] = vs
	}
	if table != "rows" {
		q.Set("table", table)
	}
	return "/admin/analytics/" + v.report + ".csv?" + q.Encode()
}

// table turns a report table into the page's: headings translated
// ("admin.analytics.col.<key>"), codes translated, numbers in the page's
// format, amounts in the row's currency, user text isolated; a bar beside
// the column barCol (-1: none).
func (v analyticsView) table(t reportTable, caption string, barCol int) *views.AnalyticsTable {
	out := &views.AnalyticsTable{Caption: caption, Empty: v.p.T("admin.analytics.empty")}
	currency := -1
	for i, c := range t.cols {
		if c.key == "currency" {
			currency = i
		}
		out.Cols = append(out.Cols, views.TableCol{Label: v.p.T("admin.analytics.col." + c.key),
			Num: c.kind == kindInt || c.kind == kindAmount || c.kind == kindRatio || c.kind == kindMoney})
	}
	var top int64
	if barCol >= 0 {
		for _, r := range t.rows {
			top = max(top, r[barCol].n)
		}
	}
	for _, r := range t.rows {
		row := make([]views.TableCell, len(t.cols))
		for i, c := range t.cols {
			x := r[i]
			cell := views.TableCell{Href: x.href}
			switch {
			case x.null:
				cell.Text = "–"
			case c.kind == kindInt:
				cell.Text = v.count(x.n)
			case c.kind == kindAmount:
				if currency >= 0 {
					cell.Text = v.p.money(x.n, r[currency].s)
				} else {
					cell.Text = v.count(x.n)
				}
			case c.kind == kindMoney:
				cell.Text = v.moneyText(x.money)
			case c.kind == kindRatio:
				cell.Text = v.percent(x.ratio)
			case c.kind == kindBool:
				cell.Text = v.p.T("admin.analytics.no")
				if x.b {
					cell.Text = v.p.T("admin.analytics.yes")
				}
			case c.kind == kindCode:
				cell.Text = v.code(c.codes, x.s)
			default:
				cell.Text, cell.Isolate = x.s, true
				if x.s == "" {
					cell.Text, cell.Isolate = v.p.T("admin.analytics.none"), false
				}
			}
			if i == barCol {
				cell.Bar = &views.InlineBar{Value: x.n, Max: top, RTL: v.rtl}
			}
			row[i] = cell
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// section is a report table's section with its CSV link.
func (v analyticsView) section(name, titleID string, barCol int) views.AnalyticsSection {
	t, _ := v.data.table(name)
	title := v.p.T(titleID)
	return views.AnalyticsSection{ID: v.report + "-" + strings.ReplaceAll(name, "_", "-"), Title: title,
		Table: v.table(t, title, barCol), CSVHref: v.csvHref(name)}
}

// barChart draws bars of a column of a table (at most limit rows), named
// by another column.
func (v analyticsView) barChart(id, title string, labels []string, values []int64, texts []string, series []int, legend []views.LegendItem) *views.BarChart {
	c := &views.BarChart{ID: id, Title: title, RTL: v.rtl, Legend: legend}
	for i := range labels {
		b := views.Bar{Label: labels[i], Value: values[i], ValueText: texts[i]}
		if series != nil {
			b.Series = series[i]
		}
		c.Bars = append(c.Bars, b)
	}
	c.Summary = v.summary(title, labels, texts)
	return c
}

// summary is a chart's text: its title and every label with its value.
func (v analyticsView) summary(title string, labels, texts []string) string {
	if len(labels) == 0 {
		return title + ": " + v.p.T("admin.analytics.empty")
	}
	parts := make([]string, len(labels))
	for i := range labels {
		parts[i] = views.Isolate(labels[i]) + " " + texts[i]
	}
	return title + ": " + strings.Join(parts, "; ") + "."
}

// build fills the page for the report.
func (v analyticsView) build(props *views.AnalyticsProps, rep any) {
	switch r := rep.(type) {
	case service.Overview:
		v.overview(props, r)
	case service.Products:
		v.products(props, r)
	case service.Reasons:
		v.reasons(props, r)
	case service.Countries:
		v.countries(props, r)
	case []service.MoneyRow:
		v.money(props, r)
	case service.Speed:
		v.speed(props, r)
	case service.Customers:
		v.customers(props, r)
	}
}

func (v analyticsView) overview(props *views.AnalyticsProps, o service.Overview) {
	speed := "/admin/analytics/speed?" + v.query.Encode()
	props.KPIs = []views.KPI{
		{ID: "returns", Label: v.p.T("admin.analytics.kpi.returns"), Value: v.count(o.Returns)},
		{ID: "units", Label: v.p.T("admin.analytics.kpi.units"), Value: v.count(o.Units)},
		{ID: "rate", Label: v.p.T("admin.analytics.kpi.unit_rate"), Value: v.percent(o.UnitRate),
			Hint: v.p.TData("admin.analytics.kpi.of_sold", map[string]any{"Units": v.count(o.UnitRate.Den)})},
		{ID: "paid", Label: v.p.T("admin.analytics.kpi.paid"), Value: v.moneyText(o.Paid)},
		{ID: "overdue", Label: v.p.T("admin.analytics.kpi.overdue"), Value: v.count(int64(o.Overdue)), Href: speed},
		{ID: "kept", Label: v.p.T("admin.analytics.kpi.kept"), Value: v.count(o.KeptReturns()),
			Hint: v.p.TData("admin.analytics.kpi.kept_hint", map[string]any{"Amount": v.moneyText(keptMoney(o.Kept))})},
	}
	trend := v.section("rows", "admin.analytics.section.trend", -1)
	line := &views.LineChart{ID: "chart-trend", Title: trend.Title, RTL: v.rtl}
	var labels, texts []string
	for _, pt := range o.Trend {
		label := analytics.DayTime(pt.From).Format("01-02")
		line.Points = append(line.Points, views.LinePoint{Label: label, Value: pt.Returns, ValueText: v.count(pt.Returns)})
		labels, texts = append(labels, analytics.DayTime(pt.From).Format("2006-01-02")), append(texts, v.count(pt.Returns))
	}
	line.Summary = v.summary(trend.Title, labels, texts)
	trend.Line = line
	states := v.section("states", "admin.analytics.section.states", -1)
	labels, texts = nil, nil
	var values []int64
	var series []int
	for _, s := range o.States {
		labels = append(labels, v.code("state", s.State))
		values, texts = append(values, s.Returns), append(texts, v.count(s.Returns))
		switch {
		case !analytics.Counted(s.State):
			series = append(series, 1)
		case s.State == analytics.StateDone:
			series = append(series, 2)
		default:
			series = append(series, 0)
		}
	}
	states.Bar = v.barChart("chart-states", states.Title, labels, values, texts, series, []views.LegendItem{
		{Series: 0, Label: v.p.T("admin.analytics.legend.open")}, {Series: 2, Label: v.p.T("admin.analytics.legend.done")},
		{Series: 1, Label: v.p.T("admin.analytics.legend.void")}})
	props.Sections = []views.AnalyticsSection{trend, states, v.section("value_rates", "admin.analytics.section.value_rates", -1)}
}

func (v analyticsView) products(props *views.AnalyticsProps, pr service.Products) {
	if len(pr.SKUFiltersNotApplied) > 0 {
		label := map[string]string{"country": "admin.analytics.country", "region": "admin.analytics.region",
			"hub": "admin.analytics.hub", "method": "admin.analytics.method"}
		var names []string
		for _, f := range pr.SKUFiltersNotApplied {
			names = append(names, v.p.T(label[f]))
		}
		props.Notice = v.p.TData("admin.analytics.sku_filters", map[string]any{"Filters": strings.Join(names, ", ")})
	}
	skus := v.section("rows", "admin.analytics.section.skus", -1)
	var labels, texts []string
	var values []int64
	for i, r := range pr.SKUs {
		if i == 10 {
			break
		}
		label := r.SKU
		if r.Name != "" {
			label += " " + r.Name
		}
		labels, values, texts = append(labels, label), append(values, r.Returned), append(texts, v.count(r.Returned))
	}
	skus.Bar = v.barChart("chart-skus", v.p.T("admin.analytics.chart.skus"), labels, values, texts, nil, nil)
	cats := v.section("categories", "admin.analytics.section.categories", -1)
	labels, values, texts = nil, nil, nil
	for _, r := range pr.Categories {
		pm, ok := r.Rate.Scaled(3)
		if !ok {
			continue
		}
		label := r.Category
		if label == "" {
			label = v.p.T("admin.analytics.none")
		}
		labels, values, texts = append(labels, label), append(values, pm), append(texts, v.percent(r.Rate))
	}
	cats.Bar = v.barChart("chart-categories", v.p.T("admin.analytics.chart.category_rates"), labels, values, texts, nil, nil)
	props.Sections = []views.AnalyticsSection{skus, cats}
}

func (v analyticsView) reasons(props *views.AnalyticsProps, r service.Reasons) {
	props.KPIs = []views.KPI{{ID: "merchant-fault", Label: v.p.T("admin.analytics.kpi.merchant_fault"),
		Value: v.percent(r.MerchantFault), Hint: v.p.T("admin.analytics.kpi.merchant_fault_hint")}}
	rows := v.section("rows", "admin.analytics.section.reasons", -1)
	rows.Intro = v.p.T("admin.analytics.reasons_intro")
	var labels, texts []string
	var values []int64
	var series []int
	for _, x := range r.Rows {
		labels = append(labels, v.code("reason", x.Reason))
		values, texts = append(values, x.Units), append(texts, v.count(x.Units)+" ("+v.percent(x.Share)+")")
		s := 0
		if x.MerchantFault {
			s = 1
		}
		series = append(series, s)
	}
	rows.Bar = v.barChart("chart-reasons", v.p.T("admin.analytics.chart.reasons"), labels, values, texts, series,
		[]views.LegendItem{{Series: 0, Label: v.p.T("admin.analytics.legend.shopper")}, {Series: 1, Label: v.p.T("admin.analytics.legend.merchant_fault")}})
	byCat := v.section("by_category", "admin.analytics.section.by_category", -1)
	stacked := &views.StackedChart{ID: "chart-by-category", Title: byCat.Title, RTL: v.rtl}
	seriesOf := map[string]int{}
	for i, x := range r.Rows {
		seriesOf[x.Reason] = i
		stacked.Legend = append(stacked.Legend, views.LegendItem{Series: i, Label: v.code("reason", x.Reason)})
	}
	var catLabels, catTexts []string
	for _, x := range r.ByCategory {
		label := x.Category
		if label == "" {
			label = v.p.T("admin.analytics.none")
		}
		if n := len(stacked.Rows); n == 0 || stacked.Rows[n-1].Label != label {
			stacked.Rows = append(stacked.Rows, views.StackedRow{Label: label})
			catLabels, catTexts = append(catLabels, label), append(catTexts, "")
		}
		row := &stacked.Rows[len(stacked.Rows)-1]
		text := v.code("reason", x.Reason) + " " + v.percent(x.Share)
		row.Parts = append(row.Parts, views.StackedPart{Series: seriesOf[x.Reason], Value: x.Units, ValueText: text})
		if t := &catTexts[len(catTexts)-1]; *t == "" {
			*t = text // the category's top reason
		}
	}
	stacked.Summary = v.summary(byCat.Title, catLabels, catTexts)
	byCat.Stacked = stacked
	props.Sections = []views.AnalyticsSection{rows, byCat}
}

func (v analyticsView) countries(props *views.AnalyticsProps, c service.Countries) {
	props.KPIs = []views.KPI{
		{ID: "rate", Label: v.p.T("admin.analytics.kpi.unit_rate"), Value: v.percent(c.Total.Rate)},
		{ID: "cross-border", Label: v.p.T("admin.analytics.kpi.cross_border"), Value: v.percent(c.Total.CrossBorder)},
		{ID: "statutory", Label: v.p.T("admin.analytics.kpi.statutory"), Value: v.percent(c.Total.Statutory)},
		{ID: "law-only", Label: v.p.T("admin.analytics.kpi.law_only"), Value: v.percent(c.Total.LawOnly),
			Hint: v.p.T("admin.analytics.kpi.law_only_hint")},
	}
	countries := v.section("rows", "admin.analytics.section.countries", 1)
	regions := v.section("regions", "admin.analytics.section.regions", 2)
	hubs := v.section("hubs", "admin.analytics.section.hubs", -1)
	var labels, texts []string
	var values []int64
	for _, h := range c.Hubs {
		label := h.Name
		if label == "" {
			label = h.Hub
		}
		if label == "" {
			label = v.p.T("admin.analytics.none")
		}
		labels, values, texts = append(labels, label), append(values, h.Returns), append(texts, v.count(h.Returns))
	}
	hubs.Bar = v.barChart("chart-hubs", v.p.T("admin.analytics.chart.hubs"), labels, values, texts, nil, nil)
	props.Sections = []views.AnalyticsSection{countries, regions, hubs}
}

func (v analyticsView) money(props *views.AnalyticsProps, rows []service.MoneyRow) {
	paid, kept := service.Money{}, service.Money{}
	for _, r := range rows {
		paid[r.Currency] += r.Paid()
		kept[r.Currency] += r.Restocking + r.ReturnShipping
	}
	props.KPIs = []views.KPI{
		{ID: "paid", Label: v.p.T("admin.analytics.kpi.paid"), Value: v.moneyText(paid)},
		{ID: "fees", Label: v.p.T("admin.analytics.kpi.fees"), Value: v.moneyText(kept)},
	}
	if credit, ok := v.data.summary["store_credit_issued"].(map[string]int64); ok && len(credit) > 0 {
		props.KPIs = append(props.KPIs, views.KPI{ID: "store-credit", Label: v.p.T("admin.analytics.kpi.store_credit"),
			Value: v.moneyText(service.Money(credit)), Hint: v.p.T("admin.analytics.kpi.store_credit_hint")})
	}
	s := v.section("rows", "admin.analytics.section.money", -1)
	s.Intro = v.p.T("admin.analytics.money_intro")
	props.Sections = []views.AnalyticsSection{s}
}

// duration writes a bucket's bounds ("24–36 h", "3–5 d", "30 d or more").
func (v analyticsView) duration(bucket int) string {
	from, to := analytics.BucketRange(bucket)
	unit := func(h int64) string {
		if h >= 48 && h%24 == 0 {
			return v.p.TData("admin.analytics.days", map[string]any{"N": v.count(h / 24)})
		}
		return v.p.TData("admin.analytics.hours", map[string]any{"N": v.count(h)})
	}
	switch {
	case to == 0:
		return v.p.TData("admin.analytics.or_more", map[string]any{"From": unit(from)})
	case from == 0:
		return v.p.TData("admin.analytics.under", map[string]any{"To": unit(to)})
	}
	return v.p.TData("admin.analytics.between", map[string]any{"From": unit(from), "To": unit(to)})
}

func (v analyticsView) speed(props *views.AnalyticsProps, s service.Speed) {
	props.KPIs = []views.KPI{
		{ID: "in-time", Label: v.p.T("admin.analytics.kpi.in_time"), Value: v.percent(s.InTime),
			Hint: v.p.TData("admin.analytics.kpi.in_time_hint", map[string]any{"N": v.count(s.InTime.Den)})},
		{ID: "overdue", Label: v.p.T("admin.analytics.kpi.overdue"), Value: v.count(int64(s.Overdue))},
	}
	stages := views.AnalyticsSection{ID: "speed-rows", Title: v.p.T("admin.analytics.section.stages"), CSVHref: v.csvHref("rows")}
	t := &views.AnalyticsTable{Caption: stages.Title, Empty: v.p.T("admin.analytics.empty"), Cols: []views.TableCol{
		{Label: v.p.T("admin.analytics.col.stage")}, {Label: v.p.T("admin.analytics.col.returns"), Num: true},
		{Label: v.p.T("admin.analytics.col.median")}, {Label: v.p.T("admin.analytics.col.p90")}}}
	var labels, texts []string
	var values []int64
	for _, st := range s.Stages {
		median, p90 := "–", "–"
		if st.HasPercentiles {
			median, p90 = v.duration(st.Median), v.duration(st.P90)
			_, to := analytics.BucketRange(st.Median)
			if to == 0 {
				to, _ = analytics.BucketRange(st.Median)
			}
			labels = append(labels, v.code("stage", st.Stage))
			values, texts = append(values, to), append(texts, median)
		}
		t.Rows = append(t.Rows, []views.TableCell{{Text: v.code("stage", st.Stage)}, {Text: v.count(st.Count)},
			{Text: median}, {Text: p90}})
	}
	stages.Table = t
	stages.Bar = v.barChart("chart-stages", v.p.T("admin.analytics.chart.medians"), labels, values, texts, nil, nil)
	dist := views.AnalyticsSection{ID: "speed-distribution", Title: v.p.T("admin.analytics.section.distribution")}
	labels, texts, values = nil, nil, nil
	h := s.Stages[analytics.StageRequestedRefunded].Histogram
	for b, n := range h {
		if n == 0 {
			continue
		}
		labels, values, texts = append(labels, v.duration(b)), append(values, n), append(texts, v.count(n))
	}
	dist.Bar = v.barChart("chart-distribution", dist.Title, labels, values, texts, nil, nil)
	overdue := v.section("overdue", "admin.analytics.section.overdue", -1)
	overdue.Intro = v.p.TData("admin.analytics.overdue_intro", map[string]any{"N": v.count(int64(s.Overdue)),
		"Shown": v.count(int64(len(s.OverdueRows)))})
	if s.Overdue == 0 {
		overdue.Intro = v.p.T("admin.analytics.overdue_none")
	}
	props.Sections = []views.AnalyticsSection{stages, dist, overdue}
}

func (v analyticsView) customers(props *views.AnalyticsProps, c service.Customers) {
	rows := v.section("rows", "admin.analytics.section.customers", 1)
	rows.Intro = v.p.T("admin.analytics.customers_intro")
	props.Sections = []views.AnalyticsSection{rows}
	if fb := c.Feedback; fb != nil {
		avg := analytics.Ratio{Num: fb.ScoreSum * 10, Den: fb.Answers}
		value := "–"
		if s, ok := avg.Scaled(0); ok {
			value = v.p.cur.Number(s, 1)
		}
		props.KPIs = []views.KPI{{ID: "score", Label: v.p.T("admin.analytics.kpi.score"), Value: value,
			Hint: v.p.TData("admin.analytics.kpi.answers", map[string]any{"N": v.count(fb.Answers)})}}
		scores := views.AnalyticsSection{ID: "customers-scores", Title: v.p.T("admin.analytics.section.scores")}
		var labels, texts []string
		var values []int64
		for s := 5; s >= 1; s-- {
			labels = append(labels, strconv.Itoa(s)+" ★")
			values, texts = append(values, fb.PerScore[s]), append(texts, v.count(fb.PerScore[s]))
		}
		scores.Bar = v.barChart("chart-scores", scores.Title, labels, values, texts, nil, nil)
		props.Sections = append(props.Sections, scores, v.section("comments", "admin.analytics.section.comments", -1))
	}
}
