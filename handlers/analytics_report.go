package handlers

import (
	"context"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// analyticsQuery reads a report's filters from the query string (the page,
// its CSV export and the API share them).
func analyticsQuery(q url.Values) service.AnalyticsQuery {
	return service.AnalyticsQuery{From: q.Get("from"), To: q.Get("to"), Country: q.Get("country"),
		Region: q.Get("region"), Hub: q.Get("hub"), Reason: q.Get("reason"), Category: q.Get("category"),
		Method: q.Get("method")}
}

// reportParam is the :report of the path, one of service.Reports; anything
// else is a 404.
func reportParam(c echo.Context) (string, error) {
	r := c.Param("report")
	if !slices.Contains(service.Reports, r) {
		return "", errNotFound
	}
	return r, nil
}

// analyticsData computes a report and lays it out as tables. rmaHref links
// a return (the staff page's; the API's answer carries no links).
func (s *Server) analyticsData(ctx context.Context, report string, f store.AnalyticsFilter, rmaHref func(string) string) (reportData, any, error) {
	switch report {
	case "overview":
		o, err := s.svc.ReportOverview(ctx, f)
		return overviewData(o), o, err
	case "products":
		p, err := s.svc.ReportProducts(ctx, f)
		return productsData(p), p, err
	case "reasons":
		r, err := s.svc.ReportReasons(ctx, f)
		return reasonsData(r), r, err
	case "countries":
		c, err := s.svc.ReportCountries(ctx, f)
		return countriesData(c), c, err
	case "money":
		m, err := s.svc.ReportMoney(ctx, f)
		return moneyData(m), m, err
	case "speed":
		sp, err := s.svc.ReportSpeed(ctx, f)
		return speedData(sp, rmaHref), sp, err
	case "customers":
		c, err := s.svc.ReportCustomers(ctx, f)
		return customersData(c), c, err
	}
	return reportData{}, nil, errNotFound
}
