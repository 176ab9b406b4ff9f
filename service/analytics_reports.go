package service

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/store"
)

// countedStates are the states of the returns every report counts: all but
// cancelled, rejected and expired (analytics.Counted).
var countedStates = append(slices.Clone(analytics.OpenStates), analytics.StateDone)

// Money is an amount per currency (minor units): reports never convert.
type Money map[string]int64

func (m Money) add(currency string, v int64) {
	if v != 0 {
		m[currency] += v
	}
}

// Currencies are the currencies of an amount, sorted.
func (m Money) Currencies() []string {
	out := make([]string, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// CurrencyRatio is a ratio of amounts in one currency.
type CurrencyRatio struct {
	Currency string
	analytics.Ratio
}

// StateCount is the number of returns in a report state.
type StateCount struct {
	State   string
	Returns int64
}

// TrendPoint is the returns requested on the days From to To (a week, or
// more weeks over long ranges; the first and last may be cut by the range).
type TrendPoint struct {
	From, To       int64
	Returns, Units int64
}

// Overview is the overview report: counted returns and their units, what
// was paid back per currency (refunds, bonus and goodwill), the return
// rates, the returns of the range by state, the returns overdue now, and
// the weekly trend.
type Overview struct {
	Returns, Units int64
	Paid           Money
	// UnitRate is units returned ÷ units sold in orders placed in the
	// range; ValueRates are the paid value of the units returned ÷ the
	// value sold, per currency.
	UnitRate   analytics.Ratio
	ValueRates []CurrencyRatio
	States     []StateCount
	Overdue    int
	Trend      []TrendPoint
	// Kept are the counted returns whose shopper kept the items
	// (returnless), per currency with what was paid back for them.
	Kept []KeptRow
}

// KeptRow is the keep-the-item returns of one currency: how many, and what
// the rules owed for them that was paid back (minor units).
type KeptRow struct {
	Currency          string
	Returns, Refunded int64
}

// KeptReturns is the number of keep-the-item returns in every currency.
func (o Overview) KeptReturns() int64 {
	var n int64
	for _, k := range o.Kept {
		n += k.Returns
	}
	return n
}

// ReportOverview builds the overview report.
func (s *Service) ReportOverview(ctx context.Context, f store.AnalyticsFilter) (Overview, error) {
	var out Overview
	out.Paid = Money{}
	byState, err := s.st.SumReturns(ctx, f, nil, []int{analytics.MReturns, analytics.MUnits, analytics.MValue,
		analytics.MRefunded, analytics.MBonus, analytics.MGoodwill, analytics.MKept, analytics.MKeptRefunded}, "state", "currency")
	if err != nil {
		return out, err
	}
	value, kept, keptPaid := Money{}, Money{}, Money{}
	states := map[string]int64{}
	for _, r := range byState {
		state, currency := r.Key[0], r.Key[1]
		states[state] += r.M[analytics.MReturns]
		if !analytics.Counted(state) {
			continue
		}
		out.Returns += r.M[analytics.MReturns]
		out.Units += r.M[analytics.MUnits]
		value.add(currency, r.M[analytics.MValue])
		out.Paid.add(currency, r.M[analytics.MRefunded]+r.M[analytics.MBonus]+r.M[analytics.MGoodwill])
		kept.add(currency, r.M[analytics.MKept])
		keptPaid.add(currency, r.M[analytics.MKeptRefunded])
	}
	for _, c := range unionCurrencies(kept, keptPaid) {
		out.Kept = append(out.Kept, KeptRow{Currency: c, Returns: kept[c], Refunded: keptPaid[c]})
	}
	for _, st := range append(slices.Clone(analytics.OpenStates), append([]string{analytics.StateDone}, analytics.VoidStates...)...) {
		out.States = append(out.States, StateCount{State: st, Returns: states[st]})
	}
	sales, err := s.st.SumSales(ctx, f, "currency")
	if err != nil {
		return out, err
	}
	sold := Money{}
	for _, r := range sales {
		out.UnitRate.Den += r.M[analytics.OUnits]
		sold.add(r.Key[0], r.M[analytics.OValue])
	}
	out.UnitRate.Num = out.Units
	for _, c := range unionCurrencies(value, sold) {
		out.ValueRates = append(out.ValueRates, CurrencyRatio{Currency: c, Ratio: analytics.Ratio{Num: value[c], Den: sold[c]}})
	}
	if out.Overdue, _, err = s.st.OverdueReturns(ctx, f, s.now(), 0); err != nil {
		return out, err
	}
	out.Trend, err = s.trend(ctx, f)
	return out, err
}

func unionCurrencies(ms ...Money) []string {
	seen := Money{}
	for _, m := range ms {
		for c := range m {
			seen[c] = 1
		}
	}
	return seen.Currencies()
}

// maxTrendPoints bounds a trend: a long range is shown in blocks of two,
// four... weeks.
const maxTrendPoints = 26

// trendPoints splits a range into the trend's points: the weeks (Monday to
// Sunday) it touches, or blocks of 2^k weeks when there would be more than
// maxTrendPoints, each cut to the range.
func trendPoints(from, to int64) []TrendPoint {
	level := 1
	for ; level < analytics.Levels-1; level++ {
		n := (analytics.BlockOf(level, to).Start-analytics.BlockOf(level, from).Start)/analytics.BlockOf(level, from).Len() + 1
		if n <= maxTrendPoints {
			break
		}
	}
	var out []TrendPoint
	for b := analytics.BlockOf(level, from); b.Start <= to; b = analytics.BlockOf(level, b.End()+1) {
		out = append(out, TrendPoint{From: max(b.Start, from), To: min(b.End(), to)})
	}
	return out
}

func (s *Service) trend(ctx context.Context, f store.AnalyticsFilter) ([]TrendPoint, error) {
	points := trendPoints(f.From, f.To)
	var blocks []analytics.Block
	owner := map[int64]int{} // a block's first day → its point
	for i, p := range points {
		for _, b := range analytics.Blocks(p.From, p.To) {
			blocks = append(blocks, b)
			owner[b.Start] = i
		}
	}
	sums, err := s.st.SumReturnsPerBlock(ctx, f, blocks, countedStates, []int{analytics.MReturns, analytics.MUnits})
	if err != nil {
		return nil, err
	}
	for _, r := range sums {
		start, err := strconv.ParseInt(r.Key[0], 10, 64)
		if err != nil {
			return nil, err
		}
		if i, ok := owner[start]; ok {
			points[i].Returns += r.M[analytics.MReturns]
			points[i].Units += r.M[analytics.MUnits]
		}
	}
	return points, nil
}

// ProductRow is a SKU or a category in the products report: units sold in
// the range, units returned, the return rate, the reason most units came
// back for, and the units inspected and found not resellable.
type ProductRow struct {
	SKU, Name, Category   string
	Sold, Returned        int64
	Rate                  analytics.Ratio
	TopReason             string
	Inspected, Unsellable int64
	UnsellableShare       analytics.Ratio
	Value                 Money
}

// Products is the products report: the top SKUs and every category.
// SKUFiltersNotApplied names the filters the SKU rows cannot apply (the
// SKU tables have no country, region, hub or method): the categories and
// the totals apply every filter.
type Products struct {
	SKUs                 []ProductRow
	Categories           []ProductRow
	SKUFiltersNotApplied []string
}

// TopSKURows is how many SKUs the products report lists.
const TopSKURows = 20

// ReportProducts builds the products report.
func (s *Service) ReportProducts(ctx context.Context, f store.AnalyticsFilter) (Products, error) {
	var out Products
	for _, d := range []struct{ name, v string }{{"country", f.Country}, {"region", f.Region}, {"hub", f.Hub}, {"method", f.Method}} {
		if d.v != "" {
			out.SKUFiltersNotApplied = append(out.SKUFiltersNotApplied, d.name)
		}
	}
	byCat, err := s.st.SumReturns(ctx, f, countedStates, []int{analytics.MUnits, analytics.MValue, analytics.MInspectedUnits,
		analytics.MUnsellableUnits}, "category", "reason", "currency")
	if err != nil {
		return out, err
	}
	rows := map[string]*ProductRow{}
	catReasons := map[string]map[string]int64{}
	row := func(c string) *ProductRow {
		if rows[c] == nil {
			rows[c] = &ProductRow{Category: c, Value: Money{}}
			catReasons[c] = map[string]int64{}
		}
		return rows[c]
	}
	for _, r := range byCat {
		p := row(r.Key[0])
		p.Returned += r.M[analytics.MUnits]
		p.Inspected += r.M[analytics.MInspectedUnits]
		p.Unsellable += r.M[analytics.MUnsellableUnits]
		p.Value.add(r.Key[2], r.M[analytics.MValue])
		catReasons[r.Key[0]][r.Key[1]] += r.M[analytics.MUnits]
	}
	sales, err := s.st.SumSales(ctx, f, "category")
	if err != nil {
		return out, err
	}
	for _, r := range sales {
		row(r.Key[0]).Sold += r.M[analytics.OUnits]
	}
	for c, p := range rows {
		p.Rate = analytics.Ratio{Num: p.Returned, Den: p.Sold}
		p.UnsellableShare = analytics.Ratio{Num: p.Unsellable, Den: p.Inspected}
		p.TopReason = topKey(catReasons[c])
		out.Categories = append(out.Categories, *p)
	}
	sort.Slice(out.Categories, func(i, j int) bool {
		a, b := out.Categories[i], out.Categories[j]
		if a.Returned != b.Returned {
			return a.Returned > b.Returned
		}
		return a.Category < b.Category
	})
	// The reasons the SKUs can have come back for: those of the range (of
	// the SKU rows' filter, when the categories' is narrower).
	seen := map[string]bool{}
	for _, rs := range catReasons {
		for r := range rs {
			seen[r] = true
		}
	}
	if len(out.SKUFiltersNotApplied) > 0 {
		all, err := s.st.SumReturns(ctx, skuFilter(f), countedStates, []int{analytics.MUnits}, "reason")
		if err != nil {
			return out, err
		}
		for _, r := range all {
			seen[r.Key[0]] = true
		}
	}
	reasonCodes := make([]string, 0, len(seen))
	for r := range seen {
		reasonCodes = append(reasonCodes, r)
	}
	sort.Strings(reasonCodes)
	top, err := s.st.TopSKUs(ctx, f, TopSKURows)
	if err != nil {
		return out, err
	}
	skus := make([]string, len(top))
	for i, t := range top {
		skus[i] = t.SKU
	}
	reasons, err := s.st.SKUReasons(ctx, skuFilter(f), skus, reasonCodes)
	if err != nil {
		return out, err
	}
	sold, err := s.st.SKUSales(ctx, f, skus)
	if err != nil {
		return out, err
	}
	for _, t := range top {
		out.SKUs = append(out.SKUs, ProductRow{SKU: t.SKU, Name: t.Name, Category: t.Category, Sold: sold[t.SKU],
			Returned: t.Units, Rate: analytics.Ratio{Num: t.Units, Den: sold[t.SKU]}, TopReason: topKey(reasons[t.SKU]),
			Inspected: t.InspectedUnits, Unsellable: t.UnsellableUnits,
			UnsellableShare: analytics.Ratio{Num: t.UnsellableUnits, Den: t.InspectedUnits}})
	}
	return out, nil
}

// skuFilter is the part of a filter the SKU tables apply: the range, the
// reason and the category.
func skuFilter(f store.AnalyticsFilter) store.AnalyticsFilter {
	return store.AnalyticsFilter{From: f.From, To: f.To, Reason: f.Reason, Category: f.Category}
}

// topKey is the key with the largest count (the smallest key of a tie),
// "" for none.
func topKey(m map[string]int64) string {
	best, n := "", int64(0)
	for k, v := range m {
		if v > n || v == n && v > 0 && k < best {
			best, n = k, v
		}
	}
	return best
}

// ReasonRow is a reason in the reasons report: the returns whose first
// item gave it, the units and the paid value of the items that gave it,
// its share of the units, and whether the policy calls it the merchant's
// fault.
type ReasonRow struct {
	Reason         string
	MerchantFault  bool
	Returns, Units int64
	Value          Money
	Share          analytics.Ratio
}

// ReasonCategory is the units returned for a reason in a category.
type ReasonCategory struct {
	Category, Reason string
	Units            int64
	// Share is of the category's units.
	Share analytics.Ratio
}

// Reasons is the reasons report; MerchantFault is the share of units
// returned for a reason the merchant could fix (the policy's
// merchant_fault reasons).
type Reasons struct {
	Rows          []ReasonRow
	ByCategory    []ReasonCategory
	MerchantFault analytics.Ratio
}

// ReportReasons builds the reasons report.
func (s *Service) ReportReasons(ctx context.Context, f store.AnalyticsFilter) (Reasons, error) {
	var out Reasons
	_, pol, err := s.Policy(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return out, err
	}
	fault := map[string]bool{}
	for _, r := range pol.Reasons {
		fault[r.Code] = r.MerchantFault
	}
	sums, err := s.st.SumReturns(ctx, f, countedStates, []int{analytics.MReturns, analytics.MUnits, analytics.MValue},
		"reason", "category", "currency")
	if err != nil {
		return out, err
	}
	rows := map[string]*ReasonRow{}
	cats := map[[2]string]int64{}
	catUnits := map[string]int64{}
	var units int64
	for _, r := range sums {
		reason, cat, cur := r.Key[0], r.Key[1], r.Key[2]
		row := rows[reason]
		if row == nil {
			row = &ReasonRow{Reason: reason, MerchantFault: fault[reason], Value: Money{}}
			rows[reason] = row
		}
		row.Returns += r.M[analytics.MReturns]
		row.Units += r.M[analytics.MUnits]
		row.Value.add(cur, r.M[analytics.MValue])
		cats[[2]string{cat, reason}] += r.M[analytics.MUnits]
		catUnits[cat] += r.M[analytics.MUnits]
		units += r.M[analytics.MUnits]
	}
	out.MerchantFault.Den = units
	for _, row := range rows {
		row.Share = analytics.Ratio{Num: row.Units, Den: units}
		if row.MerchantFault {
			out.MerchantFault.Num += row.Units
		}
		out.Rows = append(out.Rows, *row)
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		a, b := out.Rows[i], out.Rows[j]
		if a.Units != b.Units {
			return a.Units > b.Units
		}
		return a.Reason < b.Reason
	})
	for k, n := range cats {
		out.ByCategory = append(out.ByCategory, ReasonCategory{Category: k[0], Reason: k[1], Units: n,
			Share: analytics.Ratio{Num: n, Den: catUnits[k[0]]}})
	}
	sort.Slice(out.ByCategory, func(i, j int) bool {
		a, b := out.ByCategory[i], out.ByCategory[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		if a.Units != b.Units {
			return a.Units > b.Units
		}
		return a.Reason < b.Reason
	})
	return out, nil
}

// GeoRow is a country (or a region of one) in the countries report: its
// returns and units, the units sold there and the return rate, the share
// of its returns sent to a hub in another country (of those whose hub the
// policy knows), and the shares on the statutory basis and made possible
// by the law alone.
type GeoRow struct {
	Country, Region      string
	Returns, Units, Sold int64
	Rate                 analytics.Ratio
	CrossBorder          analytics.Ratio
	Statutory, LawOnly   analytics.Ratio
}

// HubRow is a hub in the countries report.
type HubRow struct {
	Hub, Name, Country string
	Returns, Units     int64
	CrossBorder        analytics.Ratio
}

// Countries is the countries and hubs report, with the totals of its
// shares.
type Countries struct {
	Countries, Regions []GeoRow
	Hubs               []HubRow
	Total              GeoRow
}

// ReportCountries builds the countries and hubs report.
func (s *Service) ReportCountries(ctx context.Context, f store.AnalyticsFilter) (Countries, error) {
	var out Countries
	_, pol, err := s.Policy(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return out, err
	}
	hubCountry, hubName := map[string]string{}, map[string]string{}
	for _, h := range pol.Hubs {
		hubCountry[h.Code], hubName[h.Code] = h.Address.Country, h.Name
	}
	sums, err := s.st.SumReturns(ctx, f, countedStates, []int{analytics.MReturns, analytics.MUnits, analytics.MStatutory,
		analytics.MLawOnly}, "country", "region", "hub")
	if err != nil {
		return out, err
	}
	countries, regions := map[string]*GeoRow{}, map[[2]string]*GeoRow{}
	hubs := map[string]*HubRow{}
	add := func(g *GeoRow, m []int64, hub, country string) {
		g.Returns += m[analytics.MReturns]
		g.Units += m[analytics.MUnits]
		g.Statutory.Num += m[analytics.MStatutory]
		g.LawOnly.Num += m[analytics.MLawOnly]
		if hc, ok := hubCountry[hub]; ok {
			g.CrossBorder.Den += m[analytics.MReturns]
			if hc != country {
				g.CrossBorder.Num += m[analytics.MReturns]
			}
		}
	}
	for _, r := range sums {
		country, region, hub := r.Key[0], r.Key[1], r.Key[2]
		if countries[country] == nil {
			countries[country] = &GeoRow{Country: country}
		}
		add(countries[country], r.M, hub, country)
		add(&out.Total, r.M, hub, country)
		if region != "" {
			k := [2]string{country, region}
			if regions[k] == nil {
				regions[k] = &GeoRow{Country: country, Region: region}
			}
			add(regions[k], r.M, hub, country)
		}
		if hubs[hub] == nil {
			hubs[hub] = &HubRow{Hub: hub, Name: hubName[hub], Country: hubCountry[hub]}
		}
		h := hubs[hub]
		h.Returns += r.M[analytics.MReturns]
		h.Units += r.M[analytics.MUnits]
		if hc, ok := hubCountry[hub]; ok {
			h.CrossBorder.Den += r.M[analytics.MReturns]
			if hc != country {
				h.CrossBorder.Num += r.M[analytics.MReturns]
			}
		}
	}
	sales, err := s.st.SumSales(ctx, f, "country", "region")
	if err != nil {
		return out, err
	}
	for _, r := range sales {
		country, region := r.Key[0], r.Key[1]
		if countries[country] == nil {
			countries[country] = &GeoRow{Country: country}
		}
		countries[country].Sold += r.M[analytics.OUnits]
		out.Total.Sold += r.M[analytics.OUnits]
		if g := regions[[2]string{country, region}]; g != nil {
			g.Sold += r.M[analytics.OUnits]
		}
	}
	finish := func(g *GeoRow) GeoRow {
		g.Rate = analytics.Ratio{Num: g.Units, Den: g.Sold}
		g.Statutory.Den, g.LawOnly.Den = g.Returns, g.Returns
		return *g
	}
	for _, g := range countries {
		out.Countries = append(out.Countries, finish(g))
	}
	for _, g := range regions {
		out.Regions = append(out.Regions, finish(g))
	}
	out.Total = finish(&out.Total)
	byReturns := func(rows []GeoRow) {
		sort.Slice(rows, func(i, j int) bool {
			a, b := rows[i], rows[j]
			if a.Returns != b.Returns {
				return a.Returns > b.Returns
			}
			if a.Country != b.Country {
				return a.Country < b.Country
			}
			return a.Region < b.Region
		})
	}
	byReturns(out.Countries)
	byReturns(out.Regions)
	for _, h := range hubs {
		out.Hubs = append(out.Hubs, *h)
	}
	sort.Slice(out.Hubs, func(i, j int) bool {
		if out.Hubs[i].Returns != out.Hubs[j].Returns {
			return out.Hubs[i].Returns > out.Hubs[j].Returns
		}
		return out.Hubs[i].Hub < out.Hubs[j].Hub
	})
	return out, nil
}

// MoneyRow is the money of the refunds paid by one method in one
// currency: what the rules owed (Refunded), the store-credit bonus, the
// goodwill, the fees kept and the outbound shipping refunded.
type MoneyRow struct {
	Method, Currency                                               string
	Refunds, Refunded, Bonus, Goodwill, Restocking, ReturnShipping int64
	Outbound                                                       int64
}

// Paid is everything the row paid back (rules, bonus and goodwill).
func (r MoneyRow) Paid() int64 { return r.Refunded + r.Bonus + r.Goodwill }

// ReportMoney builds the money report: a row per refund method and
// currency, by method then currency.
func (s *Service) ReportMoney(ctx context.Context, f store.AnalyticsFilter) ([]MoneyRow, error) {
	sums, err := s.st.SumReturns(ctx, f, countedStates, []int{analytics.MRefunds, analytics.MRefunded, analytics.MBonus,
		analytics.MGoodwill, analytics.MRestocking, analytics.MReturnShipping, analytics.MOutbound}, "method", "currency")
	if err != nil {
		return nil, err
	}
	var out []MoneyRow
	for _, r := range sums {
		if r.M[analytics.MRefunds] == 0 {
			continue
		}
		out = append(out, MoneyRow{Method: r.Key[0], Currency: r.Key[1], Refunds: r.M[analytics.MRefunds],
			Refunded: r.M[analytics.MRefunded], Bonus: r.M[analytics.MBonus], Goodwill: r.M[analytics.MGoodwill],
			Restocking: r.M[analytics.MRestocking], ReturnShipping: r.M[analytics.MReturnShipping],
			Outbound: r.M[analytics.MOutbound]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Method != out[j].Method {
			return out[i].Method < out[j].Method
		}
		return out[i].Currency < out[j].Currency
	})
	return out, nil
}

// StageRow is a stage of the speed report: how many returns went through
// it and the buckets of its median and 90th percentile
// (analytics.BucketRange; ok false without returns).
type StageRow struct {
	Stage          string
	Count          int64
	Median, P90    int
	HasPercentiles bool
	Histogram      analytics.Histogram
}

// Speed is the speed and compliance report: the stages, the refunds paid
// inside the legal refund deadline (of the refunds of returns that had
// one), and the returns overdue now (how many, the first OverdueRows).
type Speed struct {
	Stages      []StageRow
	InTime      analytics.Ratio
	Overdue     int
	OverdueRows []store.OverdueReturn
}

// OverdueRows is how many overdue returns the speed report lists.
const OverdueRows = 50

// ReportSpeed builds the speed and compliance report.
func (s *Service) ReportSpeed(ctx context.Context, f store.AnalyticsFilter) (Speed, error) {
	var out Speed
	sp, err := s.st.SumSpeed(ctx, f)
	if err != nil {
		return out, err
	}
	for i, h := range sp {
		row := StageRow{Stage: analytics.StageNames[i], Count: h.Total(), Histogram: h}
		if m, ok := h.Percentile(50); ok {
			row.Median, row.HasPercentiles = m, true
			row.P90, _ = h.Percentile(90)
		}
		out.Stages = append(out.Stages, row)
	}
	sums, err := s.st.SumReturns(ctx, f, countedStates, []int{analytics.MInTime, analytics.MDeadlineRefunds})
	if err != nil {
		return out, err
	}
	for _, r := range sums {
		out.InTime.Num += r.M[analytics.MInTime]
		out.InTime.Den += r.M[analytics.MDeadlineRefunds]
	}
	out.Overdue, out.OverdueRows, err = s.st.OverdueReturns(ctx, f, s.now(), OverdueRows)
	return out, err
}

// CustomerRow is a shopper in the customers report, all time, with the
// returns requested in the range and the return rate (units returned ÷
// units bought).
type CustomerRow struct {
	store.Shopper
	Rate analytics.Ratio
}

// Customers is the customers report: the shoppers with the most returns
// (input for a manual review, for staff only) and the survey's feedback on
// the returns of the range.
type Customers struct {
	Rows     []CustomerRow
	Feedback *store.FeedbackSummary
}

// TopCustomerRows is how many shoppers the customers report lists;
// FeedbackComments how many comments it shows.
const (
	TopCustomerRows  = 25
	FeedbackComments = 10
)

// ReportCustomers builds the customers report. The ranking is all time:
// the report tables keep shoppers' totals, not per day; the range gives
// each shopper's returns in it, and selects the feedback.
func (s *Service) ReportCustomers(ctx context.Context, f store.AnalyticsFilter) (Customers, error) {
	var out Customers
	top, err := s.st.TopShoppers(ctx, TopCustomerRows)
	if err != nil {
		return out, err
	}
	emails := make([]string, len(top))
	for i, t := range top {
		emails[i] = t.Email
	}
	in, err := s.st.ShopperReturnsInRange(ctx, f, emails)
	if err != nil {
		return out, err
	}
	for _, t := range top {
		t.InRange = in[t.Email]
		out.Rows = append(out.Rows, CustomerRow{Shopper: t, Rate: analytics.Ratio{Num: t.UnitsReturned, Den: t.UnitsBought}})
	}
	fb, err := s.st.ShopperFeedback(ctx, f, FeedbackComments)
	if err != nil {
		return out, err
	}
	out.Feedback = &fb
	return out, nil
}
