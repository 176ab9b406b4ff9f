package handlers

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/returns-portal/returns/views"
)

// render writes a templ component through a buffer: a failed render becomes
// an error page instead of half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// page fills the parts of a page every view needs, in the request's language.
func (s *Server) page(c echo.Context, titleID string) views.Page {
	loc := s.localizer(c)
	tag := s.language(c)
	dir := "ltr"
	if base, _ := tag.Base(); base.String() == "ar" || base.String() == "he" || base.String() == "fa" || base.String() == "ur" {
		dir = "rtl"
	}
	return views.Page{Lang: tag.String(), Dir: dir, Title: translate(loc, titleID, "Returns")}
}

// language is the best supported language for the request.
func (s *Server) language(c echo.Context) language.Tag {
	matcher := language.NewMatcher(s.cfg.Bundle.LanguageTags())
	tag, _, _ := matcher.Match(preferredTags(c)...)
	base, _ := tag.Base()
	return language.Make(base.String())
}

func (s *Server) home(c echo.Context) error {
	loc := s.localizer(c)
	return render(c, http.StatusOK, views.Home(views.HomeProps{
		Page:    s.page(c, "home.title"),
		Heading: translate(loc, "home.title", "Returns"),
		Intro:   translate(loc, "home.intro", ""),
		Health:  translate(loc, "home.health", "Status"),
	}))
}
