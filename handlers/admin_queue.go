package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
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
// the store's filter (service.QueueFilter). A value that cannot be used is
// dropped and the form says so (Error).
func (a *admin) queueFilter(c echo.Context, p *portal) (views.QueueFilterProps, store.QueueFilter) {
	q := c.QueryParams()
	fp := views.QueueFilterProps{Status: q.Get("status"), Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))),
		Reason: q.Get("reason"), Hub: strings.TrimSpace(q.Get("hub")), From: q.Get("from"), To: q.Get("to"),
		Search: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Overdue: q.Get("overdue") == "1",
		RefundFailed: q.Get("refund_failed") == "1", Kept: q.Get("kept") == "1", Shipment: q.Get("shipment")}
	f, ok := a.svc.QueueFilter(service.QueueQuery{Status: fp.Status, Country: fp.Country, Reason: fp.Reason, Hub: fp.Hub,
		Search: fp.Search, Sort: fp.Sort, Cursor: q.Get("cursor"), From: fp.From, To: fp.To, Overdue: fp.Overdue,
		RefundFailed: fp.RefundFailed, Kept: fp.Kept, Shipment: fp.Shipment,
		Location: a.staffLoc(c)})
	if f.Shipment == "" {
		fp.Shipment = ""
	}
	if !ok {
		fp.Error = p.T("admin.queue.bad_filter")
	}
	fp.Sort = f.Sort
	return fp, f
}

// queuePage is GET /admin/returns: counts per status, the filters, and one
// page of returns (keyset pagination: the cursor continues after the last
// row shown).
func (a *admin) queuePage(c echo.Context) error {
	p := a.portal(c)
	fp, f := a.queueFilter(c, p)
	loc := a.staffLoc(c)
	page, err := a.svc.Queue(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if page.BadCursor {
		fp.Error = p.T("admin.queue.bad_filter")
	}
	props := views.QueueProps{Page: a.page(c, p, "admin.queue.title", "queue"), Filter: fp}
	for _, st := range queueStatuses {
		label := p.T("status." + string(st))
		props.Statuses = append(props.Statuses, views.AdminOption{Value: string(st), Label: label})
		props.Counts = append(props.Counts, views.StatusCount{Status: string(st), Label: label, Count: page.Counts[string(st)],
			Href: "/admin/returns?" + url.Values{"status": {string(st)}}.Encode()})
	}
	for _, so := range []string{store.SortNewest, store.SortOldest, store.SortDue} {
		props.Sorts = append(props.Sorts, views.AdminOption{Value: so, Label: p.T("admin.queue.sort." + so)})
	}
	a.queueChoices(c, &props)
	for _, sf := range store.ShipmentFilters {
		props.Shipments = append(props.Shipments, views.AdminOption{Value: sf, Label: p.T("admin.queue.shipment." + sf)})
	}
	for _, r := range page.Items {
		row := views.QueueRowProps{RMA: r.RMA, Href: "/admin/returns/" + r.RMA, OrderNumber: r.OrderNumber,
			Email: r.Email, StatusCode: r.Status, Status: p.T("status." + r.Status), Country: r.Country,
			Total: p.money(r.Total, r.Currency), Created: staffTime(r.CreatedAt, loc), Overdue: r.Overdue,
			Override: r.Goodwill}
		if r.RefundDue != nil {
			row.Due = *r.RefundDue
		}
		props.Rows = append(props.Rows, row)
	}
	// The export takes the same filters, all pages; the next page continues
	// after this one.
	q := withoutCursor(c.QueryParams())
	props.ExportHref = "/admin/returns.csv"
	if len(q) > 0 {
		props.ExportHref += "?" + q.Encode()
	}
	if page.Next != "" {
		q.Set("cursor", page.Next)
		props.NextHref = "/admin/returns?" + q.Encode()
	}
	return p.view(http.StatusOK, views.AdminQueue(props))
}

// queueChoices are the reason and hub filters' options, from the current
// policy (none when it cannot be read: the queue still shows). A hub that
// the policy no longer has stays choosable while it is the filter (older
// returns keep their version's hub).
func (a *admin) queueChoices(c echo.Context, props *views.QueueProps) {
	_, pol, err := a.svc.Policy(c.Request().Context())
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		a.log.Error("queue: current policy", "err", err)
	}
	for _, r := range pol.Reasons {
		props.Reasons = append(props.Reasons, views.AdminOption{Value: r.Code, Label: a.reasonLabel(c, r)})
	}
	for _, h := range pol.Hubs {
		props.Hubs = append(props.Hubs, views.AdminOption{Value: h.Code, Label: h.Name})
	}
	if hub := props.Filter.Hub; hub != "" && !slices.ContainsFunc(props.Hubs, func(o views.AdminOption) bool { return o.Value == hub }) {
		props.Hubs = append(props.Hubs, views.AdminOption{Value: hub, Label: hub})
	}
}

// withoutCursor is a query without its page cursor.
func withoutCursor(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if k != "cursor" {
			out[k] = vs
		}
	}
	return out
}
