package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Sort orders of the queue.
const (
	SortNewest = "newest" // created, newest first (the default)
	SortOldest = "oldest" // created, oldest first
	SortDue    = "due"    // legal refund deadline, soonest first (returns without one are left out)
)

// MaxPage bounds a page of the queue or of the API's list.
const MaxPage = 500

// ErrBadCursor is wrapped for a cursor this store did not make.
var ErrBadCursor = errors.New("invalid cursor")

// QueueFilter selects and orders the staff queue. Zero values do not filter.
type QueueFilter struct {
	Status  string
	Country string
	Reason  string
	// Hub is the code of the hub the return's parcel goes to (the
	// effective policy's under the return's policy version).
	Hub string
	// From and To bound the request time: From <= created_at < To.
	From, To *time.Time
	// Overdue keeps the open returns whose legal refund deadline has passed
	// at Now.
	Overdue bool
	// Shipment keeps the returns whose parcel is in transit or delivered
	// but not yet received (ShipmentFilters; "" does not filter).
	Shipment string
	// RefundFailed keeps the returns whose refund failed at its provider.
	RefundFailed bool
	// Kept keeps the returns whose shopper kept the items (returnless).
	Kept bool
	// Search is an RMA, the beginning of one (returns.RMAPrefix: "R-PZN2"),
	// an order number or an e-mail address (exact, the e-mail
	// case-insensitive).
	Search string
	Sort   string
	// Cursor continues after the last row of the previous page.
	Cursor string
	Limit  int
	Now    time.Time
}

