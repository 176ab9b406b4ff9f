package benchdata

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/returns-portal/returns/internal/pgtest"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The environment of the staff-area benchmarks (`make bench-admin`):
// DBEnv names the SQLite file of the generated database (the benchmarks
// skip without it) and ReturnsEnv overrides its size (a million returns).
const (
	DBEnv      = "RETURNS_BENCH_DB"
	ReturnsEnv = "RETURNS_BENCH_RETURNS"
)

// postgresDatabase is the database on the test server (pgtest) that holds
// a copy of the generated file. It is not dropped: on a server named by
// RETURNS_TEST_PG it is reused by the next run while the file is the same.
const postgresDatabase = "returns_bench"

// copiedFromSetting records, in the PostgreSQL copy, the fingerprint of the
// file it was copied from.
const copiedFromSetting = "benchdata_copied_from"

// Open opens the generated database for a benchmark on the engine its
// package runs on (pgtest.Engine): the SQLite file named by DBEnv, built
// first when needed, or on PostgreSQL a copy of that file (store.Copy, made
// again when the file changes). The store is migrated and closed when b
// ends. Without DBEnv the benchmark is skipped.
func Open(b *testing.B) (*store.Store, Info) {
	b.Helper()
	path := os.Getenv(DBEnv)
	if path == "" {
		b.Skip(DBEnv + " is not set (run make bench-admin)")
	}
	n := 1_000_000
	if v := os.Getenv(ReturnsEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("%s: %v", ReturnsEnv, err)
		}
	}
	ctx := context.Background()
	info, err := Ensure(ctx, path, n, logStderr)
	if err != nil {
		b.Fatal(err)
	}
	dsn := path
	if pgtest.Engine() == pgtest.Postgres {
		if dsn, err = copyToPostgres(ctx, b, path); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(ctx, dsn, returns.LoadLegal())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return st, info
}

// copyToPostgres makes the PostgreSQL database hold the file's data (the
// copy is skipped when it already holds this file's) and returns its URL.
func copyToPostgres(ctx context.Context, b *testing.B, path string) (string, error) {
	dsn := pgtest.Database(b, postgresDatabase)
	fp, err := readFingerprint(ctx, path)
	if err != nil {
		return "", err
	}
	legal := returns.LoadLegal()
	dst, err := store.Open(ctx, dsn, legal)
	if err != nil {
		return "", err
	}
	defer dst.Close()
	if err := dst.Migrate(ctx); err != nil {
		return "", err
	}
	if have, err := dst.Setting(ctx, copiedFromSetting); err == nil && have == fp {
		return dsn, nil
	}
	src, err := store.Open(ctx, path, legal)
	if err != nil {
		return "", err
	}
	defer src.Close()
	logStderr("benchdata: copying %s into PostgreSQL", path)
	last := ""
	copied, err := store.Copy(ctx, src, dst, store.CopyOptions{Force: true, Progress: func(table string, done, total int64) {
		if table != last || done == total || done%500_000 == 0 {
			logStderr("benchdata: %s %d/%d", table, done, total)
			last = table
		}
	}})
	if err != nil {
		return "", err
	}
	var rows int64
	for _, c := range copied {
		rows += c.Rows
	}
	logStderr("benchdata: copied %d rows in %d tables", rows, len(copied))
	return dsn, dst.SetSetting(ctx, copiedFromSetting, fp)
}

// logStderr reports the building and copying of the benchmark database on
// stderr, which a passing benchmark's log would not show.
func logStderr(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
