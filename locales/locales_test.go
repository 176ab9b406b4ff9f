package locales

import (
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// pluralCategories are the CLDR plural categories go-i18n understands.
var pluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// messageKeys are the keys that make a table one message rather than a group
// of nested messages: the plural categories plus go-i18n's metadata keys.
var messageKeys = map[string]bool{
	"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true,
	"description": true, "hash": true,
}

// pluralProbeCounts are the counts that reveal a language's plural
// categories: every integer up to 1000 (Arabic's few and many), millions
// (French and Spanish many) and decimals.
func pluralProbeCounts() []any {
	var counts []any
	for n := range 1001 {
		counts = append(counts, n)
	}
	return append(counts, 1000000, 2000000, 10000000, "0.0", "0.5", "1.0", "1.5", "2.5", "1000000.0")
}

// cldrPluralCategories asks go-i18n's own plural rules (CLDR's) which
// categories a language uses: a probe message whose every form is its
// category's name, localized for pluralProbeCounts.
func cldrPluralCategories(t *testing.T, lang string) []string {
	t.Helper()
	b := i18n.NewBundle(language.Make(lang))
	probe := &i18n.Message{ID: "probe", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}
	if err := b.AddMessages(language.Make(lang), probe); err != nil {
		t.Fatalf("%s: probe: %v", lang, err)
	}
	loc := i18n.NewLocalizer(b, lang)
	seen := map[string]bool{}
	for _, n := range pluralProbeCounts() {
		cat, err := loc.Localize(&i18n.LocalizeConfig{MessageID: "probe", PluralCount: n})
		if err != nil {
			t.Fatalf("%s: probe %v: %v", lang, n, err)
		}
		seen[cat] = true
	}
	var cats []string
	for _, c := range pluralCategories {
		if seen[c] {
			cats = append(cats, c)
		}
	}
	return cats
}

// TestPluralProbe: the probe finds CLDR's categories (plurals.xml) for the
// portal's languages, so that TestPluralFormsComplete checks the right ones.
func TestPluralProbe(t *testing.T) {
	want := map[string][]string{
		"en": {"one", "other"},
		"de": {"one", "other"},
		"fr": {"one", "many", "other"},
		"es": {"one", "many", "other"},
		"ja": {"other"},
		"ar": {"zero", "one", "two", "few", "many", "other"},
	}
	for lang, cats := range want {
		if got := cldrPluralCategories(t, lang); !slices.Equal(got, cats) {
			t.Errorf("%s: categories %v, want %v", lang, got, cats)
		}
	}
}

// allowUnchanged lists values that may legitimately be identical to English
// in another language (brand names, acronyms).
var allowUnchanged = map[string]bool{
	"IBAN": true,
	"API":  true,
	"No":   true, // Spanish "no"
	"JSON": true,
	// Technical names the staff area keeps as they are.
	"URL":      true,
	"Webhook":  true,
	"Webhooks": true,
	"Name":     true, // German "Name"
	// Brand names of the payment connectors.
	"Stripe":      true,
	"Shopify":     true,
	"WooCommerce": true,
	// A percentage is written alike in Japanese (the analytics' figures).
	"{Value}%": true,
}

// message is one flattened message: either a plain string or a plural table.
type message struct {
	text   string            // plain message text (when plural is nil)
	plural map[string]string // plural category -> text
}

func (m message) isPlural() bool { return m.plural != nil }

// langCodes returns the language code of every embedded active.*.toml file.
func langCodes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(files, "active.*.toml")
	if err != nil {
		t.Fatalf("glob: %v", err)
	}
	if len(names) == 0 {
		t.Fatal("no active.*.toml files embedded")
	}
	var codes []string
	for _, n := range names {
		codes = append(codes, strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "active."), ".toml"))
	}
	sort.Strings(codes)
	return codes
}

// isMessageTable reports whether every key of the table is a plural category
// or metadata key, i.e. the table is a single message.
func isMessageTable(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !messageKeys[strings.ToLower(k)] {
			return false
		}
	}
	return true
}

// flatten turns a parsed TOML document into message ID -> message, joining
// nested table keys with "." the way go-i18n does.
func flatten(t *testing.T, lang, prefix string, raw map[string]any, out map[string]message) {
	t.Helper()
	for k, v := range raw {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		switch val := v.(type) {
		case string:
			out[id] = message{text: val}
		case map[string]any:
			if isMessageTable(val) {
				p := map[string]string{}
				for cat, text := range val {
					s, ok := text.(string)
					if !ok {
						t.Errorf("%s: %s.%s: want a string, got %T", lang, id, cat, text)
						continue
					}
					if slices.Contains(pluralCategories, strings.ToLower(cat)) {
						p[strings.ToLower(cat)] = s
					}
				}
				out[id] = message{plural: p}
				continue
			}
			flatten(t, lang, id, val, out)
		default:
			t.Errorf("%s: %s: unexpected value type %T", lang, id, v)
		}
	}
}

// messages returns the flattened messages of one language's file.
func messages(t *testing.T, lang string) map[string]message {
	t.Helper()
	raw, err := Raw(lang)
	if err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string]message{}
	flatten(t, lang, "", raw, out)
	return out
}

func sortedIDs(m map[string]message) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func TestCatalogLoads(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if b == nil {
		t.Fatal("Load returned nil")
	}
	if got, want := len(b.LanguageTags()), len(langCodes(t)); got != want {
		t.Errorf("the catalog has %d languages, want %d (one per file)", got, want)
	}
}

