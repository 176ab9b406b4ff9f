package store

import (
	"context"
	"os"
	"testing"

	"github.com/returns-portal/returns/internal/pgtest"
	"github.com/returns-portal/returns/returns"
)

// TestMain runs every test of the store on SQLite, then on PostgreSQL
// (internal/pgtest), except those of SQLite's own devices.
func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, pgtest.Options{
		Prepare:    func(url string) error { return MigrateAt(context.Background(), url, returns.LoadLegal()) },
		SQLiteOnly: sqliteOnlyTests,
	}))
}

// sqliteOnlyTests test SQLite's files, pragmas, writer connection and
// storage faults, which PostgreSQL has not.
var sqliteOnlyTests = []string{
	"TestOpenMigrateTwice",
	"TestConnectionSettings",
	"TestStorageHealth",         // PRAGMA max_page_count and query_only make the faults
	"TestStorageFullRemembered", // idem
	"TestQueuePlans",            // EXPLAIN QUERY PLAN: SQLite's planner
	"TestQueuePlanRMAPrefix",    // idem
	// The committer and the checkpointer (commit.go, checkpoint.go) exist
	// on SQLite only: PostgreSQL's writes are transactions of their own.
	"TestGroupCommit",
	"TestGroupCommitSerial",
	"TestGroupCommitFailedCommit",
	"TestGroupCommitReports",
	"TestGroupCommitWaitsForReadyWrites",
	"TestWriteAfterClose",
	"TestBackgroundCheckpoint",
}

// testDSN is a fresh database of the engine under test: a SQLite file in a
// directory that does not exist yet, or a PostgreSQL database copied from
// the migrated template.
func testDSN(t *testing.T, sqlitePath string) string {
	if pgtest.Engine() == pgtest.Postgres {
		return pgtest.NewDatabase(t)
	}
	return sqlitePath
}
