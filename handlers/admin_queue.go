package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// queueStatuses are the statuses the queue filters and counts, in the order
// of the status machine.
var queueStatuses = []returns.Status{returns.StatusRequested, returns.StatusApproved, returns.StatusReceived,
	returns.StatusInspected, returns.StatusRefunded, returns.StatusCredited, returns.StatusExchanged,
	returns.StatusClosed, returns.StatusRejected, returns.StatusCancelled, returns.StatusExpired}

// queueFilter reads the queue's filters from the query string (the queue
// page and its CSV export share them): the form's values to show again, and
// the store's filter. A value that cannot be used is dropped and the form
// says so (Error).
func (a *admin) queueFilter(c echo.Context, p *portal) (views.QueueFilterProps, store.QueueFilter) {
	q := c.QueryParams()
	fp := views.QueueFilterProps{Status: q.Get("status"), Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))),
		Reason: q.Get("reason"), Hub: strings.TrimSpace(q.Get("hub")), From: q.Get("from"), To: q.Get("to"),
		Search: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Overdue: q.Get("overdue") == "1"}
	f := store.QueueFilter{Status: fp.Status, Country: fp.Country, Reason: fp.Reason, Hub: fp.Hub, Search: fp.Search,
		Sort: fp.Sort, Overdue: fp.Overdue, Cursor: q.Get("cursor"), Now: a.now(), Limit: 50}
	if fp.Status != "" && !returns.Status(fp.Status).Valid() {
		fp.Error, f.Status = p.T("admin.queue.bad_filter"), ""
	}
	if len(fp.Search) > 254 {
		fp.Error, f.Search = p.T("admin.queue.bad_filter"), ""
	}
	if len(fp.Hub) > maxHubCode {
		fp.Error, f.Hub = p.T("admin.queue.bad_filter"), ""
	}
	// The dates are days of the staff area's time zone (the timezone
	// setting): "to" includes its whole day.
	loc := a.staffLoc(c)
	for _, d := range []struct {
		in  string
		out **time.Time
		add int
	}{{fp.From, &f.From, 0}, {fp.To, &f.To, 1}} {
		if d.in == "" {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", d.in, loc)
		if err != nil {
			fp.Error = p.T("admin.queue.bad_filter")
			continue
		}
		t := day.AddDate(0, 0, d.add)
		*d.out = &t
	}
	switch fp.Sort {
	case store.SortNewest, store.SortOldest, store.SortDue:
	default:
		fp.Sort, f.Sort = store.SortNewest, store.SortNewest
	}
	return fp, f
}

// maxHubCode bounds the hub filter's value (hub codes are short).
const maxHubCode = 64

// queuePage is GET /admin/returns: counts per status, the filters, and one
// page of returns (keyset pagination: the cursor continues after the last
// row shown).
func (a *admin) queuePage(c echo.Context) error {
	ctx := c.Request().Context()
	p := a.portal(c)
	q := c.QueryParams()
	fp, f := a.queueFilter(c, p)
	now, loc := f.Now, a.staffLoc(c)
	rows, next, err := a.st.Queue(ctx, f)
	if errors.Is(err, store.ErrBadCursor) {
		fp.Error, f.Cursor = p.T("admin.queue.bad_filter"), ""
		rows, next, err = a.st.Queue(ctx, f)
	}
	if err != nil {
		return err
	}
	counts, err := a.st.StatusCounts(ctx)
	if err != nil {
		return err
	}
	props := views.QueueProps{Page: a.page(c, p, "admin.queue.title", "queue"), Filter: fp}
	for _, st := range queueStatuses {
		label := p.T("status." + string(st))
		props.Statuses = append(props.Statuses, views.AdminOption{Value: string(st), Label: label})
		props.Counts = append(props.Counts, views.StatusCount{Status: string(st), Label: label, Count: counts[string(st)],
			Href: "/admin/returns?" + url.Values{"status": {string(st)}}.Encode()})
	}
	for _, so := range []string{store.SortNewest, store.SortOldest, store.SortDue} {
		props.Sorts = append(props.Sorts, views.AdminOption{Value: so, Label: p.T("admin.queue.sort." + so)})
	}
	if _, pol, err := a.cfg.Store.CurrentPolicy(ctx); err == nil {
		for _, r := range pol.Reasons {
			props.Reasons = append(props.Reasons, views.AdminOption{Value: r.Code, Label: a.reasonLabel(c, r)})
		}
		for _, h := range pol.Hubs {
			props.Hubs = append(props.Hubs, views.AdminOption{Value: h.Code, Label: h.Name})
		}
	}
	// A hub that the current policy no longer has stays choosable while
	// it is the filter (older returns keep their version's hub).
	if fp.Hub != "" && !slices.ContainsFunc(props.Hubs, func(o views.AdminOption) bool { return o.Value == fp.Hub }) {
		props.Hubs = append(props.Hubs, views.AdminOption{Value: fp.Hub, Label: fp.Hub})
	}
	for _, r := range rows {
		row := views.QueueRowProps{RMA: r.RMA, Href: "/admin/returns/" + r.RMA, OrderNumber: r.OrderNumber,
			Email: r.Email, StatusCode: r.Status, Status: p.T("status." + r.Status), Country: r.Country,
			Total: p.money(r.Total, r.Currency), Created: staffTime(r.CreatedAt, loc), Overdue: returns.RefundOverdue(returns.Status(r.Status), r.OverdueAt, now)}
		if r.RefundDue != nil {
			row.Due = *r.RefundDue
		}
		props.Rows = append(props.Rows, row)
	}
	if err := a.markOverrides(ctx, rows, props.Rows); err != nil { // admin_goodwill.go
		return err
	}
	eq := url.Values{}
	for k, vs := range q {
		if k != "cursor" {
			eq[k] = vs
		}
	}
	props.ExportHref = "/admin/returns.csv"
	if len(eq) > 0 {
		props.ExportHref += "?" + eq.Encode()
	}
	if next != "" {
		nq := url.Values{}
		for k, vs := range q {
			if k != "cursor" {
				nq[k] = vs
			}
		}
		nq.Set("cursor", next)
		props.NextHref = "/admin/returns?" + nq.Encode()
	}
	return p.view(http.StatusOK, views.AdminQueue(props))
}
