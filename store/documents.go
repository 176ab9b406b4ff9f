package store

import (
	"context"
	"fmt"
)

// A return's documents (its label) are rendered once and kept in
// return_documents, one per return, kind and variant (paper size and
// language), with a fingerprint of everything the document prints and of
// the code that rendered it: a request whose fingerprint matches the stored
// one gets the stored bytes; any other renders again and replaces them.

// Document returns the stored document of a return for kind and variant
// when it was rendered with fingerprint (ErrNotFound otherwise: never
// rendered, or rendered from something else).
func (s *Store) Document(ctx context.Context, returnID int64, kind, variant, fingerprint string) ([]byte, error) {
	var data []byte
	if err := get(ctx, s.r, &data, `SELECT data FROM return_documents
		WHERE return_id = ? AND kind = ? AND variant = ? AND fingerprint = ?`,
		returnID, kind, variant, fingerprint); err != nil {
		return nil, fmt.Errorf("store: document %s %s of return %d: %w", kind, variant, returnID, err)
	}
	return data, nil
}

// SaveDocument stores a rendered document of a return, replacing the one
// of the same kind and variant.
func (s *Store) SaveDocument(ctx context.Context, returnID int64, kind, variant, fingerprint string, data []byte) error {
	err := s.Write(ctx, func(t *Tx) error {
		_, err := exec(ctx, t.tx, `INSERT INTO return_documents (return_id, kind, variant, fingerprint, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (return_id, kind, variant) DO UPDATE SET fingerprint = excluded.fingerprint,
				data = excluded.data, created_at = excluded.created_at`,
			returnID, kind, variant, fingerprint, data, t.s.stamp())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save document %s %s of return %d: %w", kind, variant, returnID, err)
	}
	return nil
}
