package handlers

import (
	"encoding/json"
	"strconv"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/service"
)

// A report's figures as tables, one model for the JSON API, the CSV
// export and the page's tables: each column has a key (JSON field and CSV
// header, stable and untranslated) and a kind that says how to write it.

// cellKind says how a cell is written.
type cellKind int

const (
	kindText   cellKind = iota // free text (a SKU, a name, an e-mail)
	kindCode                   // a code the page translates (reason, state, method, stage, category)
	kindInt                    // a count
	kindAmount                 // minor units of the row's currency column
	kindMoney                  // minor units per currency (service.Money)
	kindRatio                  // a ratio: a decimal in JSON and CSV, a percentage on the page
	kindBool                   // yes or no
	kindDate                   // YYYY-MM-DD
)

// reportCol is a column of a report table.
type reportCol struct {
	key  string
	kind cellKind
	// codes is the kind of code of a kindCode column (codeMessage).
	codes string
}

// cell is one value; which field is set depends on its column's kind.
type cell struct {
	s     string
	n     int64
	money service.Money
	ratio analytics.Ratio
	b     bool
	// null: no value (null in JSON, empty in CSV, a dash on the page).
	null bool
	// href links the cell on the page (an RMA to its return).
	href string
}

func cText(s string) cell                  { return cell{s: s} }
func cNum(n int64) cell                    { return cell{n: n} }
func cMoney(m service.Money) cell          { return cell{money: m} }
func cRatio(r analytics.Ratio) cell        { return cell{ratio: r} }
func cBool(b bool) cell                    { return cell{b: b} }
func cLinked(s, href string) cell          { return cell{s: s, href: href} }
func cDay(d int64) cell                    { return cell{s: analytics.DayTime(d).Format("2006-01-02")} }
func amountCol(key string) reportCol       { return reportCol{key: key, kind: kindAmount} }
func codeCol(key, prefix string) reportCol { return reportCol{key: key, kind: kindCode, codes: prefix} }

// codeMessage is the message ID that names a code of a kind.
func codeMessage(kind, code string) string {
	switch kind {
	case "reason":
		return "reason." + code
	case "state":
		return "admin.analytics.state." + code
	case "method":
		return "admin.analytics.method." + code
	case "stage":
		return "admin.analytics.stage." + code
	case "status":
		return "status." + code
	}
	return code
}

// reportTable is one table of a report: its name ("rows" for the main
// one), its columns and rows.
type reportTable struct {
	name string
	cols []reportCol
	rows [][]cell
}

// ratioScale is how many decimals a ratio has in JSON and CSV.
const ratioScale = 4

// jsonValue is a cell as JSON: numbers exact (ratios as decimal numbers,
// null without a denominator), money as {"EUR": minor}.
func (c reportCol) jsonValue(v cell) any {
	if v.null {
		return nil
	}
	switch c.kind {
	case kindInt, kindAmount:
		return v.n
	case kindMoney:
		if v.money == nil {
			return map[string]int64{}
		}
		return map[string]int64(v.money)
	case kindRatio:
		if !v.ratio.Valid() {
			return nil
		}
		return json.Number(v.ratio.Decimal(ratioScale))
	case kindBool:
		return v.b
	}
	return v.s
}

// jsonRows are a table's rows as JSON objects.
func (t reportTable) jsonRows() []map[string]any {
	out := make([]map[string]any, 0, len(t.rows))
	for _, r := range t.rows {
		o := make(map[string]any, len(t.cols))
		for i, c := range t.cols {
			o[c.key] = c.jsonValue(r[i])
		}
		out = append(out, o)
	}
	return out
}

// csvHeader and csvRecord write a table as CSV: a money column becomes one
// column per currency of the table ("refund_amounts.EUR", minor units).
func (t reportTable) csvCurrencies(col int) []string {
	m := service.Money{}
	for _, r := range t.rows {
		for c := range r[col].money {
			m[c] = 1
		}
	}
	return m.Currencies()
}

func (t reportTable) csvHeader() []string {
	var h []string
	for i, c := range t.cols {
		if c.kind == kindMoney {
			for _, cur := range t.csvCurrencies(i) {
				h = append(h, c.key+"."+cur)
			}
			continue
		}
		h = append(h, c.key)
	}
	return h
}

