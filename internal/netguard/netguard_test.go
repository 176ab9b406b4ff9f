package netguard

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

func TestPublic(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"2606:4700:4700::1111", true},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"0.0.0.0", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"172.32.0.1", true}, // just outside 172.16/12
		{"192.168.1.20", false},
		{"100.64.0.1", false},      // CGNAT
		{"100.100.100.200", false}, // a cloud's metadata service, inside CGNAT
		{"100.128.0.1", true},      // just outside 100.64/10
		{"169.254.169.254", false}, // metadata
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"198.18.0.1", false},
		{"::1", false},
		{"::", false},
		{"fe80::1", false},
		{"fd00:ec2::254", false}, // AWS metadata over IPv6
		{"fc00::1", false},
		{"ff02::1", false},
		{"::ffff:127.0.0.1", false},       // IPv4-mapped loopback
		{"::ffff:169.254.169.254", false}, // IPv4-mapped metadata
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::a9fe:a9fe", false}, // NAT64 of 169.254.169.254
		{"64:ff9b::808:808", true},    // NAT64 of 8.8.8.8
		{"2002:7f00:1::", false},      // 6to4 of 127.0.0.1
		{"2002:808:808::", true},      // 6to4 of 8.8.8.8
		{"2001:db8::1", false},
	}
	for _, tt := range tests {
		if got := Public(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Public(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if Public(netip.Addr{}) {
		t.Error("the zero address is public")
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.shop.example/returns", false, true},
		{"https://93.184.215.14:8443/x", false, true},
		{"http://hooks.shop.example/returns", false, false},
		{"https://127.0.0.1/x", false, false},
		{"https://[::1]/x", false, false},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://localhost/x", false, false},
		{"https://api.localhost./x", false, false},
		{"https://user:pw@hooks.shop.example/", false, false},
		{"https://hooks.shop.example/#frag", false, false},
		{"ftp://hooks.shop.example/", false, false},
		{"/relative", false, false},
		{"https:opaque", false, false},
		{"https://hooks.shop.example/a b", false, false},
		// The development flag lets local receivers in, over plain http too.
		{"http://127.0.0.1:9000/hook", true, true},
		{"https://[::1]/x", true, true},
		{"ftp://127.0.0.1/", true, false},
	}
	for _, tt := range tests {
		_, err := CheckURL(tt.url, tt.allowPrivate)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q, %v) = %v, want ok=%v", tt.url, tt.allowPrivate, err, tt.ok)
		}
	}
}

// TestControlRefusesAtDialTime: a dialer with Control never connects to a
// private address, whatever name led there.
func TestControlRefusesAtDialTime(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	d := net.Dialer{Control: Control, Timeout: 2 * time.Second}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		_, err := d.Dial("tcp", net.JoinHostPort(host, port))
		if !errors.Is(err, ErrNotPublic) {
			t.Errorf("dial %s: %v, want ErrNotPublic", host, err)
		}
	}
	select {
	case <-accepted:
		t.Fatal("a connection reached the loopback listener")
	case <-time.After(100 * time.Millisecond):
	}
}
