package main

import (
	"io"
	"testing"
)

// TestRelaxDemoLimits: --demo raises the lookup limits that were not set,
// and keeps those set on the command line or in the environment.
func TestRelaxDemoLimits(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		env           map[string]string
		wantIP, wantO int
		wantRelaxed   bool
	}{
		{"neither set", nil, nil, demoLimitIP, demoLimitOrder, true},
		{"per IP set", []string{"--lookup-limit-ip", "3"}, nil, 3, demoLimitOrder, true},
		{"per order set in the environment", nil, map[string]string{"RETURNS_LOOKUP_LIMIT_ORDER": "7"}, demoLimitIP, 7, true},
		{"both set, even to the defaults", []string{"--lookup-limit-ip", "10", "--lookup-limit-order", "5"}, nil,
			defaultLimitIP, defaultLimitOrder, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs := newFlags("serve", io.Discard)
			ip := fs.Int(limitIPFlag, defaultLimitIP, "")
			order := fs.Int(limitOrderFlag, defaultLimitOrder, "")
			if err := parse(fs, tt.args); err != nil {
				t.Fatal(err)
			}
			relaxed := relaxDemoLimits(fs, ip, order)
			if *ip != tt.wantIP || *order != tt.wantO || relaxed != tt.wantRelaxed {
				t.Errorf("got %d, %d, relaxed %v; want %d, %d, %v", *ip, *order, relaxed, tt.wantIP, tt.wantO, tt.wantRelaxed)
			}
		})
	}
}
