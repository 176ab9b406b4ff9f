package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// StagedPhoto is a photo a shopper added on the order form before the
// return exists: its random id (carried by the review and confirm forms)
// and the order line it shows.
type StagedPhoto struct {
	ID     string `db:"public_id"`
	LineID string `db:"line_id"`
}

// StagePhotos keeps photos of an order's coming return, already checked and
// re-encoded, and returns their ids in the order given. Staged photos of any
// order created before expired are deleted first; an order may hold at most
// limit staged photos (more is ErrConflict, and nothing is stored).
func (s *Store) StagePhotos(ctx context.Context, orderNumber string, photos []PhotoUpload, expired time.Time, limit int) ([]StagedPhoto, error) {
	var out []StagedPhoto
	err := s.Write(ctx, func(t *Tx) error {
		return t.do(fmt.Sprintf("stage photos of order %q", orderNumber), func(ctx context.Context, tx *sqlx.Tx) error {
			if _, err := exec(ctx, tx, `DELETE FROM staged_photos WHERE created_at < ?`, dbTime(expired)); err != nil {
				return err
			}
			var orderID int64
			if err := get(ctx, tx, &orderID, `SELECT id FROM orders WHERE number = ?`, orderNumber); err != nil {
				return err
			}
			var held int
			if err := get(ctx, tx, &held, `SELECT COUNT(*) FROM staged_photos WHERE order_id = ?`, orderID); err != nil {
				return err
			}
			if held+len(photos) > limit {
				return fmt.Errorf("%w: %d staged photos, at most %d", ErrConflict, held+len(photos), limit)
			}
			now := t.s.stamp()
			for _, p := range photos {
				id, err := newPublicID("st_")
				if err != nil {
					return err
				}
				if _, err := exec(ctx, tx, `INSERT INTO staged_photos (public_id, order_id, line_id,
					content_type, width, height, size_bytes, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					id, orderID, p.LineID, p.ContentType, p.Width, p.Height, len(p.Data), p.Data, now); err != nil {
					return err
				}
				out = append(out, StagedPhoto{ID: id, LineID: p.LineID})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StagedPhotos are those of ids that are staged for the order, in the
// order of ids; an unknown id, an expired one or another order's is left
// out.
func (s *Store) StagedPhotos(ctx context.Context, orderNumber string, ids []string) ([]StagedPhoto, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q, args, err := sqlx.In(`SELECT p.public_id, p.line_id FROM staged_photos p JOIN orders o ON o.id = p.order_id
		WHERE o.number = CAST(? AS TEXT) AND p.public_id IN (?)`, orderNumber, ids)
	if err != nil {
		return nil, err
	}
	var rows []StagedPhoto
	if err := sel(ctx, s.r, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: staged photos of order %q: %w", orderNumber, err)
	}
	byID := make(map[string]StagedPhoto, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	var out []StagedPhoto
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
			delete(byID, id)
		}
	}
	return out, nil
}

// CreateReturnWithStagedPhotos is CreateReturnWithPhotos that also moves
// the order's staged photos of the given ids into the return's photos, in
// the same transaction. A staged photo that is gone meanwhile (expired, or
// taken by another return) fails the whole creation with ErrConflict, so
// that a return never lacks a photo its build counted on.
func (t *Tx) CreateReturnWithStagedPhotos(orderNumber, actor string, build BuildFunc, photos []PhotoUpload, staged []string) (returns.Return, error) {
	return t.createReturn(orderNumber, actor, build, stagedPhotoWriter(t.ctx, photos, staged))
}

// stagedPhotoWriter writes a new return's uploaded photos (photoWriter)
// and moves the staged ones into it, in its transaction.
func stagedPhotoWriter(ctx context.Context, photos []PhotoUpload, staged []string) func(tx *sqlx.Tx, r returns.Return, now time.Time) error {
	uploaded := photoWriter(ctx, photos)
	return func(tx *sqlx.Tx, r returns.Return, now time.Time) error {
		if err := uploaded(tx, r, now); err != nil {
			return err
		}
		for _, sid := range staged {
			id, err := newPublicID("ph_")
			if err != nil {
				return err
			}
			res, err := exec(ctx, tx, `INSERT INTO return_photos (public_id, return_id, line_id,
				content_type, width, height, size_bytes, data, created_at)
				SELECT ?, ?, s.line_id, s.content_type, s.width, s.height, s.size_bytes, s.data, ?
				FROM staged_photos s JOIN returns r ON r.order_id = s.order_id
				WHERE s.public_id = CAST(? AS TEXT) AND r.id = CAST(? AS BIGINT)`, id, r.ID, now, sid, r.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("%w: staged photo %q is gone", ErrConflict, sid)
			}
			if _, err := exec(ctx, tx, `DELETE FROM staged_photos WHERE public_id = ?`, sid); err != nil {
				return err
			}
		}
		return nil
	}
}
