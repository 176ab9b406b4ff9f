package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// QueueQuery is the staff queue's filters as typed.
type QueueQuery struct {
	Status, Country, Reason, Hub, Search, Sort, Cursor string
	// From and To are days ("2006-01-02") of Location, the staff area's
	// time zone; To includes its whole day.
	From, To string
	Location *time.Location
	Overdue  bool
	// Shipment filters by the parcel (store.ShipmentFilters: in transit,
	// delivered and not yet received).
	Shipment string
	// RefundFailed keeps the returns whose refund failed at its provider.
	RefundFailed bool
	// Kept keeps the keep-the-item (returnless) returns.
	Kept bool
}

// QueueItem is a return in the queue, with what the domain says of it.
type QueueItem struct {
	store.QueueRow
	// Overdue: its legal refund deadline has passed while the refund is
	// still owed (returns.RefundOverdue).
	Overdue bool
	// Goodwill: an admin granted goodwill on it.
	Goodwill bool
	// Reasons are its items' reason codes (ExportBatch only).
	Reasons []string
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Items []QueueItem
	// Next is the cursor of the next page, "" on the last.
	Next string
	// Counts are the returns per status.
	Counts map[string]int
	// BadCursor: the cursor was not one of ours; the first page is shown.
	BadCursor bool
}

// maxHubCode and maxSearch bound the hub filter and the search (hub codes
// are short, e-mail addresses at most 254 bytes).
const (
	maxHubCode = 64
	maxSearch  = 254
)

// QueueFilter makes the store's filter of a query, at the current time. A
// value that cannot be used is dropped, and ok is false so that the form
// can say so; an unknown sort is the default (newest first).
func (s *Service) QueueFilter(q QueueQuery) (f store.QueueFilter, ok bool) {
	f = store.QueueFilter{Status: q.Status, Country: q.Country, Reason: q.Reason, Hub: q.Hub, Search: q.Search,
		Sort: q.Sort, Overdue: q.Overdue, RefundFailed: q.RefundFailed, Kept: q.Kept, Cursor: q.Cursor, Now: s.now(), Limit: 50}
	ok = true
	if q.Shipment != "" {
		if slices.Contains(store.ShipmentFilters, q.Shipment) {
			f.Shipment = q.Shipment
		} else {
			ok = false
		}
	}
	if f.Status != "" && !returns.Status(f.Status).Valid() {
		f.Status, ok = "", false
	}
	if len(f.Search) > maxSearch {
		f.Search, ok = "", false
	}
	if len(f.Hub) > maxHubCode {
		f.Hub, ok = "", false
	}
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, d := range []struct {
		in  string
		out **time.Time
		add int
	}{{q.From, &f.From, 0}, {q.To, &f.To, 1}} {
		if d.in == "" {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", d.in, loc)
		if err != nil {
			ok = false
			continue
		}
		t := day.AddDate(0, 0, d.add)
		*d.out = &t
	}
	switch f.Sort {
	case store.SortNewest, store.SortOldest, store.SortDue:
	default:
		f.Sort = store.SortNewest
	}
	return f, ok
}

// Queue is one page of the staff queue (keyset pagination: the cursor
// continues after the last row shown) with the counts per status.
func (s *Service) Queue(ctx context.Context, f store.QueueFilter) (QueuePage, error) {
	var page QueuePage
	rows, next, err := s.st.Queue(ctx, f)
	if errors.Is(err, ErrBadCursor) {
		page.BadCursor, f.Cursor = true, ""
		rows, next, err = s.st.Queue(ctx, f)
	}
	if err != nil {
		return QueuePage{}, err
	}
	if page.Items, err = s.queueItems(ctx, rows, f.Now, false); err != nil {
		return QueuePage{}, err
	}
	page.Next = next
	page.Counts, err = s.st.StatusCounts(ctx)
	return page, err
}

// ExportBatch is one batch of the queue's export (f.Limit rows, all
// columns: reasons too) and the cursor of the next ("" after the last).
func (s *Service) ExportBatch(ctx context.Context, f store.QueueFilter) ([]QueueItem, string, error) {
	rows, next, err := s.st.Queue(ctx, f)
	if err != nil {
		return nil, "", err
	}
	items, err := s.queueItems(ctx, rows, f.Now, true)
	return items, next, err
}

// queueItems completes a page of rows: overdue, goodwill (one query for
// the page) and, for the export, the reasons (another).
func (s *Service) queueItems(ctx context.Context, rows []store.QueueRow, now time.Time, reasons bool) ([]QueueItem, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	goodwill, err := s.st.GoodwillReturns(ctx, ids)
	if err != nil {
		return nil, err
	}
	var byReturn map[int64][]string
	if reasons {
		if byReturn, err = s.st.ReturnReasons(ctx, ids); err != nil {
			return nil, err
		}
	}
	items := make([]QueueItem, len(rows))
	for i, r := range rows {
		items[i] = QueueItem{QueueRow: r, Overdue: returns.RefundOverdue(returns.Status(r.Status), r.OverdueAt, now),
			Goodwill: goodwill[r.ID], Reasons: byReturn[r.ID]}
	}
	return items, nil
}

// DefaultChangesLimit is how many returns a page of ReturnsChanged holds
// unless asked otherwise.
const DefaultChangesLimit = 100

// ReturnsChanged is one page of the returns changed at or after since
// (zero: all), oldest change first, optionally in one status, for the
// merchant's systems to sync, and the cursor of the next page ("" on the
// last). A status that does not exist, a limit outside 1..store.MaxPage or
// a cursor that is not ours is a field error.
func (s *Service) ReturnsChanged(ctx context.Context, status string, since time.Time, cursor string, limit int) ([]store.QueueRow, string, error) {
	if err := CheckStatus(status); err != nil {
		return nil, "", err
	}
	if limit < 1 || limit > store.MaxPage {
		return nil, "", returns.FieldErrors{{Path: "limit", Code: returns.FieldInvalid}}
	}
	rows, next, err := s.st.ReturnsUpdated(ctx, status, since, cursor, limit)
	if errors.Is(err, ErrBadCursor) {
		return nil, "", returns.FieldErrors{{Path: "cursor", Code: returns.FieldInvalid}}
	}
	return rows, next, err
}

// CheckStatus refuses a status filter that names no status (a field error
// on "status"); "" filters nothing.
func CheckStatus(status string) error {
	if status != "" && !returns.Status(status).Valid() {
		return returns.FieldErrors{{Path: "status", Code: returns.FieldInvalid}}
	}
	return nil
}
