package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// PhotoUpload is a shopper's photo, already checked and re-encoded by the
// caller (handlers/photos.go): only these bytes are stored, never what was
// sent.
type PhotoUpload struct {
	LineID      string
	ContentType string // image/jpeg or image/png
	Width       int
	Height      int
	Data        []byte
}

// Photo describes a stored photo; its bytes come from PhotoData.
type Photo struct {
	ID          string    `json:"id" db:"public_id"`
	LineID      string    `json:"line_id" db:"line_id"`
	ContentType string    `json:"content_type" db:"content_type"`
	Width       int       `json:"width" db:"width"`
	Height      int       `json:"height" db:"height"`
	Size        int64     `json:"size" db:"size_bytes"`
	At          time.Time `json:"created_at" db:"created_at"`
}

// CreateReturnWithPhotos is CreateReturn that also stores the return's
// photos in the same transaction, each under a new random id: a refused
// return keeps no photo, and a stored return has all of them.
func (s *Store) CreateReturnWithPhotos(ctx context.Context, orderNumber, actor string, build BuildFunc, photos []PhotoUpload) (out returns.Return, err error) {
	err = s.Write(ctx, func(t *Tx) error {
		out, err = t.CreateReturnWithPhotos(orderNumber, actor, build, photos)
		return err
	})
	return out, err
}

// CreateReturnWithPhotos is Store.CreateReturnWithPhotos in the transaction.
func (t *Tx) CreateReturnWithPhotos(orderNumber, actor string, build BuildFunc, photos []PhotoUpload) (returns.Return, error) {
	return t.createReturn(orderNumber, actor, build, photoWriter(t.ctx, photos))
}

// photoWriter writes a new return's photos in its transaction.
func photoWriter(ctx context.Context, photos []PhotoUpload) func(tx *sqlx.Tx, r returns.Return, now time.Time) error {
	return func(tx *sqlx.Tx, r returns.Return, now time.Time) error {
		for _, p := range photos {
			id, err := newPublicID("ph_")
			if err != nil {
				return err
			}
			if _, err := exec(ctx, tx, `INSERT INTO return_photos (public_id, return_id, line_id,
				content_type, width, height, size_bytes, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, r.ID, p.LineID, p.ContentType, p.Width, p.Height, len(p.Data), p.Data, now); err != nil {
				return err
			}
		}
		return nil
	}
}

// ReturnPhotos lists a return's photos, oldest first (no bytes).
func (s *Store) ReturnPhotos(ctx context.Context, rma string) ([]Photo, error) {
	out, err := loadPhotos(ctx, s.r, canonicalRMA(rma))
	if err != nil {
		return nil, fmt.Errorf("store: photos of %q: %w", rma, err)
	}
	return out, nil
}

// loadPhotos reads a return's photos' metadata through q.
func loadPhotos(ctx context.Context, q sqlx.ExtContext, rma string) ([]Photo, error) {
	out := []Photo{}
	if err := sel(ctx, q, &out, `SELECT p.public_id, p.line_id, p.content_type, p.width, p.height,
		p.size_bytes, p.created_at FROM return_photos p JOIN returns r ON r.id = p.return_id
		WHERE r.rma = CAST(? AS TEXT) ORDER BY p.id`, rma); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, nil
}

// PhotoData is one photo of a return with its bytes. A photo of another
// return is ErrNotFound, like an unknown one.
func (s *Store) PhotoData(ctx context.Context, rma, id string) (Photo, []byte, error) {
	var row struct {
		Photo
		Data []byte `db:"data"`
	}
	if err := get(ctx, s.r, &row, `SELECT p.public_id, p.line_id, p.content_type, p.width, p.height,
		p.size_bytes, p.created_at, p.data FROM return_photos p JOIN returns r ON r.id = p.return_id
		WHERE r.rma = CAST(? AS TEXT) AND p.public_id = CAST(? AS TEXT)`, canonicalRMA(rma), id); err != nil {
		return Photo{}, nil, fmt.Errorf("store: photo %q of %q: %w", id, rma, err)
	}
	row.Photo.At = row.Photo.At.UTC()
	return row.Photo, row.Data, nil
}
