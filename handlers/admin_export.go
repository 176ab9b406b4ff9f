package handlers

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// exportBatch is how many returns the CSV export reads per query: the
// queue's keyset query, page after page (never OFFSET), so that an export
// of a million returns costs a million rows, not a million squared.
const exportBatch = store.MaxPage

// exportHeader names the CSV export's columns (stable, not translated: the
// file is read by spreadsheets and scripts).
var exportHeader = []string{"rma", "status", "created_at", "updated_at", "order_number", "email", "country",
	"hub", "reasons", "refund_method", "currency", "quote_total", "quote_total_minor", "refund_deadline",
	"overdue", "goodwill"}

// queueExport is GET /admin/returns.csv with the queue's filters: every
// matching return (all pages) as CSV, streamed batch by batch in the
// queue's order. Times are RFC 3339 in the staff area's time zone; the
// quote total is in major units with the currency's decimals (12.50 EUR,
// 1235 JPY, 1.500 KWD: majorUnits) and in minor units.
func (a *admin) queueExport(c echo.Context) error {
	ctx := c.Request().Context()
	p := a.portal(c)
	fp, f := a.queueFilter(c, p)
	if fp.Error != "" {
		// A filter that the page would drop with a message must not
		// export more than the member asked for.
		return echo.NewHTTPError(http.StatusBadRequest, fp.Error)
	}
	loc := a.staffLoc(c)
	f.Limit = exportBatch
	// The first batch is read before the answer starts, so that a bad
	// cursor or a failing store is still an error status.
	rows, next, err := a.svc.ExportBatch(ctx, f)
	if errors.Is(err, service.ErrBadCursor) {
		return echo.NewHTTPError(http.StatusBadRequest, p.T("admin.queue.bad_filter"))
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="returns-`+f.Now.In(loc).Format("20060102")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write(exportHeader); err != nil {
		return nil // the client went away
	}
	for {
		if err := writeExportRows(w, rows, loc); err != nil {
			// The status is sent: a cut-off file is all that can tell
			// the client.
			a.log.Error("returns export", "err", err)
			return nil
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil // the client went away
		}
		c.Response().Flush()
		if next == "" || ctx.Err() != nil {
			return nil
		}
		f.Cursor = next
		if rows, next, err = a.svc.ExportBatch(ctx, f); err != nil {
			a.log.Error("returns export", "err", err)
			return nil
		}
	}
}

// writeExportRows writes one batch of the export.
func writeExportRows(w *csv.Writer, rows []service.QueueItem, loc *time.Location) error {
	for _, r := range rows {
		hub, due := "", ""
		if r.Hub != nil {
			hub = *r.Hub
		}
		if r.RefundDue != nil {
			due = *r.RefundDue
		}
		rec := []string{r.RMA, r.Status, r.CreatedAt.In(loc).Format("2006-01-02T15:04:05Z07:00"),
			r.UpdatedAt.In(loc).Format("2006-01-02T15:04:05Z07:00"), r.OrderNumber, r.Email, r.Country, hub,
			strings.Join(r.Reasons, ";"), r.RefundMethod, r.Currency}
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		// The amounts are numbers this function makes (a negative one
		// must stay a number), the rest fixed words and a date.
		rec = append(rec, majorUnits(r.Total, r.Currency), strconv.FormatInt(r.Total, 10), due,
			strconv.FormatBool(r.Overdue), strconv.FormatBool(r.Goodwill))
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// csvCell defuses a value that a spreadsheet would run as a formula (CSV
// injection, OWASP): a cell starting with = + - @, a tab or a carriage
// return gets a leading single quote.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
