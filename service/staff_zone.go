package service

import (
	"context"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Where the staff area's time zone comes from (StaffZone).
const (
	ZoneFromSetting = "setting" // the timezone setting
	ZoneFromHub     = "hub"     // the default return hub's address
	ZoneDefault     = "utc"     // neither: UTC
)

// StaffZone is the time zone the staff area shows its times in: the
// timezone setting; without it, the zone of the current policy's default
// return hub's address (the merchant's warehouse, so that times are the
// merchant's from the start); without one, UTC. from says which
// (ZoneFromSetting, ZoneFromHub, ZoneDefault).
func (s *Service) StaffZone(ctx context.Context) (loc *time.Location, from string) {
	if loc := s.Site(ctx).Location; loc != nil {
		return loc, ZoneFromSetting
	}
	return s.DefaultStaffZone(ctx)
}

// DefaultStaffZone is StaffZone without the setting: the default hub's
// zone, or UTC (the settings page offers it as the empty field's value).
func (s *Service) DefaultStaffZone(ctx context.Context) (*time.Location, string) {
	_, pol, err := s.st.CurrentPolicy(ctx)
	if err != nil {
		return time.UTC, ZoneDefault
	}
	return hubZone(pol)
}

// hubZone is the zone of a policy's default hub's address, or UTC.
func hubZone(pol returns.Policy) (*time.Location, string) {
	if pol.Default.Hub == nil {
		return time.UTC, ZoneDefault
	}
	h, ok := pol.HubByCode(*pol.Default.Hub)
	if !ok || h.Address.Country == "" {
		return time.UTC, ZoneDefault
	}
	loc, _ := returns.ZoneFor(h.Address.Country, h.Address.Region)
	return loc, ZoneFromHub
}
