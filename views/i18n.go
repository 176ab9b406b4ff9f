package views

import "context"

// Translator turns message IDs into text in the request's language. Handlers
// put one in the context (WithTranslator); components read it with T.
type Translator interface {
	T(id string) string
	TData(id string, data map[string]any) string
}

type translatorKey struct{}

// WithTranslator returns a context whose components translate with t.
func WithTranslator(ctx context.Context, t Translator) context.Context {
	return context.WithValue(ctx, translatorKey{}, t)
}

// T translates a message ID; without a translator it returns the ID.
func T(ctx context.Context, id string) string {
	if t, ok := ctx.Value(translatorKey{}).(Translator); ok {
		return t.T(id)
	}
	return id
}

// TData translates a message ID with template data.
func TData(ctx context.Context, id string, data map[string]any) string {
	if t, ok := ctx.Value(translatorKey{}).(Translator); ok {
		return t.TData(id, data)
	}
	return id
}

// HtmxFile is the vendored htmx script under /static/.
const HtmxFile = "htmx-2.0.11.min.js"

// PortalScriptFile moves focus after htmx swaps, copies a link, asks in a
// dialog before a cancel and names the photos chosen (static/portal.js).
const PortalScriptFile = "portal.js"

// htmxConfig keeps htmx to same-origin requests, without eval or injected
// styles (the CSP allows neither), and swaps 4xx/5xx answers too: they carry
// the re-rendered form with its messages, or the error page. htmx keeps no
// copy of the pages it leaves (they carry tokens: no sessionStorage) and
// reloads an address it has no copy of, so Back shows the step before as
// its address renders it (handlers/portal_history.go).
const htmxConfig = `{"selfRequestsOnly":true,"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,` +
	`"historyCacheSize":0,"refreshOnHistoryMiss":true,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[2345]..","swap":true}]}`

// FieldError is a translated message tied to one form field.
type FieldError struct {
	ID      string // the message element's id, for aria-describedby
	Message string
}

// describedBy is the aria-describedby value for a field with an optional
// hint and error.
func describedBy(ids ...string) string {
	out := ""
	for _, id := range ids {
		if id == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += id
	}
	return out
}
