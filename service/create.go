package service

import (
	"context"
	"strings"

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

// Review prices a return of an order (by number) as the shopper asks for
// it and checks what the request carries besides its items
// (returns.CheckRefundDetails) and that the items have the photos their
// reasons ask for (returns.CheckPhotos, counting the staged ones), without
// storing anything: the last look before CreateReturn.
func (s *Service) Review(ctx context.Context, number string, req ReturnRequest) (ReturnReview, error) {
	o, q, err := s.Quote(ctx, number, req.QuoteRequest)
	if err != nil {
		return ReturnReview{}, err
	}
	if _, _, de := returns.CheckRefundDetails(req.RefundMethod, req.IBAN, req.Holder, req.Comment); de != nil {
		return ReturnReview{}, de
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
	a := o.ShippingAddress
	return ReturnReview{Order: o, Quote: q, Policy: p, Staged: staged,
		Facts:    returns.FactsFor(p, s.legal, returns.PolicyScope{Country: a.Country, Region: a.Region, Currency: o.Currency}),
		Timeline: returns.EstimateTimeline(o, p, s.legal, q.Basis, s.now()),
	}, nil
}

// CreateReturn decides, prices and stores a return with its photos in one
// transaction: the refund details are checked first, then, against the
// order, its history and the current policy as they are when it is stored,
// the quote (returns.BuildQuote), the photo evidence
// (returns.CheckPhotos) and the first status (returns.InitialStatus). Its
// announcement (the shopper's e-mail, the webhooks, the drop-off
// reminder) is written in the same transaction.
func (s *Service) CreateReturn(ctx context.Context, a OrderAccess, req ReturnRequest) (Created, error) {
	iban, holder, de := returns.CheckRefundDetails(req.RefundMethod, req.IBAN, req.Holder, req.Comment)
	if de != nil {
		return Created{}, de
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
	now := s.now()
	// The order and policy the return is decided under, for its
	// announcement in the same transaction.
	var order returns.Order
	var policy returns.Policy
	build := func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
		order, policy = o, p
		q, err := returns.BuildQuote(o, p, s.legal, h, req.QuoteRequest, now)
		if err != nil {
			return returns.Return{}, err
		}
		if err := returns.CheckPhotos(p, req.Items, counts); err != nil {
			return returns.Return{}, err
		}
		return returns.Return{
			RMA: returns.NewRMA(), Status: returns.InitialStatus(q), Basis: q.Basis,
			RefundMethod: req.RefundMethod, Consent: req.Consent, Comment: strings.TrimSpace(req.Comment),
			BankIBAN: iban, BankHolder: holder, PolicyVersion: version, Locale: a.Locale,
			Quote: q, Items: req.Items, CreatedAt: now, UpdatedAt: now,
		}, nil
	}
	// Decided outside the writer's lock from what the read pool reads; the
	// transaction checks that it still holds (or decides again, calling
	// build once more: order and policy are then the transaction's).
	d, err := s.st.DecideReturn(ctx, a.Number, build)
	if err != nil {
		return Created{}, err
	}
	r, err := inTx(ctx, s, func(tx *store.Tx) (returns.Return, error) {
		r, err := tx.CreateDecidedReturn(d, "shopper", build, req.Photos, stagedIDs)
		if err != nil {
			return r, err
		}
		return r, s.announceCreated(tx, r, order, policy)
	})
	if err != nil {
		return Created{}, err
	}
	return Created{Return: r, Token: s.ManageToken(r.RMA), ViewToken: s.ViewToken(r.RMA)}, nil
}
