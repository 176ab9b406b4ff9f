package service

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"reflect"
	"runtime/debug"

	"github.com/returns-portal/returns/labels"
)

// documentLabel is the kind of a stored label (store.SaveDocument).
const documentLabel = "label"

// A label is stored with a fingerprint of everything that decides its
// bytes, and served from the store while the fingerprint of a new download
// is the same:
//   - what it prints (labels.LabelData: the RMA and order number, the
//     sender's address from the order, the hub of the policy version the
//     return was decided under, the status link of the QR code with its
//     token, the weight and number of units from the quote, whether a
//     customs declaration goes with it), so that an updated order or a
//     re-quoted return gets a new label;
//   - the words of its instructions in English and in the shopper's
//     language (labels.MessageIDs, as the translators give them), so that a
//     changed translation does;
//   - the paper size;
//   - the code that draws it (buildIdentity), so that a new version of the
//     portal renders its labels anew.
// A label holds no date; the customs declaration does, and is not stored.

// labelFingerprint is the stored label's variant (the paper size and the
// shopper's language, by its words: one stored label each) and the
// fingerprint of what it prints.
func labelFingerprint(build string, size labels.Size, d labels.LabelData) (variant, fingerprint string) {
	local := wordsSum(d.Local)
	variant = size.String() + "/" + hex.EncodeToString(local[:8])

	english := wordsSum(d.English)
	h := sha256.New()
	write(h, build, documentLabel, variant)
	h.Write(english[:])
	h.Write(local[:])
	writeFields(h, d)
	return variant, hex.EncodeToString(h.Sum(nil))
}

// wordsSum is the SHA-256 of what a translator says for every word of the
// documents, each id and word NUL-ended ("-" for no translator), hashed
// once from one buffer: a download fingerprints its label every time.
func wordsSum(t labels.Translator) [sha256.Size]byte {
	if t == nil {
		return sha256.Sum256([]byte("-\x00"))
	}
	b := make([]byte, 0, 4096)
	for _, id := range labels.MessageIDs() {
		b = append(append(b, id...), 0)
		b = append(append(b, t(id)...), 0)
	}
	return sha256.Sum256(b)
}

// writeFields writes every field of a struct but its functions (the
// translators), each as its name and its JSON, so that a field added to
// LabelData counts without being listed here.
func writeFields(h hash.Hash, v any) {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if !f.IsExported() || f.Type.Kind() == reflect.Func {
			continue
		}
		b, err := json.Marshal(rv.Field(i).Interface())
		if err != nil {
			// Not JSON: a new label can't be told from the stored one,
			// so it never matches and is always rendered.
			b, _ = randomBytes()
		}
		write(h, f.Name, string(b))
	}
}

// write writes strings, each ended by a NUL so that "ab","c" and "a","bc"
// differ.
func write(h hash.Hash, parts ...string) {
	for _, p := range parts {
		_, _ = io.WriteString(h, p)
		h.Write([]byte{0})
	}
}

// buildIdentity identifies the code of this binary: its VCS revision when
// it was built from a clean checkout, its module version when installed as
// one; otherwise (a modified checkout, a test) a value of its own per
// process, so that documents stored by other code are never served.
func buildIdentity() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" && settings["vcs.modified"] == "false" {
			return "vcs:" + rev
		}
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return "module:" + v
		}
	}
	b, _ := randomBytes()
	return "process:" + hex.EncodeToString(b)
}

func randomBytes() ([]byte, error) {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	return b, err
}
