package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// TableCopy is what Copy moved of one table: its rows and a checksum of
// their values, the same on both sides.
type TableCopy struct {
	Table    string
	Rows     int64
	Checksum string
}

// CopyOptions tune Copy.
type CopyOptions struct {
	// Force empties a target that holds data instead of refusing it.
	Force bool
	// Batch is the number of rows per INSERT (default 500).
	Batch int
	// Progress is told after every batch.
	Progress func(table string, done, total int64)
}

// ErrTargetNotEmpty is Copy's refusal of a database that holds data.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// Copy copies every table of the SQLite database from into the migrated
// database to (PostgreSQL, or another SQLite file), in one transaction of
// the target, and verifies that each table has the same number of rows and
// the same checksum on both sides. Both must be at the same migration
// (migrate both first). Identity columns of PostgreSQL continue after the
// copied ids.
func Copy(ctx context.Context, from, to *Store, opts CopyOptions) ([]TableCopy, error) {
	if from.d != sqliteDialect {
		return nil, errors.New("store: copy: the source must be a SQLite database")
	}
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	var tables []string
	// In the order they were created: a table's references come before it.
	if err := sel(ctx, from.r, &tables, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY rowid`); err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	var out []TableCopy
	err := to.writeOnce(ctx, nil, func(tx *sqlx.Tx) error {
		var held int64
		for _, t := range []string{"orders", "returns", "policy_versions", "staff", "api_keys"} {
			var n int64
			if err := get(ctx, tx, &n, `SELECT COUNT(*) FROM `+t); err != nil {
				return err
			}
			held += n
		}
		if held > 0 && !opts.Force {
			return ErrTargetNotEmpty
		}
		// Emptied (also of what Migrate wrote, the reports' marker) in
		// reverse order of the references.
		for i := len(tables) - 1; i >= 0; i-- {
			if _, err := exec(ctx, tx, `DELETE FROM `+tables[i]); err != nil {
				return err
			}
		}
		src, err := from.r.BeginTxx(ctx, from.d.snapshot)
		if err != nil {
			return err
		}
		defer src.Rollback() //nolint:errcheck // read-only
		for _, t := range tables {
			var cols []string
			if err := sel(ctx, src, &cols, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, t); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			c, err := copyTable(ctx, src, tx, t, cols, opts)
			if err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			sum, n, err := tableChecksum(ctx, tx, t, cols)
			if err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			if n != c.Rows || sum != c.Checksum {
				return fmt.Errorf("%s: copied %d rows (checksum %s), the target holds %d (checksum %s)", t, c.Rows, c.Checksum, n, sum)
			}
			out = append(out, c)
		}
		if to.d.afterCopy != nil {
			return to.d.afterCopy(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	if to.d.analyze != "" {
		if _, err := exec(ctx, to.w, to.d.analyze); err != nil {
			return nil, fmt.Errorf("store: copy: statistics: %w", err)
		}
	}
	return out, nil
}

// copyTable copies one table's rows in batches and returns their count
// and checksum as read from the source.
func copyTable(ctx context.Context, src, dst *sqlx.Tx, table string, cols []string, opts CopyOptions) (TableCopy, error) {
	c := TableCopy{Table: table}
	var total int64
	if err := get(ctx, src, &total, `SELECT COUNT(*) FROM `+table); err != nil {
		return c, err
	}
	rows, err := src.QueryxContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	row := "(" + placeholders(len(cols)) + ")"
	insert := func(batch [][]any) error {
		if len(batch) == 0 {
			return nil
		}
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", len(batch)), ", ")
		_, err := exec(ctx, dst, q, args...)
		return err
	}
	var sum checksum
	batch := make([][]any, 0, opts.Batch)
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			return c, err
		}
		sum.add(vals)
		batch = append(batch, vals)
		c.Rows++
		if len(batch) == opts.Batch {
			if err := insert(batch); err != nil {
				return c, err
			}
			batch = batch[:0]
			if opts.Progress != nil {
				opts.Progress(table, c.Rows, total)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if err := insert(batch); err != nil {
		return c, err
	}
	if opts.Progress != nil {
		opts.Progress(table, c.Rows, total)
	}
	c.Checksum = sum.String()
	return c, nil
}

// tableChecksum reads a table back and sums it as copyTable did.
func tableChecksum(ctx context.Context, q sqlx.QueryerContext, table string, cols []string) (string, int64, error) {
	rows, err := q.QueryxContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	var sum checksum
	var n int64
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			return "", 0, err
		}
		sum.add(vals)
		n++
	}
	return sum.String(), n, rows.Err()
}

// checksum is the sum (mod 2^64, so that the order rows come in does not
// matter: the engines sort text differently) of each row's SHA-256 over
// its values written alike whatever engine read them.
type checksum uint64

func (c *checksum) add(vals []any) {
	h := sha256.New()
	for _, v := range vals {
		h.Write([]byte(canonical(v)))
		h.Write([]byte{0})
	}
	*c += checksum(binary.BigEndian.Uint64(h.Sum(nil)))
}

func (c checksum) String() string { return fmt.Sprintf("%016x", uint64(c)) }

// canonical writes a value as either engine's driver hands it over.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x01null"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return hex.EncodeToString(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
