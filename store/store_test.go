package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

// openTest opens and migrates a fresh database of the engine under test
// (engines_test.go); on SQLite a file in a directory that does not exist
// yet (Open must create it).
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := testDSN(t, filepath.Join(t.TempDir(), "data", "returns.db"))
	return openAt(t, path), path
}

func openAt(t *testing.T, dsn string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn, returns.LoadLegal())
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

func TestOpenMigrateTwice(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	// A second Store on the same file (a restart, or a CLI command next to
	// the server) migrates as a no-op and sees the same data.
	if _, err := s.UpsertOrder(ctx, sampleOrder("A-1")); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, "file:"+path)
	if n, err := s2.CountOrders(ctx); err != nil || n != 1 {
		t.Fatalf("CountOrders on second store = %d, %v; want 1", n, err)
	}
	var version int64
	if err := get(ctx, s2.r, &version, `SELECT MAX(version_id) FROM goose_db_version`); err != nil {
		t.Fatal(err)
	}
	if want := int64(len(migrationFiles(t))); version != want {
		t.Fatalf("goose version = %d, want %d", version, want)
	}
}

func TestConnectionSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	pragma := func(db interface {
		GetContext(context.Context, any, string, ...any) error
	}, name string) string {
		t.Helper()
		var v string
		if err := db.GetContext(ctx, &v, "PRAGMA "+name); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		return v
	}
	for _, c := range []struct {
		name   string
		writer string
		reader string
	}{
		{"journal_mode", "wal", "wal"},
		{"foreign_keys", "1", "1"},
		{"busy_timeout", "10000", "10000"},
		{"synchronous", "2", ""}, // 2 = FULL: a commit is on disk when acknowledged
		{"query_only", "0", "1"},
		{"wal_autocheckpoint", "0", "0"}, // checkpoint.go checkpoints beside the writer
		{"temp_store", "2", "0"},         // 2 = MEMORY: the savepoints' journal is no file (checkpoint.go)
	} {
		if got := pragma(s.w, c.name); got != c.writer {
			t.Errorf("writer %s = %q, want %q", c.name, got, c.writer)
		}
		if c.reader != "" {
			if got := pragma(s.r, c.name); got != c.reader {
				t.Errorf("reader %s = %q, want %q", c.name, got, c.reader)
			}
		}
	}
	if got := s.w.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer MaxOpenConnections = %d, want 1", got)
	}
	if _, err := s.r.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('x', 'y', '2026-01-01')`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestParseDSN(t *testing.T) {
	for _, c := range []struct {
		dsn     string
		path    string
		param   string // a parameter expected to survive, as k=v
		wantErr string
	}{
		{dsn: "data/returns.db", path: "data/returns.db"},
		{dsn: "/var/lib/returns.db", path: "/var/lib/returns.db"},
		{dsn: "file:data/returns.db", path: "data/returns.db"},
		{dsn: "file:data/my%20shop.db?_cache_size=-2000", path: "data/my shop.db", param: "_cache_size=-2000"},
		{dsn: "file:///var/lib/returns.db", path: "/var/lib/returns.db"},
		{dsn: "file://localhost/var/lib/returns.db", path: "/var/lib/returns.db"},
		{dsn: "file://elsewhere/x.db", wantErr: "host"},
		{dsn: "file:data/returns.db?cache=shared", wantErr: "cache=shared"},
		{dsn: ":memory:", wantErr: "in-memory"},
		{dsn: "file::memory:?mode=memory", wantErr: "in-memory"},
		{dsn: "", wantErr: "empty"},
	} {
		path, params, err := parseSQLiteDSN(c.dsn)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("parseSQLiteDSN(%q) error = %v, want one containing %q", c.dsn, err, c.wantErr)
			}
			continue
		}
		if err != nil || path != c.path {
			t.Errorf("parseSQLiteDSN(%q) = %q, %v; want %q", c.dsn, path, err, c.path)
			continue
		}
		if c.param != "" {
			k, v, _ := strings.Cut(c.param, "=")
			if params.Get(k) != v {
				t.Errorf("parseSQLiteDSN(%q): %s = %q, want %q", c.dsn, k, params.Get(k), v)
			}
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	// Nothing listens on port 1: PostgreSQL is chosen and cannot be reached.
	for _, dsn := range []string{
		"postgres://user:secret@127.0.0.1:1/returns?connect_timeout=2",
		"postgresql://127.0.0.1:1/returns?connect_timeout=2",
	} {
		_, err := Open(ctx, dsn, returns.LoadLegal())
		if err == nil || !strings.Contains(err.Error(), "store: open PostgreSQL") {
			t.Errorf("Open(%q) error = %v", dsn, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error repeats the password: %v", dsn, err)
		}
	}
	if _, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "x.db")+"?cache=shared", returns.LoadLegal()); err == nil {
		t.Error("Open accepted cache=shared")
	}
}

func TestOpenPathWithSpecialCharacters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "my shop #1?", "returns.db")
	s := openAt(t, path)
	if err := s.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
}

var migrationName = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

func migrationFiles(t *testing.T) []string {
	t.Helper()
	entries, err := fs.ReadDir(sqliteMigrations, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestMigrationNumbering keeps the migrations numbered 00001, 00002, ...
// without gaps or duplicates, so that two branches adding a migration each
// collide here rather than in production.
func TestMigrationNumbering(t *testing.T) {
	names := migrationFiles(t)
	if len(names) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, name := range names { // fs.ReadDir sorts by name
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("migration %q: want NNNNN_lower_snake.sql", name)
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n != i+1 {
			t.Errorf("migration %q has number %d, want %d (gap or duplicate)", name, n, i+1)
		}
		body, err := fs.ReadFile(sqliteMigrations, "migrations/sqlite/"+name)
		if err != nil {
			t.Fatal(err)
		}
		for _, mark := range []string{"-- +goose Up", "-- +goose Down"} {
			if !strings.Contains(string(body), mark) {
				t.Errorf("migration %q lacks %q", name, mark)
			}
		}
	}
}

// TestPortableSQL guards the portability rules in every string literal of
// the package: no SELECT * (PostgreSQL's prepared statement cache breaks on
// it after a migration), no :: casts, no ILIKE, no $n
// placeholders (Rebind makes them).
func TestPortableSQL(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	bad := regexp.MustCompile(`(?i)select\s+\*|::[a-z]|\bilike\b|\$[0-9]`)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if m := bad.FindString(lit.Value); m != "" {
					t.Errorf("%s: non-portable SQL %q", fset.Position(lit.Pos()), m)
				}
			}
			return true
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func sampleOrder(number string) returns.Order {
	return returns.Order{
		Number:       number,
		Email:        "ana@example.com",
		CustomerName: "Ana Silva",
		Locale:       "pt-PT",
		Currency:     "EUR",
		PlacedAt:     date("2026-11-01T10:00:00Z"),
		ShippedAt:    ptr(date("2026-11-02T09:00:00Z")),
		DeliveredAt:  ptr(date("2026-11-05T12:00:00Z")),
		ShippingAddress: returns.Address{
			Name: "Ana Silva", Line1: "Rua Augusta 1", City: "Lisboa",
			PostalCode: "1100-048", Country: "PT",
		},
		Shipping: returns.Shipping{Amount: 495, Method: "standard", StandardAmount: ptr(int64(495))},
		Payment:  returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_123"},
		Lines: []returns.Line{
			{ID: "L1", SKU: "TEE-M-BLU", Name: "T-shirt", Variant: "M / Blue", Quantity: 2,
				UnitPrice: 2500, Discount: 500, Tax: 399, Category: "apparel",
				HSCode: "610910", OriginCountry: "PT", WeightGrams: 200,
				CustomsDescription: "Men's T-shirt, 100% cotton, knitted",
				ImageURL:           "https://cdn.shop.example/tee-m-blu.jpg"},
			{ID: "L2", SKU: "MUG", Name: "Mug", Quantity: 1, UnitPrice: 1200,
				Category: "home", FinalSale: true, Exemption: "personalised", WeightGrams: 350},
		},
	}
}

func samplePolicy(windowDays int) returns.Policy {
	return returns.Policy{
		Default: returns.Rules{
			WindowDays:    ptr(windowDays),
			RefundMethods: ptr([]string{returns.MethodOriginalPayment, returns.MethodStoreCredit}),
			AutoApprove:   ptr(true),
			Hub:           ptr("eu-berlin"),
		},
		Regions: []returns.Region{{Countries: []string{"US"}, Rules: returns.Rules{
			ReturnShippingFee: &map[string]int64{},
		}}},
		Reasons: []returns.Reason{{Code: "changed_mind"}, {Code: "damaged", MerchantFault: true, PhotoRequired: true}},
		Hubs:    []returns.Hub{{Code: "eu-berlin", Name: "Berlin", Address: returns.HubAddress{City: "Berlin", Country: "DE"}}},
	}
}

func TestOrderRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	lisbon := time.FixedZone("WET+1", 3600)
	for _, c := range []struct {
		name   string
		modify func(o *returns.Order)
	}{
		{"full", func(o *returns.Order) {}},
		{"nil times", func(o *returns.Order) { o.ShippedAt, o.DeliveredAt = nil, nil }},
		{"standard amount nil", func(o *returns.Order) { o.Shipping.StandardAmount = nil }},
		{"standard amount zero", func(o *returns.Order) { o.Shipping.StandardAmount = ptr(int64(0)) }},
		{"latin address", func(o *returns.Order) {
			o.Currency, o.Locale = "JPY", "ja-JP"
			o.ShippingAddress = returns.Address{
				Name: "山田太郎", Line1: "千代田区丸の内1-1", City: "東京都", PostalCode: "100-0005",
				Region: "13", Country: "JP", Phone: "+81 3 0000 0000",
				Latin: &returns.LatinAddress{Name: "Taro Yamada", Line1: "1-1 Marunouchi, Chiyoda-ku", City: "Tokyo"},
			}
		}},
		{"gift, no lines detail", func(o *returns.Order) {
			o.Gift = true
			o.Lines = []returns.Line{{ID: "only", Quantity: 1, UnitPrice: 100}}
		}},
		{"times in another zone, sub-microsecond", func(o *returns.Order) {
			o.PlacedAt = time.Date(2026, 11, 1, 11, 0, 0, 123456789, lisbon)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := sampleOrder("RT-" + strings.ReplaceAll(c.name, " ", "-"))
			c.modify(&o)
			created, err := s.UpsertOrder(ctx, o)
			if err != nil || !created {
				t.Fatalf("UpsertOrder = %v, %v; want created", created, err)
			}
			got, err := s.GetOrder(ctx, o.Number)
			if err != nil {
				t.Fatal(err)
			}
			// Stored times come back in UTC at microsecond precision.
			want := o
			want.PlacedAt = dbTime(o.PlacedAt)
			if got.PlacedAt.Location() != time.UTC {
				t.Errorf("PlacedAt location = %v, want UTC", got.PlacedAt.Location())
			}
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("round trip:\n got %s\nwant %s", g, w)
			}
			if (got.Shipping.StandardAmount == nil) != (o.Shipping.StandardAmount == nil) {
				t.Errorf("StandardAmount nil-ness lost: got %v", got.Shipping.StandardAmount)
			}
		})
	}
	if n, err := s.CountOrders(ctx); err != nil || n != 7 {
		t.Errorf("CountOrders = %d, %v; want 7", n, err)
	}
	if cs, err := s.OrderCountries(ctx); err != nil || strings.Join(cs, ",") != "JP,PT" {
		t.Errorf("OrderCountries = %v, %v; want JP,PT", cs, err)
	}
	if _, err := s.GetOrder(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetOrder(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestOrderUpdate(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("U-1")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	lineRowID := func(lineID string) int64 {
		t.Helper()
		var id int64
		if err := get(ctx, s.r, &id, `SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE o.number = 'U-1' AND l.line_id = ?`, lineID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	before := lineRowID("L1")

	// The shop delivers the order, adds a line in front and renames one.
	u := o
	u.DeliveredAt = ptr(date("2026-11-06T08:30:00Z"))
	u.CustomerName = "Ana M. Silva"
	u.Lines = append([]returns.Line{{ID: "L0", Name: "Socks", Quantity: 3, UnitPrice: 300}}, o.Lines...)
	u.Lines[1].Name = "T-shirt (organic)"
	u.Lines[1].CustomsDescription = "Men's T-shirt, organic cotton, knitted"
	created, err := s.UpsertOrder(ctx, u)
	if err != nil || created {
		t.Fatalf("UpsertOrder(update) = %v, %v; want updated", created, err)
	}
	got, err := s.GetOrder(ctx, "U-1")
	if err != nil {
		t.Fatal(err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, u); g != w {
		t.Errorf("after update:\n got %s\nwant %s", g, w)
	}
	if after := lineRowID("L1"); after != before {
		t.Errorf("line L1 lost its identity: row %d became %d", before, after)
	}
	dup := u
	dup.Lines = append(append([]returns.Line(nil), u.Lines...), u.Lines[0])
	if _, err := s.UpsertOrder(ctx, dup); err == nil || !strings.Contains(err.Error(), "duplicate line id") {
		t.Errorf("UpsertOrder with a repeated line id: %v", err)
	}
}

// TestOrderUpdateConflicts: once a return holds units, an update may not
// take them away; the refusal is ErrConflict carrying the domain's reason,
// and nothing of the refused update is written.
func TestOrderUpdateConflicts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("C-1")
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePolicy(ctx, samplePolicy(30), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateReturn(ctx, "C-1", "shopper", build(item("L1", 1))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		modify func(o *returns.Order)
		code   string // "" = allowed
	}{
		{"drop a line", func(o *returns.Order) { o.Lines = o.Lines[:1] }, returns.CodeLineRemoved},
		{"quantity below held", func(o *returns.Order) { o.Lines[0].Quantity = 0 }, returns.CodeQuantityBelowReturned},
		{"price of a returned line", func(o *returns.Order) { o.Lines[0].UnitPrice = 2000 }, returns.CodeLineHasReturns},
		{"discount of a returned line", func(o *returns.Order) { o.Lines[0].Discount = 0 }, returns.CodeLineHasReturns},
		{"currency", func(o *returns.Order) { o.Currency = "USD" }, returns.CodeCurrencyLocked},
		{"quantity down to held", func(o *returns.Order) { o.Lines[0].Quantity = 1 }, ""},
		{"price of a line without returns", func(o *returns.Order) { o.Lines[1].UnitPrice = 900 }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cur, err := s.GetOrder(ctx, "C-1")
			if err != nil {
				t.Fatal(err)
			}
			u := cur
			u.Lines = append([]returns.Line(nil), cur.Lines...)
			u.CustomerName = "changed by " + c.name
			c.modify(&u)
			_, err = s.UpsertOrder(ctx, u)
			after, gerr := s.GetOrder(ctx, "C-1")
			if gerr != nil {
				t.Fatal(gerr)
			}
			if c.code == "" {
				if err != nil {
					t.Fatalf("UpsertOrder: %v", err)
				}
				if mustJSON(t, after) != mustJSON(t, u) {
					t.Errorf("update not stored")
				}
				return
			}
			var de *returns.Error
			if !errors.Is(err, ErrConflict) || !errors.As(err, &de) || de.Code != c.code {
				t.Fatalf("UpsertOrder error = %v, want ErrConflict with code %s", err, c.code)
			}
			if mustJSON(t, after) != mustJSON(t, cur) {
				t.Errorf("refused update was partly written:\n got %s\nwant %s", mustJSON(t, after), mustJSON(t, cur))
			}
		})
	}
}

func TestPolicyVersions(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, _, err := s.CurrentPolicy(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("CurrentPolicy on empty database: %v, want ErrNotFound", err)
	}
	p1, p2 := samplePolicy(30), samplePolicy(45)
	p2.HolidayExtension = &returns.HolidayExtension{From: "11-15", To: "12-31", Until: "01-31"}
	v1, err := s.SavePolicy(ctx, p1, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := s.SavePolicy(ctx, p2, "api")
	if err != nil {
		t.Fatal(err)
	}
	if v2 <= v1 {
		t.Fatalf("versions %d then %d: not increasing", v1, v2)
	}
	v, cur, err := s.CurrentPolicy(ctx)
	if err != nil || v != v2 || mustJSON(t, cur) != mustJSON(t, p2) {
		t.Fatalf("CurrentPolicy = %d, %s, %v; want %d, %s", v, mustJSON(t, cur), err, v2, mustJSON(t, p2))
	}
	old, err := s.PolicyVersion(ctx, v1)
	if err != nil || mustJSON(t, old) != mustJSON(t, p1) {
		t.Fatalf("PolicyVersion(%d) = %s, %v", v1, mustJSON(t, old), err)
	}
	// A region's empty fee map ("free return shipping there") must survive.
	if m := old.Regions[0].ReturnShippingFee; m == nil || len(*m) != 0 {
		t.Errorf("region's empty fee map became %v", m)
	}
	if _, err := s.PolicyVersion(ctx, v2+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("PolicyVersion(unknown) = %v, want ErrNotFound", err)
	}
	var audited int
	if err := get(ctx, s.r, &audited, `SELECT COUNT(*) FROM audit_events
		WHERE action = ? AND return_id IS NULL`, ActionPolicySaved); err != nil || audited != 2 {
		t.Errorf("policy saves in the audit log = %d, %v; want 2", audited, err)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.Setting(ctx, "secret"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Setting(unset) = %v, want ErrNotFound", err)
	}
	if err := s.SetSetting(ctx, "origin", "https://a.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "origin", "https://b.example"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Setting(ctx, "origin"); err != nil || v != "https://b.example" {
		t.Fatalf("Setting = %q, %v", v, err)
	}
	v, err := s.SettingOrInit(ctx, "origin", func() (string, error) { return "unused", nil })
	if err != nil || v != "https://b.example" {
		t.Fatalf("SettingOrInit(existing) = %q, %v", v, err)
	}
	genErr := errors.New("no entropy")
	if _, err := s.SettingOrInit(ctx, "other", func() (string, error) { return "", genErr }); !errors.Is(err, genErr) {
		t.Fatalf("SettingOrInit with failing gen = %v", err)
	}
	if _, err := s.Setting(ctx, "other"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a failed init stored something: %v", err)
	}
}

// TestSettingOrInitConcurrent: instances starting together (two Stores on
// one file, many goroutines) all end up with the same secret.
func TestSettingOrInitConcurrent(t *testing.T) {
	ctx := context.Background()
	s1, path := openTest(t)
	s2 := openAt(t, path)
	const n = 20
	got := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		go func() {
			v, err := s.SettingOrInit(ctx, "secret", func() (string, error) {
				return fmt.Sprintf("value-%d", i), nil
			})
			got <- v
			errs <- err
		}()
	}
	first := ""
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		v := <-got
		if first == "" {
			first = v
		}
		if v != first {
			t.Fatalf("SettingOrInit disagrees: %q and %q", first, v)
		}
	}
	if v, err := s2.Setting(ctx, "secret"); err != nil || v != first {
		t.Fatalf("stored %q, %v; handed out %q", v, err, first)
	}
}
