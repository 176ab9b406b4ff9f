package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestMain clears RETURNS_* variables from the environment, so that a
// developer's own settings (say RETURNS_DB) cannot reach the tests' commands.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "RETURNS_") {
			os.Unsetenv(name)
		}
	}
	os.Exit(m.Run())
}

// result is what one run of the command line produced.
type result struct {
	err    error
	stdout string
	stderr string
}

// runCmd runs the command line with stdin and returns its outputs.
func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{err: err, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the command line and fails the test when it returns an error.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := runCmd(t, "", args...)
	if r.err != nil {
		t.Fatalf("run %q: %v\nstdout:\n%s\nstderr:\n%s", args, r.err, r.stdout, r.stderr)
	}
	return r
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// withStore opens the database at path, runs fn and closes it again, so
// that the next command sees a closed file.
func withStore(t *testing.T, path string, fn func(st *store.Store)) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path, returns.LoadLegal())
	if err != nil {
		t.Fatalf("store.Open(%q): %v", path, err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	fn(st)
}

func policyVersion(t *testing.T, path string) int64 {
	t.Helper()
	var v int64
	withStore(t, path, func(st *store.Store) {
		var err error
		v, _, err = st.CurrentPolicy(context.Background())
		if errors.Is(err, store.ErrNotFound) {
			v = 0
		} else if err != nil {
			t.Fatalf("CurrentPolicy: %v", err)
		}
	})
	return v
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// importLine is one order of an import file: a demo order under a new number.
func importLine(t *testing.T, number string) string {
	t.Helper()
	o := demo.Orders(time.Now())[0]
	o.Number = number
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func invalidPolicyJSON(t *testing.T) string {
	t.Helper()
	p := demo.Policy()
	hub := "nowhere"
	p.Default.Hub = &hub
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCommands(t *testing.T) {
	type env struct {
		dir string // a temporary directory
		db  string // a database path inside it (not created yet)
	}
	tests := []struct {
		name string
		// setup prepares the database; args may then use {db} and {dir}.
		setup   func(t *testing.T, e env)
		args    []string
		stdin   string
		wantErr string // substring of the error; "" means success
		// wantStdout and wantStderr are substrings of the outputs.
		wantStdout []string
		wantStderr []string
		check      func(t *testing.T, e env, r result)
	}{
		{
			name:       "no command",
			args:       nil,
			wantErr:    "no command",
			wantStderr: []string{"usage: returns-portal"},
		},
		{
			name:       "unknown command",
			args:       []string{"frobnicate", "--db", "{db}"},
			wantErr:    `unknown command "frobnicate"`,
			wantStderr: []string{"usage: returns-portal", "seed demo"},
			check: func(t *testing.T, e env, r result) {
				if r.stdout != "" {
					t.Errorf("stdout = %q, want nothing", r.stdout)
				}
				if _, err := os.Stat(e.db); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("database was created by an unknown command: %v", err)
				}
			},
		},
		{
			name:       "help",
			args:       []string{"help"},
			wantStdout: []string{"usage: returns-portal", "import orders FILE"},
		},
		{
			name:       "unknown flag",
			args:       []string{"migrate", "--frobnicate", "--db", "{db}"},
			wantErr:    "frobnicate",
			wantStderr: []string{"-db"},
		},
		{
			name:       "migrate creates the database and its directory",
			args:       []string{"migrate", "--db", "{dir}/nested/returns.db"},
			wantStdout: []string{"up to date"},
			check: func(t *testing.T, e env, r result) {
				withStore(t, filepath.Join(e.dir, "nested", "returns.db"), func(st *store.Store) {
					if n, err := st.CountOrders(context.Background()); err != nil || n != 0 {
						t.Errorf("CountOrders = %d, %v; want 0, nil", n, err)
					}
				})
			},
		},
		{
			name: "migrate twice is idempotent",
			setup: func(t *testing.T, e env) {
				mustRun(t, "migrate", "--db", e.db)
				mustRun(t, "apikey", "create", "--name", "keep", "--db", e.db)
			},
			args:       []string{"migrate", "--db", "{db}"},
			wantStdout: []string{"up to date", "{db}"},
			check: func(t *testing.T, e env, r result) {
				withStore(t, e.db, func(st *store.Store) {
					keys, err := st.ListAPIKeys(context.Background())
					if err != nil || len(keys) != 1 || keys[0].Name != "keep" {
						t.Errorf("ListAPIKeys after second migrate = %+v, %v; want the one key", keys, err)
					}
				})
			},
		},
		{
			name:    "migrate refuses postgres for now",
			args:    []string{"migrate", "--db", "postgres://u:secretpw@localhost/returns"},
			wantErr: "PostgreSQL",
			check: func(t *testing.T, e env, r result) {
				if strings.Contains(r.err.Error(), "secretpw") {
					t.Errorf("error repeats the DSN's password: %v", r.err)
				}
			},
		},
		{
			name:       "seed demo",
			args:       []string{"seed", "demo", "--db", "{db}"},
			wantStdout: []string{demo.FeaturedOrder, demo.Email},
			check: func(t *testing.T, e env, r result) {
				key := lastLine(r.stdout)
				withStore(t, e.db, func(st *store.Store) {
					ctx := context.Background()
					if _, err := st.APIKeyByToken(ctx, key); err != nil {
						t.Errorf("the printed demo key %q does not authenticate: %v", key, err)
					}
					if n, _ := st.CountOrders(ctx); n < 15 || n > 30 {
						t.Errorf("CountOrders = %d, want about 20", n)
					}
					if _, err := st.GetOrder(ctx, demo.FeaturedOrder); err != nil {
						t.Errorf("GetOrder(%s): %v", demo.FeaturedOrder, err)
					}
				})
			},
		},
		{
			name: "seed demo twice: same orders, one partial return, same key",
			setup: func(t *testing.T, e env) {
				r := mustRun(t, "seed", "demo", "--db", e.db)
				writeFile(t, e.dir, "first-key", lastLine(r.stdout))
			},
			args:       []string{"seed", "demo", "--db", "{db}"},
			wantStdout: []string{demo.FeaturedOrder},
			check: func(t *testing.T, e env, r result) {
				first, _ := os.ReadFile(filepath.Join(e.dir, "first-key"))
				if got := lastLine(r.stdout); got != string(first) {
					t.Errorf("second seed printed key %q, first %q; want the same demo key", got, first)
				}
				withStore(t, e.db, func(st *store.Store) {
					ctx := context.Background()
					n, _ := st.CountOrders(ctx)
					if want := len(demo.Orders(time.Now())); n != want {
						t.Errorf("CountOrders = %d, want %d", n, want)
					}
					rs, err := st.ReturnsForOrder(ctx, demo.PartialOrder)
					if err != nil || len(rs) != 1 {
						t.Errorf("returns of %s = %d, %v; want exactly 1", demo.PartialOrder, len(rs), err)
					}
					keys, _ := st.ListAPIKeys(ctx)
					if len(keys) != 1 {
						t.Errorf("%d API keys after seeding twice, want 1", len(keys))
					}
				})
			},
		},
		{
			name:    "seed without demo",
			args:    []string{"seed", "--db", "{db}"},
			wantErr: "usage: seed demo",
		},
		{
			name:       "apikey create",
			args:       []string{"apikey", "create", "--name", "x", "--db", "{db}"},
			wantStdout: []string{`"x"`},
			check: func(t *testing.T, e env, r result) {
				key := lastLine(r.stdout)
				if strings.ContainsAny(key, " \t") || !strings.HasPrefix(key, "rp_") {
					t.Fatalf("last line %q is not a key alone", key)
				}
				withStore(t, e.db, func(st *store.Store) {
					k, err := st.APIKeyByToken(context.Background(), key)
					if err != nil {
						t.Fatalf("APIKeyByToken: %v", err)
					}
					if k.Name != "x" || len(k.Scopes) != 0 {
						t.Errorf("key = %+v, want name x with full access", k)
					}
				})
			},
		},
		{
			name: "apikey create with scopes, flags before --name",
			args: []string{"apikey", "create", "--db", "{db}", "--scopes", "orders:write, policy:read", "--name", "shop"},
			check: func(t *testing.T, e env, r result) {
				withStore(t, e.db, func(st *store.Store) {
					k, err := st.APIKeyByToken(context.Background(), lastLine(r.stdout))
					if err != nil {
						t.Fatalf("APIKeyByToken: %v", err)
					}
					if k.Name != "shop" || !k.Allows("orders:write") || !k.Allows("policy:read") || k.Allows("policy:write") {
						t.Errorf("key = %+v, want name shop with scopes orders:write, policy:read", k)
					}
				})
			},
		},
		{
			name:    "apikey create without --name",
			args:    []string{"apikey", "create", "--db", "{db}"},
			wantErr: "--name is required",
			check: func(t *testing.T, e env, r result) {
				if strings.Contains(r.stdout, "rp_") {
					t.Errorf("a key was printed: %q", r.stdout)
				}
			},
		},
		{
			name:    "apikey without create",
			args:    []string{"apikey", "--name", "x", "--db", "{db}"},
			wantErr: "usage: apikey create",
		},
		{
			name:    "policy export without a policy",
			args:    []string{"policy", "export", "--db", "{db}"},
			wantErr: "no policy",
		},
		{
			name:    "policy without subcommand",
			args:    []string{"policy", "--db", "{db}"},
			wantErr: "usage: policy",
		},
		{
			name:  "policy export is valid JSON that imports as a new version",
			setup: func(t *testing.T, e env) { mustRun(t, "seed", "demo", "--db", e.db) },
			args:  []string{"policy", "export", "--db", "{db}"},
			check: func(t *testing.T, e env, r result) {
				var exported returns.Policy
				dec := json.NewDecoder(strings.NewReader(r.stdout))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&exported); err != nil {
					t.Fatalf("export is not a policy document: %v\n%s", err, r.stdout)
				}
				if exported.Default.Hub == nil || *exported.Default.Hub != "eu-berlin" || len(exported.Hubs) == 0 {
					t.Errorf("exported policy lacks the demo's hubs: %+v", exported.Default)
				}
				before := policyVersion(t, e.db)
				file := writeFile(t, e.dir, "policy.json", r.stdout)
				// The file comes first and --db after it, as the usage shows.
				imp := mustRun(t, "policy", "import", file, "--db", e.db)
				if want := fmt.Sprintf("stored policy version %d", before+1); !strings.Contains(imp.stdout, want) {
					t.Errorf("import said %q, want %q", imp.stdout, want)
				}
				if v := policyVersion(t, e.db); v != before+1 {
					t.Errorf("policy version after import = %d, want %d", v, before+1)
				}
				again := mustRun(t, "policy", "export", "--db", e.db)
				if again.stdout != r.stdout {
					t.Errorf("export after import differs:\n%s\nwant:\n%s", again.stdout, r.stdout)
				}
			},
		},
		{
			name:       "policy import from stdin",
			args:       []string{"policy", "import", "--db", "{db}", "-"},
			stdin:      "{policy}",
			wantStdout: []string{"stored policy version 1"},
		},
		{
			name: "policy import of an unknown hub stores nothing",
			setup: func(t *testing.T, e env) {
				mustRun(t, "seed", "demo", "--db", e.db)
				writeFile(t, e.dir, "bad.json", invalidPolicyJSON(t))
				writeFile(t, e.dir, "version", fmt.Sprint(policyVersion(t, e.db)))
			},
			args:    []string{"policy", "import", "--db", "{db}", "{dir}/bad.json"},
			wantErr: "default.hub",
			check: func(t *testing.T, e env, r result) {
				if !strings.Contains(r.err.Error(), "unknown_hub") {
					t.Errorf("error %q does not name the problem (unknown_hub)", r.err)
				}
				before, _ := os.ReadFile(filepath.Join(e.dir, "version"))
				if v := policyVersion(t, e.db); fmt.Sprint(v) != string(before) {
					t.Errorf("policy version = %d after a rejected import, want %s", v, before)
				}
			},
		},
		{
			name: "policy import of malformed JSON stores nothing",
			setup: func(t *testing.T, e env) {
				writeFile(t, e.dir, "bad.json", `{"default":{"window_days":"thirty"}}`)
			},
			args:    []string{"policy", "import", "{dir}/bad.json", "--db", "{db}"},
			wantErr: "window_days",
			check: func(t *testing.T, e env, r result) {
				if v := policyVersion(t, e.db); v != 0 {
					t.Errorf("policy version = %d, want none stored", v)
				}
			},
		},
		{
			name: "policy import with a misspelt field",
			setup: func(t *testing.T, e env) {
				writeFile(t, e.dir, "bad.json", strings.Replace(invalidPolicyJSON(t), `"window_days"`, `"windw_days"`, 1))
			},
			args:    []string{"policy", "import", "{dir}/bad.json", "--db", "{db}"},
			wantErr: "windw_days",
		},
		{
			name:    "policy import of a missing file",
			args:    []string{"policy", "import", "{dir}/missing.json", "--db", "{db}"},
			wantErr: "missing.json",
		},
		{
			name:    "policy import without a file",
			args:    []string{"policy", "import", "--db", "{db}"},
			wantErr: "usage: policy import FILE",
		},
		{
			name: "import orders: valid lines imported, the bad one reported",
			setup: func(t *testing.T, e env) {
				writeFile(t, e.dir, "orders.jsonl", importLine(t, "IMP-1")+"\n"+
					importLine(t, "IMP-2")+"\n"+
					`{"number":"IMP-3","email":"x@example.com","currency":"XXX","lines":[]}`+"\n")
			},
			args:       []string{"import", "orders", "{dir}/orders.jsonl", "--db", "{db}"},
			wantErr:    "1 orders rejected",
			wantStdout: []string{"imported 2 orders, 1 rejected"},
			wantStderr: []string{"line 3:"},
			check: func(t *testing.T, e env, r result) {
				if strings.Contains(r.stderr, "line 1:") || strings.Contains(r.stderr, "line 2:") {
					t.Errorf("stderr blames a valid line: %s", r.stderr)
				}
				withStore(t, e.db, func(st *store.Store) {
					ctx := context.Background()
					for _, n := range []string{"IMP-1", "IMP-2"} {
						o, err := st.GetOrder(ctx, n)
						if err != nil {
							t.Errorf("GetOrder(%s): %v", n, err)
						} else if len(o.Lines) != 3 || o.Email != demo.Email {
							t.Errorf("order %s = %+v, want the imported lines and e-mail", n, o)
						}
					}
					if _, err := st.GetOrder(ctx, "IMP-3"); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("GetOrder(IMP-3) = %v, want not found", err)
					}
				})
			},
		},
		{
			name:       "import orders: broken JSON and blank lines",
			stdin:      importLine(t, "IMP-1") + "\n\n{not json\n" + importLine(t, "IMP-1") + "\n",
			args:       []string{"import", "orders", "--db", "{db}", "-"},
			wantErr:    "rejected",
			wantStdout: []string{"imported 2 orders, 1 rejected"},
			wantStderr: []string{"line 3:"},
			check: func(t *testing.T, e env, r result) {
				withStore(t, e.db, func(st *store.Store) {
					if n, _ := st.CountOrders(context.Background()); n != 1 {
						t.Errorf("CountOrders = %d, want 1 (the same order twice is an upsert)", n)
					}
				})
			},
		},
		{
			name:       "import orders: all valid",
			stdin:      importLine(t, "IMP-1") + "\n" + importLine(t, "IMP-2"),
			args:       []string{"import", "orders", "-", "--db", "{db}"},
			wantStdout: []string{"imported 2 orders, 0 rejected"},
		},
		{
			name:       "import orders: a line without a number",
			stdin:      strings.Replace(importLine(t, "IMP-1"), `"number":"IMP-1"`, `"number":""`, 1) + "\n",
			args:       []string{"import", "orders", "-", "--db", "{db}"},
			wantErr:    "rejected",
			wantStderr: []string{"line 1:", "number"},
		},
		{
			name: "import orders: a line without unit_price is refused as the API refuses it",
			stdin: `{"number":"IMP-9","email":"x@example.com","currency":"EUR","placed_at":"2026-11-01T10:00:00Z",` +
				`"shipping_address":{"country":"DE"},"lines":[{"id":"L1","quantity":1}]}` + "\n",
			args:       []string{"import", "orders", "-", "--db", "{db}"},
			wantErr:    "rejected",
			wantStderr: []string{"line 1:", "lines[0].unit_price: required"},
		},
		{
			name:    "import without orders",
			args:    []string{"import", "customers", "x", "--db", "{db}"},
			wantErr: "usage: import orders",
		},
		{
			name:    "import orders of a missing file",
			args:    []string{"import", "orders", "{dir}/missing.jsonl", "--db", "{db}"},
			wantErr: "missing.jsonl",
		},
		{
			name:    "serve with a short --secret",
			args:    []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", "{db}", "--secret", "too-short"},
			wantErr: "at least 32 characters",
			check: func(t *testing.T, e env, r result) {
				if _, err := os.Stat(e.db); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a rejected serve touched the database: %v", err)
				}
			},
		},
		{
			name:    "serve with a bad --addr",
			args:    []string{"serve", "--addr", "not-an-address", "--db", "{db}"},
			wantErr: "not-an-address",
		},
		{
			name:    "serve with a bad --trusted-proxies",
			args:    []string{"serve", "--addr", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/99", "--db", "{db}"},
			wantErr: "10.0.0.0/99",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			e := env{dir: dir, db: filepath.Join(dir, "returns.db")}
			if tc.setup != nil {
				tc.setup(t, e)
			}
			expand := func(s string) string {
				s = strings.ReplaceAll(s, "{db}", e.db)
				s = strings.ReplaceAll(s, "{dir}", e.dir)
				if s == "{policy}" {
					b, _ := json.Marshal(demo.Policy())
					s = string(b)
				}
				return s
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = expand(a)
			}
			r := runCmd(t, expand(tc.stdin), args...)
			switch {
			case tc.wantErr == "" && r.err != nil:
				t.Fatalf("run %q: %v\nstdout:\n%s\nstderr:\n%s", args, r.err, r.stdout, r.stderr)
			case tc.wantErr != "" && r.err == nil:
				t.Fatalf("run %q succeeded, want an error containing %q\nstdout:\n%s", args, tc.wantErr, r.stdout)
			case tc.wantErr != "" && !strings.Contains(r.err.Error(), tc.wantErr):
				t.Fatalf("run %q: error %q, want it to contain %q", args, r.err, tc.wantErr)
			}
			for _, want := range tc.wantStdout {
				if want = expand(want); !strings.Contains(r.stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, r.stdout)
				}
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
				}
			}
			if tc.check != nil {
				tc.check(t, e, r)
			}
		})
	}
}

