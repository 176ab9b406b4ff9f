// Package benchdata builds a large, realistic database for the staff-area
// benchmarks (`make bench-admin`): about a million returns over two years,
// from some twenty countries (and their regions), in every status, with
// their orders (one to three lines, eight categories, 5,000 SKUs), items,
// reasons, inspections, refunds (store credit with its bonus, goodwill now
// and then, fees kept), audit events, and about as many orders again that
// nobody returned (the sales the return rates divide by). The report
// tables are then recounted from these rows (store.RebuildAnalytics).
//
// Building it takes a while, so Ensure keeps it in a file and builds it again
// only when the schema (the latest migration) or this generator changes. The
// rows are written with plain SQL in large transactions through prepared
// statements, with the secondary indexes dropped during the load and
// recreated afterwards, exactly as the migrations define them.
package benchdata

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// generator changes whenever the generated data does, so that an old file is
// built again.
const generator = "6"

// Now is the benchmark's clock: the data ends here, two years after it
// starts. Benchmarks run the app with this clock so that "overdue" means the
// same thing on every run.
var Now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// span is how far back the returns go.
const span = 730 * 24 * time.Hour

// Password is the password of the staff accounts agent@example.com,
// viewer@example.com and admin@example.com in the generated database.
const Password = "a long passphrase for the benchmark staff"

// fingerprintSetting records what built the file.
const fingerprintSetting = "benchdata_fingerprint"

// Info describes a generated database and gives the benchmarks things to
// search for.
type Info struct {
	Path    string
	Returns int
	// Built is true when Ensure built the file (false: it was reused), and
	// Took how long building took.
	Built bool
	Took  time.Duration
	// A return in the middle of the data, its order and the order's e-mail
	// as the shopper typed it (mixed case).
	RMA, OrderNumber, Email string
}

// Ensure returns the database at path with n returns, building it first if
// it is missing or was built for another schema or by another generator.
// logf (may be nil) reports progress.
func Ensure(ctx context.Context, path string, n int, logf func(format string, args ...any)) (Info, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	want, err := fingerprint(ctx, n)
	if err != nil {
		return Info{}, err
	}
	info := Info{Path: path, Returns: n}
	if got, err := readFingerprint(ctx, path); err == nil && got == want {
		return info, sample(ctx, path, &info)
	} else if err == nil {
		logf("benchdata: %s was built for %q, want %q: building again", path, got, want)
	}
	start := time.Now()
	if err := build(ctx, path, n, builtBy(n), logf); err != nil {
		return Info{}, err
	}
	info.Built, info.Took = true, time.Since(start)
	logf("benchdata: built %s with %d returns in %s", path, n, info.Took.Round(time.Millisecond))
	return info, sample(ctx, path, &info)
}

// fingerprint names the schema (found by migrating an empty database) and
// the generator.
func fingerprint(ctx context.Context, n int) (string, error) {
	dir, err := os.MkdirTemp("", "benchdata-schema-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "schema.db")
	if err := store.MigrateAt(ctx, p, returns.LoadLegal()); err != nil {
		return "", err
	}
	id, err := schemaID(ctx, p)
	if err != nil {
		return "", err
	}
	return "schema=" + id + " " + builtBy(n), nil
}

// builtBy is the part of the fingerprint that the settings row keeps.
func builtBy(n int) string { return fmt.Sprintf("generator=%s returns=%d", generator, n) }

func rawOpen(path string, params string) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?"+params)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// schemaID names a database's schema: its migration version and a hash of
// its tables and indexes, so that an edited migration also counts.
func schemaID(ctx context.Context, path string) (string, error) {
	db, err := rawOpen(path, "mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return "", err
	}
	rows, err := db.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var typ, name, stmt string
		if err := rows.Scan(&typ, &name, &stmt); err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", typ, name, stmt)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d-%x", v, h.Sum(nil)[:6]), nil
}

func readFingerprint(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	id, err := schemaID(ctx, path)
	if err != nil {
		return "", err
	}
	db, err := rawOpen(path, "mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var by string
	if err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, fingerprintSetting).Scan(&by); err != nil {
		return "", err
	}
	return "schema=" + id + " " + by, nil
}

