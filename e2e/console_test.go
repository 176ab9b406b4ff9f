package e2e

import (
	"strings"
	"testing"
)

// noViolationsButRefusals is noViolations for a flow that meets a refusal
// on purpose (a form sent back with its mistakes, 422): the browser logs
// the answer as a failed load, which is no fault; a CSP violation or an
// exception still is.
func noViolationsButRefusals(t *testing.T, cs ...*console) {
	t.Helper()
	for _, c := range cs {
		if v := c.violations(); len(v) > 0 {
			t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
		}
		for _, m := range c.all() {
			if strings.Contains(m, "exception:") || (strings.Contains(m, ": error") && !strings.Contains(m, "Failed to load resource")) {
				t.Errorf("console: %s", m)
			}
		}
	}
}
