package handlers

import (
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// analyticsPage is GET /admin/analytics and /admin/analytics/{report}: a
// report with its filters, headline figures, charts and tables. Filters
// that are not valid answer 422 with the form and each field's message.
func (a *admin) analyticsPage(c echo.Context) error {
	report := "overview"
	if c.Param("report") != "" {
		r, csvExport := strings.CutSuffix(c.Param("report"), ".csv")
		if csvExport {
			return a.analyticsExport(c, r)
		}
		c.SetParamValues(r)
		var err error
		if report, err = reportParam(c); err != nil {
			return err
		}
	}
	p := a.portal(c)
	ctx := c.Request().Context()
	q := c.QueryParams()
	props := views.AnalyticsProps{Page: a.page(c, p, "admin.analytics.title", "analytics"), Report: report}
	props.Filter = views.AnalyticsFilterProps{From: q.Get("from"), To: q.Get("to"), Country: q.Get("country"),
		Region: q.Get("region"), Hub: q.Get("hub"), Reason: q.Get("reason"), Category: q.Get("category"), Method: q.Get("method")}
	a.analyticsChoices(c, p, &props.Filter)
	f, filters, err := a.svc.AnalyticsFilter(ctx, analyticsQuery(q))
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		props.Filter.Errors = map[string]views.FieldError{}
		for _, e := range fe {
			props.Filter.Errors[e.Path] = p.fieldErr("analytics-"+e.Path, "admin.field."+e.Code)
		}
		props.Tabs = a.analyticsTabs(p, report, q)
		return p.view(http.StatusUnprocessableEntity, views.AdminAnalytics(props))
	}
	if err != nil {
		return err
	}
	props.Filter.From, props.Filter.To = filters.From, filters.To
	norm := analyticsValues(filters)
	props.Tabs = a.analyticsTabs(p, report, norm)
	d, rep, err := a.analyticsData(ctx, report, f, func(rma string) string { return "/admin/returns/" + rma })
	if err != nil {
		return err
	}
	v := analyticsView{p: p, report: report, query: norm, data: d, rtl: p.lang == "ar"}
	v.build(&props, rep)
	return p.view(http.StatusOK, views.AdminAnalytics(props))
}

// analyticsValues are the normalised filters as a query string.
func analyticsValues(f service.AnalyticsFilters) url.Values {
	q := url.Values{"from": {f.From}, "to": {f.To}}
	for k, v := range map[string]string{"country": f.Country, "region": f.Region, "hub": f.Hub, "reason": f.Reason,
		"category": f.Category, "method": f.Method} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// analyticsTabs link the reports, keeping the filters.
func (a *admin) analyticsTabs(p *portal, current string, q url.Values) []views.AnalyticsTab {
	var out []views.AnalyticsTab
	for _, r := range service.Reports {
		href := "/admin/analytics/" + r
		if len(q) > 0 {
			href += "?" + q.Encode()
		}
		out = append(out, views.AnalyticsTab{Report: r, Label: p.T("admin.analytics.report." + r), Href: href, Current: r == current})
	}
	return out
}

// analyticsChoices are the hub, reason and method filters' options: the
// current policy's hubs and reasons (a value no longer in it stays
// choosable while it is the filter), and the refund methods.
func (a *admin) analyticsChoices(c echo.Context, p *portal, f *views.AnalyticsFilterProps) {
	_, pol, err := a.svc.Policy(c.Request().Context())
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		a.log.Error("analytics: current policy", "err", err)
	}
	for _, h := range pol.Hubs {
		f.Hubs = append(f.Hubs, views.AdminOption{Value: h.Code, Label: h.Name})
	}
	for _, r := range pol.Reasons {
		f.Reasons = append(f.Reasons, views.AdminOption{Value: r.Code, Label: a.reasonLabel(c, r)})
	}
	for _, m := range append(append([]string{}, returns.RefundMethods...), returns.MethodExchange) {
		f.Methods = append(f.Methods, views.AdminOption{Value: m, Label: p.T(codeMessage("method", m))})
	}
	keep := func(opts []views.AdminOption, v string) []views.AdminOption {
		if v == "" {
			return opts
		}
		for _, o := range opts {
			if o.Value == v {
				return opts
			}
		}
		return append(opts, views.AdminOption{Value: v, Label: v})
	}
	f.Hubs, f.Reasons = keep(f.Hubs, f.Hub), keep(f.Reasons, f.Reason)
}

// analyticsExport is GET /admin/analytics/{report}.csv?table=: one table of
// a report (the main one without table) for the page's filters, as CSV
// streamed row by row. Text cells are defused like the queue's export
// (csvCell); money is in minor units, one column per currency; ratios are
// decimals.
func (a *admin) analyticsExport(c echo.Context, report string) error {
	c.SetParamValues(report)
	report, err := reportParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, filters, err := a.svc.AnalyticsFilter(ctx, analyticsQuery(c.QueryParams()))
	if err != nil {
		return err
	}
	d, _, err := a.analyticsData(ctx, report, f, func(string) string { return "" })
	if err != nil {
		return err
	}
	name := c.QueryParam("table")
	if name == "" {
		name = "rows"
	}
	t, ok := d.table(name)
	if !ok {
		return errNotFound
	}
	file := "analytics-" + report
	if name != "rows" {
		file += "-" + strings.ReplaceAll(name, "_", "-")
	}
	file += "-" + strings.ReplaceAll(filters.From, "-", "") + "-" + strings.ReplaceAll(filters.To, "-", "") + ".csv"
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+file+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write(t.csvHeader()); err != nil {
		return nil // the client went away
	}
	for i, r := range t.rows {
		if err := w.Write(t.csvRecord(r)); err != nil {
			return nil
		}
		if i%500 == 499 {
			w.Flush()
			c.Response().Flush()
		}
	}
	w.Flush()
	return nil
}
