package service

import (
	"context"
	"encoding/json"
	"time"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Exchanges and keep-the-item returns inside the flows that change a
// return: a new return reserves its exchanges (create.go), a cancelled or
// rejected one releases them, an inspected one issues those accepted
// (exchange.created) and is exchanged when it owes no money, and a
// returnless one is settled at once (or on approval after review): its
// exchanges issued, its refund claimed in the same transaction and paid
// through the same claim → call → finalise path as any other.

// actorSystem is who acts when the portal settles a return by itself.
const actorSystem = "system"

// noteReturnless is the audit note of the steps a returnless return skips.
const noteReturnless = "returnless: the shopper keeps the items"

// reserved are a return's exchange lines still reserved.
func reserved(r returns.Return) []returns.ExchangeLine {
	var out []returns.ExchangeLine
	for _, x := range r.Exchanges {
		if x.State == returns.ExchangeReserved {
			out = append(out, x)
		}
	}
	return out
}

// releaseExchanges gives back the reservations of a return that has ended
// without them (cancelled, rejected), in its transaction, and returns the
// return as it is then (its lines released), so that callers answer and
// announce what was stored.
func (s *Service) releaseExchanges(tx *store.Tx, r returns.Return) (returns.Return, error) {
	if r.Status.Active() || len(reserved(r)) == 0 {
		return r, nil
	}
	if err := tx.ReleaseExchanges(r); err != nil {
		return r, err
	}
	return tx.Return(r.RMA)
}

// settleExchanges settles an inspected return's reserved exchanges in its
// transaction (returns.SettleExchanges: the accepted units issued, the
// rest released), moves it to exchanged when it owes no money any more
// (returns.StatusAfterExchange) and announces what was issued
// (exchange.created). It returns the return as it is then.
func (s *Service) settleExchanges(tx *store.Tx, r returns.Return, accepted map[string]int, actor string) (returns.Return, error) {
	open := reserved(r)
	if len(open) == 0 {
		return r, nil
	}
	settled := returns.SettleExchanges(open, accepted)
	if err := tx.ApplyExchanges(r, settled); err != nil {
		return r, err
	}
	r, err := tx.Return(r.RMA)
	if err != nil {
		return r, err
	}
	var issued []returns.ExchangeLine
	for _, x := range settled {
		if x.State == returns.ExchangeIssued {
			issued = append(issued, x)
		}
	}
	if returns.StatusAfterExchange(r, settled) == returns.StatusExchanged {
		if r, err = tx.Transition(r.RMA, returns.StatusExchanged, actor, ""); err != nil {
			return r, err
		}
	}
	if len(issued) == 0 {
		return r, nil
	}
	return r, s.announceExchange(tx, r, issued)
}

// settleReturnless settles, in its transaction, a returnless return that
// has been approved: no parcel comes, so it moves on to received and
// inspected with every unit accepted, its exchanges are issued, and, when
// money is owed, its refund is claimed (the caller executes the claim once
// the transaction has committed: Service.finishClaim). Other returns are
// left alone (nil claim).
func (s *Service) settleReturnless(tx *store.Tx, r returns.Return, cfg payments.Config) (returns.Return, *store.Claim, error) {
	if !r.Returnless() || r.Status != returns.StatusApproved {
		return r, nil, nil
	}
	var err error
	for _, to := range []returns.Status{returns.StatusReceived, returns.StatusInspected} {
		if r, err = tx.Transition(r.RMA, to, actorSystem, noteReturnless); err != nil {
			return r, nil, err
		}
	}
	accepted := map[string]int{}
	for _, it := range r.Items {
		accepted[it.LineID] += it.Quantity
	}
	if r, err = s.settleExchanges(tx, r, accepted, actorSystem); err != nil {
		return r, nil, err
	}
	if r.Status != returns.StatusInspected || r.Quote.Total+r.GoodwillTotal() <= 0 {
		return r, nil, nil
	}
	c, err := tx.ClaimRefund(store.RefundRequest{RMA: r.RMA, Key: "returnless-" + r.RMA, RequestHash: "returnless",
		Actor: actorSystem}, s.refundLease, s.decideRefund(cfg))
	if err != nil {
		return r, nil, refundError(err)
	}
	return r, &c, nil
}

// finishClaim executes a refund claimed inside a transaction that has
// committed (a returnless return's). A failure is logged, not returned: the
// return stands, and the refund stays pending for the resume worker or
// failed for staff.
func (s *Service) finishClaim(ctx context.Context, cfg payments.Config, c *store.Claim) {
	if c == nil || !c.New {
		return
	}
	if _, err := s.execute(ctx, cfg, c.Refund, actorSystem); err != nil {
		s.log.Error("returnless refund: execution failed; the worker resumes it", "rma", c.Refund.RMA, "err", err)
	}
}

// decideRefund is the domain's decision of a refund inside its claim
// (returns.DecideRefund, returns.CheckRefundCap) and its executor.
func (s *Service) decideRefund(cfg payments.Config) store.ClaimFunc {
	return func(r returns.Return, o returns.Order, earlier int64) (store.RefundClaim, error) {
		d, err := returns.DecideRefund(r)
		if err != nil {
			return store.RefundClaim{}, err
		}
		if err := returns.CheckRefundCap(o, earlier, d); err != nil {
			return store.RefundClaim{}, err
		}
		return store.RefundClaim{Decision: d, Executor: cfg.Choose(d.Method, o.Payment)}, nil
	}
}

// ExchangeCreated is the data of an exchange.created webhook: what the
// shop needs to create the replacement order — the replacement lines, the
// address to ship them to and the original order — with the return as
// GET /api/v1/returns/{rma} shows it.
type ExchangeCreated struct {
	RMA         string           `json:"rma"`
	OrderNumber string           `json:"order_number"`
	Lines       []ExchangeIssued `json:"replacement_lines"`
	ShipTo      returns.Address  `json:"ship_to"`
	// Email is where the shopper is written to: the order's, or a gift
	// recipient's own.
	Email  string         `json:"email"`
	Locale string         `json:"locale"`
	Order  returns.Order  `json:"order"`
	Return MerchantReturn `json:"return"`
}

// ExchangeIssued is one replacement line: the variant to send, how many,
// and the order line it replaces.
type ExchangeIssued struct {
	SKU       string            `json:"sku"`
	ProductID string            `json:"product_id"`
	Title     string            `json:"title"`
	Options   map[string]string `json:"options"`
	Quantity  int               `json:"quantity"`
	Replaces  string            `json:"replaces_line_id"`
}

// announceExchange writes, in the transaction, the shopper's e-mail about
// the exchanges issued and one exchange.created delivery per subscribed
// endpoint (returns.ExchangeAnnouncement).
func (s *Service) announceExchange(tx *store.Tx, r returns.Return, issued []returns.ExchangeLine) error {
	if s.announceOff {
		return nil
	}
	a := returns.ExchangeAnnouncement()
	lines := make([]ExchangeIssued, 0, len(issued))
	for _, x := range issued {
		lines = append(lines, ExchangeIssued{SKU: x.SKU, ProductID: x.ProductID, Title: x.Title, Options: x.Options,
			Quantity: x.Quantity, Replaces: x.LineID})
	}
	if err := s.announce(tx, notice{r: r, a: returns.Announcement{Mail: a.Mail}, at: r.UpdatedAt,
		facts: map[string]any{"exchanges": lines}}); err != nil {
		return err
	}
	var rows []store.NewOutbox
	var body []byte
	for _, ev := range a.Hooks {
		eps, err := tx.SubscribedWebhooks(ev)
		if err != nil {
			return err
		}
		if len(eps) == 0 {
			continue
		}
		if body == nil {
			rec, err := tx.ReturnRecord(r.RMA)
			if err != nil {
				return err
			}
			data := ExchangeCreated{RMA: r.RMA, OrderNumber: r.OrderNumber, Lines: lines, ShipTo: rec.Order.ShippingAddress,
				Email: rec.Order.Email, Locale: r.Locale, Order: rec.Order, Return: merchantView(rec)}
			if r.Gift {
				data.Email = r.GiftEmail
			}
			if body, err = json.Marshal(WebhookBody{Type: ev, Timestamp: r.UpdatedAt.UTC(), Data: data}); err != nil {
				return err
			}
		}
		for _, ep := range eps {
			rows = append(rows, store.NewOutbox{Channel: store.ChannelWebhook, Event: ev, ReturnID: r.ID,
				EndpointID: ep.ID, Recipient: ep.URL, Payload: body})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.Enqueue(rows...)
	return err
}

// reviewInputs reads, in the creation's transaction, what the review rules
// need besides the order and the items: the creation times of the
// e-mail's other returns as far back as the policy's rules reach.
func (s *Service) reviewRecent(ctx context.Context, number string, p returns.Policy, now time.Time) ([]time.Time, error) {
	back := returns.ReviewLookback(p)
	if back <= 0 {
		return nil, nil
	}
	return s.st.RecentReturnsByEmail(ctx, number, now.Add(-back))
}
