package service

import (
	"context"
	"os"
	"testing"

	"github.com/returns-portal/returns/internal/pgtest"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestMain runs the service's tests on SQLite, then on PostgreSQL
// (internal/pgtest), as the store's and the handlers' run.
func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, pgtest.Options{
		Prepare: func(url string) error { return store.MigrateAt(context.Background(), url, returns.LoadLegal()) },
	}))
}

// testDSN is a fresh database of the engine under test: the SQLite file at
// sqlitePath, or a new PostgreSQL database.
func testDSN(t testing.TB, sqlitePath string) string {
	if pgtest.Engine() == pgtest.Postgres {
		return pgtest.NewDatabase(t)
	}
	return sqlitePath
}
