package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
)

// Documents are what a return's prepaid label and customs declaration
// show, ready to render.
type Documents struct {
	RMA      string
	returnID int64
	label    labels.LabelData
	customs  labels.CustomsData
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
	label, customs := labels.ForReturn(o, r, hub, statusLink(s.labelViewToken(r.RMA)), s.legal)
	label.English, label.Local = w.English, w.Local
	customs.English, customs.Local = w.English, w.Local
	return Documents{RMA: r.RMA, returnID: r.ID, label: label, customs: customs}, nil
}

// labelViewToken is the view token a label's QR code carries: issued as
// of the start of the current day (UTC), so that it stays the same all day
// and the label rendered and stored with it is served again rather than
// rendered anew for a token that differs by the second (label_store.go).
// It is valid for at least ViewTTL less a day from the download.
func (s *Service) labelViewToken(rma string) string {
	t, _ := s.tokens.ForView(rma, s.now().UTC().Truncate(24*time.Hour))
	return t
}

// LabelPDF is the prepaid label for a paper size: rendered on the first
// download and stored, and the stored document served to every download
// after that prints the same (label_store.go says what counts).
func (s *Service) LabelPDF(ctx context.Context, d Documents, size labels.Size) ([]byte, error) {
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

// CustomsPDF renders the customs declaration, dated today; a parcel that
// crosses no customs border has none (ErrNotFound). It is not stored: the
// date it prints changes every day.
func (s *Service) CustomsPDF(ctx context.Context, d Documents) ([]byte, error) {
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
