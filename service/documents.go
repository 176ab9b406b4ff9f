package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Documents are what a return's prepaid label and customs declaration
// show, ready to render.
type Documents struct {
	RMA     string
	label   labels.LabelData
	customs labels.CustomsData
	// carrier holds the documents of a label bought from a carrier
	// platform (nil: the portal draws its own).
	carrier *carrierDocuments
}

// carrierDocuments are a bought label's documents: the carrier's label
// (4x6/A6, and A4 where offered) and customs document (nil: none).
type carrierDocuments struct {
	label, a4, customs []byte
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
	if err := returns.CheckLabel(r.Status); err != nil {
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
	d := Documents{RMA: r.RMA, label: label, customs: customs}
	if hub.CarrierLabels() {
		if d.carrier, err = s.carrierDocuments(ctx, r.RMA); err != nil {
			return Documents{}, err
		}
	}
	return d, nil
}

// carrierDocuments loads a bought carrier label's documents. While the
// label is being bought (or its purchase failed and staff are on it) the
// shopper is told it is being prepared (ConflictError label_preparing).
func (s *Service) carrierDocuments(ctx context.Context, rma string) (*carrierDocuments, error) {
	sh, ok, err := s.st.Shipment(ctx, rma)
	if err != nil {
		return nil, err
	}
	if !ok || sh.LabelStatus != store.LabelBought {
		return nil, &ConflictError{Code: returns.CodeLabelPreparing}
	}
	var cd carrierDocuments
	for doc, dst := range map[string]*[]byte{store.DocumentLabel: &cd.label, store.DocumentLabelA4: &cd.a4,
		store.DocumentCustoms: &cd.customs} {
		b, err := s.st.ShipmentDocument(ctx, rma, doc)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		*dst = b
	}
	return &cd, nil
}

// LabelPDF renders the prepaid label for a paper size, or gives the
// carrier's label (its A4 page where the carrier offers one, else its
// 4x6 one).
func (s *Service) LabelPDF(d Documents, size labels.Size) ([]byte, error) {
	if c := d.carrier; c != nil {
		if size == labels.SizeA4 && c.a4 != nil {
			return c.a4, nil
		}
		return c.label, nil
	}
	return s.labels.Label(d.label, size)
}

// CarrierLabel reports whether the documents are a carrier's.
func (d Documents) CarrierLabel() bool { return d.carrier != nil }

// CustomsPDF gives the carrier's customs document where its label came
// with one, or renders the customs declaration, dated today; a parcel that
// crosses no customs border has none (ErrNotFound).
func (s *Service) CustomsPDF(d Documents) ([]byte, error) {
	if d.carrier != nil && d.carrier.customs != nil {
		return d.carrier.customs, nil
	}
	if !d.label.Customs {
		return nil, ErrNotFound
	}
	c := d.customs
	c.Date = s.now()
	return s.labels.Customs(c)
}
