// Package pgtest runs a package's tests on both of the store's engines:
// once on SQLite, then once more on a throwaway PostgreSQL cluster that it
// starts (initdb as the postgres user, a random port on 127.0.0.1, the
// socket in the cluster's own directory) and stops afterwards. Each test
// gets its own database, a copy of a migrated template, so tests stay
// parallel and independent. RETURNS_TEST_PG (a URL of a server whose user
// may CREATE DATABASE) replaces the throwaway cluster.
//
// PostgreSQL missing is a failure, never a skip: `make deps` installs it.
// RETURNS_TEST_ENGINE=sqlite or =postgres runs one engine only (a quick
// loop while working; make test sets neither).
package pgtest

import (
	"database/sql"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Engines are the store's engines in the order the tests run on them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

var (
	engine   = SQLite
	server   *url.URL // the admin URL of the running server
	template string   // the migrated database each test's copies
	seq      atomic.Int64
	createMu sync.Mutex // CREATE DATABASE from one template, one at a time
)

// Engine is the engine the tests run on now.
func Engine() string { return engine }

// Options says how a package runs on PostgreSQL.
type Options struct {
	// Prepare migrates the template database at url (it imports the
	// store, which this package cannot).
	Prepare func(url string) error
	// SQLiteOnly are the names of the tests of SQLite's own devices (its
	// files, pragmas, writer connection), left out of the PostgreSQL run.
	SQLiteOnly []string
}

// Main runs m on SQLite, then on PostgreSQL, and returns the exit code.
func Main(m *testing.M, opts Options) int {
	flag.Parse()
	only := os.Getenv("RETURNS_TEST_ENGINE") // one engine while working; make test runs both
	if only != "" && only != SQLite && only != Postgres {
		fmt.Fprintf(os.Stderr, "pgtest: RETURNS_TEST_ENGINE=%q: want sqlite or postgres\n", only)
		return 2
	}
	if only != Postgres {
		engine = SQLite
		if code := m.Run(); code != 0 || only == SQLite {
			return code
		}
	}
	stop, err := start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL for the store's tests: %v\n", err)
		return 1
	}
	defer stop()
	template = fmt.Sprintf("returns_tmpl_%d", os.Getpid())
	if err := createDatabase(template, ""); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		return 1
	}
	defer dropDatabase(template)
	if opts.Prepare != nil {
		if err := opts.Prepare(databaseURL(template)); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: prepare the template: %v\n", err)
			return 1
		}
	}
	if len(opts.SQLiteOnly) > 0 {
		skip := "^(" + strings.Join(opts.SQLiteOnly, "|") + ")$"
		if prev := flag.Lookup("test.skip").Value.String(); prev != "" {
			skip = prev + "|" + skip
		}
		_ = flag.Set("test.skip", skip)
	}
	engine = Postgres
	fmt.Fprintln(os.Stderr, "pgtest: the same tests on PostgreSQL")
	return m.Run()
}

// NewDatabase creates a database for t (a copy of the migrated template),
// dropped when t ends, and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if engine != Postgres {
		t.Fatal("pgtest: NewDatabase outside the PostgreSQL run")
	}
	name := fmt.Sprintf("returns_t%d_%d", os.Getpid(), seq.Add(1))
	if err := createDatabase(name, template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return databaseURL(name)
}

// NewEmptyDatabase is NewDatabase without the migrations.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	if server == nil {
		t.Fatal("pgtest: no PostgreSQL server")
	}
	name := fmt.Sprintf("returns_e%d_%d", os.Getpid(), seq.Add(1))
	if err := createDatabase(name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return databaseURL(name)
}

// Database returns the URL of the database name on the test server,
// created empty if it does not exist and kept when t ends: what a
// benchmark builds once (a copy of a large database) outlives the run on
// a server named by RETURNS_TEST_PG (a cluster started here goes with it).
func Database(t testing.TB, name string) string {
	t.Helper()
	if engine != Postgres || server == nil {
		t.Fatal("pgtest: Database outside the PostgreSQL run")
	}
	db, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if !exists {
		if err := createDatabase(name, ""); err != nil {
			t.Fatal(err)
		}
	}
	return databaseURL(name)
}

