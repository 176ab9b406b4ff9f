// Package stripemock starts stripe-mock, Stripe's own API double, for
// tests: it is built once per machine with `go install` into a directory
// kept across test runs (the Go build cache's, or a temp directory), run on
// a free loopback port, and stopped when the test ends. A build failure
// fails the test: it is never skipped.
package stripemock

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Version is the stripe-mock release the tests run.
const Version = "v0.203.0"

var buildOnce sync.Once
var built string
var buildErr error

// binary returns the path of stripe-mock, installing it when missing.
func binary(t testing.TB) string {
	buildOnce.Do(func() {
		dir := os.Getenv("STRIPE_MOCK_BIN")
		if dir == "" {
			base, err := os.UserCacheDir()
			if err != nil {
				base = os.TempDir()
			}
			dir = filepath.Join(base, "returns-portal", "stripe-mock-"+Version)
		}
		built = filepath.Join(dir, "stripe-mock")
		if _, err := os.Stat(built); err == nil {
			return
		}
		cmd := exec.Command("go", "install", "github.com/stripe/stripe-mock@"+Version)
		cmd.Env = append(os.Environ(), "GOBIN="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("go install stripe-mock: %s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("stripe-mock %s cannot be built: %v", Version, buildErr)
	}
	return built
}

// Start runs stripe-mock and returns its base URL (http://127.0.0.1:PORT).
func Start(t testing.TB) string {
	t.Helper()
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "-http-addr", addr)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url + "/v1/charges"); err == nil {
			resp.Body.Close()
			return url
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("stripe-mock did not answer on %s", addr)
	return ""
}
