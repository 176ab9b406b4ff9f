package benchdata

import (
	"net/url"
	"strings"
	"time"

	"github.com/returns-portal/returns/store"
)

// QueueCase is one benchmarked view of the staff queue: the query string of
// GET /admin/returns, the same as a store filter, and how many rows the first
// page has at least.
type QueueCase struct {
	Name    string
	Query   url.Values
	Filter  store.QueueFilter
	MinRows int
}

// QueueCases are the queue views the benchmarks measure: no filter, each
// filter alone, a combination, the deadline sort, and the three searches.
func QueueCases(info Info) []QueueCase {
	day := func(s string) *time.Time {
		t, _ := time.Parse("2006-01-02", s)
		return &t
	}
	cases := []QueueCase{
		{Name: "first", MinRows: 50},
		{Name: "status", Query: url.Values{"status": {"received"}}, Filter: store.QueueFilter{Status: "received"}, MinRows: 50},
		{Name: "status_rare", Query: url.Values{"status": {"expired"}}, Filter: store.QueueFilter{Status: "expired"}, MinRows: 50},
		{Name: "country", Query: url.Values{"country": {"de"}}, Filter: store.QueueFilter{Country: "de"}, MinRows: 50},
		{Name: "reason", Query: url.Values{"reason": {"wrong_item"}}, Filter: store.QueueFilter{Reason: "wrong_item"}, MinRows: 50},
		{Name: "dates", Query: url.Values{"from": {"2025-01-01"}, "to": {"2025-01-31"}},
			Filter: store.QueueFilter{From: day("2025-01-01"), To: day("2025-02-01")}, MinRows: 50},
		{Name: "overdue", Query: url.Values{"overdue": {"1"}}, Filter: store.QueueFilter{Overdue: true}, MinRows: 50},
		{Name: "overdue_due", Query: url.Values{"overdue": {"1"}, "sort": {store.SortDue}},
			Filter: store.QueueFilter{Overdue: true, Sort: store.SortDue}, MinRows: 50},
		{Name: "status_due", Query: url.Values{"status": {"approved"}, "sort": {store.SortDue}},
			Filter: store.QueueFilter{Status: "approved", Sort: store.SortDue}, MinRows: 50},
		{Name: "status_country", Query: url.Values{"status": {"rejected"}, "country": {"FI"}},
			Filter: store.QueueFilter{Status: "rejected", Country: "FI"}, MinRows: 1},
		{Name: "oldest", Query: url.Values{"sort": {store.SortOldest}}, Filter: store.QueueFilter{Sort: store.SortOldest}, MinRows: 50},
		{Name: "search_rma", Query: url.Values{"q": {strings.ToLower(info.RMA)}}, Filter: store.QueueFilter{Search: strings.ToLower(info.RMA)}, MinRows: 1},
		{Name: "search_rma_prefix", Query: url.Values{"q": {info.RMA[:6]}}, Filter: store.QueueFilter{Search: info.RMA[:6]}, MinRows: 1},
		{Name: "search_order", Query: url.Values{"q": {info.OrderNumber}}, Filter: store.QueueFilter{Search: info.OrderNumber}, MinRows: 1},
		{Name: "search_email", Query: url.Values{"q": {strings.ToUpper(info.Email)}}, Filter: store.QueueFilter{Search: strings.ToUpper(info.Email)}, MinRows: 1},
	}
	for i := range cases {
		cases[i].Filter.Now, cases[i].Filter.Limit = Now, 50
	}
	return cases
}

// Middle is an instant in the middle of the data: a page of the queue that
// ends there gives a cursor deep into it.
func Middle() time.Time { return Now.Add(-span / 2) }

// AnalyticsCase is one benchmarked set of report filters (the query string
// of /admin/analytics/{report} and of the API).
type AnalyticsCase struct {
	Name  string
	Query url.Values
}

// AnalyticsCases are the filters the report benchmarks measure: none (the
// last 90 days), each filter alone, two together, a year, the whole data.
func AnalyticsCases() []AnalyticsCase {
	day := func(d time.Duration) string { return Now.Add(-d).Format("2006-01-02") }
	return []AnalyticsCase{
		{Name: "90d"},
		{Name: "country", Query: url.Values{"country": {"DE"}}},
		{Name: "region", Query: url.Values{"country": {"US"}, "region": {"CA"}}},
		{Name: "hub", Query: url.Values{"hub": {"us-newark"}}},
		{Name: "reason", Query: url.Values{"reason": {"wrong_size"}}},
		{Name: "category", Query: url.Values{"category": {"shoes"}}},
		{Name: "method", Query: url.Values{"method": {"original_payment"}}},
		{Name: "country_reason", Query: url.Values{"country": {"FR"}, "reason": {"damaged"}}},
		{Name: "year", Query: url.Values{"from": {day(364 * 24 * time.Hour)}, "to": {day(0)}}},
		{Name: "all", Query: url.Values{"from": {day(span)}, "to": {day(0)}}},
	}
}
