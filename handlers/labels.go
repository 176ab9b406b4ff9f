package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
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
	pdf, err := s.svc.LabelPDF(c.Request().Context(), docs, size)
	if err != nil {
		return err
	}
	return sendPDF(c, "return-"+docs.RMA+".pdf", pdf)
}

// customsPDF serves a return's customs declaration: GET /r/:rma/customs.pdf?t=...
// A parcel that crosses no customs border has none (404).
func (s *Server) customsPDF(c echo.Context) error {
	docs, err := s.returnDocuments(c)
	if err != nil {
		return err
	}
	pdf, err := s.svc.CustomsPDF(c.Request().Context(), docs)
	if err != nil {
		return err
	}
	return sendPDF(c, "customs-"+docs.RMA+".pdf", pdf)
}

// returnDocuments opens a return for its shopper (any token problem is the
// same 404) and gathers its documents (service.Documents), in English and
// the shopper's language, with the status link for the label's QR code.
func (s *Server) returnDocuments(c echo.Context) (service.Documents, error) {
	a, err := s.openReturn(c)
	if err != nil {
		return service.Documents{}, err
	}
	rma := a.Return.RMA
	status := func(token string) string { return s.returnURL(rma, "", token) }
	en, local := s.documentTranslators(c)
	return s.svc.Documents(c.Request().Context(), a, status, service.Words{English: en, Local: local})
}

// documentTranslators translate the documents' words: English always (the
// language of carriers and customs), and the shopper's language when it is
// another one.
func (s *Server) documentTranslators(c echo.Context) (en, local labels.Translator) {
	english := s.tr.speakerOf(language.English)
	en = func(id string) string { return english.translate(id, id) }
	sp := s.speaker(c)
	// The language the shopper's speaker actually speaks.
	if said := s.tr.say(sp.index, "customs.title"); said.failed {
		return en, nil
	}
	if base, _ := s.tr.tags[sp.index].Base(); base.String() == "en" {
		return en, nil
	}
	return en, func(id string) string { return sp.translate(id, id) }
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
