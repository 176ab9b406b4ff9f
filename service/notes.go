package service

import (
	"context"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// AddNote adds a note between staff to a return: not empty, at most
// returns.MaxNotes bytes (else a field error on "body").
func (s *Service) AddNote(ctx context.Context, rma, actor, body string) error {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > returns.MaxNotes {
		return returns.FieldErrors{{Path: "body", Code: returns.FieldInvalid}}
	}
	return s.st.Write(ctx, func(tx *store.Tx) error { return tx.AddNote(rma, actor, body) })
}