// QueueRow is one return in the queue.
type QueueRow struct {
	ID           int64      `db:"id"`
	RMA          string     `db:"rma"`
	OrderNumber  string     `db:"order_number"`
	Email        string     `db:"email"`
	Status       string     `db:"status"`
	Country      string     `db:"ship_country"`
	RefundMethod string     `db:"refund_method"`
	Currency     string     `db:"currency"`
	Total        int64      `db:"total"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
	RefundDue    *string    `db:"refund_due"`
	OverdueAt    *time.Time `db:"refund_overdue_at"`
	Hub          *string    `db:"hub"`
}

const (
	queueColumns = `SELECT r.id, r.rma, o.number AS order_number, o.email, r.status, r.ship_country,
	r.refund_method, r.currency, r.total, r.created_at, r.updated_at, r.refund_due, r.refund_overdue_at, r.hub`
	queueJoin   = ` JOIN orders o ON o.id = r.order_id`
	queueSelect = queueColumns + ` FROM returns r` + queueJoin
)

// Queue returns one page of the staff queue and the cursor of the next page
// ("" on the last). Pagination is by keyset on (sort key, id), so a page
// costs the same at the millionth row as at the first; the indexes of
// migrations 00002, 00003 and 00005 serve each filter and sort (TestQueuePlans
// checks that none of them scans the returns).
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueRow, string, error) {
	rows, next, err := s.queue(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("store: queue: %w", err)
	}
	return rows, next, nil
}

// openStatusList are the statuses whose refund is still owed
// (returns.Status.RefundOwed, checked by TestOpenStatusList) written into
// the SQL as constants, so that the planner sees which statuses it seeks in
// returns_status_overdue.
const openStatusList = "('requested', 'approved', 'received', 'inspected')"

// queueQuery builds the queue's query for f with its arguments and the page
// size.
func queueQuery(f QueueFilter) (string, []any, int, error) {
	limit := f.Limit
	if limit <= 0 || limit > MaxPage {
		limit = 50
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Status != "" {
		add("r.status = ?", f.Status)
	}
	if f.Country != "" {
		add("r.ship_country = ?", strings.ToUpper(f.Country))
	}
	if f.Hub != "" {
		// returns_hub_created serves the hub in created order; sorted by
		// the deadline or filtered to the overdue, comparing an expression
		// (|| '', where SQLite's unary + would be refused by PostgreSQL
		// on text) keeps the planner on the deadline's indexes (returns_status_overdue
		// carries the hub for that), which it would otherwise leave for
		// the hub's and then sort every return of the hub.
		if f.Overdue || f.Sort == SortDue {
			add("r.hub || '' = ?", f.Hub)
		} else {
			add("r.hub = ?", f.Hub)
		}
	}
	if f.Shipment != "" {
		cond, a, ok := shipmentCondition(f.Shipment)
		if !ok {
			return "", nil, 0, fmt.Errorf("unknown shipment filter %q", f.Shipment)
		}
		add(cond, a...)
	}
	if f.Reason != "" {
		add("EXISTS (SELECT 1 FROM return_items ri WHERE ri.return_id = r.id AND ri.reason = ?)", f.Reason)
	}
	if f.From != nil {
		add("r.created_at >= ?", dbTime(*f.From))
	}
	if f.To != nil {
		add("r.created_at < ?", dbTime(*f.To))
	}
	if f.Overdue {
		add("r.status IN "+openStatusList+" AND r.refund_overdue_at <= ?", dbTime(f.Now))
	}
	if f.RefundFailed {
		// Few rows: refunds_state finds them, the returns follow by id.
		add("r.id IN (SELECT rf.return_id FROM refunds rf WHERE rf.state = 'failed')")
	}
	if f.Kept {
		add("r.returnless = ?", true)
	}
	from, fromArgs := " FROM returns r", []any(nil)
	if q := strings.TrimSpace(f.Search); q != "" {
		// A search finds a handful of returns through its own indexes; they
		// drive the query (m first: SQLite keeps the order of a CROSS JOIN)
		// and the other filters are checked on them. As a condition on the
		// returns instead, both engines walked the returns in the page's
		// order testing each (PostgreSQL cannot use an index for an OR with
		// a subquery: 0.3 s per search on a million returns).
		ids, a := searchedReturns(q)
		from, fromArgs = " FROM ("+ids+") m CROSS JOIN returns r", a
		add("r.id = m.id")
	}
	key, order := "r.created_at", "DESC"
	switch f.Sort {
	case SortOldest:
		order = "ASC"
	case SortDue:
		key, order = "r.refund_overdue_at", "ASC"
		add("r.refund_overdue_at IS NOT NULL")
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return "", nil, 0, err
		}
		cmp := "<"
		if order == "ASC" {
			cmp = ">"
		}
		// key <= at (>= ascending) bounds the index range; the OR then
		// only settles ties.
		add("("+key+" "+cmp+"= ? AND ("+key+" "+cmp+" ? OR r.id "+cmp+" ?))", at, at, id)
	}
	orderBy := " ORDER BY " + key + " " + order + ", r.id " + order
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	page := " LIMIT " + strconv.Itoa(limit+1)
	if f.Overdue {
		// The overdue returns come from returns_status_overdue (seeking
		// each open status), not in the page's order: the page's ids are
		// picked from the index first, so that only the sort keys of the
		// overdue returns are sorted and only a page of rows is read.
		return queueSelect + " WHERE r.id IN (SELECT r.id" + from + cond + orderBy + page + ")" + orderBy,
			append(fromArgs, args...), limit, nil
	}
	return queueColumns + from + queueJoin + cond + orderBy + page, append(fromArgs, args...), limit, nil
}

// searchedReturns is a query of the ids of the returns a queue search
// finds, with its arguments: by the order's e-mail; by an RMA or the
// beginning of one (returns.RMAPrefix: "R-PZN2") or else the order's
// number. Each part reads one index (a partial RMA a range of the unique
// index of rma: a LIKE would not use it, SQLite's being case-blind and
// PostgreSQL's needing a pattern operator class).
func searchedReturns(q string) (string, []any) {
	const byOrder = "SELECT rs.id FROM returns rs WHERE rs.order_id IN (SELECT os.id FROM orders os WHERE "
	if strings.Contains(q, "@") {
		return byOrder + "os.email_norm = ?)", []any{NormalizeEmail(q)}
	}
	if rma, ok := returns.NormalizeRMA(q); ok {
		return "SELECT rs.id FROM returns rs WHERE rs.rma = ? UNION " + byOrder + "os.number = ?)", []any{rma, q}
	}
	if prefix, ok := returns.RMAPrefix(q); ok {
		return "SELECT rs.id FROM returns rs WHERE rs.rma >= ? AND rs.rma < ? UNION " + byOrder + "os.number = ?)",
			[]any{prefix, prefixEnd(prefix), q}
	}
	return byOrder + "os.number = ?)", []any{q}
}

// prefixEnd is the least string above every string that starts with
// prefix, in byte order: its last byte plus one. RMA prefixes are ASCII
// letters, digits and "-", so the last byte never overflows.
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	b[len(b)-1]++
	return string(b)
}

func (s *Store) queue(ctx context.Context, f QueueFilter) ([]QueueRow, string, error) {
	query, args, limit, err := queueQuery(f)
	if err != nil {
		return nil, "", err
	}
	var rows []QueueRow
	if err := sel(ctx, s.r, &rows, query, args...); err != nil {
		return nil, "", err
	}
	for i := range rows {
		rows[i].CreatedAt, rows[i].UpdatedAt = rows[i].CreatedAt.UTC(), rows[i].UpdatedAt.UTC()
		rows[i].OverdueAt = utcPtr(rows[i].OverdueAt)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		at := last.CreatedAt
		if f.Sort == SortDue {
			at = *last.OverdueAt
		}
		next = encodeCursor(at, last.ID)
	}
	if rows == nil {
		rows = []QueueRow{}
	}
	return rows, next, nil
}

// StatusCounts returns the number of returns in each status, from the
// counts that countStatus keeps (statuses without returns may be missing or
// zero).
func (s *Store) StatusCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := sel(ctx, s.r, &rows, `SELECT status, n FROM return_status_counts`); err != nil {
		return nil, fmt.Errorf("store: status counts: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// countStatus moves one return from status from ("" for a new return) to
// status to in the counts per status, inside the caller's transaction. Every
// statement that inserts a return or changes its status calls it
// (TestStatusWritesCount, TestStatusCountsExact).
func countStatus(ctx context.Context, tx *sqlx.Tx, from, to returns.Status) error {
	if from == to {
		return nil
	}
	if from != "" {
		if _, err := exec(ctx, tx, `UPDATE return_status_counts SET n = n - 1 WHERE status = ?`, from); err != nil {
			return err
		}
	}
	_, err := exec(ctx, tx, `INSERT INTO return_status_counts (status, n) VALUES (?, 1)
		ON CONFLICT (status) DO UPDATE SET n = return_status_counts.n + 1`, to)
	return err
}

// ReturnsUpdated returns one page of returns changed at or after since (zero:
// all), oldest change first, optionally in one status, for merchant systems
// that sync; and the cursor of the next page ("" on the last).
func (s *Store) ReturnsUpdated(ctx context.Context, status string, since time.Time, cursor string, limit int) ([]QueueRow, string, error) {
	if limit <= 0 || limit > MaxPage {
		limit = 100
	}
	var where []string
	var args []any
	if status != "" {
		where, args = append(where, "r.status = ?"), append(args, status)
	}
	if !since.IsZero() {
		where, args = append(where, "r.updated_at >= ?"), append(args, dbTime(since))
	}
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", fmt.Errorf("store: returns updated: %w", err)
		}
		where = append(where, "(r.updated_at >= ? AND (r.updated_at > ? OR r.id > ?))")
		args = append(args, at, at, id)
	}
	query := queueSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY r.updated_at, r.id LIMIT " + strconv.Itoa(limit+1)
	rows := []QueueRow{}
	if err := sel(ctx, s.r, &rows, query, args...); err != nil {
		return nil, "", fmt.Errorf("store: returns updated: %w", err)
	}
	for i := range rows {
		rows[i].CreatedAt, rows[i].UpdatedAt = rows[i].CreatedAt.UTC(), rows[i].UpdatedAt.UTC()
		rows[i].OverdueAt = utcPtr(rows[i].OverdueAt)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = encodeCursor(rows[limit-1].UpdatedAt, rows[limit-1].ID)
	}
	return rows, next, nil
}

// encodeCursor and decodeCursor carry a keyset position: a time at
// microsecond precision and a row id.
func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UTC().UnixMicro(), 10) + "." +
		strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, ErrBadCursor
	}
	ts, ids, ok := strings.Cut(string(b), ".")
	micros, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, 0, ErrBadCursor
	}
	return dbTime(time.UnixMicro(micros)), id, nil
}

// ReturnReasons returns the reason codes of the given returns' items (by
// return id), each return's in item order without repeats, for the queue's
// CSV export.
func (s *Store) ReturnReasons(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT return_id, reason FROM return_items WHERE return_id IN (?)
		ORDER BY return_id, position`, ids)
	if err != nil {
		return nil, fmt.Errorf("store: return reasons: %w", err)
	}
	var rows []struct {
		ReturnID int64  `db:"return_id"`
		Reason   string `db:"reason"`
	}
	if err := sel(ctx, s.r, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("store: return reasons: %w", err)
	}
	for _, r := range rows {
		if !slices.Contains(out[r.ReturnID], r.Reason) {
			out[r.ReturnID] = append(out[r.ReturnID], r.Reason)
		}
	}
	return out, nil
}
