package service

import (
	"context"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// MerchantReturn is the whole return as the merchant's systems see it: the
// answer of GET /api/v1/returns/{rma}, and the data of every webhook
// delivery about a return, so that a receiver parses one shape.
type MerchantReturn struct {
	RMA                 string              `json:"rma"`
	Status              returns.Status      `json:"status"`
	Basis               string              `json:"basis"`
	OrderNumber         string              `json:"order_number"`
	Order               returns.Order       `json:"order"`
	RefundMethod        string              `json:"refund_method"`
	RefundMethodConsent bool                `json:"refund_method_consent"`
	Comment             string              `json:"comment"`
	PolicyVersion       int64               `json:"policy_version"`
	Locale              string              `json:"locale"`
	Items               []returns.QuoteItem `json:"items"`
	Quote               returns.Quote       `json:"quote"`
	OriginalQuote       *returns.Quote      `json:"original_quote"`
	Inspection          []store.Inspection  `json:"inspection"`
	Refunds             []store.Refund      `json:"refunds"`
	Notes               []store.Note        `json:"notes"`
	Events              []store.Event       `json:"events"`
	ReceivedAt          *time.Time          `json:"received_at"`
	RefundDue           *returns.Date       `json:"refund_due"`
	CreatedAt           time.Time           `json:"created_at"`
	UpdatedAt           time.Time           `json:"updated_at"`
	Goodwill            []GoodwillView      `json:"goodwill"`
	GoodwillTotal       int64               `json:"goodwill_total"`
	Override            bool                `json:"override"`
	Photos              []store.Photo       `json:"photos"`
	Feedback            *store.Feedback     `json:"feedback"`
	// Exchanges are the exchanged items and their state; Returnless: the
	// shopper keeps the items; Gift: a gift's recipient made the return.
	Exchanges  []returns.ExchangeLine `json:"exchanges"`
	Returnless bool                   `json:"returnless"`
	Gift       bool                   `json:"gift"`
	// ReviewFlags are the review rules the return matched (staff and the
	// merchant's systems only, never the shopper).
	ReviewFlags []returns.ReviewMatch `json:"review_flags"`
}

// GoodwillView is a goodwill line as the merchant sees it (with actor and
// reason).
type GoodwillView struct {
	LineID   string `json:"line_id,omitempty"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	Actor    string `json:"actor"`
	At       string `json:"at"`
	Override bool   `json:"override"`
}

// MerchantReturn loads a return for the merchant's systems.
func (s *Service) MerchantReturn(ctx context.Context, rma string) (MerchantReturn, error) {
	rec, err := s.st.ReturnRecord(ctx, rma)
	if err != nil {
		return MerchantReturn{}, err
	}
	return merchantView(rec), nil
}

// merchantView shapes a return's record for the merchant.
func merchantView(rec store.ReturnRecord) MerchantReturn {
	r, x := rec.Return, rec.Extras
	refunds := []store.Refund{}
	if x.Refund != nil {
		refunds = append(refunds, *x.Refund)
	}
	goodwill := make([]GoodwillView, 0, len(r.Goodwill))
	for _, g := range r.Goodwill {
		goodwill = append(goodwill, GoodwillView{LineID: g.LineID, Amount: g.Amount, Currency: g.Currency, Reason: g.Reason,
			Actor: g.Actor, At: g.At.UTC().Format("2006-01-02T15:04:05.999999Z07:00"), Override: true})
	}
	photos := rec.Photos
	if photos == nil {
		photos = []store.Photo{}
	}
	exchanges, flags := r.Exchanges, x.ReviewFlags
	if exchanges == nil {
		exchanges = []returns.ExchangeLine{}
	}
	if flags == nil {
		flags = []returns.ReviewMatch{}
	}
	return MerchantReturn{
		RMA: r.RMA, Status: r.Status, Basis: r.Basis, OrderNumber: r.OrderNumber, Order: rec.Order,
		RefundMethod: r.RefundMethod, RefundMethodConsent: r.Consent, Comment: r.Comment,
		PolicyVersion: r.PolicyVersion, Locale: r.Locale, Items: r.Items, Quote: r.Quote,
		OriginalQuote: x.OriginalQuote, Inspection: x.Inspections, Refunds: refunds, Notes: x.Notes,
		Events: rec.Events, ReceivedAt: x.ReceivedAt, RefundDue: x.RefundDue,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Goodwill: goodwill, GoodwillTotal: r.GoodwillTotal(), Override: len(r.Goodwill) > 0,
		Photos: photos, Feedback: rec.Feedback,
		Exchanges: exchanges, Returnless: r.Returnless(), Gift: r.Gift, ReviewFlags: flags,
	}
}
