package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The survey after the refund (service.GiveFeedback): the refunded e-mail
// links /r/:rma/feedback with the return's token; no login, one answer
// per return.

// feedbackPage is GET /r/:rma/feedback?t=...: the question, or why there
// is none (answered already, not refunded yet).
func (s *Server) feedbackPage(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	p := s.portal(c)
	state := "form"
	if !returns.FeedbackOpen(a.Return.Status) {
		state = "not_open"
	} else if _, given, err := s.svc.ReturnFeedback(c.Request().Context(), a.Return.RMA); err != nil {
		return err
	} else if given {
		state = "given"
	}
	return p.view(http.StatusOK, views.Feedback(p.feedbackProps(a.Return.RMA, state, 0, "")))
}

func (p *portal) feedbackProps(rma, state string, score int, comment string) views.FeedbackProps {
	token := returnTokenParam(p.c)
	q := url.Values{"t": {token}}
	props := views.FeedbackProps{Page: p.page("portal.feedback.title", &url.URL{Path: "/r/" + rma + "/feedback", RawQuery: q.Encode()}),
		RMA: rma, Action: p.flow.Base + "/r/" + rma + "/feedback?" + q.Encode(), Lang: p.explicit(), State: state,
		Comment: comment, StatusURL: p.link("/r/"+rma, url.Values{"t": {token}})}
	for i := 1; i <= 5; i++ {
		v := strconv.Itoa(i)
		props.Scores = append(props.Scores, views.FeedbackScore{Value: v, Label: p.T("portal.feedback.score." + v), Checked: i == score})
	}
	return props
}

// feedbackSubmit is POST /r/:rma/feedback?t=... with score and comment.
func (s *Server) feedbackSubmit(c echo.Context) error {
	a, err := s.openReturn(c)
	if err != nil {
		return err
	}
	p := s.portal(c)
	score, _ := strconv.Atoi(c.FormValue("score"))
	comment := c.FormValue("comment")
	_, err = s.svc.GiveFeedback(c.Request().Context(), a, score, comment)
	var ce *service.ConflictError
	var fe returns.FieldErrors
	switch {
	case errors.As(err, &ce) && ce.Code == service.CodeFeedbackGiven:
		return p.view(http.StatusConflict, views.Feedback(p.feedbackProps(a.Return.RMA, "given", 0, "")))
	case errors.As(err, &ce) && ce.Code == service.CodeFeedbackNotOpen:
		return p.view(http.StatusConflict, views.Feedback(p.feedbackProps(a.Return.RMA, "not_open", 0, "")))
	case errors.As(err, &fe):
		props := p.feedbackProps(a.Return.RMA, "form", score, comment)
		for _, e := range fe {
			if e.Path == "score" {
				props.Error = p.fieldErr("feedback", "portal.feedback.choose")
			} else {
				props.CommentError = p.fieldErr("comment", "portal.feedback.comment_invalid")
			}
		}
		return p.view(http.StatusUnprocessableEntity, views.Feedback(props))
	case err != nil:
		return err
	}
	return p.view(http.StatusOK, views.Feedback(p.feedbackProps(a.Return.RMA, "thanks", 0, "")))
}