func (t reportTable) csvRecord(r []cell) []string {
	var rec []string
	for i, c := range t.cols {
		v := r[i]
		if v.null && c.kind != kindMoney {
			rec = append(rec, "")
			continue
		}
		switch c.kind {
		case kindMoney:
			for _, cur := range t.csvCurrencies(i) {
				rec = append(rec, strconv.FormatInt(v.money[cur], 10))
			}
		case kindInt, kindAmount:
			rec = append(rec, strconv.FormatInt(v.n, 10))
		case kindRatio:
			rec = append(rec, v.ratio.Decimal(ratioScale))
		case kindBool:
			rec = append(rec, strconv.FormatBool(v.b))
		default:
			// Text comes from shops and shoppers: defused (csvCell).
			rec = append(rec, csvCell(v.s))
		}
	}
	return rec
}

// reportData is a report as tables, with the figures that are no table
// (summary) for JSON.
type reportData struct {
	tables  []reportTable
	summary map[string]any
}

// table finds a table by name.
func (d reportData) table(name string) (reportTable, bool) {
	for _, t := range d.tables {
		if t.name == name {
			return t, true
		}
	}
	return reportTable{}, false
}

// reportTables builds a report's tables from the service's report.
func overviewData(o service.Overview) reportData {
	trend := reportTable{name: "rows", cols: []reportCol{{key: "week", kind: kindDate}, {key: "until", kind: kindDate},
		{key: "returns", kind: kindInt}, {key: "units", kind: kindInt}}}
	for _, p := range o.Trend {
		trend.rows = append(trend.rows, []cell{cDay(p.From), cDay(p.To), cNum(p.Returns), cNum(p.Units)})
	}
	states := reportTable{name: "states", cols: []reportCol{codeCol("state", "state"), {key: "returns", kind: kindInt}}}
	stateMap := map[string]int64{}
	for _, s := range o.States {
		states.rows = append(states.rows, []cell{cText(s.State), cNum(s.Returns)})
		stateMap[s.State] = s.Returns
	}
	value := reportTable{name: "value_rates", cols: []reportCol{{key: "currency", kind: kindText},
		{key: "returned_value", kind: kindAmount}, {key: "sold_value", kind: kindAmount}, {key: "value_return_rate", kind: kindRatio}}}
	rates := map[string]any{}
	for _, v := range o.ValueRates {
		value.rows = append(value.rows, []cell{cText(v.Currency), cNum(v.Num), cNum(v.Den), cRatio(v.Ratio)})
		rates[v.Currency] = reportCol{kind: kindRatio}.jsonValue(cRatio(v.Ratio))
	}
	kept := reportTable{name: "kept_by_currency", cols: []reportCol{{key: "currency", kind: kindText},
		{key: "returns", kind: kindInt}, {key: "refunded", kind: kindAmount}}}
	keptPaid := map[string]int64{}
	for _, k := range o.Kept {
		kept.rows = append(kept.rows, []cell{cText(k.Currency), cNum(k.Returns), cNum(k.Refunded)})
		keptPaid[k.Currency] = k.Refunded
	}
	return reportData{tables: []reportTable{trend, states, value, kept}, summary: map[string]any{
		"returns": o.Returns, "units": o.Units, "paid": map[string]int64(o.Paid),
		"kept": o.KeptReturns(), "kept_refunded": keptPaid,
		"units_sold":         o.UnitRate.Den,
		"unit_return_rate":   reportCol{kind: kindRatio}.jsonValue(cRatio(o.UnitRate)),
		"value_return_rates": rates, "states": stateMap, "overdue_now": o.Overdue,
	}}
}

func productCols(sku bool) []reportCol {
	var cols []reportCol
	if sku {
		cols = append(cols, reportCol{key: "sku"}, reportCol{key: "name"})
	}
	return append(cols, reportCol{key: "category"}, reportCol{key: "units_sold", kind: kindInt},
		reportCol{key: "units_returned", kind: kindInt}, reportCol{key: "return_rate", kind: kindRatio},
		codeCol("top_reason", "reason"), reportCol{key: "inspected_units", kind: kindInt},
		reportCol{key: "not_resellable_units", kind: kindInt}, reportCol{key: "not_resellable_share", kind: kindRatio})
}

func productCells(p service.ProductRow, sku bool) []cell {
	var cells []cell
	if sku {
		cells = append(cells, cText(p.SKU), cText(p.Name))
	}
	return append(cells, cText(p.Category), cNum(p.Sold), cNum(p.Returned), cRatio(p.Rate), cText(p.TopReason),
		cNum(p.Inspected), cNum(p.Unsellable), cRatio(p.UnsellableShare))
}

