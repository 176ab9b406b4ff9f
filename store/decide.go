package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// A new return is decided before the write transaction and only checked in
// it: the order, its history and the current policy are read through the
// read pool in one query, the domain decides outside the writer's lock, and
// the transaction reads one row per line of history to check that what the
// decision rests on still holds before it writes. Only that check must be
// atomic with the write: it is what keeps two shoppers from both taking the
// last unit of a line.

// Decision is a return decided from an order as read before the write
// transaction (DecideReturn), to be stored by Tx.CreateDecidedReturn.
type Decision struct {
	number string
	order  orderDecision
	policy returns.Policy
	ret    returns.Return
}

// DecideReturn reads an order, its history and the current policy through
// the read pool and lets build decide a new return of it. A refusal is
// returned as CreateReturn returns it (a *returns.Error with code
// exceeds_returnable also wraps ErrConflict); a decided return is stored by
// Tx.CreateDecidedReturn.
func (s *Store) DecideReturn(ctx context.Context, orderNumber string, build BuildFunc) (*Decision, error) {
	d := &Decision{number: orderNumber}
	err := func() error {
		var err error
		if d.order, err = loadOrderDecision(ctx, s.r, orderNumber); err != nil {
			return err
		}
		if d.order.version == 0 {
			return fmt.Errorf("no policy: %w", ErrNotFound)
		}
		if d.policy, err = s.policies.shared(ctx, s.r, d.order.version); err != nil {
			return fmt.Errorf("no policy: %w", err)
		}
		d.ret, err = decideReturn(build, d.order.order, d.order.history, d.order.version, d.policy)
		return err
	}()
	if err != nil {
		return nil, fmt.Errorf("store: create return for order %q: %w", orderNumber, err)
	}
	return d, nil
}

// CreateDecidedReturn stores a return that DecideReturn decided, with its
// uploaded photos and the order's staged ones (as
// CreateReturnWithStagedPhotos), once one query in the transaction has shown that the order is
// the same revision, its returns hold the same units and the current policy
// is the same version. When any of them changed meanwhile, the return is
// decided again from what the transaction reads, exactly as
// CreateReturnWithStagedPhotos decides it.
func (t *Tx) CreateDecidedReturn(d *Decision, actor string, build BuildFunc, photos []PhotoUpload, staged []string) (returns.Return, error) {
	st, err := loadOrderState(t.ctx, t.tx, d.number)
	if err != nil {
		return returns.Return{}, fmt.Errorf("store: create return for order %q: %w", d.number, err)
	}
	if st.id != d.order.id || st.revision != d.order.revision || st.version != d.order.version ||
		!sameHistory(st.history, d.order.history) {
		return t.CreateReturnWithStagedPhotos(d.number, actor, build, photos, staged)
	}
	var out returns.Return
	err = t.do(fmt.Sprintf("create return for order %q", d.number), func(ctx context.Context, tx *sqlx.Tx) error {
		out, err = t.insertReturn(ctx, tx, d.order.order, d.order.id, d.order.version, d.policy, d.ret, actor,
			stagedPhotoWriter(ctx, photos, staged))
		return err
	})
	if err != nil {
		return returns.Return{}, err
	}
	return out, nil
}
