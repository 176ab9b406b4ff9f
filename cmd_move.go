package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// cmdCopy moves a SQLite installation into another database (PostgreSQL):
// both are migrated to this binary's schema, then every table is copied
// and checked (store.Copy).
func cmdCopy(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("copy", stderr)
	from := fs.String("from", "data/returns.db", "the SQLite database to copy")
	to := fs.String("to", "", "the database to copy into, e.g. postgres://user@host/returns (migrated and empty)")
	force := fs.Bool("force", false, "empty the target first if it holds data")
	batch := fs.Int("batch", 500, "rows per INSERT")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("copy: --to is required")
	}
	src, err := openMigrated(ctx, *from, legal)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openMigrated(ctx, *to, legal)
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	last := time.Time{}
	copied, err := store.Copy(ctx, src, dst, store.CopyOptions{Force: *force, Batch: *batch,
		Progress: func(table string, done, total int64) {
			if now := time.Now(); done == total || now.Sub(last) > 200*time.Millisecond {
				last = now
				fmt.Fprintf(stderr, "\rcopying %-28s %10d / %d rows", table, done, total)
			}
		}})
	fmt.Fprintln(stderr)
	if errors.Is(err, store.ErrTargetNotEmpty) {
		return errors.New("copy: the target database holds data: give --force to replace it")
	}
	if err != nil {
		return err
	}
	var rows int64
	for _, c := range copied {
		fmt.Fprintf(stdout, "%-28s %10d rows  checksum %s  ok\n", c.Table, c.Rows, c.Checksum)
		rows += c.Rows
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "copied %d tables, %d rows in %s (%.0f rows/s); counts and checksums match\n",
		len(copied), rows, took.Round(time.Millisecond), float64(rows)/took.Seconds())
	return nil
}

// cmdBackup writes an online backup of the SQLite database (store.Backup).
func cmdBackup(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	db := dbFlag(fs)
	to := fs.String("to", "", "the backup file to write (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to is required")
	}
	st, err := store.Open(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	return nil
}

func openMigrated(ctx context.Context, dsn string, legal *returns.Legal) (*store.Store, error) {
	st, err := store.Open(ctx, dsn, legal)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
