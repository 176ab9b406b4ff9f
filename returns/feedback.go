package returns

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The survey after the refund: the shopper rates how the return went from
// 1 to 5 and may add a comment. One answer per return.

// MaxFeedbackComment bounds a survey comment, in characters.
const MaxFeedbackComment = 2000

// FeedbackOpen reports whether a return in this state may be rated: its
// money (or credit) has gone back.
func FeedbackOpen(s Status) bool {
	return s == StatusRefunded || s == StatusCredited || s == StatusClosed
}

// CheckFeedback checks a survey answer: a score from 1 to 5 (field
// "score", invalid) and a comment of at most MaxFeedbackComment characters
// (too_long) without control characters other than line breaks and tabs
// (invalid) or direction controls (direction_control). It returns the
// comment trimmed.
func CheckFeedback(score int, comment string) (string, FieldErrors) {
	var fe FieldErrors
	if score < 1 || score > 5 {
		fe.add("score", FieldInvalid)
	}
	comment = strings.TrimSpace(strings.ReplaceAll(comment, "\r\n", "\n"))
	switch {
	case utf8.RuneCountInString(comment) > MaxFeedbackComment:
		fe.add("comment", FieldTooLong)
	case strings.IndexFunc(comment, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0:
		fe.add("comment", FieldInvalid)
	case hasDirectionControl(comment):
		fe.add("comment", FieldDirectionControl)
	}
	if len(fe) > 0 {
		return "", fe
	}
	return comment, nil
}
