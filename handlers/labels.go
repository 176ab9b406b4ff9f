package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
)

var errInvalidSize = &apiError{Status: http.StatusBadRequest, Code: "invalid_request",
	Fields: returns.FieldErrors{{Path: "size", Code: "invalid"}}}

// labelPDF serves a return's prepaid label: GET /r/:rma/label.pdf?t=...&size=4x6|a4.
func (s *Server) labelPDF(c echo.Context) error {
	docs, err := s.returnDocuments(c)
	if err != nil {
		return err
	}
	size, ok := labels.ParseSize(c.QueryParam("size"))
	if !ok {
		return errInvalidSize
	}
	pdf, err := s.labels.Label(docs.label, size)
	if err != nil {
		return err
	}
	return sendPDF(c, "return-"+docs.rma+".pdf", pdf)
}

// customsPDF serves a return's customs declaration: GET /r/:rma/customs.pdf?t=...
// A parcel that crosses no customs border has none (404).
func (s *Server) customsPDF(c echo.Context) error {
	docs, err := s.returnDocuments(c)
	if err != nil {
		return err
	}
	if !docs.label.Customs {
		return errNotFound
	}
	docs.customs.Date = s.now()
	pdf, err := s.labels.Customs(docs.customs)
	if err != nil {
		return err
	}
	return sendPDF(c, "customs-"+docs.rma+".pdf", pdf)
}

// returnDocs is what a return's label and customs form show.
type returnDocs struct {
	rma     string
	label   labels.LabelData
	customs labels.CustomsData
}

// returnDocuments opens a return for its shopper (any token problem is the
// same 404) and gathers its documents: the hub comes from the policy version
// the return was decided under. Whether the return has documents at all is
// the domain's to say (returns.CheckLabel, the same predicate the status
// page links the label by).
func (s *Server) returnDocuments(c echo.Context) (returnDocs, error) {
	r, err := s.openReturn(c)
	if err != nil {
		return returnDocs{}, err
	}
	if err := returns.CheckLabel(r.Status); err != nil {
		return returnDocs{}, err
	}
	ctx := c.Request().Context()
	o, err := s.cfg.Store.GetOrder(ctx, r.OrderNumber)
	if err != nil {
		return returnDocs{}, err
	}
	p, err := s.cfg.Store.PolicyVersion(ctx, r.PolicyVersion)
	if err != nil {
		return returnDocs{}, err
	}
	code := p.Effective(s.legal, o.ShippingAddress.Country).Hub
	hub, ok := p.HubByCode(code)
	if !ok {
		return returnDocs{}, fmt.Errorf("labels: return %s: policy version %d has no hub %q", r.RMA, r.PolicyVersion, code)
	}
	status := s.returnURL(r.RMA, "", s.tokens.returnToken(r.RMA))
	label, customs := labels.ForReturn(o, r, hub, status, s.legal)
	en, local := s.documentTranslators(c)
	label.English, label.Local = en, local
	customs.English, customs.Local = en, local
	return returnDocs{rma: r.RMA, label: label, customs: customs}, nil
}

// documentTranslators translate the documents' words: English always (the
// language of carriers and customs), and the shopper's language when it is
// another one.
func (s *Server) documentTranslators(c echo.Context) (en, local labels.Translator) {
	translator := func(loc *i18n.Localizer) labels.Translator {
		return func(id string) string { return translate(loc, id, id) }
	}
	en = translator(i18n.NewLocalizer(s.cfg.Bundle, "en"))
	loc := s.localizer(c)
	// The language the shopper's localizer actually speaks.
	_, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: "customs.title"})
	if err != nil {
		return en, nil
	}
	if base, _ := tag.Base(); base.String() == "en" {
		return en, nil
	}
	return en, translator(loc)
}

// sendPDF answers with a PDF to download: a file name built by the server,
// never cached, never leaking the tokened URL as a referrer.
func sendPDF(c echo.Context, filename string, pdf []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}
