package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAttempt: at most limit attempts per key in any window; refused
// attempts do not count; the window slides; keys and scopes are apart;
// concurrent attempts never take more than the limit.
func TestAttempt(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)
	try := func(scope, key string, at time.Time) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := s.Attempt(ctx, scope, key, at, time.Minute, 3)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	for i := range 3 {
		if ok, _ := try("lookup-ip", "192.0.2.1", t0.Add(time.Duration(i)*10*time.Second)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, wait := try("lookup-ip", "192.0.2.1", t0.Add(25*time.Second)); ok || wait != 35*time.Second {
		t.Fatalf("fourth attempt: %v, retry after %v; want refused, 35s (the first leaves the window)", ok, wait)
	}
	if ok, _ := try("lookup-ip", "192.0.2.2", t0); !ok {
		t.Error("another key refused")
	}
	if ok, _ := try("login-ip", "192.0.2.1", t0); !ok {
		t.Error("another scope refused")
	}
	// The refused attempt did not count: once the first has left the
	// window, one more is allowed, and then none until the second leaves.
	if ok, _ := try("lookup-ip", "192.0.2.1", t0.Add(60*time.Second)); !ok {
		t.Error("refused after the first attempt left the window")
	}
	if ok, _ := try("lookup-ip", "192.0.2.1", t0.Add(61*time.Second)); ok {
		t.Error("allowed while three attempts are in the window")
	}
	if ok, _ := try("lookup-ip", "192.0.2.1", t0.Add(3*time.Minute)); !ok {
		t.Error("refused long after")
	}

	var wg sync.WaitGroup
	var allowed atomic.Int64
	for range 30 {
		wg.Go(func() {
			ok, _, err := s.Attempt(ctx, "race", "k", t0, time.Minute, 7)
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 7 {
		t.Errorf("concurrent attempts allowed: %d, want 7", n)
	}
}
