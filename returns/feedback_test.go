package returns

import (
	"strings"
	"testing"
)

func TestFeedbackOpen(t *testing.T) {
	open := map[Status]bool{StatusRefunded: true, StatusCredited: true, StatusClosed: true}
	for _, s := range []Status{StatusRequested, StatusApproved, StatusReceived, StatusInspected, StatusRefunded,
		StatusCredited, StatusExchanged, StatusClosed, StatusRejected, StatusCancelled, StatusExpired} {
		if got := FeedbackOpen(s); got != open[s] {
			t.Errorf("%s: %v", s, got)
		}
	}
}

func TestCheckFeedback(t *testing.T) {
	tests := []struct {
		name    string
		score   int
		comment string
		want    string
		errs    FieldErrors
	}{
		{"lowest", 1, "", "", nil},
		{"highest with a comment", 5, "  Schnell und freundlich.  ", "Schnell und freundlich.", nil},
		{"lines and tabs kept, CRLF folded", 4, "a\r\nb\tc", "a\nb\tc", nil},
		{"Arabic with a right-to-left mark", 3, "سريع\u200f جدا", "سريع\u200f جدا", nil},
		{"score 0", 0, "", "", FieldErrors{{Path: "score", Code: FieldInvalid}}},
		{"score 6", 6, "", "", FieldErrors{{Path: "score", Code: FieldInvalid}}},
		{"negative", -1, "", "", FieldErrors{{Path: "score", Code: FieldInvalid}}},
		{"exactly the limit", 5, strings.Repeat("é", MaxFeedbackComment), strings.Repeat("é", MaxFeedbackComment), nil},
		{"one over", 5, strings.Repeat("é", MaxFeedbackComment+1), "", FieldErrors{{Path: "comment", Code: FieldTooLong}}},
		{"a NUL", 5, "a\x00b", "", FieldErrors{{Path: "comment", Code: FieldInvalid}}},
		{"an escape", 5, "a\x1b[31mb", "", FieldErrors{{Path: "comment", Code: FieldInvalid}}},
		{"a right-to-left override", 5, "a\u202eb", "", FieldErrors{{Path: "comment", Code: FieldDirectionControl}}},
		{"both wrong", 9, "\u2066", "", FieldErrors{{Path: "score", Code: FieldInvalid}, {Path: "comment", Code: FieldDirectionControl}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := CheckFeedback(tt.score, tt.comment)
			if got != tt.want || len(errs) != len(tt.errs) {
				t.Fatalf("got %q %v, want %q %v", got, errs, tt.want, tt.errs)
			}
			for i := range errs {
				if errs[i] != tt.errs[i] {
					t.Errorf("error %d: %v, want %v", i, errs[i], tt.errs[i])
				}
			}
		})
	}
}
