package service

import (
	"context"
	"strings"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// ReturnRequest is what a shopper asks to return and how to be paid back.
type ReturnRequest struct {
	returns.QuoteRequest
	Comment string
	// IBAN and Holder are the account of a bank transfer.
	IBAN, Holder string
	// Photos are the items' photo evidence, already checked and re-encoded
	// (only these bytes are stored); Staged are the ids of photos staged
	// for the order on the order form (StagePhotos).
	Photos []store.PhotoUpload
	Staged []string
	// GiftEmail is where a gift's recipient wants the store credit and the
	// messages (a gift token's return only; returns.CheckGiftRequest).
	GiftEmail string
}

// Created is a new return and the tokens of its links.
type Created struct {
	Return returns.Return
	// Token is the manage token (ManageToken), for the shopper alone: the
	// confirmation page and her e-mails.
	Token string
	// ViewToken is the view token (ViewToken), for what others may see:
	// the label and documents.
	ViewToken string
}

// ReturnReview is the last look at a return before it is made.
type ReturnReview struct {
	Order returns.Order
	Quote returns.Quote
	// Policy is the current policy, Facts what it says for the order
	// (returns.FactsFor) and Timeline the return's estimated course.
	Policy   returns.Policy
	Facts    returns.PolicyFacts
	Timeline returns.Timeline
	// Staged are the request's staged photos that are there (an expired
	// or unknown id is left out).
	Staged []store.StagedPhoto
}

// Review prices a return of the order a token opened as the shopper asks
// for it and checks what the request carries besides its items
// (returns.CheckRefundDetails, a gift recipient's choices:
// returns.CheckGiftRequest) and that the items have the photos their
// reasons ask for (returns.CheckPhotos, counting the staged ones), without
// storing anything: the last look before CreateReturn.
func (s *Service) Review(ctx context.Context, a OrderAccess, req ReturnRequest) (ReturnReview, error) {
	o, q, err := s.Quote(ctx, a.Number, req.QuoteRequest)
	if err != nil {
		return ReturnReview{}, err
	}
	if _, _, de := returns.CheckRefundDetails(req.RefundMethod, req.IBAN, req.Holder, req.Comment); de != nil {
		return ReturnReview{}, de
	}
	if a.Gift {
		if _, err := returns.CheckGiftRequest(req.QuoteRequest, req.GiftEmail); err != nil {
			return ReturnReview{}, err
		}
	}
	_, p, err := s.st.CurrentPolicy(ctx)
	if err != nil {
		return ReturnReview{}, err
	}
	staged, err := s.st.StagedPhotos(ctx, o.Number, req.Staged)
	if err != nil {
		return ReturnReview{}, err
	}
	counts := map[string]int{}
	for _, ph := range req.Photos {
		counts[ph.LineID]++
	}
	for _, ph := range staged {
		counts[ph.LineID]++
	}
	if err := returns.CheckPhotos(p, req.Items, counts); err != nil {
		return ReturnReview{}, err
	}
	ship := o.ShippingAddress
	return ReturnReview{Order: o, Quote: q, Policy: p, Staged: staged,
		Facts:    returns.FactsFor(p, s.legal, returns.PolicyScope{Country: ship.Country, Region: ship.Region, Currency: o.Currency}),
		Timeline: returns.EstimateTimeline(o, p, s.legal, q.Basis, s.now()),
	}, nil
}

// CreateReturn decides, prices and stores a return with its photos in one
// transaction: the refund details (and a gift recipient's choices:
// returns.CheckGiftRequest) are checked first, then, against the order,
// its history, the current policy and the catalog's stock, the quote
// (returns.BuildQuoteWithStock), the photo evidence (returns.CheckPhotos),
// whether the shopper keeps the items (returns.MatchReturnless), the
// review rules (returns.ReviewReasons: a match sends it to manual review)
// and the first status (returns.InitialStatus). That decision is made from
// the read pool and checked (or made again) in the transaction
// (store.DecideReturn, CreateDecidedReturn). Its exchanges' units are
// reserved in the transaction by guarded updates (store.AddToReturn: the
// last unit cannot go twice, whatever the decision read), and its
// announcement (the shopper's e-mail, the webhooks, the drop-off reminder)
// is written there too. A returnless return that needs no review is
// settled at once (settleReturnless): its refund is claimed in the
// transaction and executed once it has committed.
func (s *Service) CreateReturn(ctx context.Context, a OrderAccess, req ReturnRequest) (Created, error) {
	iban, holder, de := returns.CheckRefundDetails(req.RefundMethod, req.IBAN, req.Holder, req.Comment)
	if de != nil {
		return Created{}, de
	}
	giftEmail := ""
	if a.Gift {
		var err error
		if giftEmail, err = returns.CheckGiftRequest(req.QuoteRequest, req.GiftEmail); err != nil {
			return Created{}, err
		}
	}
	counts := map[string]int{}
	for _, p := range req.Photos {
		counts[p.LineID]++
	}
	staged, err := s.st.StagedPhotos(ctx, a.Number, req.Staged)
	if err != nil {
		return Created{}, err
	}
	stagedIDs := make([]string, 0, len(staged))
	for _, p := range staged {
		counts[p.LineID]++
		stagedIDs = append(stagedIDs, p.ID)
	}
	exchanging := false
	for _, it := range req.Items {
		exchanging = exchanging || it.Exchanged()
	}
	now := s.now()
	// What the return is decided under, for its additions and its
	// announcement in the transaction: build may run twice (the
	// transaction decides again when the read pool's decision went stale),
	// and the last run's values are the transaction's.
	var (
		order     returns.Order
		policy    returns.Policy
		flags     []returns.ReviewMatch
		exchanges []returns.ExchangeLine
	)
	build := func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
		order, policy = o, p
		var stock returns.ExchangeStock
		var err error
		if exchanging {
			// A stale figure is caught by the reservation's guarded update.
			if stock, err = s.st.ExchangeStock(ctx, orderProducts(o)); err != nil {
				return returns.Return{}, err
			}
		}
		q, err := returns.BuildQuoteWithStock(o, p, s.legal, h, req.QuoteRequest, now, stock)
		if err != nil {
			return returns.Return{}, err
		}
		if err := returns.CheckPhotos(p, req.Items, counts); err != nil {
			return returns.Return{}, err
		}
		recent, err := s.reviewRecent(ctx, o.Number, p, now)
		if err != nil {
			return returns.Return{}, err
		}
		q.Returnless = returns.MatchReturnless(o, p, req.Items)
		flags = returns.ReviewReasons(p, s.legal, returns.ReviewInput{Order: o, Items: req.Items, Recent: recent, Now: now})
		q.ManualReview = q.ManualReview || len(flags) > 0
		exchanges = returns.ExchangeLines(o, q, stock)
		r := returns.Return{
			RMA: returns.NewRMA(), Status: returns.InitialStatus(q), Basis: q.Basis,
			RefundMethod: req.RefundMethod, Consent: req.Consent, Comment: strings.TrimSpace(req.Comment),
			BankIBAN: iban, BankHolder: holder, PolicyVersion: version, Locale: a.Locale,
			Quote: q, Items: req.Items, CreatedAt: now, UpdatedAt: now,
		}
		if q.OnlyExchanges() {
			// No money goes back: no method, no account.
			r.RefundMethod, r.Consent, r.BankIBAN, r.BankHolder = returns.MethodExchange, false, "", ""
		}
		return r, nil
	}
	d, err := s.st.DecideReturn(ctx, a.Number, build)
	if err != nil {
		return Created{}, err
	}
	type made struct {
		r     returns.Return
		claim *store.Claim
		cfg   payments.Config
	}
	m, err := inTx(ctx, s, func(tx *store.Tx) (made, error) {
		r, err := tx.CreateDecidedReturn(d, "shopper", build, req.Photos, stagedIDs)
		if err != nil {
			return made{}, err
		}
		add := store.Additions{Exchanges: exchanges, ReviewFlags: flags, Returnless: r.Quote.Returnless, GiftEmail: giftEmail}
		if len(exchanges) > 0 || len(flags) > 0 || add.Returnless || add.GiftEmail != "" {
			if err := tx.AddToReturn(r, add); err != nil {
				return made{}, err
			}
			if r, err = tx.Return(r.RMA); err != nil {
				return made{}, err
			}
		}
		if err := s.announceCreated(tx, r, order, policy); err != nil {
			return made{}, err
		}
		if !r.Returnless() || r.Status != returns.StatusApproved {
			return made{r: r}, nil
		}
		cfg, err := s.PaymentsConfig(ctx)
		if err != nil {
			return made{}, err
		}
		r, claim, err := s.settleReturnless(tx, r, cfg)
		return made{r: r, claim: claim, cfg: cfg}, err
	})
	if err != nil {
		return Created{}, err
	}
	r := m.r
	if m.claim != nil {
		s.finishClaim(ctx, m.cfg, m.claim)
		if now, err := s.st.GetReturn(ctx, r.RMA); err == nil {
			r = now
		}
	}
	return Created{Return: r, Token: s.ManageToken(r.RMA), ViewToken: s.ViewToken(r.RMA)}, nil
}
