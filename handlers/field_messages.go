package handlers

import (
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
)

// fieldDetail is one invalid field of a JSON error: the path and code that
// programs read, and the code's message in the request's language for the
// people who read the response (a shop's developer, a log).
type fieldDetail struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// fieldDetails words each field error with the message the staff forms use
// for the same code ("admin.field.<code>"), or the generic "not valid" one.
func fieldDetails(loc *locales.Localizer, fe returns.FieldErrors) []fieldDetail {
	if len(fe) == 0 {
		return nil
	}
	generic := translate(loc, "admin.field.invalid", "invalid")
	out := make([]fieldDetail, len(fe))
	for i, e := range fe {
		out[i] = fieldDetail{Path: e.Path, Code: e.Code, Message: translate(loc, "admin.field."+e.Code, generic)}
	}
	return out
}