// sample picks the return in the middle of the data.
func sample(ctx context.Context, path string, info *Info) error {
	db, err := rawOpen(path, "mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	return db.QueryRowContext(ctx, `SELECT r.rma, o.number, o.email FROM returns r
		JOIN orders o ON o.id = r.order_id WHERE r.id = (SELECT MAX(id) / 2 FROM returns)`).
		Scan(&info.RMA, &info.OrderNumber, &info.Email)
}

// build writes a new database to a temporary file and renames it to path.
func build(ctx context.Context, path string, n int, fp string, logf func(string, ...any)) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	// The schema, the policy and the staff through the store, as in
	// production.
	st, err := store.Open(ctx, tmp, returns.LoadLegal())
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		_ = st.Close()
		return err
	}
	if _, err := st.SavePolicy(ctx, demo.Policy(), "benchdata"); err != nil {
		_ = st.Close()
		return err
	}
	for _, role := range []string{store.RoleViewer, store.RoleAgent, store.RoleAdmin} {
		if _, err := st.CreateStaff(ctx, role+"@example.com", Password, role); err != nil {
			_ = st.Close()
			return err
		}
	}
	if err := st.Close(); err != nil {
		return err
	}

	db, err := rawOpen(tmp, "_journal_mode=OFF&_synchronous=OFF&_foreign_keys=off")
	if err != nil {
		return err
	}
	defer db.Close()
	for _, p := range []string{`PRAGMA cache_size = -1048576`, `PRAGMA temp_store = MEMORY`} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	indexes, err := dropIndexes(ctx, db)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := load(ctx, db, n, logf); err != nil {
		return err
	}
	logf("benchdata: rows written in %s; indexing", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	for _, ix := range indexes {
		if _, err := db.ExecContext(ctx, ix); err != nil {
			return fmt.Errorf("recreate %q: %w", ix, err)
		}
	}
	if err := fillDerived(ctx, db); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`,
		// At the store's precision (microseconds, what PostgreSQL keeps),
		// so that a copy into PostgreSQL checks out.
		fingerprintSetting, fp, time.Now().UTC().Truncate(time.Microsecond)); err != nil {
		return err
	}
	// The store opens files in WAL mode; switch back before handing it over.
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
		return err
	}
	logf("benchdata: indexed in %s", time.Since(start).Round(time.Millisecond))
	if err := db.Close(); err != nil {
		return err
	}
	// The report tables, recounted from the rows as the analytics command
	// does.
	start = time.Now()
	st, err = store.Open(ctx, tmp, returns.LoadLegal())
	if err != nil {
		return err
	}
	if err := errors.Join(st.RebuildAnalytics(ctx), st.Close()); err != nil {
		return err
	}
	logf("benchdata: report tables recounted in %s", time.Since(start).Round(time.Millisecond))
	for _, p := range []string{tmp + "-wal", tmp + "-shm", path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmp, path)
}

