package service

import (
	"context"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// StaffReturn is everything staff see of a return: its status details,
// its inspection, notes, refund, original quote and legal deadline
// (store.Extras), and its photos' metadata.
type StaffReturn struct {
	Return returns.Return
	ReturnStatus
	Extras store.Extras
	Photos []store.Photo
}

// StaffReturn loads a return for staff.
func (s *Service) StaffReturn(ctx context.Context, rma string) (StaffReturn, error) {
	r, err := s.st.GetReturn(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	d, err := s.Status(ctx, r)
	if err != nil {
		return StaffReturn{}, err
	}
	x, err := s.st.ReturnExtras(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	photos, err := s.st.ReturnPhotos(ctx, rma)
	if err != nil {
		return StaffReturn{}, err
	}
	return StaffReturn{Return: r, ReturnStatus: d, Extras: x, Photos: photos}, nil
}

// Extras loads what staff see of a return besides it (store.Extras).
func (s *Service) Extras(ctx context.Context, rma string) (store.Extras, error) {
	return s.st.ReturnExtras(ctx, rma)
}

// Photo is one photo of a return with its bytes, for staff; anything but a
// photo id of that return is ErrNotFound.
func (s *Service) Photo(ctx context.Context, rma, id string) (store.Photo, []byte, error) {
	if !strings.HasPrefix(id, "ph_") || len(id) > 64 {
		return store.Photo{}, nil, ErrNotFound
	}
	return s.st.PhotoData(ctx, rma, id)
}