func TestEveryLocaleHasExactlyEnglishKeys(t *testing.T) {
	en := messages(t, "en")
	if len(en) == 0 {
		t.Fatal("English has no messages")
	}
	for _, lang := range langCodes(t) {
		if lang == "en" {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			got := messages(t, lang)
			var missing, extra []string
			for _, id := range sortedIDs(en) {
				if _, ok := got[id]; !ok {
					missing = append(missing, id)
				}
			}
			for _, id := range sortedIDs(got) {
				if _, ok := en[id]; !ok {
					extra = append(extra, id)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s lacks %d English keys: %s", lang, len(missing), strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("%s has %d keys English lacks: %s", lang, len(extra), strings.Join(extra, ", "))
			}
			for _, id := range sortedIDs(en) {
				if g, ok := got[id]; ok && g.isPlural() != en[id].isPlural() {
					t.Errorf("%s: %s: plural = %v, English plural = %v", lang, id, g.isPlural(), en[id].isPlural())
				}
			}
		})
	}
}

// TestPluralFormsComplete: every plural message of every language has every
// category CLDR defines for the language (go-i18n shows the message ID
// where a form is missing: French "many" for a million), and no other.
func TestPluralFormsComplete(t *testing.T) {
	for _, lang := range langCodes(t) {
		t.Run(lang, func(t *testing.T) {
			required := cldrPluralCategories(t, lang)
			msgs := messages(t, lang)
			for _, id := range sortedIDs(msgs) {
				m := msgs[id]
				if !m.isPlural() {
					continue
				}
				var missing, extra []string
				for _, cat := range required {
					if _, ok := m.plural[cat]; !ok {
						missing = append(missing, cat)
					}
				}
				for cat := range m.plural {
					if !slices.Contains(required, cat) {
						extra = append(extra, cat)
					}
				}
				if len(missing) > 0 {
					t.Errorf("%s: %s lacks plural forms %v (CLDR: %v)", lang, id, missing, required)
				}
				if len(extra) > 0 {
					sort.Strings(extra)
					t.Errorf("%s: %s has forms %v that %s never uses (CLDR: %v)", lang, id, extra, lang, required)
				}
			}
		})
	}
}

// TestPluralMessagesLocalize: every plural message of every language
// localizes for 0, 1, 2, 5, 11 and a million, in its own language and with
// the number written from 3 on.
func TestPluralMessagesLocalize(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range langCodes(t) {
		loc := b.NewLocalizer(lang)
		msgs := messages(t, lang)
		for _, id := range sortedIDs(msgs) {
			if !msgs[id].isPlural() {
				continue
			}
			for _, n := range []int{0, 1, 2, 5, 11, 1000000} {
				out, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, PluralCount: n,
					TemplateData: map[string]any{"Count": n}})
				if err != nil {
					t.Errorf("%s: %s (%d): %v", lang, id, n, err)
					continue
				}
				if base, _ := tag.Base(); base.String() != lang {
					t.Errorf("%s: %s (%d) fell back to %s", lang, id, n, tag)
				}
				if out == "" || out == id || strings.Contains(out, "{{") {
					t.Errorf("%s: %s (%d): %q", lang, id, n, out)
				}
				// Arabic words zero, one and two ("يومان", two days);
				// from 3 on, every language writes the number.
				if n >= 3 && !strings.Contains(out, strconv.Itoa(n)) {
					t.Errorf("%s: %s (%d): the count is missing: %q", lang, id, n, out)
				}
			}
		}
	}
}

func TestNoUntranslatedEnglish(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range langCodes(t) {
		if lang == "en" {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			got := messages(t, lang)
			same := func(id, enText, text string) {
				// Month names are CLDR's, checked by TestMonthNamesMatchCLDR
				// (German "April" is English "April").
				if strings.HasPrefix(id, "date.month.") {
					return
				}
				if text == enText && !allowUnchanged[strings.TrimSpace(text)] {
					t.Errorf("%s: %s is still English: %q", lang, id, text)
				}
			}
			for _, id := range sortedIDs(en) {
				g, ok := got[id]
				if !ok {
					continue // reported by TestEveryLocaleHasExactlyEnglishKeys
				}
				e := en[id]
				if !e.isPlural() || !g.isPlural() {
					same(id, e.text, g.text)
					continue
				}
				for cat, text := range g.plural {
					if enText, ok := e.plural[cat]; ok {
						same(id+"."+cat, enText, text)
					}
				}
			}
		})
	}
}

func TestTemplatesParse(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, lang := range langCodes(t) {
		t.Run(lang, func(t *testing.T) {
			want, _ := language.Make(lang).Base()
			loc := b.NewLocalizer(lang)
			msgs := messages(t, lang)
			for _, id := range sortedIDs(msgs) {
				// A plain message has only an "other" form, so a plural count
				// (which picks e.g. "one") applies only to plural messages.
				counts := []any{nil}
				if msgs[id].isPlural() {
					counts = []any{3, 1}
				}
				for _, n := range counts {
					out, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{
						MessageID:    id,
						TemplateData: map[string]any{"Count": 3},
						PluralCount:  n,
					})
					if err != nil {
						t.Errorf("%s: %s (count %v): %v", lang, id, n, err)
						continue
					}
					if got, _ := tag.Base(); got != want {
						t.Errorf("%s: %s (count %v) came from %s, not %s", lang, id, n, tag, lang)
					}
					if strings.TrimSpace(out) == "" {
						t.Errorf("%s: %s (count %v): empty output", lang, id, n)
					}
					if strings.Contains(out, "{{") || strings.Contains(out, "<no value>") {
						t.Errorf("%s: %s (count %v): template not filled: %q", lang, id, n, out)
					}
				}
			}
		})
	}
}
