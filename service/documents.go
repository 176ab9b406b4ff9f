package service

import (
	"context"
	"fmt"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
)

// Documents are what a return's prepaid label and customs declaration
// show, ready to render.
type Documents struct {
	RMA     string
	label   labels.LabelData
	customs labels.CustomsData
}

// Words translate the documents' words: English always (the language of
// carriers and customs), Local in the shopper's language when that is
// another (nil otherwise).
type Words struct {
	English, Local labels.Translator
}

// Documents gathers an opened return's documents: whether it has any is
// the domain's to say (returns.CheckLabel, the predicate the status page
// links the label by); the hub comes from the policy version the return
// was decided under. statusLink makes the status page's link from a token
// for the label's QR code, which carries the view token (ViewToken),
// whoever downloads the label: anyone handling the parcel reads it.
func (s *Service) Documents(ctx context.Context, a ReturnAccess, statusLink func(token string) string, w Words) (Documents, error) {
	if !a.May.Documents {
		return Documents{}, ErrNotPermitted
	}
	r := a.Return
	if err := returns.CheckReturnLabel(r); err != nil { // a kept item has no parcel
		return Documents{}, err
	}
	o, p, err := s.decidedUnder(ctx, r)
	if err != nil {
		return Documents{}, err
	}
	code := p.Effective(s.legal, o.ShippingAddress.Country).Hub
	hub, ok := p.HubByCode(code)
	if !ok {
		return Documents{}, fmt.Errorf("labels: return %s: policy version %d has no hub %q", r.RMA, r.PolicyVersion, code)
	}
	label, customs := labels.ForReturn(o, r, hub, statusLink(s.ViewToken(r.RMA)), s.legal)
	label.English, label.Local = w.English, w.Local
	customs.English, customs.Local = w.English, w.Local
	return Documents{RMA: r.RMA, label: label, customs: customs}, nil
}

// LabelPDF renders the prepaid label for a paper size.
func (s *Service) LabelPDF(d Documents, size labels.Size) ([]byte, error) {
	return s.labels.Label(d.label, size)
}

// CustomsPDF renders the customs declaration, dated today; a parcel that
// crosses no customs border has none (ErrNotFound).
func (s *Service) CustomsPDF(d Documents) ([]byte, error) {
	if !d.label.Customs {
		return nil, ErrNotFound
	}
	c := d.customs
	c.Date = s.now()
	return s.labels.Customs(c)
}
