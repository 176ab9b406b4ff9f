package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyticsCommands: on the demo database the report tables equal a
// recount; after someone changes them behind the portal's back, check says
// so (and fails), rebuild recounts them, and check passes again.
func TestAnalyticsCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "returns.db")
	mustRun(t, "seed", "demo", "--db", db)
	if r := mustRun(t, "analytics", "check", "--db", db); !strings.Contains(r.stdout, "equal a recount") {
		t.Errorf("check: %q", r.stdout)
	}
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE analytics_sales SET units = units + 5 WHERE lvl = 0`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := runCmd(t, "", "analytics", "check", "--db", db)
	if r.err == nil || !strings.Contains(r.stdout, "analytics_sales") {
		t.Errorf("check of a damaged table: %v %q", r.err, r.stdout)
	}
	if r := mustRun(t, "analytics", "rebuild", "--db", db); !strings.Contains(r.stdout, "recounted") {
		t.Errorf("rebuild: %q", r.stdout)
	}
	mustRun(t, "analytics", "check", "--db", db)
	if r := runCmd(t, "", "analytics", "--db", db); r.err == nil || !strings.Contains(r.err.Error(), "usage") {
		t.Errorf("no subcommand: %v", r.err)
	}
}
