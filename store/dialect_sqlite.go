package store

import (
	"database/sql"
	"embed"
	"errors"
	"io/fs"

	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql
var sqliteMigrations embed.FS

// sqliteDialect: one writer connection whose transactions take the write
// lock at BEGIN serializes every write; a claim needs no row lock.
var sqliteDialect = &dialect{
	name:       "sqlite",
	goose:      goose.DialectSQLite3,
	migrations: mustSub(sqliteMigrations, "migrations/sqlite"),
	write:      nil, // _txlock=immediate on the one writer connection
	claim:      nil,
	claimLock:  "",
	snapshot:   &sql.TxOptions{ReadOnly: true}, // a deferred read transaction reads one WAL snapshot

	epochSeconds: func(col string) string { return "unixepoch(" + col + ")" },
	greatest:     "MAX",
	jsonInt:      func(col, key string) string { return "json_extract(" + col + ", '$." + key + "')" },

	// SQLITE_BUSY cannot reach a transaction of the one writer
	// (_busy_timeout waits), and nothing else refuses a serial order.
	retryable: func(error) bool { return false },
	storageFault: func(err error) error {
		var se sqlite3.Error
		if !errors.As(err, &se) {
			return nil
		}
		switch se.Code {
		case sqlite3.ErrFull:
			return ErrStorageFull
		case sqlite3.ErrReadonly:
			return ErrStorageReadOnly
		case sqlite3.ErrIoErr:
			return ErrStorageFailed
		}
		return nil
	},
	unique: func(err error) bool {
		var se sqlite3.Error
		return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
	},
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