// TestEnvironment checks that RETURNS_<FLAG> sets a flag and that the same
// flag on the command line wins. It cannot run in parallel (t.Setenv).
func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	fromEnv := filepath.Join(dir, "env.db")
	fromFlag := filepath.Join(dir, "flag.db")
	t.Setenv("RETURNS_DB", fromEnv)

	r := mustRun(t, "apikey", "create", "--name", "env")
	envKey := lastLine(r.stdout)
	if _, err := os.Stat(fromEnv); err != nil {
		t.Fatalf("RETURNS_DB was not used: %v", err)
	}
	r = mustRun(t, "apikey", "create", "--name", "flag", "--db", fromFlag)
	flagKey := lastLine(r.stdout)

	withStore(t, fromEnv, func(st *store.Store) {
		ctx := context.Background()
		if k, err := st.APIKeyByToken(ctx, envKey); err != nil || k.Name != "env" {
			t.Errorf("key created with RETURNS_DB: %+v, %v", k, err)
		}
		if _, err := st.APIKeyByToken(ctx, flagKey); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("key created with --db landed in RETURNS_DB's database: %v", err)
		}
	})
	withStore(t, fromFlag, func(st *store.Store) {
		if k, err := st.APIKeyByToken(context.Background(), flagKey); err != nil || k.Name != "flag" {
			t.Errorf("key created with --db: %+v, %v", k, err)
		}
	})

	// Every flag has its variable: a malformed one is an error naming it.
	t.Setenv("RETURNS_LOOKUP_LIMIT_IP", "ten")
	r = runCmd(t, "", "serve", "--addr", "127.0.0.1:0")
	if r.err == nil || !strings.Contains(r.err.Error(), "RETURNS_LOOKUP_LIMIT_IP") {
		t.Errorf("serve with RETURNS_LOOKUP_LIMIT_IP=ten: %v, want an error naming the variable", r.err)
	}
}