// dropIndexes drops the explicit indexes of the tables the load fills and
// returns the statements that create them again.
func dropIndexes(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('orders', 'order_lines', 'returns', 'return_items', 'audit_events', 'inspections', 'refunds', 'goodwill')`)
	if err != nil {
		return nil, err
	}
	var names, stmts []string
	for rows.Next() {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			rows.Close()
			return nil, err
		}
		names, stmts = append(names, name), append(stmts, stmt)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := db.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return stmts, nil
}

// fillDerived fills what the schema derives from the returns: the counts
// per status.
func fillDerived(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM return_status_counts`); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO return_status_counts (status, n)
		SELECT status, COUNT(*) FROM returns GROUP BY status`)
	return err
}

type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	k := r.IntN(total)
	for _, x := range ws {
		if k < x.w {
			return x.v
		}
		k -= x.w
	}
	return ws[len(ws)-1].v
}

type country struct {
	code, currency, locale string
	// eu: the law sets a refund deadline (14 days from the request).
	eu bool
}

var countries = []weighted[country]{
	{country{"US", "USD", "en", false}, 24}, {country{"DE", "EUR", "de", true}, 12},
	{country{"GB", "GBP", "en", true}, 10}, {country{"FR", "EUR", "fr", true}, 8},
	{country{"CA", "CAD", "en", false}, 5}, {country{"IT", "EUR", "it", true}, 5},
	{country{"ES", "EUR", "es", true}, 5}, {country{"NL", "EUR", "nl", true}, 4},
	{country{"AU", "AUD", "en", false}, 4}, {country{"JP", "JPY", "ja", false}, 3},
	{country{"SE", "SEK", "en", true}, 3}, {country{"PL", "PLN", "pl", true}, 3},
	{country{"BE", "EUR", "fr", true}, 2}, {country{"AT", "EUR", "de", true}, 2},
	{country{"CH", "CHF", "de", false}, 2}, {country{"DK", "DKK", "en", true}, 2},
	{country{"IE", "EUR", "en", true}, 2}, {country{"PT", "EUR", "en", true}, 1},
	{country{"NZ", "NZD", "en", false}, 1}, {country{"FI", "EUR", "en", true}, 1},
}

var reasons = []weighted[string]{
	{"wrong_size", 35}, {"changed_mind", 25}, {"defective", 12},
	{"damaged", 10}, {"not_as_described", 10}, {"wrong_item", 8},
}

var methods = []weighted[string]{{"original_payment", 80}, {"store_credit", 15}, {"exchange", 5}}

// merchantFault are the demo policy's reasons that are the merchant's fault
// (no fees are kept on them).
var merchantFault = map[string]bool{"defective": true, "damaged": true, "not_as_described": true, "wrong_item": true}

// categories: a SKU's category is categories[sku % 8].
var categories = []string{"apparel", "shoes", "bags", "accessories", "home", "beauty", "sports", "kids"}

// regions of the countries whose orders name one (ISO 3166-2 without the
// country), the first most often.
var regions = map[string][]string{
	"US": {"CA", "NY", "TX", "FL", "WA", "IL", "MA", "GA"},
	"DE": {"BY", "NW", "BE", "HH", "BW", "HE"},
	"CA": {"ON", "QC", "BC", "AB"},
	"AU": {"NSW", "VIC", "QLD", "WA"},
}

var conditions = []weighted[string]{{returns.ConditionResellable, 80}, {returns.ConditionDamaged, 12},
	{returns.ConditionNotAsDescribed, 5}, {returns.ConditionMissing, 3}}

var firstNames = []string{"anna", "ben", "chloe", "david", "emma", "felix", "greta", "hugo", "ines", "jonas",
	"karin", "luca", "mia", "noah", "olivia", "paul", "quinn", "rosa", "sam", "tara", "umar", "vera", "wim", "yuki", "zoe"}
var lastNames = []string{"schmidt", "martin", "rossi", "garcia", "smith", "jansen", "nowak", "dubois", "tanaka",
	"brown", "muller", "lopez", "bianchi", "kowalski", "andersson", "murphy", "silva", "virtanen", "wilson", "lee"}
var domains = []string{"example.com", "mail.example", "example.org", "post.example", "example.net"}

// status picks a return's status from its age: recent returns are open,
// old ones closed in one way or another, with a few left open (overdue).
func status(r *rand.Rand, age time.Duration) returns.Status {
	days := age.Hours() / 24
	switch {
	case days < 3:
		return pick(r, []weighted[returns.Status]{{returns.StatusRequested, 55}, {returns.StatusApproved, 40}, {returns.StatusCancelled, 5}})
	case days < 14:
		return pick(r, []weighted[returns.Status]{{returns.StatusRequested, 5}, {returns.StatusApproved, 30},
			{returns.StatusReceived, 20}, {returns.StatusInspected, 10}, {returns.StatusRefunded, 20},
			{returns.StatusCredited, 5}, {returns.StatusCancelled, 5}, {returns.StatusRejected, 5}})
	case days < 45:
		return pick(r, []weighted[returns.Status]{{returns.StatusApproved, 8}, {returns.StatusReceived, 4},
			{returns.StatusInspected, 3}, {returns.StatusRefunded, 55}, {returns.StatusCredited, 12},
			{returns.StatusExchanged, 3}, {returns.StatusCancelled, 6}, {returns.StatusRejected, 4},
			{returns.StatusClosed, 5}})
	default:
		return pick(r, []weighted[returns.Status]{{returns.StatusRequested, 1}, {returns.StatusApproved, 2},
			{returns.StatusReceived, 1}, {returns.StatusInspected, 1}, {returns.StatusRefunded, 580},
			{returns.StatusCredited, 120}, {returns.StatusExchanged, 30}, {returns.StatusCancelled, 60},
			{returns.StatusRejected, 40}, {returns.StatusClosed, 100}, {returns.StatusExpired, 40}})
	}
}

// notAfterNow keeps generated instants in the benchmark's past.
func notAfterNow(t time.Time) time.Time {
	if t.After(Now) {
		return Now
	}
	return t
}

func after(s returns.Status, target returns.Status) bool {
	order := map[returns.Status]int{returns.StatusRequested: 0, returns.StatusApproved: 1, returns.StatusReceived: 2,
		returns.StatusInspected: 3, returns.StatusRefunded: 4, returns.StatusCredited: 4, returns.StatusExchanged: 4,
		returns.StatusClosed: 5}
	o, ok := order[s]
	return ok && o >= order[target]
}

type order struct {
	id      int64
	number  string
	email   string
	country country
	lines   int
	prices  []int64
	placed  time.Time
	region  string
	// returned counts the order's returns so far.
	returned int
}

// load writes the orders, their lines, the returns, their items and audit
// events, in time order, committing every batch returns.
func load(ctx context.Context, db *sql.DB, n int, logf func(string, ...any)) error {
	const batch = 50000
	r := rand.New(rand.NewPCG(20260302, uint64(n)))
	// Each country's hub under the demo policy (the queue's hub filter).
	hubs := map[string]string{}
	for _, c := range countries {
		hubs[c.v.code] = demo.Policy().Effective(returns.LoadLegal(), c.v.code).Hub
	}
	var policyVersion int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM policy_versions`).Scan(&policyVersion); err != nil {
		return err
	}
	customers := max(1000, n*6/10)
	start := Now.Add(-span)
	step := span / time.Duration(n)
	recent := make([]*order, 0, 4096)
	var orderID, lineID, itemID int64
	seenRMA := make(map[string]bool, n)

	for done := 0; done < n; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		prep := func(q string) *sql.Stmt {
			if err != nil {
				return nil
			}
			var s *sql.Stmt
			s, err = tx.PrepareContext(ctx, q)
			return s
		}
		insOrder := prep(`INSERT INTO orders (id, number, email, email_norm, customer_name, locale, currency, placed_at,
			shipped_at, delivered_at, ship_country, ship_region, address, shipping_amount, shipping_method,
			payment, gift, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'standard', ?, FALSE, ?, ?)`)
		insLine := prep(`INSERT INTO order_lines (id, order_id, position, line_id, sku, name, variant, quantity,
			unit_price, discount, tax, category, weight_grams)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 0, ?, ?, 400)`)
		insReturn := prep(`INSERT INTO returns (id, rma, order_id, status, basis, refund_method, consent,
			policy_version, locale, currency, total, outbound_shipping_refund, quote, manual_review,
			created_at, updated_at, ship_country, received_at, refund_due, refund_overdue_at, hub, law_only)
			VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, 0, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?)`)
		insInspection := prep(`INSERT INTO inspections (return_id, line_id, accepted_quantity, item_condition, actor, created_at)
			VALUES (?, ?, ?, ?, 'agent@example.com', ?)`)
		insRefund := prep(`INSERT INTO refunds (public_id, return_id, idempotency_key, request_hash, amount, bonus, goodwill,
			currency, method, reference, response, actor, created_at)
			VALUES (?, ?, ?, 'benchdata', ?, ?, ?, ?, ?, ?, '{}', 'agent@example.com', ?)`)
		insGoodwill := prep(`INSERT INTO goodwill (return_id, line_id, amount, currency, reason, actor, created_at)
			VALUES (?, '', ?, ?, 'benchdata', 'admin@example.com', ?)`)
		insItem := prep(`INSERT INTO return_items (id, return_id, position, line_id, quantity, reason, refund)
			VALUES (?, ?, ?, ?, 1, ?, ?)`)
		insEvent := prep(`INSERT INTO audit_events (return_id, at, actor, action, from_status, to_status, note)
			VALUES (?, ?, ?, ?, ?, ?, '')`)
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		end := min(n, done+batch)
		// newOrder writes an order placed 2 to 41 days before an instant,
		// with its lines.
		newOrder := func(created time.Time) (*order, error) {
			orderID++
			cust := r.IntN(customers)
			email := firstNames[cust%len(firstNames)] + "." + lastNames[(cust/len(firstNames))%len(lastNames)] +
				strconv.Itoa(cust) + "@" + domains[cust%len(domains)]
			if cust%7 == 0 {
				// Some shoppers type their address capitalised.
				email = strings.ToUpper(email[:1]) + email[1:]
			}
			c := pick(r, countries)
			o := &order{id: orderID, number: "SO-" + strconv.FormatInt(1000000+orderID, 10), email: email, country: c,
				lines:  pick(r, []weighted[int]{{1, 50}, {2, 35}, {3, 15}}),
				placed: created.Add(-time.Duration(2+r.IntN(40)) * 24 * time.Hour)}
			if rs := regions[c.code]; len(rs) > 0 {
				o.region = rs[min(r.IntN(len(rs)), r.IntN(len(rs)))] // the first ones more often
			}
			shipped, delivered := o.placed.Add(24*time.Hour), o.placed.Add(4*24*time.Hour)
			addr, _ := json.Marshal(returns.Address{Name: "Customer " + strconv.Itoa(cust), Line1: "1 Main Street",
				City: "City", PostalCode: "12345", Region: o.region, Country: c.code})
			pay, _ := json.Marshal(returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_" + strconv.FormatInt(orderID, 36)})
			if _, err := insOrder.ExecContext(ctx, o.id, o.number, o.email, store.NormalizeEmail(o.email), "Customer "+strconv.Itoa(cust), c.locale,
				c.currency, o.placed, shipped, delivered, c.code, o.region, string(addr), 495, string(pay), o.placed, o.placed); err != nil {
				return nil, err
			}
			for l := 0; l < o.lines; l++ {
				lineID++
				price := int64(1500 + r.IntN(20000))
				o.prices = append(o.prices, price)
				sku := r.IntN(5000)
				if _, err := insLine.ExecContext(ctx, lineID, o.id, l, "L"+strconv.Itoa(l+1), "SKU-"+strconv.Itoa(sku),
					"Product "+strconv.Itoa(sku), "M", price, price/6, categories[sku%len(categories)]); err != nil {
					return nil, err
				}
			}
			return o, nil
		}
		for i := done; i < end; i++ {
			created := start.Add(time.Duration(i)*step + time.Duration(r.Int64N(int64(step)))).Truncate(time.Microsecond)
			// One return in eight is the order's second (or third): the
			// shopper sends back more of a recent order.
			var o *order
			if len(recent) > 100 && r.IntN(8) == 0 {
				c := recent[r.IntN(len(recent))]
				if c.returned < c.lines && c.placed.Before(created) {
					o = c
				}
			}
			if o == nil {
				var err error
				if o, err = newOrder(created); err != nil {
					_ = tx.Rollback()
					return err
				}
				if len(recent) < cap(recent) {
					recent = append(recent, o)
				} else {
					recent[r.IntN(len(recent))] = o
				}
				// The orders around it that nobody returns: the sales.
				for range pick(r, []weighted[int]{{0, 30}, {1, 40}, {2, 30}}) {
					if _, err := newOrder(created); err != nil {
						_ = tx.Rollback()
						return err
					}
				}
			}
			// The items: the lines not yet returned, one or more.
			k := 1
			if left := o.lines - o.returned; left > 1 && r.IntN(4) == 0 {
				k = 1 + r.IntN(left)
			}
			first := o.returned
			o.returned += k

			id := int64(i + 1)
			rma := returns.NewRMA()
			for seenRMA[rma] {
				rma = returns.NewRMA()
			}
			seenRMA[rma] = true
			st := status(r, Now.Sub(created))
			method := pick(r, methods)
			q := returns.Quote{Currency: o.country.currency, Basis: "merchant"}
			if o.country.eu {
				q.Basis = "statutory"
			}
			var items []returns.QuoteLine
			for j := 0; j < k; j++ {
				l := first + j
				ql := returns.QuoteLine{LineID: "L" + strconv.Itoa(l+1), Quantity: 1, Reason: pick(r, reasons),
					Refund: o.prices[l], Basis: q.Basis}
				items = append(items, ql)
				q.Lines = append(q.Lines, ql)
				q.ItemsRefund += ql.Refund
			}
			// Fees are kept when no reason is the merchant's fault: return
			// shipping outside the EU, and restocking in the US.
			fault := false
			for _, it := range items {
				fault = fault || merchantFault[it.Reason]
			}
			if !fault && !o.country.eu {
				q.ReturnShippingFee = min(495, q.ItemsRefund)
				if o.country.code == "US" {
					q.RestockingFee = min(q.ItemsRefund/10, q.ItemsRefund-q.ReturnShippingFee)
				}
			}
			q.Total = q.ItemsRefund - q.RestockingFee - q.ReturnShippingFee
			quote, _ := json.Marshal(q)
			updated := created
			var received, due, overdue any
			var inspectedAt, refundedAt time.Time
			if after(st, returns.StatusReceived) {
				rt := notAfterNow(created.Add(time.Duration(2+r.IntN(6))*24*time.Hour + time.Duration(r.IntN(3600))*time.Second))
				received = rt
				updated = rt
				inspectedAt = notAfterNow(rt.Add(time.Duration(2+r.IntN(46)) * time.Hour))
				refundedAt = notAfterNow(inspectedAt.Add(time.Duration(1+r.IntN(72)) * time.Hour))
			}
			if st != returns.StatusRequested {
				updated = updated.Add(time.Duration(r.IntN(48)) * time.Hour)
			}
			if updated.After(Now) {
				updated = Now
			}
			if o.country.eu {
				d := created.AddDate(0, 0, 14)
				due = d.Format("2006-01-02")
				overdue = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, time.UTC).Add(-time.Hour)
			}
			// One EU return in ten came inside the law's window only.
			lawOnly := o.country.eu && r.IntN(10) == 0
			if _, err := insReturn.ExecContext(ctx, id, rma, o.id, string(st), q.Basis, method, policyVersion,
				o.country.locale, o.country.currency, q.Total, string(quote), created, updated, o.country.code,
				received, due, overdue, hubs[o.country.code], lawOnly); err != nil {
				_ = tx.Rollback()
				return err
			}
			if after(st, returns.StatusInspected) {
				for _, it := range items {
					cond, accepted := pick(r, conditions), 1
					if cond == returns.ConditionMissing {
						accepted = 0
					}
					if _, err := insInspection.ExecContext(ctx, id, it.LineID, accepted, cond, inspectedAt); err != nil {
						_ = tx.Rollback()
						return err
					}
				}
			}
			if st == returns.StatusRefunded || st == returns.StatusCredited || st == returns.StatusClosed {
				m, bonus, goodwill := method, int64(0), int64(0)
				if st == returns.StatusCredited {
					m, bonus = returns.MethodStoreCredit, q.ItemsRefund/10
				} else if m == returns.MethodExchange {
					m = returns.MethodOriginalPayment
				}
				if r.IntN(100) == 0 {
					goodwill = 500
					if _, err := insGoodwill.ExecContext(ctx, id, goodwill, o.country.currency, refundedAt); err != nil {
						_ = tx.Rollback()
						return err
					}
				}
				if _, err := insRefund.ExecContext(ctx, "rf_bench"+strconv.Itoa(i), id, "bench-"+strconv.Itoa(i), q.Total, bonus,
					goodwill, o.country.currency, m, "manual:"+m, refundedAt); err != nil {
					_ = tx.Rollback()
					return err
				}
			}
			for j, it := range items {
				itemID++
				if _, err := insItem.ExecContext(ctx, itemID, id, j, it.LineID, it.Reason, it.Refund); err != nil {
					_ = tx.Rollback()
					return err
				}
			}
			if _, err := insEvent.ExecContext(ctx, id, created, "shopper", store.ActionCreated, "", "requested"); err != nil {
				_ = tx.Rollback()
				return err
			}
			if st != returns.StatusRequested {
				if _, err := insEvent.ExecContext(ctx, id, updated, "agent@example.com", store.ActionStatus,
					"requested", string(st)); err != nil {
					_ = tx.Rollback()
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		done = end
		if done%200000 == 0 || done == n {
			logf("benchdata: %d/%d returns", done, n)
		}
	}
	return nil
}
