package store

import (
	"io/fs"
	"slices"
	"testing"
)

// Both engines' migrations are the same set: one numbering, one name per
// number, so that a database of either engine at version N has the same
// tables and columns (the copy command relies on it).
func TestMigrationsSameOnBothEngines(t *testing.T) {
	names := func(d *dialect) []string {
		t.Helper()
		found, err := fs.Glob(d.migrations, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(found)
		return found
	}
	lite, pg := names(sqliteDialect), names(postgresDialect)
	if len(lite) == 0 {
		t.Fatal("no SQLite migrations embedded")
	}
	if !slices.Equal(lite, pg) {
		t.Fatalf("migrations differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}
