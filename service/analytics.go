package service

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/returns-portal/returns/analytics"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The merchant's reports (issue 17): the use cases read the report tables
// (store's analytics_*) that every change keeps, and finish the figures
// with package analytics. Every figure is about the returns requested in
// the range (UTC days) and the orders placed in it, except where a report
// says "now" (open and overdue returns) or "all time" (customers).

// Reports are the names of the reports, in the order the pages list them.
var Reports = []string{"overview", "products", "reasons", "countries", "money", "speed", "customers"}

// DefaultAnalyticsDays is the default range: the last 90 days, today
// included. MaxAnalyticsDays bounds a range (three years).
const (
	DefaultAnalyticsDays = 90
	MaxAnalyticsDays     = 3 * 366
)

// AnalyticsQuery is a report's filters as typed: dates as YYYY-MM-DD (UTC
// days, to included), codes as the queue writes them.
type AnalyticsQuery struct {
	From, To, Country, Region, Hub, Reason, Category, Method string
}

// AnalyticsFilters are the filters a report was computed for, normalised:
// the answer's "filters" and the page's form.
type AnalyticsFilters struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Country  string `json:"country,omitempty"`
	Region   string `json:"region,omitempty"`
	Hub      string `json:"hub,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Category string `json:"category,omitempty"`
	Method   string `json:"method,omitempty"`
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	regionCode  = regexp.MustCompile(`^[A-Z0-9]{1,3}$`)
)

// maxCode bounds a hub, reason or category code.
const maxCode = 64

// AnalyticsFilter checks a report's filters: the store's filter and the
// normalised filters, or returns.FieldErrors naming each bad parameter
// (from, to: invalid dates or out_of_range; country, region: invalid;
// hub, reason, category: too_long or invalid; method: unknown_method).
func (s *Service) AnalyticsFilter(ctx context.Context, q AnalyticsQuery) (store.AnalyticsFilter, AnalyticsFilters, error) {
	var fe returns.FieldErrors
	today := analytics.Day(s.now())
	f := store.AnalyticsFilter{To: today, From: today - DefaultAnalyticsDays + 1}
	day := func(path, v string, out *int64) {
		if v == "" {
			return
		}
		t, err := time.Parse("2006-01-02", strings.TrimSpace(v))
		if err != nil {
			fe = append(fe, returns.FieldError{Path: path, Code: returns.FieldInvalid})
			return
		}
		*out = analytics.Day(t)
	}
	day("to", q.To, &f.To)
	if q.To != "" && q.From == "" {
		f.From = f.To - DefaultAnalyticsDays + 1
	}
	day("from", q.From, &f.From)
	if len(fe) == 0 {
		switch {
		case f.To < f.From:
			fe = append(fe, returns.FieldError{Path: "to", Code: returns.FieldOutOfRange})
		case f.To-f.From+1 > MaxAnalyticsDays:
			fe = append(fe, returns.FieldError{Path: "from", Code: returns.FieldOutOfRange})
		}
	}
	f.Country = strings.ToUpper(strings.TrimSpace(q.Country))
	if f.Country != "" && !countryCode.MatchString(f.Country) {
		fe = append(fe, returns.FieldError{Path: "country", Code: returns.FieldInvalid})
	}
	f.Region = strings.ToUpper(strings.TrimSpace(q.Region))
	if f.Region != "" && !regionCode.MatchString(f.Region) {
		fe = append(fe, returns.FieldError{Path: "region", Code: returns.FieldInvalid})
	}
	for _, c := range []struct {
		path string
		in   string
		out  *string
	}{{"hub", q.Hub, &f.Hub}, {"reason", q.Reason, &f.Reason}, {"category", q.Category, &f.Category}} {
		v := strings.TrimSpace(c.in)
		switch {
		case len(v) > maxCode:
			fe = append(fe, returns.FieldError{Path: c.path, Code: returns.FieldTooLong})
		case strings.IndexFunc(v, unicode.IsControl) >= 0 || v == analytics.AllReasons:
			fe = append(fe, returns.FieldError{Path: c.path, Code: returns.FieldInvalid})
		default:
			*c.out = v
		}
	}
	f.Method = strings.TrimSpace(q.Method)
	if f.Method != "" && !slices.Contains(returns.RefundMethods, f.Method) && f.Method != returns.MethodExchange {
		fe = append(fe, returns.FieldError{Path: "method", Code: returns.FieldUnknownMethod})
	}
	if len(fe) > 0 {
		return store.AnalyticsFilter{}, AnalyticsFilters{}, fe
	}
	if f.Hub != "" {
		// Orders have no hub: the hub's countries stand for it in sales.
		_, pol, err := s.Policy(ctx)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return store.AnalyticsFilter{}, AnalyticsFilters{}, err
		}
		f.SalesCountries = hubCountries(pol, s.legal, f.Hub)
	}
	return f, AnalyticsFilters{From: dayString(f.From), To: dayString(f.To), Country: f.Country, Region: f.Region,
		Hub: f.Hub, Reason: f.Reason, Category: f.Category, Method: f.Method}, nil
}

// dayString writes a UTC day as YYYY-MM-DD.
func dayString(d int64) string { return analytics.DayTime(d).Format("2006-01-02") }

// hubCountries are the countries (ISO 3166-1) whose effective policy sends
// parcels to hub (never nil).
func hubCountries(p returns.Policy, legal *returns.Legal, hub string) []string {
	out := []string{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			c := string([]rune{a, b})
			if returns.ValidCountry(c) && p.Effective(legal, c).Hub == hub {
				out = append(out, c)
			}
		}
	}
	return out
}
