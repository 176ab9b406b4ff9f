package service

import (
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestHubZone: without a timezone setting the staff area counts in the
// zone of the default hub's address; UTC when there is no such hub.
func TestHubZone(t *testing.T) {
	str := func(s string) *string { return &s }
	hubs := []returns.Hub{
		{Code: "ber", Address: returns.HubAddress{Country: "DE"}},
		{Code: "nwk", Address: returns.HubAddress{Country: "US", Region: "NJ"}},
		{Code: "lax", Address: returns.HubAddress{Country: "US", Region: "CA"}},
		{Code: "none", Address: returns.HubAddress{}},
	}
	for _, tc := range []struct {
		hub        *string
		zone, from string
	}{
		{str("ber"), "Europe/Berlin", ZoneFromHub},
		{str("nwk"), "America/New_York", ZoneFromHub},
		{str("lax"), "America/Los_Angeles", ZoneFromHub},
		{str("none"), "UTC", ZoneDefault}, // a hub without a country
		{str("gone"), "UTC", ZoneDefault}, // a code no hub has
		{nil, "UTC", ZoneDefault},         // no default hub
	} {
		loc, from := hubZone(returns.Policy{Default: returns.Rules{Hub: tc.hub}, Hubs: hubs})
		if loc.String() != tc.zone || from != tc.from {
			t.Errorf("hub %v: %s (%s), want %s (%s)", tc.hub, loc, from, tc.zone, tc.from)
		}
	}
}
