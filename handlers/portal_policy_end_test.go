package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/returns-portal/returns/returns"
)

// TestPortalPolicyPeriodEnd: the policy page says when a period ending on a
// weekend or public holiday runs on (returns.PeriodEnd): the statutory one
// in the EU and EEA, with the country's holidays where the calendar has
// them and weekends only (said so) where it has not; never in GB; the
// merchant's window only when the policy asks for it.
func TestPortalPolicyPeriodEnd(t *testing.T) {
	a := newTestApp(t)
	const (
		holidays = "If the last day of the legal withdrawal period is a Saturday, a Sunday or a public holiday"
		weekends = "If the last day of the legal withdrawal period is a Saturday or a Sunday"
		noCal    = "Our calendar does not have the public holidays of Portugal"
		window   = "If the last day of this period is a Saturday, a Sunday or a public holiday"
		starts   = "The period starts on the day after delivery."
	)
	windows := func(country string) string {
		return text(a.get("/policy?lang=en&country="+country, false).one("policy-windows"))
	}
	tests := []struct {
		country     string
		want, avoid []string
	}{
		{"DE", []string{holidays, starts}, []string{weekends, window}},
		{"NO", []string{holidays}, []string{weekends}},
		{"PT", []string{weekends, noCal}, []string{holidays}},
		{"GB", []string{starts}, []string{holidays, weekends, window}},
		{"US", nil, []string{holidays, weekends, window}},
	}
	for _, tt := range tests {
		got := windows(tt.country)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.country, got, w)
			}
		}
		for _, w := range tt.avoid {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q has %q", tt.country, got, w)
			}
		}
	}
	de := text(a.get("/policy?lang=de&country=DE", false).one("policy-windows"))
	if !strings.Contains(de, "Die Frist beginnt am Tag nach der Zustellung.") || !strings.Contains(de, "mit Ablauf des nächsten Arbeitstags") {
		t.Errorf("de: %q", de)
	}

	ctx := context.Background()
	_, pol, err := a.st.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rule := returns.PeriodEndNextWorkingDay
	pol.Default.WindowEndRule = &rule
	if fe := returns.ValidatePolicy(pol, returns.LoadLegal()); fe != nil {
		t.Fatal(fe)
	}
	if _, err := a.st.SavePolicy(ctx, pol, "test"); err != nil {
		t.Fatal(err)
	}
	if got := windows("DE"); !strings.Contains(got, window) {
		t.Errorf("DE with window_end_rule: %q", got)
	}
	if got := windows("PT"); !strings.Contains(got, "If the last day of this period is a Saturday or a Sunday") {
		t.Errorf("PT with window_end_rule: %q", got)
	}
}
