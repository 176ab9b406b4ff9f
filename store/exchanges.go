package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/returns-portal/returns/returns"
)

// Additions are what a new return carries besides what CreateReturn
// stores: its exchanged items (whose units are reserved), the review rules
// it matched, whether the shopper keeps the items, and a gift recipient's
// address.
type Additions struct {
	Exchanges   []returns.ExchangeLine
	ReviewFlags []returns.ReviewMatch
	Returnless  bool
	GiftEmail   string
}

// AddToReturn stores a new return's additions in its transaction (after
// CreateReturn...). Each exchanged item's units are reserved by one guarded
// UPDATE of its variant (the units left, inventory − reserved − issued, must
// cover them), so that the last unit can never be reserved twice, whatever
// the decision read: a shortfall is ErrConflict with returns.Error
// out_of_stock at the item's exchange_sku, and the whole return rolls back.
func (t *Tx) AddToReturn(r returns.Return, add Additions) error {
	return t.do(fmt.Sprintf("additions of %q", r.RMA), func(ctx context.Context, tx *sqlx.Tx) error {
		now := t.s.stamp()
		for _, x := range add.Exchanges {
			pos := itemIndex(r.Items, x.LineID)
			res, err := exec(ctx, tx, `UPDATE product_variants SET reserved = reserved + ?
				WHERE sku = ? AND inventory - reserved - issued >= ?`, x.Quantity, x.SKU, x.Quantity)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return fmt.Errorf("%w: %w", ErrConflict, &returns.Error{Code: returns.CodeOutOfStock,
					Field: "items[" + strconv.Itoa(pos) + "].exchange_sku"})
			}
			if err := insertExchange(ctx, tx, r.ID, pos, x, returns.ExchangeReserved, now); err != nil {
				return err
			}
		}
		for i, m := range add.ReviewFlags {
			detail, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if _, err := exec(ctx, tx, `INSERT INTO review_flags (return_id, position, rule, detail) VALUES (?, ?, ?, ?)`,
				r.ID, i, m.Rule, string(detail)); err != nil {
				return err
			}
		}
		if add.Returnless || add.GiftEmail != "" {
			if _, err := exec(ctx, tx, `UPDATE returns SET returnless = ?, gift_email = ? WHERE id = ?`,
				add.Returnless, add.GiftEmail, r.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

func itemIndex(items []returns.QuoteItem, lineID string) int {
	for i, it := range items {
		if it.LineID == lineID {
			return i
		}
	}
	return len(items)
}

func insertExchange(ctx context.Context, tx *sqlx.Tx, returnID int64, pos int, x returns.ExchangeLine, state string, now time.Time) error {
	options, err := json.Marshal(nonNilMap(x.Options))
	if err != nil {
		return err
	}
	_, err = exec(ctx, tx, `INSERT INTO return_exchanges (return_id, position, line_id, product_id, sku, title,
		options, quantity, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		returnID, pos, x.LineID, x.ProductID, x.SKU, x.Title, string(options), x.Quantity, state, now, now)
	return err
}

// ReleaseExchanges gives back the reservations of a return that ends
// without its exchanges (cancelled, rejected): its reserved lines become
// released and their units available again. Nothing to release is no
// error.
func (t *Tx) ReleaseExchanges(r returns.Return) error {
	var released []returns.ExchangeLine
	for _, x := range r.Exchanges {
		if x.State == returns.ExchangeReserved {
			x.State = returns.ExchangeReleased
			released = append(released, x)
		}
	}
	return t.ApplyExchanges(r, released)
}

// ApplyExchanges replaces a return's reserved exchange lines by what became
// of them, in the transaction: settled are the outcomes of exactly those
// lines (returns.SettleExchanges of them: issued or released, a line
// possibly split). Every reserved unit's reservation is given up, and an
// issued unit counts against its variant until the shop's next figure
// (PutProduct). Lines no longer reserved are left as they are; a return
// without reserved lines is left alone.
func (t *Tx) ApplyExchanges(r returns.Return, settled []returns.ExchangeLine) error {
	reserved := 0
	for _, x := range r.Exchanges {
		if x.State == returns.ExchangeReserved {
			reserved += x.Quantity
		}
	}
	if reserved == 0 {
		return nil
	}
	return t.do(fmt.Sprintf("settle exchanges of %q", r.RMA), func(ctx context.Context, tx *sqlx.Tx) error {
		res, err := exec(ctx, tx, `DELETE FROM return_exchanges WHERE return_id = ? AND state = ?`, r.ID, returns.ExchangeReserved)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: exchanges settled concurrently", ErrConflict)
		}
		now := t.s.stamp()
		units := 0
		for _, x := range settled {
			issued := 0
			switch x.State {
			case returns.ExchangeIssued:
				issued = x.Quantity
			case returns.ExchangeReleased:
			default:
				return fmt.Errorf("exchange of line %q settled as %q", x.LineID, x.State)
			}
			units += x.Quantity
			if _, err := exec(ctx, tx, `UPDATE product_variants SET
				reserved = CASE WHEN reserved >= ? THEN reserved - ? ELSE 0 END, issued = issued + ?
				WHERE sku = ?`, x.Quantity, x.Quantity, issued, x.SKU); err != nil {
				return err
			}
			if err := insertExchange(ctx, tx, r.ID, itemIndex(r.Items, x.LineID), x, x.State, now); err != nil {
				return err
			}
		}
		if units != reserved {
			return fmt.Errorf("%d exchanged units settled, %d reserved", units, reserved)
		}
		return nil
	})
}

// loadExchanges reads a return's exchange lines through q, in the order of
// its items.
func loadExchanges(ctx context.Context, q sqlx.ExtContext, returnID int64) ([]returns.ExchangeLine, error) {
	var rows []struct {
		LineID    string `db:"line_id"`
		ProductID string `db:"product_id"`
		SKU       string `db:"sku"`
		Title     string `db:"title"`
		Options   string `db:"options"`
		Quantity  int    `db:"quantity"`
		State     string `db:"state"`
	}
	if err := sel(ctx, q, &rows, `SELECT line_id, product_id, sku, title, options, quantity, state
		FROM return_exchanges WHERE return_id = CAST(? AS BIGINT) ORDER BY position, id`, returnID); err != nil {
		return nil, err
	}
	var out []returns.ExchangeLine
	for _, r := range rows {
		x := returns.ExchangeLine{LineID: r.LineID, ProductID: r.ProductID, SKU: r.SKU, Title: r.Title,
			Quantity: r.Quantity, State: r.State}
		if err := json.Unmarshal([]byte(r.Options), &x.Options); err != nil {
			return nil, fmt.Errorf("decode options of exchange %q: %w", r.SKU, err)
		}
		out = append(out, x)
	}
	return out, nil
}

// attachExchanges sets a loaded return's exchange lines and marks its
// exchanged items (their resolution and SKU).
func attachExchanges(ctx context.Context, q sqlx.ExtContext, r *returns.Return) error {
	xs, err := loadExchanges(ctx, q, r.ID)
	if err != nil {
		return err
	}
	r.Exchanges = xs
	for _, x := range xs {
		for i := range r.Items {
			if r.Items[i].LineID == x.LineID {
				r.Items[i].Resolution, r.Items[i].ExchangeSKU = returns.ResolutionExchange, x.SKU
			}
		}
	}
	return nil
}

// exchangedBefore counts, per line, the units that an order's returns made
// before returnID (neither cancelled nor rejected) exchange and have not
// released: returned but replaced, so not returned for the outbound
// shipping refund (returns.History.UnitsExchanged).
func exchangedBefore(ctx context.Context, q sqlx.ExtContext, orderID, returnID int64) (map[string]int, error) {
	var rows []struct {
		LineID string `db:"line_id"`
		Units  int    `db:"units"`
	}
	if err := sel(ctx, q, &rows, `SELECT x.line_id AS line_id, SUM(x.quantity) AS units
		FROM return_exchanges x JOIN returns r ON r.id = x.return_id
		WHERE r.order_id = CAST(? AS BIGINT) AND r.id < CAST(? AS BIGINT) AND r.status NOT IN (?, ?) AND x.state <> ?
		GROUP BY x.line_id`, orderID, returnID, returns.StatusCancelled, returns.StatusRejected,
		returns.ExchangeReleased); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.LineID] = r.Units
	}
	return out, nil
}

// exchangedHeld counts, per line, the units that an order's returns (neither
// cancelled nor rejected) exchange and have not released, through q (a
// read transaction's snapshot, or the writer's): the decision's
// returns.History.UnitsExchanged. nil when none.
func exchangedHeld(ctx context.Context, q queryer, orderID int64) (map[string]int, error) {
	var out map[string]int
	err := queryRows(ctx, q, 2, func(r row) error {
		if out == nil {
			out = map[string]int{}
		}
		out[r.str(0)] = r.int(1)
		return nil
	}, `SELECT x.line_id, SUM(x.quantity) FROM return_exchanges x JOIN returns r ON r.id = x.return_id
		WHERE r.order_id = CAST(? AS INTEGER) AND r.status NOT IN (?, ?) AND x.state <> ?
		GROUP BY x.line_id`, orderID, returns.StatusCancelled, returns.StatusRejected, returns.ExchangeReleased)
	return out, err
}

// heldExchanges is exchangedHeld for an order whose history h has been
// read: where no return holds a unit of the order, none holds an exchange
// either (an exchange is part of a return's item), and the query is spared
// (most orders, on every page and lookup).
func heldExchanges(ctx context.Context, q queryer, orderID int64, h returns.History) (map[string]int, error) {
	if len(h.UnitsHeld) == 0 {
		return nil, nil
	}
	return exchangedHeld(ctx, q, orderID)
}

// RecentReturnsByEmail are the creation times of the returns (not
// cancelled) of every order whose e-mail address is the given order's,
// made since since: what the review rule returns_by_email counts. Read in
// the transaction, so that two returns made one after the other see each
// other.
func (t *Tx) RecentReturnsByEmail(orderNumber string, since time.Time) ([]time.Time, error) {
	var out []time.Time
	err := t.do(fmt.Sprintf("recent returns by the e-mail of %q", orderNumber), func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		out, err = recentReturnsByEmail(ctx, tx, orderNumber, since)
		return err
	})
	return out, err
}

// RecentReturnsByEmail is Tx.RecentReturnsByEmail through the read pool,
// for the decision made before the transaction (service.CreateReturn):
// two returns made at the same instant may not see each other there.
func (s *Store) RecentReturnsByEmail(ctx context.Context, orderNumber string, since time.Time) ([]time.Time, error) {
	return recentReturnsByEmail(ctx, s.r, orderNumber, since)
}

func recentReturnsByEmail(ctx context.Context, q sqlx.ExtContext, orderNumber string, since time.Time) ([]time.Time, error) {
	var out []time.Time
	err := func() error {
		if err := sel(ctx, q, &out, `SELECT r.created_at FROM returns r JOIN orders o ON o.id = r.order_id
			WHERE o.email_norm = (SELECT email_norm FROM orders WHERE number = CAST(? AS TEXT)) AND r.created_at >= ? AND r.status <> ?
			ORDER BY r.created_at`, orderNumber, dbTime(since), returns.StatusCancelled); err != nil {
			return err
		}
		for i := range out {
			out[i] = out[i].UTC()
		}
		return nil
	}()
	return out, err
}

// loadReviewFlags reads the review rules a return matched, through q.
func loadReviewFlags(ctx context.Context, q sqlx.ExtContext, returnID int64) ([]returns.ReviewMatch, error) {
	var docs []string
	if err := sel(ctx, q, &docs, `SELECT detail FROM review_flags WHERE return_id = CAST(? AS BIGINT) ORDER BY position`, returnID); err != nil {
		return nil, err
	}
	out := make([]returns.ReviewMatch, 0, len(docs))
	for _, d := range docs {
		var m returns.ReviewMatch
		if err := json.Unmarshal([]byte(d), &m); err != nil {
			return nil, fmt.Errorf("decode review flag: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// ReturnlessCount is the number of returns whose shopper kept the items,
// and how many of them are still open (neither ended nor settled), for the
// staff area.
func (s *Store) ReturnlessCount(ctx context.Context) (total, open int, err error) {
	var row struct {
		Total int  `db:"total"`
		Open  *int `db:"open_count"`
	}
	if err := get(ctx, s.r, &row, `SELECT COUNT(*) AS total,
		SUM(CASE WHEN status IN (?, ?, ?, ?) THEN 1 ELSE 0 END) AS open_count
		FROM returns WHERE returnless = ?`, returns.StatusRequested, returns.StatusApproved, returns.StatusReceived,
		returns.StatusInspected, true); err != nil {
		return 0, 0, fmt.Errorf("store: returnless count: %w", err)
	}
	if row.Open != nil {
		open = *row.Open
	}
	return row.Total, open, nil
}
