package service

import (
	"context"
	"time"

	"github.com/returns-portal/returns/returns"
)

// Creating a return is the portal's most expensive request: photos are
// decoded and re-encoded (handlers/photos.go). So it is rate-limited like
// the lookup, and a request with photos is checked completely before a
// single photo is read (AdmitReturn).

// The creation limits, in memory per instance like the lookup limits. An
// attempt counts whether or not it succeeds: a refused photo costs as much
// to decode as an accepted one. The lookup switches turn them off:
// Settings.LookupLimitIP 0 every per-IP limit, LookupLimitOrder 0 every
// per-order (and so per-token) limit, as load tests need.
const (
	// CreateLimitIP: a shopper makes a return or two, a household or an
	// office behind one address a few more; a client sending thirty in a
	// quarter of an hour is not returning parcels.
	CreateLimitIP = 30
	// CreateLimitOrder counts the attempts on one order, with any of its
	// lookup tokens: a form sent again after a mistake, another item later
	// — ten is plenty for one order, and it bounds what one token can make
	// the server decode.
	CreateLimitOrder = 10
	// CreateWindow is the period both are counted over.
	CreateWindow = 15 * time.Minute
)

// AllowCreate counts an attempt to create a return of the order a lookup
// token opened, from a client address: over a limit, *RateLimitedError.
// Every way to create a return calls it first (the JSON API, the portal's
// confirm form).
func (s *Service) AllowCreate(a OrderAccess, clientIP string) error {
	now := s.now()
	ok, wait := s.createsByIP.allowClient(clientIP, now)
	if ok {
		ok, wait = s.createsByOrder.allow(a.Number, now)
	}
	if !ok {
		return &RateLimitedError{RetryAfter: wait}
	}
	return nil
}

// Admission is a return request that passed every check that does not
// need its photos (AdmitReturn); CheckPhotos then checks how many photos
// it carries for which items, still before any is decoded.
type Admission struct {
	policy returns.Policy
	items  []returns.QuoteItem
	// staged counts, per line, the photos staged earlier that the request
	// names (ReturnRequest.Staged).
	staged map[string]int
	// restage: the order form's upload (StagePhotos), whose photos of a line
	// replace those staged for it, and whose photos of a line the form does
	// not return are dropped; otherwise (CreateReturn) both count.
	restage bool
}

// CheckPhotos checks the photo evidence by count per line ID of the
// request's new photos, with the staged ones (returns.CheckPhotos: a photo
// for every item whose reason requires one, at most
// returns.MaxPhotosPerItem each, none for items not returned).
func (ad Admission) CheckPhotos(counts map[string]int) error {
	total := make(map[string]int, len(ad.staged)+len(counts))
	for line, n := range ad.staged {
		total[line] = n
	}
	for line, n := range counts {
		switch {
		case ad.Ignores(line):
		case ad.restage:
			total[line] = n
		default:
			total[line] += n
		}
	}
	return returns.CheckPhotos(ad.policy, ad.items, total)
}

// Ignores reports whether photos of a line are dropped without a look:
// on the order form, those of a line the shopper does not return.
func (ad Admission) Ignores(line string) bool {
	if !ad.restage {
		return false
	}
	for _, it := range ad.items {
		if it.LineID == line {
			return false
		}
	}
	return true
}

// AdmitReturn checks the whole request as CreateReturn will — the refund
// details, then the items, their quantities and reasons and the refund
// method against the order, its history and the current policy
// (returns.BuildQuote) — without storing anything. A request with photos
// passes here, after AllowCreate, before any photo is read. CreateReturn
// checks everything again in its transaction: what was true here may have
// changed meanwhile.
func (s *Service) AdmitReturn(ctx context.Context, a OrderAccess, req ReturnRequest) (Admission, error) {
	return s.admit(ctx, a, req, false)
}

// AdmitStaging is AdmitReturn for the order form's photos, which are
// staged (StagePhotos) for the return the review leads to: a photo of a
// line replaces the ones staged for it, and photos of lines the form does
// not return are dropped (Admission.Ignores).
func (s *Service) AdmitStaging(ctx context.Context, a OrderAccess, req ReturnRequest) (Admission, error) {
	return s.admit(ctx, a, req, true)
}

func (s *Service) admit(ctx context.Context, a OrderAccess, req ReturnRequest, restage bool) (Admission, error) {
	if _, _, de := returns.CheckRefundDetails(req.RefundMethod, req.IBAN, req.Holder, req.Comment); de != nil {
		return Admission{}, de
	}
	o, err := s.st.GetOrder(ctx, a.Number)
	if err != nil {
		return Admission{}, err
	}
	h, p, err := s.decisionInputs(ctx, o.Number)
	if err != nil {
		return Admission{}, err
	}
	stock, err := s.stockFor(ctx, o)
	if err != nil {
		return Admission{}, err
	}
	if _, err := returns.BuildQuoteWithStock(o, p, s.legal, h, req.QuoteRequest, s.now(), stock); err != nil {
		return Admission{}, err
	}
	if a.Gift {
		if _, err := returns.CheckGiftRequest(req.QuoteRequest, req.GiftEmail); err != nil {
			return Admission{}, err
		}
	}
	staged, err := s.st.StagedPhotos(ctx, o.Number, req.Staged)
	if err != nil {
		return Admission{}, err
	}
	ad := Admission{policy: p, items: req.Items, staged: map[string]int{}, restage: restage}
	for _, ph := range staged {
		ad.staged[ph.LineID]++
	}
	return ad, nil
}
