package views

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// Amounts, order numbers and other left-to-right values inside a sentence
// are kept apart from the sentence's direction, so that "4,95 €" or
// "DE-1001" read right in an Arabic sentence and Arabic names read right in
// an English one. Handlers wrap such a value in Unicode isolates (Isolate:
// FSI … PDI, the plain-text form of <bdi>); Text renders each isolated run
// as a <bdi> element. Where a string is printed as it is (a title, an
// attribute), the isolates still do the same job.

const (
	fsi = "\u2068" // FIRST STRONG ISOLATE
	pdi = "\u2069" // POP DIRECTIONAL ISOLATE
)

// Isolate marks s as a run of its own direction inside a translated text.
func Isolate(s string) string {
	if s == "" {
		return ""
	}
	return fsi + s + pdi
}

// Text renders a translated text, each isolated run (Isolate) as <bdi>.
func Text(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for {
			i := strings.Index(s, fsi)
			if i < 0 {
				_, err := io.WriteString(w, templ.EscapeString(s))
				return err
			}
			j := strings.Index(s[i+len(fsi):], pdi)
			if j < 0 {
				_, err := io.WriteString(w, templ.EscapeString(strings.ReplaceAll(s, fsi, "")))
				return err
			}
			run := s[i+len(fsi) : i+len(fsi)+j]
			if _, err := io.WriteString(w, templ.EscapeString(s[:i])+"<bdi>"+templ.EscapeString(run)+"</bdi>"); err != nil {
				return err
			}
			s = s[i+len(fsi)+j+len(pdi):]
		}
	})
}

// TText is T rendered with its isolated runs as <bdi> (TData with values
// wrapped by Isolate).
func TText(ctx context.Context, id string, data map[string]any) templ.Component {
	return Text(TData(ctx, id, data))
}

// OrderNumberExample is the order number the lookup's hint shows (the
// demo's format), the same in every language.
const OrderNumberExample = "DE-1001"