// syncBuffer is an io.Writer that the server goroutine writes to while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a `serve` command running in the background.
type server struct {
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

var listeningRE = regexp.MustCompile(`listening on (http://\S+)`)

// startServe runs `serve` with args (plus a random port) and waits for it
// to print its URL.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { s.done <- run(ctx, args, strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve ended before listening: %v\nstdout:\n%s\nstderr:\n%s", err, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no URL\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
		}
	}
}

// stop cancels the command's context (what SIGTERM does in main) and
// expects a prompt, clean return.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown; stderr:\n%s", err, s.stderr)
		}
		s.done <- nil // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatalf("serve did not return within 5s of the shutdown signal")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func TestServe(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "data", "returns.db")
	s := startServe(t, "--db", db, "--lookup-limit-ip", "0")

	status, body := get(t, s.url+"/healthz")
	if status != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Errorf("GET /healthz = %d %s, want 200 ok", status, body)
	}
	// The API answers too (an unknown order is a JSON 404).
	resp, err := http.Post(s.url+"/api/v1/returns/lookup", "application/json",
		strings.NewReader(`{"order_number":"NOPE-1","email":"a@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("lookup of an unknown order = %d, want 404", resp.StatusCode)
	}
	// An idle keep-alive connection must not hold the shutdown up.
	client := &http.Client{Transport: &http.Transport{}}
	if resp, err := client.Get(s.url + "/healthz"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	start := time.Now()
	s.stop(t)
	t.Logf("shutdown took %v", time.Since(start))
	if strings.Contains(s.stdout.String(), "Demo") {
		t.Errorf("plain serve printed demo details:\n%s", s.stdout)
	}
	if _, err := http.Get(s.url + "/healthz"); err == nil {
		t.Errorf("the server still answers after shutdown")
	}

	// The database closed cleanly: the last connection checkpointed the WAL
	// away, and the file opens again. A plain serve invents no data.
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL file left behind (%d bytes): the database was not closed", fi.Size())
	}
	withStore(t, db, func(st *store.Store) {
		ctx := context.Background()
		if err := st.Ping(ctx); err != nil {
			t.Errorf("Ping after reopening: %v", err)
		}
		if n, err := st.CountOrders(ctx); err != nil || n != 0 {
			t.Errorf("CountOrders after plain serve = %d, %v; want 0", n, err)
		}
		secret, err := st.Setting(ctx, "token_secret")
		if err != nil || len(secret) < 32 {
			t.Errorf("generated token secret = %q, %v; want one of at least 32 characters stored", secret, err)
		}
	})
}

func TestServeGracefulShutdownWhileBusy(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "returns.db")
	s := startServe(t, "--db", db, "--secret", strings.Repeat("s", 32))
	// Requests racing the shutdown either complete or are refused; none
	// fails halfway, and the command still returns nil.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := 0; i < 20; i++ {
				resp, err := http.Get(s.url + "/healthz")
				if err != nil {
					return
				}
				_, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				if rerr != nil {
					t.Errorf("reading a response cut by the shutdown: %v", rerr)
				}
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET /healthz during shutdown = %d", resp.StatusCode)
				}
			}
		})
	}
	s.stop(t)
	wg.Wait()
	withStore(t, db, func(st *store.Store) {
		if err := st.Ping(context.Background()); err != nil {
			t.Errorf("Ping after reopening: %v", err)
		}
		if _, err := st.Setting(context.Background(), "token_secret"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a secret was generated although --secret was given: %v", err)
		}
	})
}

var (
	demoOrderRE = regexp.MustCompile(`Demo order: (\S+) with e-mail (\S+)`)
	demoKeyRE   = regexp.MustCompile(`Demo API key: (\S+)`)
)

func TestServeDemo(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "returns.db")
	s := startServe(t, "--demo", "--db", db)

	// The demo lines follow the URL; wait for them.
	var out string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if out = s.stdout.String(); demoKeyRE.MatchString(out) {
			break
		}
	}
	order := demoOrderRE.FindStringSubmatch(out)
	key := demoKeyRE.FindStringSubmatch(out)
	if order == nil || key == nil {
		t.Fatalf("serve --demo did not print a demo order, e-mail and API key:\n%s", out)
	}
	if order[1] != demo.FeaturedOrder || order[2] != demo.Email {
		t.Errorf("demo order %s / %s, want %s / %s", order[1], order[2], demo.FeaturedOrder, demo.Email)
	}

	// The printed order and e-mail really open the order.
	resp, err := http.Post(s.url+"/api/v1/returns/lookup", "application/json",
		strings.NewReader(fmt.Sprintf(`{"order_number":%q,"email":%q}`, order[1], order[2])))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("lookup of the printed demo order = %d, want 200", resp.StatusCode)
	}
	// The printed key authenticates against the API.
	req, _ := http.NewRequest(http.MethodGet, s.url+"/api/v1/policy", nil)
	req.Header.Set("Authorization", "Bearer "+key[1])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/policy with the printed key = %d, want 200", resp.StatusCode)
	}
	s.stop(t)

	var count int
	withStore(t, db, func(st *store.Store) {
		ctx := context.Background()
		count, _ = st.CountOrders(ctx)
		if count < 15 {
			t.Errorf("CountOrders after serve --demo = %d, want about 20", count)
		}
		if _, err := st.APIKeyByToken(ctx, key[1]); err != nil {
			t.Errorf("printed key: %v", err)
		}
	})

	// A second start on the now seeded database seeds nothing more and
	// prints the same details.
	s2 := startServe(t, "--demo", "--db", db)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if demoKeyRE.MatchString(s2.stdout.String()) {
			break
		}
	}
	if k := demoKeyRE.FindStringSubmatch(s2.stdout.String()); k == nil || k[1] != key[1] {
		t.Errorf("second serve --demo printed key %v, want %s", k, key[1])
	}
	s2.stop(t)
	withStore(t, db, func(st *store.Store) {
		ctx := context.Background()
		if n, _ := st.CountOrders(ctx); n != count {
			t.Errorf("CountOrders after the second start = %d, want %d", n, count)
		}
		if rs, _ := st.ReturnsForOrder(ctx, demo.PartialOrder); len(rs) != 1 {
			t.Errorf("%d returns on %s, want 1", len(rs), demo.PartialOrder)
		}
	})
}

func TestServeDoesNotSeedWithoutDemo(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "returns.db")
	mustRun(t, "migrate", "--db", db)
	s := startServe(t, "--db", db)
	if status, _ := get(t, s.url+"/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", status)
	}
	s.stop(t)
	withStore(t, db, func(st *store.Store) {
		if n, err := st.CountOrders(context.Background()); err != nil || n != 0 {
			t.Errorf("CountOrders = %d, %v; want 0: plain serve must not invent data", n, err)
		}
	})
}
