package service

import (
	"context"
	"errors"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Photos a shopper adds on the order form arrive before the return exists:
// they are staged (kept under random ids that the review and confirm forms
// carry) and move into the return in the transaction that creates it.
const (
	// stagedPhotoTTL is how long a staged photo waits for its return.
	stagedPhotoTTL = 24 * time.Hour
	// maxStagedPhotos bounds what one order's token may stage meanwhile.
	maxStagedPhotos = 40
)

// StagePhotos keeps photos, already checked and re-encoded, for the coming
// return of the order a token opened. Over maxStagedPhotos for the order is
// the domain's CodeTooManyPhotos.
func (s *Service) StagePhotos(ctx context.Context, a OrderAccess, photos []store.PhotoUpload) ([]store.StagedPhoto, error) {
	if len(photos) == 0 {
		return nil, nil
	}
	out, err := s.st.StagePhotos(ctx, a.Number, photos, s.now().Add(-stagedPhotoTTL), maxStagedPhotos)
	if errors.Is(err, store.ErrConflict) {
		return nil, &returns.Error{Code: returns.CodeTooManyPhotos}
	}
	return out, err
}

// StagedPhotos are those of ids staged for the order a token opened (an
// unknown or expired id, or another order's, is left out).
func (s *Service) StagedPhotos(ctx context.Context, a OrderAccess, ids []string) ([]store.StagedPhoto, error) {
	return s.st.StagedPhotos(ctx, a.Number, ids)
}
