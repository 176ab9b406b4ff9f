package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Documents are what a return's prepaid label and customs declaration
// show, ready to render.
type Documents struct {
	RMA      string
	returnID int64
	label    labels.LabelData
	customs  labels.CustomsData
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
	label, customs := labels.ForReturn(o, r, hub, statusLink(s.labelViewToken(r.RMA)), s.legal)
	label.English, label.Local = w.English, w.Local
	customs.English, customs.Local = w.English, w.Local
	d := Documents{RMA: r.RMA, returnID: r.ID, label: label, customs: customs}
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

// CarrierLabel reports whether the documents are a carrier's.
func (d Documents) CarrierLabel() bool { return d.carrier != nil }

// labelViewToken is the view token a label's QR code carries: issued as
// of the start of the current day (UTC), so that it stays the same all day
// and the label rendered and stored with it is served again rather than
// rendered anew for a token that differs by the second (label_store.go).
// It is valid for at least ViewTTL less a day from the download.
func (s *Service) labelViewToken(rma string) string {
	t, _ := s.tokens.ForView(rma, s.now().UTC().Truncate(24*time.Hour))
	return t
}

// LabelPDF is the prepaid label for a paper size: the carrier's label (its
// A4 page where the carrier offers one, else its 4x6 one) where one was
// bought; else ours, rendered on the first download and stored, and the
// stored document served to every download after that prints the same
// (label_store.go says what counts).
func (s *Service) LabelPDF(ctx context.Context, d Documents, size labels.Size) ([]byte, error) {
	if c := d.carrier; c != nil {
		if size == labels.SizeA4 && c.a4 != nil {
			return c.a4, nil
		}
		return c.label, nil
	}
	variant, fingerprint := labelFingerprint(s.build, size, d.label)
	pdf, err := s.st.Document(ctx, d.returnID, documentLabel, variant, fingerprint)
	if err == nil {
		return pdf, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if pdf, err = s.render(ctx, func(r *labels.Renderer) ([]byte, error) { return r.Label(d.label, size) }); err != nil {
		return nil, err
	}
	if err := s.st.SaveDocument(ctx, d.returnID, documentLabel, variant, fingerprint, pdf); err != nil {
		// The shopper gets the label all the same; the next download
		// renders it again.
		s.log.Error("labels: store the rendered label", "rma", d.RMA, "err", err)
	}
	return pdf, nil
}

// CustomsPDF gives the carrier's customs document where its label came
// with one, or renders the customs declaration, dated today; a parcel that
// crosses no customs border has none (ErrNotFound). Ours is not stored: the
// date it prints changes every day.
func (s *Service) CustomsPDF(ctx context.Context, d Documents) ([]byte, error) {
	if d.carrier != nil && d.carrier.customs != nil {
		return d.carrier.customs, nil
	}
	if !d.label.Customs {
		return nil, ErrNotFound
	}
	c := d.customs
	c.Date = s.now()
	return s.render(ctx, func(r *labels.Renderer) ([]byte, error) { return r.Customs(c) })
}

// render draws a document when its turn comes (renders).
func (s *Service) render(ctx context.Context, draw func(*labels.Renderer) ([]byte, error)) ([]byte, error) {
	select {
	case s.renders <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.renders }()
	return draw(s.labels())
}