func productsData(p service.Products) reportData {
	skus := reportTable{name: "rows", cols: productCols(true)}
	for _, r := range p.SKUs {
		skus.rows = append(skus.rows, productCells(r, true))
	}
	cats := reportTable{name: "categories", cols: append(productCols(false), reportCol{key: "refund_amounts", kind: kindMoney})}
	for _, r := range p.Categories {
		cats.rows = append(cats.rows, append(productCells(r, false), cMoney(r.Value)))
	}
	notApplied := p.SKUFiltersNotApplied
	if notApplied == nil {
		notApplied = []string{}
	}
	return reportData{tables: []reportTable{skus, cats}, summary: map[string]any{"sku_filters_not_applied": notApplied}}
}

func reasonsData(r service.Reasons) reportData {
	rows := reportTable{name: "rows", cols: []reportCol{codeCol("reason", "reason"), {key: "merchant_fault", kind: kindBool},
		{key: "returns", kind: kindInt}, {key: "units", kind: kindInt}, {key: "share", kind: kindRatio},
		{key: "refund_amounts", kind: kindMoney}}}
	for _, x := range r.Rows {
		rows.rows = append(rows.rows, []cell{cText(x.Reason), cBool(x.MerchantFault), cNum(x.Returns), cNum(x.Units),
			cRatio(x.Share), cMoney(x.Value)})
	}
	cats := reportTable{name: "by_category", cols: []reportCol{{key: "category"}, codeCol("reason", "reason"),
		{key: "units", kind: kindInt}, {key: "share", kind: kindRatio}}}
	for _, x := range r.ByCategory {
		cats.rows = append(cats.rows, []cell{cText(x.Category), cText(x.Reason), cNum(x.Units), cRatio(x.Share)})
	}
	return reportData{tables: []reportTable{rows, cats}, summary: map[string]any{
		"merchant_fault_units": r.MerchantFault.Num, "units": r.MerchantFault.Den,
		"merchant_fault_share": reportCol{kind: kindRatio}.jsonValue(cRatio(r.MerchantFault))}}
}

func geoCols(region bool) []reportCol {
	cols := []reportCol{{key: "country"}}
	if region {
		cols = append(cols, reportCol{key: "region"})
	}
	return append(cols, reportCol{key: "returns", kind: kindInt}, reportCol{key: "units", kind: kindInt},
		reportCol{key: "units_sold", kind: kindInt}, reportCol{key: "return_rate", kind: kindRatio},
		reportCol{key: "cross_border_share", kind: kindRatio}, reportCol{key: "statutory_share", kind: kindRatio},
		reportCol{key: "law_only_share", kind: kindRatio})
}

func geoCells(g service.GeoRow, region bool) []cell {
	cells := []cell{cText(g.Country)}
	if region {
		cells = append(cells, cText(g.Region))
	}
	return append(cells, cNum(g.Returns), cNum(g.Units), cNum(g.Sold), cRatio(g.Rate), cRatio(g.CrossBorder),
		cRatio(g.Statutory), cRatio(g.LawOnly))
}

func countriesData(c service.Countries) reportData {
	countries := reportTable{name: "rows", cols: geoCols(false)}
	for _, g := range c.Countries {
		countries.rows = append(countries.rows, geoCells(g, false))
	}
	regions := reportTable{name: "regions", cols: geoCols(true)}
	for _, g := range c.Regions {
		regions.rows = append(regions.rows, geoCells(g, true))
	}
	hubs := reportTable{name: "hubs", cols: []reportCol{{key: "hub"}, {key: "hub_name"}, {key: "country"},
		{key: "returns", kind: kindInt}, {key: "units", kind: kindInt}, {key: "cross_border_share", kind: kindRatio}}}
	for _, h := range c.Hubs {
		hubs.rows = append(hubs.rows, []cell{cText(h.Hub), cText(h.Name), cText(h.Country), cNum(h.Returns), cNum(h.Units),
			cRatio(h.CrossBorder)})
	}
	total := reportTable{cols: geoCols(false)}
	o := map[string]any{}
	for i, col := range total.cols[1:] {
		o[col.key] = col.jsonValue(geoCells(c.Total, false)[i+1])
	}
	return reportData{tables: []reportTable{countries, regions, hubs}, summary: map[string]any{"total": o}}
}