func databaseURL(name string) string {
	u := *server
	u.Path = "/" + name
	return u.String()
}

func admin() (*sql.DB, error) {
	return sql.Open("pgx", server.String())
}

func createDatabase(name, from string) error {
	createMu.Lock()
	defer createMu.Unlock()
	db, err := admin()
	if err != nil {
		return err
	}
	defer db.Close()
	q := `CREATE DATABASE ` + name
	if from != "" {
		q += ` TEMPLATE ` + from
	}
	// Another process copying the same server's template1 at this moment
	// makes CREATE DATABASE refuse ("being accessed by other users").
	for attempt := 0; ; attempt++ {
		_, err = db.Exec(q)
		if err == nil || attempt == 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("pgtest: %s: %w", q, err)
	}
	return nil
}

func dropDatabase(name string) {
	db, err := admin()
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
}

// Start is what Main does for a test that needs PostgreSQL itself (the
// instances of the real binary, e2e/): a server to make databases on with
// NewEmptyDatabase. Tests that overlap share it; the last one's stop stops
// it.
func Start() (stop func(), err error) {
	startMu.Lock()
	defer startMu.Unlock()
	if starts == 0 {
		if stopServer, err = start(); err != nil {
			return nil, err
		}
	}
	starts++
	var once sync.Once
	return func() {
		once.Do(func() {
			startMu.Lock()
			defer startMu.Unlock()
			if starts--; starts == 0 {
				stopServer()
				server = nil
			}
		})
	}, nil
}

var (
	startMu    sync.Mutex
	starts     int
	stopServer func()
)

// start makes server point at a PostgreSQL server: RETURNS_TEST_PG, or a
// cluster started here.
func start() (stop func(), err error) {
	if env := os.Getenv("RETURNS_TEST_PG"); env != "" {
		u, err := url.Parse(env)
		if err != nil {
			return nil, fmt.Errorf("RETURNS_TEST_PG: %w", err)
		}
		server = u
		return func() {}, nil
	}
	c, err := StartCluster()
	if err != nil {
		return nil, err
	}
	server = c.URL
	return c.Stop, nil
}

// Cluster is a throwaway PostgreSQL server.
type Cluster struct {
	URL   *url.URL // as the superuser "postgres", database "postgres"
	dir   string
	bin   string
	asPG  bool
	stopd sync.Once
}

// StartCluster initialises and starts a cluster in a new directory under
// the system's temporary directory (not a test's: that is root's only).
func StartCluster() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "returns-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin, asPG: os.Geteuid() == 0}
	if c.asPG {
		// PostgreSQL refuses to run as root: the cluster belongs to the
		// postgres user.
		pg, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("no postgres user to run the cluster as: %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-sync", "--locale=C"); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	// Durability is not what these tests check: without fsync a cluster
	// of throwaway databases is several times faster.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"+
		" -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB", port, dir)
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	c.URL = &url.URL{Scheme: "postgres", User: url.User("postgres"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path: "/postgres", RawQuery: "sslmode=disable"}
	return c, nil
}

// Stop stops the cluster and removes its directory.
func (c *Cluster) Stop() {
	c.stopd.Do(func() {
		_, _ = c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
		_ = os.RemoveAll(c.dir)
	})
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	prog := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// binDir is the newest /usr/lib/postgresql/<version>/bin holding initdb
// (Debian's layout), or the directory of an initdb on PATH.
func binDir() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(found, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(found[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(found[j]))))
		return vi > vj
	})
	if len(found) > 0 {
		return filepath.Dir(found[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `make deps`")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Dump is pg_dump's plain SQL of the database at dsn: every row it holds.
func Dump(t testing.TB, dsn string) []byte {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(bin, "pg_dump"), "--data-only", "--dbname", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if len(out) == 0 {
		t.Fatal("pg_dump wrote nothing")
	}
	return out
}
