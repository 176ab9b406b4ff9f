// Package netguard keeps server-side requests to merchant-given URLs (the
// webhook endpoints) on the public internet: a URL naming, or a name
// resolving to, a loopback, private, shared (CGNAT), link-local (the cloud
// metadata service at 169.254.169.254), unique-local, multicast or
// otherwise reserved address is refused, at save time (CheckURL) and again
// for the address actually dialled (Control), so that a DNS answer that
// changes after the check cannot smuggle a request inside.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrNotPublic is wrapped when an address is not on the public internet.
var ErrNotPublic = errors.New("address is not public")

// nonPublic are the ranges no webhook may reach (IANA special-purpose
// registries for IPv4 and IPv6, RFC 6890 and successors).
var nonPublic = mustPrefixes(
	"0.0.0.0/8",       // "this network", and the unspecified address
	"10.0.0.0/8",      // private (RFC 1918)
	"100.64.0.0/10",   // shared address space, CGNAT (RFC 6598)
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local, including cloud metadata services
	"172.16.0.0/12",   // private
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"192.88.99.0/24",  // 6to4 relay anycast (deprecated)
	"192.168.0.0/16",  // private
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"224.0.0.0/4",     // multicast
	"240.0.0.0/4",     // reserved, and the limited broadcast address
	"::/128",          // unspecified
	"::1/128",         // loopback
	"64:ff9b:1::/48",  // local-use IPv4/IPv6 translation
	"100::/64",        // discard-only
	"2001::/23",       // IETF protocol assignments (Teredo and others)
	"2001:db8::/32",   // documentation
	"fc00::/7",        // unique local, including fd00:ec2::254 (metadata)
	"fe80::/10",       // link-local
	"ff00::/8",        // multicast
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Public reports whether a is an address on the public internet. An IPv4
// address embedded in IPv6 (IPv4-mapped, NAT64 64:ff9b::/96, 6to4
// 2002::/16) is judged by the IPv4 address it carries.
func Public(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	if a.Is6() {
		b := a.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(a):
			return Public(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		case netip.MustParsePrefix("2002::/16").Contains(a):
			return Public(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		}
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// CheckURL checks a webhook endpoint's URL: absolute https (plain http only
// when allowPrivate, for local testing), a host, no user information, no
// fragment; a host that is an IP address must be public, and names of the
// local machine ("localhost", "*.localhost") are refused, unless
// allowPrivate. Names are resolved at dial time (Control), not here: a name
// that resolves later to a private address is refused then.
func CheckURL(raw string, allowPrivate bool) (*url.URL, error) {
	if len(raw) > 2048 || strings.ContainsAny(raw, " \t\r\n") {
		return nil, errors.New("not a URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowPrivate:
	default:
		return nil, errors.New("want an https URL")
	}
	if u.Host == "" || u.Opaque != "" || u.User != nil || u.Fragment != "" {
		return nil, errors.New("want https://host/path")
	}
	if allowPrivate {
		return u, nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil, fmt.Errorf("%w: %s", ErrNotPublic, host)
	}
	if a, err := netip.ParseAddr(host); err == nil && !Public(a) {
		return nil, fmt.Errorf("%w: %s", ErrNotPublic, a)
	}
	return u, nil
}

// Control is a net.Dialer's Control function that refuses to connect to an
// address that is not public: it runs for every address a name resolved
// to, after the resolution, just before the connection is made.
func Control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	if !Public(a) {
		return fmt.Errorf("%w: %s", ErrNotPublic, a)
	}
	return nil
}
