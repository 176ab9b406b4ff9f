package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiAnalytics is GET /api/v1/analytics/{report} (scope returns:read): the
// report for the filters of the query string (from, to as YYYY-MM-DD UTC
// days; country, region, hub, reason, category, method), as
// {"from","to","filters","rows":[...]} with one row per key, the report's
// other tables and figures beside (README, API). A bad filter is a 422
// naming the parameter.
func (s *Server) apiAnalytics(c echo.Context) error {
	report, err := reportParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, filters, err := s.svc.AnalyticsFilter(ctx, analyticsQuery(c.QueryParams()))
	if err != nil {
		return err
	}
	d, _, err := s.analyticsData(ctx, report, f, func(string) string { return "" })
	if err != nil {
		return err
	}
	body := map[string]any{"report": report, "from": filters.From, "to": filters.To, "filters": filters}
	for k, v := range d.summary {
		body[k] = v
	}
	for _, t := range d.tables {
		body[t.name] = t.jsonRows()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, body)
}
