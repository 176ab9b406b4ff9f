package service

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The reports are checked against a recount in plain Go from the raw rows
// (returns with their items, quotes, inspections and refunds, and the
// orders), over demo orders in EUR, JPY, KWD, USD, GBP, CHF and AUD,
// with cancelled, rejected, inspected (fewer units accepted), goodwill and
// refunded returns; and the report tables equal a recount in SQL after
// every kind of change (store.CheckAnalytics).

// agreeTables fails when the report tables differ from a recount.
func agreeTables(t *testing.T, ts *testService, step string) {
	t.Helper()
	diffs, err := ts.st.CheckAnalytics(context.Background(), 20)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	for _, d := range diffs {
		t.Errorf("after %s: %s", step, d)
	}
}

// analyticsData builds the varied data set and returns the numbers of the
// orders it used.
func analyticsData(t *testing.T, ts *testService) map[string]string {
	t.Helper()
	ctx := context.Background()
	rmas := map[string]string{}
	create := func(name, number string, method string, consent bool, items ...returns.QuoteItem) {
		t.Helper()
		l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: number, Email: demo.Email, ClientIP: "192.0.2.10"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := ts.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
			QuoteRequest: returns.QuoteRequest{Items: items, RefundMethod: method, Consent: consent}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rmas[name] = c.Return.RMA
	}
	item := func(line string, q int, reason string) returns.QuoteItem {
		return returns.QuoteItem{LineID: line, Quantity: q, Reason: reason}
	}
	create("de", demo.FeaturedOrder, returns.MethodOriginalPayment, false, item("L1", 2, "wrong_size"), item("L2", 1, "changed_mind"))
	create("it", "IT-1002", returns.MethodStoreCredit, true, item("L1", 1, "changed_mind"))
	create("jp", "JP-1006", returns.MethodStoreCredit, false, item("L2", 3, "wrong_size"))
	create("kw", "KW-1007", returns.MethodOriginalPayment, false, item("L2", 2, "not_as_described"))
	create("us", "US-1005", returns.MethodOriginalPayment, false, item("L1", 1, "changed_mind"), item("L2", 2, "wrong_item"))
	create("gb", "GB-1012", returns.MethodOriginalPayment, false, item("L1", 1, "wrong_item"))
	create("ch", "CH-1011", returns.MethodOriginalPayment, false, item("L1", 1, "wrong_size"))
	create("au", "AU-1014", returns.MethodOriginalPayment, false, item("L1", 1, "changed_mind"))
	create("es", "ES-1008", returns.MethodOriginalPayment, false, item("L1", 1, "wrong_size"))
	// The socks are kept (the demo's returnless rule): refunded at once.
	create("kept", "DE-1022", returns.MethodOriginalPayment, false, item("L1", 1, "changed_mind"))
	agreeTables(t, ts, "creation")

	open := func(name string) returns.Return {
		r, err := ts.st.GetReturn(ctx, rmas[name])
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := ts.Cancel(ctx, ReturnAccess{Return: open("au"), May: manageGrant}); err != nil {
		t.Fatal(err)
	}
	agreeTables(t, ts, "a cancel")
	if _, err := ts.Reject(ctx, rmas["gb"], "staff:x", "not ours"); err != nil {
		t.Fatal(err)
	}
	agreeTables(t, ts, "a rejection")

	ts.advance(30 * time.Hour)
	for _, n := range []string{"de", "it", "jp", "kw", "us", "ch"} {
		if rc, err := ts.Receive(ctx, rmas[n], "staff:x"); err != nil || rc.Result != Received {
			t.Fatalf("receive %s: %+v %v", n, rc, err)
		}
	}
	agreeTables(t, ts, "receiving")

	ts.advance(5*time.Hour + 30*time.Minute)
	inspect := func(name string, items ...returns.InspectedItem) {
		t.Helper()
		if _, err := ts.Inspect(ctx, rmas[name], "staff:x", items); err != nil {
			t.Fatalf("inspect %s: %v", name, err)
		}
	}
	ok := returns.ConditionResellable
	inspect("de", returns.InspectedItem{LineID: "L1", Accepted: 2, Condition: ok},
		returns.InspectedItem{LineID: "L2", Accepted: 1, Condition: returns.ConditionDamaged})
	inspect("jp", returns.InspectedItem{LineID: "L2", Accepted: 2, Condition: returns.ConditionDamaged}) // one unit less
	inspect("kw", returns.InspectedItem{LineID: "L2", Accepted: 2, Condition: returns.ConditionNotAsDescribed})
	inspect("us", returns.InspectedItem{LineID: "L1", Accepted: 1, Condition: ok},
		returns.InspectedItem{LineID: "L2", Accepted: 2, Condition: ok})
	inspect("it", returns.InspectedItem{LineID: "L1", Accepted: 1, Condition: ok})
	agreeTables(t, ts, "inspections that change amounts")

	if _, err := ts.Goodwill(ctx, rmas["kw"], "staff:root", returns.GoodwillRequest{LineID: "L1", Amount: 1250, Reason: "late parcel"}); err != nil {
		t.Fatal(err)
	}
	agreeTables(t, ts, "goodwill")

	ts.advance(50 * time.Hour)
	for i, n := range []string{"de", "jp", "kw", "us"} {
		if _, err := ts.Refund(ctx, RefundRequest{RMA: rmas[n], Key: fmt.Sprint("k", i), RequestHash: "h", Actor: "staff:x"}); err != nil {
			t.Fatalf("refund %s: %v", n, err)
		}
	}
	agreeTables(t, ts, "refunds")

	// An order placed in the range with a region and a category of its
	// own, then updated: its sales follow.
	o := returns.Order{Number: "MX-2001", Email: demo.Email, Currency: "MXN", PlacedAt: ts.now().AddDate(0, 0, -3),
		ShippingAddress: returns.Address{Name: "A", Line1: "1", City: "CDMX", PostalCode: "01000", Country: "MX", Region: "CMX"},
		Payment:         returns.Payment{Method: "card"},
		Lines:           []returns.Line{{ID: "L1", SKU: "KITE-1", Name: "Kite", Quantity: 2, UnitPrice: 45000, Category: "toys"}}}
	if _, err := ts.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	o.Lines[0].Quantity = 5
	o.Lines = append(o.Lines, returns.Line{ID: "L2", SKU: "YOYO", Name: "Yo-yo", Quantity: 1, UnitPrice: 9000, Discount: 1000, Category: "toys"})
	if _, err := ts.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	agreeTables(t, ts, "an order updated")
	// Two weeks on: the Italian return, inspected but not refunded, is
	// past its legal refund deadline.
	ts.advance(15 * 24 * time.Hour)
	return rmas
}

// rawReturn is a return as the recount reads it.
type rawReturn struct {
	StaffReturn
	row store.QueueRow
}

func (r rawReturn) day() int64 { return analytics.Day(r.Return.CreatedAt) }

func (r rawReturn) counted() bool {
	switch r.Return.Status {
	case returns.StatusCancelled, returns.StatusRejected, returns.StatusExpired:
		return false
	}
	return true
}

// itemValue is what the shopper's quote paid for an item: its line of the
// original quote (the first unused one of its line and reason).
func (r rawReturn) itemValues() []int64 {
	q := r.Return.Quote
	if r.Extras.OriginalQuote != nil {
		q = *r.Extras.OriginalQuote
	}
	used := make([]bool, len(q.Lines))
	out := make([]int64, len(r.Return.Items))
	for i, it := range r.Return.Items {
		for j, l := range q.Lines {
			if !used[j] && l.LineID == it.LineID && l.Reason == it.Reason {
				used[j], out[i] = true, l.Refund
				break
			}
		}
	}
	return out
}

func (r rawReturn) category(line string) string {
	l, _ := r.Order.Line(line)
	return l.Category
}

func (r rawReturn) condition(line string) (string, bool) {
	for _, in := range r.Extras.Inspections {
		if in.LineID == line {
			return in.Condition, true
		}
	}
	return "", false
}

func loadRaw(t *testing.T, ts *testService, numbers []string) ([]rawReturn, []returns.Order) {
	t.Helper()
	ctx := context.Background()
	rows, next, err := ts.st.Queue(ctx, store.QueueFilter{Now: ts.now(), Limit: store.MaxPage})
	if err != nil || next != "" {
		t.Fatalf("queue: %v %q", err, next)
	}
	var out []rawReturn
	for _, row := range rows {
		sr, err := ts.StaffReturn(ctx, row.RMA)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rawReturn{StaffReturn: sr, row: row})
	}
	var orders []returns.Order
	for _, n := range numbers {
		o, err := ts.st.GetOrder(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	return out, orders
}

// recount is the filter as the recount applies it.
type recount struct {
	f      store.AnalyticsFilter
	legal  *returns.Legal
	policy returns.Policy
}

func (c recount) inRange(day int64) bool { return day >= c.f.From && day <= c.f.To }

// returnMatches: the return's own dimensions.
func (c recount) returnMatches(r rawReturn) bool {
	hub := ""
	if r.row.Hub != nil {
		hub = *r.row.Hub
	}
	return c.inRange(r.day()) && (c.f.Country == "" || r.row.Country == c.f.Country) &&
		(c.f.Region == "" || r.Order.ShippingAddress.Region == c.f.Region) && (c.f.Hub == "" || hub == c.f.Hub) &&
		(c.f.Method == "" || r.Return.RefundMethod == c.f.Method)
}

// itemMatches: an item's reason and category.
func (c recount) itemMatches(r rawReturn, i int) bool {
	it := r.Return.Items[i]
	return (c.f.Reason == "" || it.Reason == c.f.Reason) && (c.f.Category == "" || r.category(it.LineID) == c.f.Category)
}

// orderMatches: an order's sales.
func (c recount) orderMatches(o returns.Order) bool {
	if !c.inRange(analytics.Day(o.PlacedAt)) || c.f.Country != "" && o.ShippingAddress.Country != c.f.Country ||
		c.f.Region != "" && o.ShippingAddress.Region != c.f.Region {
		return false
	}
	return c.f.Hub == "" || c.policy.Effective(c.legal, o.ShippingAddress.Country).Hub == c.f.Hub
}

func stateOf(s returns.Status) string {
	switch s {
	case returns.StatusRefunded, returns.StatusCredited, returns.StatusExchanged, returns.StatusClosed:
		return "done"
	}
	return string(s)
}

// TestReportsEqualARecount: every report, for several filters, equals the
// recount from the raw rows.
func TestReportsEqualARecount(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	analyticsData(t, ts)
	var numbers []string
	for _, o := range demo.Orders(ts.now()) {
		numbers = append(numbers, o.Number)
	}
	numbers = append(numbers, "MX-2001")
	raw, orders := loadRaw(t, ts, numbers)
	if len(raw) < 10 {
		t.Fatalf("%d returns", len(raw))
	}
	_, pol, err := ts.Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkVariety(t, ts)
	today := analytics.Day(ts.now())
	for _, q := range []AnalyticsQuery{
		{},
		{Country: "de"},
		{Reason: "wrong_size"},
		{Category: "apparel"},
		{Method: returns.MethodStoreCredit},
		{Hub: "eu-berlin"},
		{Region: "CMX"},
		{Country: "DE", Reason: "changed_mind"},
		{From: dayString(today - 16), To: dayString(today - 15)},   // the days the returns were made
		{From: dayString(today - 400), To: dayString(today - 200)}, // nothing
	} {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			f, _, err := ts.AnalyticsFilter(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			c := recount{f: f, legal: ts.legal, policy: pol}
			checkOverview(t, ts, c, raw, orders)
			checkReasons(t, ts, c, raw, pol)
			checkProducts(t, ts, c, raw, orders)
			checkCountries(t, ts, c, raw, orders, pol)
			checkMoney(t, ts, c, raw)
			checkSpeed(t, ts, c, raw)
			checkCustomers(t, ts, c, raw, orders)
		})
	}
}

func checkOverview(t *testing.T, ts *testService, c recount, raw []rawReturn, orders []returns.Order) {
	t.Helper()
	got, err := ts.ReportOverview(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	var want Overview
	want.Paid = Money{}
	states := map[string]int64{}
	value, sold := Money{}, Money{}
	kept, keptPaid := Money{}, Money{}
	weekly := map[int64]int64{}
	for _, r := range raw {
		if !c.returnMatches(r) {
			continue
		}
		values := r.itemValues()
		if c.itemMatches(r, 0) {
			states[stateOf(r.Return.Status)]++
			if r.counted() {
				want.Returns++
				weekly[analytics.BlockOf(1, r.day()).Start]++
				if f := r.Extras.Refund; f != nil {
					want.Paid[f.Currency] += f.Amount + f.Bonus + f.Goodwill
				}
				if r.Return.Returnless() {
					kept[r.Return.Quote.Currency]++
					if f := r.Extras.Refund; f != nil {
						keptPaid[r.Return.Quote.Currency] += f.Amount
					}
				}
			}
		}
		for i, it := range r.Return.Items {
			if r.counted() && c.itemMatches(r, i) {
				want.Units += int64(it.Quantity)
				value[r.Return.Quote.Currency] += values[i]
			}
		}
	}
	for _, o := range orders {
		if !c.orderMatches(o) {
			continue
		}
		for _, l := range o.Lines {
			if c.f.Category == "" || l.Category == c.f.Category {
				want.UnitRate.Den += int64(l.Quantity)
				sold[o.Currency] += l.Paid()
			}
		}
	}
	want.UnitRate.Num = want.Units
	if got.Returns != want.Returns || got.Units != want.Units || got.UnitRate != want.UnitRate {
		t.Errorf("overview: returns %d units %d rate %+v, want %d %d %+v", got.Returns, got.Units, got.UnitRate,
			want.Returns, want.Units, want.UnitRate)
	}
	if fmt.Sprint(got.Paid) != fmt.Sprint(drop0(want.Paid)) {
		t.Errorf("overview paid %v, want %v", got.Paid, want.Paid)
	}
	for _, s := range got.States {
		if s.Returns != states[s.State] {
			t.Errorf("overview state %s: %d, want %d", s.State, s.Returns, states[s.State])
		}
	}
	for _, v := range got.ValueRates {
		if v.Num != value[v.Currency] || v.Den != sold[v.Currency] {
			t.Errorf("value rate %s: %+v, want %d/%d", v.Currency, v.Ratio, value[v.Currency], sold[v.Currency])
		}
	}
	var wantKept []KeptRow
	for _, cur := range unionCurrencies(drop0(kept), drop0(keptPaid)) {
		wantKept = append(wantKept, KeptRow{Currency: cur, Returns: kept[cur], Refunded: keptPaid[cur]})
	}
	if fmt.Sprint(got.Kept) != fmt.Sprint(wantKept) {
		t.Errorf("overview kept %+v, want %+v", got.Kept, wantKept)
	}
	if len(got.ValueRates) != len(unionCurrencies(drop0(value), drop0(sold))) {
		t.Errorf("value rates %+v for %v / %v", got.ValueRates, value, sold)
	}
	var total int64
	for _, p := range got.Trend {
		if p.Returns != weekly[analytics.BlockOf(1, p.From).Start] {
			t.Errorf("trend week %s: %d, want %d", dayString(p.From), p.Returns, weekly[analytics.BlockOf(1, p.From).Start])
		}
		total += p.Returns
	}
	if total != want.Returns {
		t.Errorf("trend totals %d, want %d", total, want.Returns)
	}
	overdue := 0
	for _, r := range raw {
		if r.Overdue && (c.f.Country == "" || r.row.Country == c.f.Country) && (c.f.Method == "" || r.Return.RefundMethod == c.f.Method) &&
			(c.f.Hub == "" || r.row.Hub != nil && *r.row.Hub == c.f.Hub) &&
			(c.f.Region == "" || r.Order.ShippingAddress.Region == c.f.Region) && anyItem(c, r) {
			overdue++
		}
	}
	if got.Overdue != overdue {
		t.Errorf("overdue now %d, want %d", got.Overdue, overdue)
	}
}

func anyItem(c recount, r rawReturn) bool {
	for i := range r.Return.Items {
		if c.itemMatches(r, i) {
			return true
		}
	}
	return false
}

func drop0(m Money) Money {
	out := Money{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func checkReasons(t *testing.T, ts *testService, c recount, raw []rawReturn, pol returns.Policy) {
	t.Helper()
	got, err := ts.ReportReasons(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	type agg struct {
		returns, units int64
		value          Money
	}
	want := map[string]*agg{}
	cat := map[[2]string]int64{}
	var units, fault int64
	faulty := map[string]bool{}
	for _, r := range pol.Reasons {
		faulty[r.Code] = r.MerchantFault
	}
	for _, r := range raw {
		if !c.returnMatches(r) || !r.counted() {
			continue
		}
		values := r.itemValues()
		for i, it := range r.Return.Items {
			if !c.itemMatches(r, i) {
				continue
			}
			a := want[it.Reason]
			if a == nil {
				a = &agg{value: Money{}}
				want[it.Reason] = a
			}
			if i == 0 {
				a.returns++
			}
			a.units += int64(it.Quantity)
			a.value[r.Return.Quote.Currency] += values[i]
			cat[[2]string{r.category(it.LineID), it.Reason}] += int64(it.Quantity)
			units += int64(it.Quantity)
			if faulty[it.Reason] {
				fault += int64(it.Quantity)
			}
		}
	}
	if len(got.Rows) != len(want) {
		t.Errorf("reasons: %d rows, want %d", len(got.Rows), len(want))
	}
	for _, row := range got.Rows {
		w := want[row.Reason]
		if w == nil || row.Returns != w.returns || row.Units != w.units || fmt.Sprint(row.Value) != fmt.Sprint(drop0(w.value)) ||
			row.MerchantFault != faulty[row.Reason] || row.Share != (analytics.Ratio{Num: w.units, Den: units}) {
			t.Errorf("reason %s: %+v, want %+v", row.Reason, row, w)
		}
	}
	if got.MerchantFault != (analytics.Ratio{Num: fault, Den: units}) {
		t.Errorf("merchant fault %+v, want %d/%d", got.MerchantFault, fault, units)
	}
	if len(got.ByCategory) != len(cat) {
		t.Errorf("by category: %d rows, want %d", len(got.ByCategory), len(cat))
	}
	for _, bc := range got.ByCategory {
		if bc.Units != cat[[2]string{bc.Category, bc.Reason}] {
			t.Errorf("%s/%s: %d, want %d", bc.Category, bc.Reason, bc.Units, cat[[2]string{bc.Category, bc.Reason}])
		}
	}
}

func checkProducts(t *testing.T, ts *testService, c recount, raw []rawReturn, orders []returns.Order) {
	t.Helper()
	got, err := ts.ReportProducts(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	type agg struct {
		returned, sold, inspected, unsellable int64
		reasons                               map[string]int64
	}
	// SKUs apply the range, reason and category only (the report says so).
	skuFilter := recount{f: store.AnalyticsFilter{From: c.f.From, To: c.f.To, Reason: c.f.Reason, Category: c.f.Category}}
	bySKU, byCat := map[string]*agg{}, map[string]*agg{}
	get := func(m map[string]*agg, k string) *agg {
		if m[k] == nil {
			m[k] = &agg{reasons: map[string]int64{}}
		}
		return m[k]
	}
	for _, r := range raw {
		if !r.counted() {
			continue
		}
		for i, it := range r.Return.Items {
			line, _ := r.Order.Line(it.LineID)
			cond, inspected := r.condition(it.LineID)
			add := func(a *agg) {
				a.returned += int64(it.Quantity)
				if inspected {
					a.inspected += int64(it.Quantity)
					if cond != returns.ConditionResellable {
						a.unsellable += int64(it.Quantity)
					}
				}
			}
			if skuFilter.returnMatches(r) && skuFilter.itemMatches(r, i) {
				add(get(bySKU, line.SKU))
			}
			if skuFilter.returnMatches(r) && (c.f.Category == "" || line.Category == c.f.Category) {
				get(bySKU, line.SKU).reasons[it.Reason] += int64(it.Quantity)
			}
			if c.returnMatches(r) && c.itemMatches(r, i) {
				a := get(byCat, line.Category)
				add(a)
				a.reasons[it.Reason] += int64(it.Quantity)
			}
		}
	}
	for _, o := range orders {
		for _, l := range o.Lines {
			if skuFilter.inRange(analytics.Day(o.PlacedAt)) && (c.f.Category == "" || l.Category == c.f.Category) && bySKU[l.SKU] != nil {
				bySKU[l.SKU].sold += int64(l.Quantity)
			}
			if c.orderMatches(o) && (c.f.Category == "" || l.Category == c.f.Category) {
				get(byCat, l.Category).sold += int64(l.Quantity)
			}
		}
	}
	returned := 0
	for _, a := range bySKU {
		if a.returned > 0 {
			returned++
		}
	}
	if len(got.SKUs) != min(returned, TopSKURows) {
		t.Errorf("SKUs: %d rows, want %d", len(got.SKUs), returned)
	}
	for i, row := range got.SKUs {
		w := bySKU[row.SKU]
		if w == nil || row.Returned != w.returned || row.Sold != w.sold || row.Inspected != w.inspected ||
			row.Unsellable != w.unsellable || row.TopReason != topKey(w.reasons) {
			t.Errorf("SKU %s: %+v, want %+v", row.SKU, row, w)
		}
		if i > 0 && got.SKUs[i-1].Returned < row.Returned {
			t.Errorf("SKUs not by units returned: %v", got.SKUs)
		}
	}
	for _, row := range got.Categories {
		w := byCat[row.Category]
		if w == nil || row.Returned != w.returned || row.Sold != w.sold || row.Inspected != w.inspected ||
			row.Unsellable != w.unsellable || row.TopReason != topKey(w.reasons) {
			t.Errorf("category %q: %+v, want %+v", row.Category, row, w)
		}
	}
	if len(got.Categories) != len(byCat) {
		t.Errorf("categories: %d, want %d", len(got.Categories), len(byCat))
	}
	notApplied := c.f.Country != "" || c.f.Region != "" || c.f.Hub != "" || c.f.Method != ""
	if (len(got.SKUFiltersNotApplied) > 0) != notApplied {
		t.Errorf("filters not applied to SKUs: %v", got.SKUFiltersNotApplied)
	}
}

func checkCountries(t *testing.T, ts *testService, c recount, raw []rawReturn, orders []returns.Order, pol returns.Policy) {
	t.Helper()
	got, err := ts.ReportCountries(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	hubCountry := map[string]string{}
	for _, h := range pol.Hubs {
		hubCountry[h.Code] = h.Address.Country
	}
	want := map[string]*GeoRow{}
	hubs := map[string]*HubRow{}
	for _, r := range raw {
		if !c.returnMatches(r) || !r.counted() || !anyItem(c, r) {
			continue
		}
		g := want[r.row.Country]
		if g == nil {
			g = &GeoRow{Country: r.row.Country}
			want[r.row.Country] = g
		}
		hub := ""
		if r.row.Hub != nil {
			hub = *r.row.Hub
		}
		if hubs[hub] == nil {
			hubs[hub] = &HubRow{Hub: hub}
		}
		for i, it := range r.Return.Items {
			if c.itemMatches(r, i) {
				g.Units += int64(it.Quantity)
				hubs[hub].Units += int64(it.Quantity)
			}
		}
		if !c.itemMatches(r, 0) {
			continue
		}
		g.Returns++
		hubs[hub].Returns++
		if r.Return.Basis == returns.BasisStatutory {
			g.Statutory.Num++
		}
		if returns.LawOnly(r.Order, r.Policy, c.legal, r.Return.Items, r.Return.CreatedAt) {
			g.LawOnly.Num++
		}
		if hc, ok := hubCountry[hub]; ok {
			g.CrossBorder.Den++
			hubs[hub].CrossBorder.Den++
			if hc != r.row.Country {
				g.CrossBorder.Num++
				hubs[hub].CrossBorder.Num++
			}
		}
	}
	for _, o := range orders {
		if !c.orderMatches(o) {
			continue
		}
		for _, l := range o.Lines {
			if c.f.Category == "" || l.Category == c.f.Category {
				g := want[o.ShippingAddress.Country]
				if g == nil {
					g = &GeoRow{Country: o.ShippingAddress.Country}
					want[o.ShippingAddress.Country] = g
				}
				g.Sold += int64(l.Quantity)
			}
		}
	}
	if len(got.Countries) != len(want) {
		t.Errorf("countries: %d, want %d", len(got.Countries), len(want))
	}
	for _, g := range got.Countries {
		w := want[g.Country]
		if w == nil || g.Returns != w.Returns || g.Units != w.Units || g.Sold != w.Sold || g.CrossBorder != w.CrossBorder ||
			g.Statutory.Num != w.Statutory.Num || g.LawOnly.Num != w.LawOnly.Num || g.Statutory.Den != w.Returns {
			t.Errorf("country %s: %+v, want %+v", g.Country, g, w)
		}
	}
	for _, h := range got.Hubs {
		w := hubs[h.Hub]
		if w == nil || h.Returns != w.Returns || h.Units != w.Units || h.CrossBorder != w.CrossBorder {
			t.Errorf("hub %s: %+v, want %+v", h.Hub, h, w)
		}
	}
}

func checkMoney(t *testing.T, ts *testService, c recount, raw []rawReturn) {
	t.Helper()
	got, err := ts.ReportMoney(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*MoneyRow{}
	for _, r := range raw {
		f := r.Extras.Refund
		if !c.returnMatches(r) || !r.counted() || !c.itemMatches(r, 0) || f == nil {
			continue
		}
		k := r.Return.RefundMethod + "/" + f.Currency
		if want[k] == nil {
			want[k] = &MoneyRow{Method: r.Return.RefundMethod, Currency: f.Currency}
		}
		w := want[k]
		w.Refunds++
		w.Refunded += f.Amount
		w.Bonus += f.Bonus
		w.Goodwill += f.Goodwill
		w.Restocking += r.Return.Quote.RestockingFee
		w.ReturnShipping += r.Return.Quote.ReturnShippingFee
		w.Outbound += r.Return.Quote.OutboundShippingRefund
	}
	if len(got) != len(want) {
		t.Errorf("money: %d rows, want %d", len(got), len(want))
	}
	for _, row := range got {
		if w := want[row.Method+"/"+row.Currency]; w == nil || row != *w {
			t.Errorf("money %s/%s: %+v, want %+v", row.Method, row.Currency, row, w)
		}
	}
}

func checkSpeed(t *testing.T, ts *testService, c recount, raw []rawReturn) {
	t.Helper()
	got, err := ts.ReportSpeed(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	durations := make([][]int64, analytics.Stages)
	var deadline, inTime int64
	for _, r := range raw {
		if !c.returnMatches(r) || !c.itemMatches(r, 0) {
			continue
		}
		requested := r.Return.CreatedAt
		var inspected, refunded *time.Time
		for _, in := range r.Extras.Inspections {
			if inspected == nil || in.At.Before(*inspected) {
				at := in.At
				inspected = &at
			}
		}
		if r.Extras.Refund != nil {
			refunded = &r.Extras.Refund.At
		}
		add := func(s int, a, b *time.Time) {
			if a != nil && b != nil {
				durations[s] = append(durations[s], b.Unix()-a.Unix())
			}
		}
		add(analytics.StageRequestedReceived, &requested, r.Extras.ReceivedAt)
		add(analytics.StageReceivedInspected, r.Extras.ReceivedAt, inspected)
		add(analytics.StageInspectedRefunded, inspected, refunded)
		add(analytics.StageRequestedRefunded, &requested, refunded)
		if r.counted() && refunded != nil && r.Extras.OverdueAt != nil {
			deadline++
			if refunded.Before(*r.Extras.OverdueAt) {
				inTime++
			}
		}
	}
	for s, st := range got.Stages {
		d := durations[s]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		if st.Count != int64(len(d)) {
			t.Errorf("stage %s: %d, want %d", st.Stage, st.Count, len(d))
			continue
		}
		if len(d) == 0 {
			if st.HasPercentiles {
				t.Errorf("stage %s: percentiles of nothing", st.Stage)
			}
			continue
		}
		// Nearest rank, on the raw durations.
		median, p90 := d[(50*len(d)+99)/100-1], d[(90*len(d)+99)/100-1]
		if st.Median != analytics.Bucket(median) || st.P90 != analytics.Bucket(p90) {
			t.Errorf("stage %s: median bucket %d p90 %d, want %d (%ds) %d (%ds)", st.Stage, st.Median, st.P90,
				analytics.Bucket(median), median, analytics.Bucket(p90), p90)
		}
	}
	if got.InTime != (analytics.Ratio{Num: inTime, Den: deadline}) {
		t.Errorf("in time %+v, want %d/%d", got.InTime, inTime, deadline)
	}
	for _, o := range got.OverdueRows {
		found := false
		for _, r := range raw {
			found = found || r.Return.RMA == o.RMA && r.Overdue
		}
		if !found {
			t.Errorf("%s listed overdue", o.RMA)
		}
	}
}

func checkCustomers(t *testing.T, ts *testService, c recount, raw []rawReturn, orders []returns.Order) {
	t.Helper()
	got, err := ts.ReportCustomers(context.Background(), c.f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*store.Shopper{}
	get := func(email string) *store.Shopper {
		e := store.NormalizeEmail(email)
		if want[e] == nil {
			want[e] = &store.Shopper{Email: e}
		}
		return want[e]
	}
	for _, o := range orders {
		s := get(o.Email)
		s.Orders++
		for _, l := range o.Lines {
			s.UnitsBought += int64(l.Quantity)
		}
	}
	for _, r := range raw {
		if !r.counted() {
			continue
		}
		s := get(r.Order.Email)
		s.Returns++
		for _, it := range r.Return.Items {
			s.UnitsReturned += int64(it.Quantity)
		}
		if c.inRange(r.day()) {
			s.InRange++
		}
	}
	if len(got.Rows) == 0 {
		t.Fatal("no shoppers")
	}
	for _, row := range got.Rows {
		w := want[row.Email]
		if w == nil || row.Shopper != *w || row.Rate != (analytics.Ratio{Num: w.UnitsReturned, Den: w.UnitsBought}) {
			t.Errorf("shopper %s: %+v, want %+v", row.Email, row.Shopper, w)
		}
	}
	// The data set has no survey answers (the store's TestShopperFeedback
	// counts real ones): the summary is there, and empty.
	if got.Feedback == nil || got.Feedback.Answers != 0 || len(got.Feedback.Comments) != 0 {
		t.Errorf("feedback %+v, want an empty summary", got.Feedback)
	}
	if !strings.Contains(got.Rows[0].Email, "@") {
		t.Errorf("first shopper %q", got.Rows[0].Email)
	}
}

// checkVariety: the data set exercises what the recount compares: several
// currencies, bonus, goodwill, both fees, every stage, the law alone,
// cross-border parcels, refunds in time, a return overdue now.
func checkVariety(t *testing.T, ts *testService) {
	t.Helper()
	ctx := context.Background()
	f, _, err := ts.AnalyticsFilter(ctx, AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	money, err := ts.ReportMoney(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var bonus, goodwill, restocking, shipping int64
	currencies := map[string]bool{}
	for _, m := range money {
		bonus, goodwill, restocking, shipping = bonus+m.Bonus, goodwill+m.Goodwill, restocking+m.Restocking, shipping+m.ReturnShipping
		currencies[m.Currency] = true
	}
	if len(currencies) < 3 || bonus == 0 || goodwill == 0 || restocking == 0 || shipping == 0 {
		t.Errorf("money too plain: %+v", money)
	}
	ov, err := ts.ReportOverview(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Kept) == 0 || ov.Kept[0].Returns == 0 || ov.Kept[0].Refunded == 0 {
		t.Errorf("no kept return refunded: %+v", ov.Kept)
	}
	sp, err := ts.ReportSpeed(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sp.Stages {
		if st.Count == 0 {
			t.Errorf("no durations for %s", st.Stage)
		}
	}
	if sp.Overdue == 0 || sp.InTime.Den == 0 || sp.InTime.Num == 0 {
		t.Errorf("speed: overdue %d, in time %+v", sp.Overdue, sp.InTime)
	}
	c, err := ts.ReportCountries(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if c.Total.LawOnly.Num == 0 || c.Total.CrossBorder.Num == 0 || c.Total.Statutory.Num == 0 {
		t.Errorf("countries: %+v", c.Total)
	}
	o, err := ts.ReportOverview(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	void := 0
	for _, s := range o.States {
		if !analytics.Counted(s.State) && s.Returns > 0 {
			void++
		}
	}
	if void < 2 || len(o.ValueRates) < 3 {
		t.Errorf("overview: states %+v, value rates %+v", o.States, o.ValueRates)
	}
}
