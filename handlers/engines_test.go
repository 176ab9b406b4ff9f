package handlers

import (
	"context"
	"os"
	"testing"

	"github.com/returns-portal/returns/internal/pgtest"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestMain runs the handler tests on SQLite, then on PostgreSQL
// (internal/pgtest), except those that make SQLite's storage fail.
func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, pgtest.Options{
		Prepare: func(url string) error { return store.MigrateAt(context.Background(), url, returns.LoadLegal()) },
		SQLiteOnly: []string{
			// store.SimulateFault makes SQLite's writer refuse as a full
			// or read-only disk would (PRAGMAs); PostgreSQL maps its own
			// codes (53100, 25006) to the same errors (dialect_postgres.go).
			"TestStorageFull.*", "TestStorageReadOnly.*", "TestHealthz.*Storage.*",
		},
	}))
}

// testDSN is a fresh database of the engine under test.
func testDSN(t testing.TB, sqlitePath string) string {
	if pgtest.Engine() == pgtest.Postgres {
		return pgtest.NewDatabase(t)
	}
	return sqlitePath
}
