package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/returns-portal/returns/demo"
)

func TestClientNetwork(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"192.0.2.2", "192.0.2.2"},
		{"::ffff:192.0.2.1", "192.0.2.1"}, // IPv4-mapped: the IPv4 address
		{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},            // same /64
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},            // the next /64 is another client
		{"2001:DB8:0001:0002:0:0:0:1", "2001:db8:1:2::/64"}, // spelt otherwise
		{"fe80::1%eth0", "fe80::/64"},                       // the zone does not make a new key
		{"::1", "::/64"},                                    // loopback is a network too
		{"", ""},                                            // no peer address: one key for all of them
		{"not-an-ip", "not-an-ip"},                          // kept as it is
		{"2001:db8::/64", "2001:db8::/64"},                  // not an address: kept
	} {
		if got := clientNetwork(tc.ip); got != tc.want {
			t.Errorf("clientNetwork(%q) = %q, want %q", tc.ip, got, tc.want)
		}
	}
}

// TestPerIPLimitsKeyIPv6ByItsSlash64: a client that takes a fresh address
// of its /64 for every attempt is still one client; its neighbour /64 is not.
func TestPerIPLimitsKeyIPv6ByItsSlash64(t *testing.T) {
	ts := newTestService(t, Settings{LookupLimitIP: 3})
	ctx := context.Background()
	var rl *RateLimitedError
	for i, ip := range []string{"2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::3", "2001:db8:7:1:1234:5678:9abc:def0"} {
		_, err := ts.Lookup(ctx, LookupRequest{OrderNumber: "A-1", Email: demo.Email, ClientIP: ip})
		if limited := errors.As(err, &rl); limited != (i == 3) {
			t.Errorf("lookup %d from %s: %v", i+1, ip, err)
		}
	}
	if _, err := ts.Lookup(ctx, LookupRequest{OrderNumber: "A-1", Email: demo.Email, ClientIP: "2001:db8:7:2::1"}); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("the next /64: %v", err)
	}
	// The staff login counts the same way (each attempt for another
	// account, so that only the per-IP limit can refuse).
	for i := range LoginLimitIP + 1 {
		ip := fmt.Sprintf("2001:db8:9:9::%x", i+1)
		_, err := ts.Login(ctx, LoginRequest{Email: fmt.Sprintf("nobody%d@example.com", i), Password: "x", ClientIP: ip})
		if limited := errors.As(err, &rl); limited != (i == LoginLimitIP) {
			t.Fatalf("login %d from %s: %v", i+1, ip, err)
		}
	}
}
