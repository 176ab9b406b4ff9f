package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the SQLite database to the file at
// path while the portal keeps serving (VACUUM INTO: one read transaction,
// so the copy is the database as of one moment, compacted). The file must
// not exist. A PostgreSQL database is backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d != sqliteDialect {
		return errors.New("store: backup: a PostgreSQL database is backed up with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	// On the writer: the readers are query-only, and VACUUM INTO writes.
	// It reads one snapshot; writes queue behind it meanwhile.
	if _, err := s.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}