func moneyData(rows []service.MoneyRow) reportData {
	t := reportTable{name: "rows", cols: []reportCol{codeCol("method", "method"), {key: "currency"},
		{key: "refunds", kind: kindInt}, amountCol("refunded"), amountCol("bonus"), amountCol("goodwill"), amountCol("paid"),
		amountCol("restocking_fees"), amountCol("return_shipping_fees"), amountCol("outbound_shipping_refunded")}}
	credit := service.Money{}
	for _, r := range rows {
		t.rows = append(t.rows, []cell{cText(r.Method), cText(r.Currency), cNum(r.Refunds), cNum(r.Refunded), cNum(r.Bonus),
			cNum(r.Goodwill), cNum(r.Paid()), cNum(r.Restocking), cNum(r.ReturnShipping), cNum(r.Outbound)})
		if r.Method == "store_credit" {
			credit[r.Currency] += r.Refunded + r.Bonus
		}
	}
	return reportData{tables: []reportTable{t}, summary: map[string]any{"store_credit_issued": map[string]int64(credit)}}
}

func speedData(s service.Speed, rmaHref func(string) string) reportData {
	stages := reportTable{name: "rows", cols: []reportCol{codeCol("stage", "stage"),
		{key: "returns", kind: kindInt}, {key: "median_from_hours", kind: kindInt}, {key: "median_to_hours", kind: kindInt},
		{key: "p90_from_hours", kind: kindInt}, {key: "p90_to_hours", kind: kindInt}}}
	none := cell{null: true}
	bounds := func(bucket int) (cell, cell) {
		from, to := analytics.BucketRange(bucket)
		if to == 0 { // the open last bucket
			return cNum(from), none
		}
		return cNum(from), cNum(to)
	}
	for _, st := range s.Stages {
		row := []cell{cText(st.Stage), cNum(st.Count), none, none, none, none}
		if st.HasPercentiles {
			row[2], row[3] = bounds(st.Median)
			row[4], row[5] = bounds(st.P90)
		}
		stages.rows = append(stages.rows, row)
	}
	overdue := reportTable{name: "overdue", cols: []reportCol{{key: "rma"}, codeCol("status", "status"), {key: "country"},
		{key: "refund_due", kind: kindDate}, {key: "requested", kind: kindDate}}}
	for _, o := range s.OverdueRows {
		overdue.rows = append(overdue.rows, []cell{cLinked(o.RMA, rmaHref(o.RMA)), cText(o.Status), cText(o.Country), cText(o.Due),
			cDay(analytics.Day(o.CreatedAt))})
	}
	return reportData{tables: []reportTable{stages, overdue}, summary: map[string]any{
		"refunds_with_deadline": s.InTime.Den, "refunded_in_time": s.InTime.Num,
		"refunded_in_time_share": reportCol{kind: kindRatio}.jsonValue(cRatio(s.InTime)), "overdue_now": s.Overdue}}
}

func customersData(c service.Customers) reportData {
	rows := reportTable{name: "rows", cols: []reportCol{{key: "email"}, {key: "returns", kind: kindInt},
		{key: "returns_in_range", kind: kindInt}, {key: "units_returned", kind: kindInt}, {key: "orders", kind: kindInt},
		{key: "units_bought", kind: kindInt}, {key: "return_rate", kind: kindRatio}}}
	for _, r := range c.Rows {
		rows.rows = append(rows.rows, []cell{cText(r.Email), cNum(r.Returns), cNum(r.InRange), cNum(r.UnitsReturned),
			cNum(r.Orders), cNum(r.UnitsBought), cRatio(r.Rate)})
	}
	d := reportData{tables: []reportTable{rows}, summary: map[string]any{"feedback": nil}}
	if fb := c.Feedback; fb != nil {
		comments := reportTable{name: "comments", cols: []reportCol{{key: "rma"}, {key: "score", kind: kindInt},
			{key: "comment"}, {key: "at", kind: kindDate}}}
		for _, cm := range fb.Comments {
			comments.rows = append(comments.rows, []cell{cText(cm.RMA), cNum(int64(cm.Score)), cText(cm.Comment),
				cDay(analytics.Day(cm.At))})
		}
		d.tables = append(d.tables, comments)
		per := map[string]int64{}
		for s := 1; s <= 5; s++ {
			per[strconv.Itoa(s)] = fb.PerScore[s]
		}
		d.summary["feedback"] = map[string]any{"answers": fb.Answers,
			"average_score": reportCol{kind: kindRatio}.jsonValue(cRatio(analytics.Ratio{Num: fb.ScoreSum, Den: fb.Answers})),
			"per_score":     per}
	}
	return d
}
