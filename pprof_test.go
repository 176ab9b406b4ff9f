package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestServePprof: the runtime profiles are served only when --pprof asks,
// on their own address, never among the portal's routes.
func TestServePprof(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := startServe(t, "--db", filepath.Join(dir, "plain.db"))
	if code, _ := get(t, plain.url+"/debug/pprof/"); code != 404 {
		t.Errorf("without --pprof: /debug/pprof/ on the portal is %d, want 404", code)
	}
	if strings.Contains(plain.stderr.String(), "profiles served") {
		t.Errorf("without --pprof the profiles are served:\n%s", plain.stderr)
	}

	s := startServe(t, "--db", filepath.Join(dir, "profiled.db"), "--pprof", "127.0.0.1:0")
	var addr string
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var entry struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "profiles served" {
			addr = entry.Addr
		}
	}
	if addr == "" {
		t.Fatalf("no address of the profiles logged:\n%s", s.stderr)
	}
	if code, body := get(t, "http://"+addr+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("/debug/pprof/: %d %q", code, body)
	}
	if code, _ := get(t, s.url+"/debug/pprof/"); code != 404 {
		t.Errorf("with --pprof: /debug/pprof/ on the portal is %d, want 404", code)
	}
}
