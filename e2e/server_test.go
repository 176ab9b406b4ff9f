package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The browser tests run the portal as users run it: the real binary, built
// from this tree, started with `make run`'s flags (serve --demo --addr --db)
// on a free port, and nothing else unless a test says which production flag
// it adds (--base-url, --embed-origins, --trusted-proxies). No test-only
// configuration: the staff login once failed in every browser while tests
// that built the server in-process with other settings passed.

// build is the command built once per test run, with or without the race
// detector.
type build struct {
	once sync.Once
	path string
	err  error
}

var builds = map[bool]*build{false: {}, true: {}}

// portalBinary builds the command once per test run, with the race
// detector when the tests run under it (the packages are then already
// compiled that way).
func portalBinary(t testing.TB) string { return buildPortal(t, raceEnabled) }

// buildPortal builds the command once per test run and mode.
func buildPortal(t testing.TB, race bool) string {
	t.Helper()
	b := builds[race]
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "e2e-bin-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, "returns-portal")
		args := []string{"build", "-o", b.path}
		if race {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "..")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// portal is a running `returns-portal serve --demo`.
type portal struct {
	// URL is where the server says it listens (its default base URL, or
	// the --base-url given).
	URL string
	// Addr is the address it listens on (host:port).
	Addr string
	// The demo's staff login and API key, as `make run` prints them.
	AdminEmail, AdminPassword, APIKey string
	// Banner is what it printed at start, line by line.
	Banner []string
	log    *syncBuffer // the server's log (stderr)
	cmd    *exec.Cmd
	exited chan error
	killed bool // by kill, on purpose
	// Pid is the server's process id (/proc/<pid>/status has its memory).
	Pid int
	// DB is the database file it serves.
	DB string
}

// kill ends the server with SIGKILL, as a crash would (nothing is flushed,
// nothing shut down), and waits until it is gone.
func (p *portal) kill(t *testing.T) {
	t.Helper()
	p.killed = true
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the portal did not die")
	}
}

var (
	listenLine = regexp.MustCompile(`^Returns Portal listening on (\S+)$`)
	loginLine  = regexp.MustCompile(`^Demo staff login: \S+ as (\S+) with password (.+)$`)
	keyLine    = regexp.MustCompile(`^Demo API key: (\S+)$`)
)

// startPortal runs `serve --demo --addr 127.0.0.1:0 --db <temp>/returns.db`
// plus extra flags, waits until it answers, and stops it (SIGTERM, as
// Ctrl-C would) when the test ends. The environment is cleared of RETURNS_*
// so that a developer's settings do not leak into the test.
func startPortal(t testing.TB, extra ...string) *portal {
	t.Helper()
	return startBinary(t, portalBinary(t), extra...)
}

// startBinary is startPortal with a given build of the command.
func startBinary(t testing.TB, bin string, extra ...string) *portal {
	t.Helper()
	return startBinaryEnv(t, bin, nil, extra...)
}

// startPortalEnv is startPortal with environment variables ("KEY=value")
// that a test gives the server on purpose, as an operator would
// (RETURNS_SECRETS_KEY, a provider's credentials and API URL).
func startPortalEnv(t testing.TB, env []string, extra ...string) *portal {
	t.Helper()
	return startBinaryEnv(t, portalBinary(t), env, extra...)
}

// startBinaryEnv is startBinary with environment variables.
func startBinaryEnv(t testing.TB, bin string, env []string, extra ...string) *portal {
	t.Helper()
	db := filepath.Join(t.TempDir(), "returns.db")
	args := append([]string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RETURNS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	p := &portal{log: &syncBuffer{}, cmd: cmd, exited: exited, DB: db}
	cmd.Stderr = p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.Pid = cmd.Process.Pid
	t.Cleanup(func() {
		if p.killed {
			return
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("the portal did not stop cleanly: %v\n%s", err, p.log)
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("the portal did not stop within 15 s of SIGTERM")
		}
	})
	// Read what it prints at start; keep draining afterwards.
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		started := false
		for sc.Scan() {
			line := sc.Text()
			if !started {
				p.Banner = append(p.Banner, line)
			}
			if m := listenLine.FindStringSubmatch(line); m != nil {
				p.URL = m[1]
			} else if m := keyLine.FindStringSubmatch(line); m != nil {
				p.APIKey = m[1]
			} else if m := loginLine.FindStringSubmatch(line); m != nil {
				p.AdminEmail, p.AdminPassword = m[1], m[2]
			} else if strings.HasPrefix(line, "Try:") {
				started = true
				close(ready) // the last line of the start-up banner
			}
		}
		exited <- cmd.Wait()
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("the portal did not start within 60 s:\n%s", p.log)
	}
	if p.URL == "" || p.AdminPassword == "" || p.APIKey == "" {
		t.Fatalf("start-up banner incomplete: url %q, admin %q, key %q", p.URL, p.AdminEmail, p.APIKey)
	}
	p.Addr = listenAddr(t, p)
	return p
}

// listenAddr is the address the server listens on, from its log line
// "listening" (the banner names the base URL, which may be a proxy's).
func listenAddr(t testing.TB, p *portal) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(p.log.String(), "\n") {
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" && rec.Addr != "" {
				return rec.Addr
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no \"listening\" line in the server log:\n%s", p.log)
	return ""
}

// postJSON posts to the portal's JSON API directly and decodes the answer;
// a status of 300 or more fails the test.
func (p *portal) postJSON(t testing.TB, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post("http://"+p.Addr+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode >= 300 {
		t.Fatalf("%s: %d %v %v", path, res.StatusCode, m, err)
	}
	return m
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
