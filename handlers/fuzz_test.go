package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// The fuzz targets feed arbitrary bodies to the shopper's endpoints through
// the real Echo app on a real SQLite file with the demo data. Whatever the
// input, the answer must be a client error or a success, never a server
// error, always JSON, and every error must carry a code and a message.

// fuzzLog collects the app's log lines of the current input, so that a
// failure shows why the server answered 5xx.
type fuzzLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *fuzzLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *fuzzLog) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

type fuzzEnv struct {
	e   *echo.Echo
	log *fuzzLog
}

// fuzzApp builds the app once per fuzz target: a migrated SQLite file with
// the demo policy and orders, rate limits off (the fuzzer is one client
// making thousands of lookups).
func fuzzApp(f *testing.F) *fuzzEnv {
	f.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), returns.LoadLegal())
	if err != nil {
		f.Fatalf("store.Open: %v", err)
	}
	f.Cleanup(func() {
		if err := st.Close(); err != nil {
			f.Errorf("Close: %v", err)
		}
	})
	if err := st.Migrate(ctx); err != nil {
		f.Fatalf("Migrate: %v", err)
	}
	if _, err := demo.Seed(ctx, st, returns.LoadLegal(), time.Now()); err != nil {
		f.Fatalf("demo.Seed: %v", err)
	}
	log := &fuzzLog{}
	logger := slog.New(slog.NewTextHandler(log, nil))
	signer, err := token.NewSigner([]byte("fuzz-secret-fuzz-secret-fuzz-sec")) // 32 bytes
	if err != nil {
		f.Fatal(err)
	}
	// 0 turns both lookup limits off.
	e := wire(f, service.Config{Store: st, Logger: logger, Tokens: signer,
		Settings: service.Settings{LookupLimitIP: 0, LookupLimitOrder: 0}},
		Config{BaseURL: "http://portal.test", Logger: logger})
	return &fuzzEnv{e: e, log: log}
}

// fuzzPost sends body as JSON to path and returns the status and body.
func (a *fuzzEnv) fuzzPost(path string, body []byte) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.log.take()
	a.e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// fuzzCheck is the property every answer must have.
func (a *fuzzEnv) fuzzCheck(t *testing.T, path string, body []byte, status int, resp []byte) {
	t.Helper()
	show := func(b []byte) string {
		if len(b) > 300 {
			return fmt.Sprintf("%q... (%d bytes)", b[:300], len(b))
		}
		return fmt.Sprintf("%q", b)
	}
	if status >= 500 {
		t.Fatalf("POST %s %s = %d %s\nlog: %s", path, show(body), status, resp, a.log.take())
	}
	if !json.Valid(resp) {
		t.Fatalf("POST %s %s = %d with a body that is not JSON: %s", path, show(body), status, show(resp))
	}
	if status >= 400 {
		var eb struct {
			Error *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(resp, &eb); err != nil || eb.Error == nil ||
			eb.Error.Code == "" || strings.TrimSpace(eb.Error.Message) == "" {
			t.Fatalf("POST %s %s = %d without error.code and error.message: %s", path, show(body), status, show(resp))
		}
		if !utf8.ValidString(eb.Error.Message) {
			t.Fatalf("POST %s: error message is not UTF-8: %q", path, eb.Error.Message)
		}
	} else if status < 200 || status > 299 {
		t.Fatalf("POST %s %s = unexpected status %d", path, show(body), status)
	}
}

// fuzzToken looks up the featured demo order (in the given language) and
// returns the lookup token.
func (a *fuzzEnv) fuzzToken(f *testing.F, lang string) string {
	f.Helper()
	body := fmt.Sprintf(`{"order_number":%q,"email":%q}`, demo.FeaturedOrder, demo.Email)
	path := "/api/v1/returns/lookup"
	if lang != "" {
		path += "?lang=" + url.QueryEscape(lang)
	}
	status, resp := a.fuzzPost(path, []byte(body))
	if status != http.StatusOK {
		f.Fatalf("lookup of the demo order = %d %s", status, resp)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(resp, &out); err != nil || out.Token == "" {
		f.Fatalf("lookup answer without a token: %s", resp)
	}
	return out.Token
}

// fuzzSeedStrings are awkward strings for any field.
func fuzzSeedStrings() []string {
	return []string{
		"",
		" ",
		"\x00",
		"\xff\xfe\xfd",              // invalid UTF-8
		"\xed\xa0\x80",              // a UTF-16 surrogate encoded as UTF-8
		"日本語の注文",                    // unicode
		"DE-1001\u202e",             // bidi override
		"ДЕ-1001",                   // Cyrillic look-alikes
		"\u0000\u2028\ufeff",        // control, separator and byte-order mark
		strings.Repeat("A", 70_000), // a huge string
		`"quoted"`,
		`\`,
		"null",
	}
}

// fuzzNested is v nested depth times in arrays.
func fuzzNested(depth int, v string) string {
	return strings.Repeat("[", depth) + v + strings.Repeat("]", depth)
}

func FuzzLookupInput(f *testing.F) {
	a := fuzzApp(f)
	valid := fmt.Sprintf(`{"order_number":%q,"email":%q}`, demo.FeaturedOrder, demo.Email)
	seeds := []string{
		valid,
		fmt.Sprintf(`{"order_number":" %s ","email":"  DEMO@Example.COM "}`, demo.FeaturedOrder),
		fmt.Sprintf(`{"order_number":%q,"email":%q}`, demo.PartialOrder, demo.Email),
		`{"order_number":"JP-1006","email":"demo@example.com"}`,
		`{"order_number":"KW-1007","email":"demo@example.com"}`,
		`{"order_number":"IE-1009","email":"demo@example.com"}`,
		fmt.Sprintf(`{"order_number":%q,"email":"wrong@example.com"}`, demo.FeaturedOrder),
		`{"order_number":"NOPE-1","email":"demo@example.com"}`,
		fmt.Sprintf(`{"order_number":%q,"email":""}`, demo.FeaturedOrder),
		fmt.Sprintf(`{"order_number":%q}`, demo.FeaturedOrder),
		``,
		` `,
		`null`,
		`[]`,
		`{}`,
		`""`,
		`0`,
		`true`,
		`{"order_number":5}`,
		`{"order_number":5,"email":"demo@example.com"}`,
		`{"order_number":"DE-1001","email":true}`,
		`{"order_number":null,"email":null}`,
		`{"order_number":["DE-1001"],"email":{"a":1}}`,
		`{"order_number":1e999}`,
		`{"order_number":"DE-1001","email":"demo@example.com","extra":[1,2,{"x":null}]}`,
		`{"order_number":"DE-1001","order_number":"IT-1002","email":"demo@example.com"}`,
		valid + `xyz`,
		valid + `{}`,
		valid + ` ` + valid,
		valid[:len(valid)-1],
		`{"order_number":"DE-1001","email":"demo@example.com",}`,
		`{'order_number':'DE-1001'}`,
		"\xef\xbb\xbf" + valid, // byte-order mark
		`{"order_number":"\ud800","email":"\u0000demo@example.com"}`,
		`{"order_number":"DE-1001","email":"demo@example.com\u0000"}`,
		`{"order_number":"` + strings.Repeat("9", 100_000) + `","email":"demo@example.com"}`,
		fuzzNested(20_000, `1`),
		`{"order_number":` + fuzzNested(5_000, `"x"`) + `}`,
		`{"email":` + strings.Repeat(`{"a":`, 2_000) + `1` + strings.Repeat(`}`, 2_000) + `}`,
	}
	for _, s := range fuzzSeedStrings() {
		b, _ := json.Marshal(map[string]string{"order_number": s, "email": s})
		seeds = append(seeds, string(b))
		// Raw, not escaped: invalid UTF-8 and control bytes inside strings.
		seeds = append(seeds, `{"order_number":"`+s+`","email":"demo@example.com"}`)
	}
	for _, s := range seeds {
		f.Add([]byte(s), "")
	}
	// The language parameter is input too: it goes into the token and picks
	// the messages.
	for _, lang := range []string{"de", "ja-JP", "ar", "xx", "en;q=abc", "*", "de-DE-u-co-phonebk", strings.Repeat("de,", 500), "\xff"} {
		f.Add([]byte(valid), lang)
		f.Add([]byte(`{"order_number":5}`), lang)
	}
	// A body over the 1 MB limit.
	f.Add([]byte(`{"order_number":"`+strings.Repeat("x", 1<<20)+`"}`), "")

	f.Fuzz(func(t *testing.T, body []byte, lang string) {
		path := "/api/v1/returns/lookup"
		if lang != "" {
			path += "?lang=" + url.QueryEscape(lang)
		}
		status, resp := a.fuzzPost(path, body)
		a.fuzzCheck(t, path, body, status, resp)
		if status == http.StatusOK {
			var out struct {
				Token string `json:"token"`
				Order struct {
					Number string `json:"number"`
				} `json:"order"`
				Lines []json.RawMessage `json:"lines"`
			}
			if err := json.Unmarshal(resp, &out); err != nil || out.Token == "" || out.Order.Number == "" || len(out.Lines) == 0 {
				t.Fatalf("200 without token, order and lines: %s (%v)", resp, err)
			}
		}
	})
}

func FuzzCreateInput(f *testing.F) {
	a := fuzzApp(f)
	// A real token, looked up once; the tokens are valid for 30 minutes,
	// longer than any fuzzing run here. A second one carries an odd language.
	token := a.fuzzToken(f, "")
	odd := a.fuzzToken(f, "xx-\u00e9")
	// The strings are JSON-encoded (not %q, whose Go escapes are not JSON)
	// so that odd values get past the decoder to the rules.
	const template = `{"token":"%s","items":[{"line_id":%s,"quantity":%d,"reason":%s}],"refund_method":%s}`
	js := func(s string) []byte { b, _ := json.Marshal(s); return b }

	// Templated seeds: raw is empty and the body is built from the fields.
	type item struct {
		line   string
		qty    int
		reason string
		method string
	}
	items := []item{
		{"L1", 1, "wrong_size", "original_payment"}, // valid (may succeed, then exhaust the line)
		{"L1", 1, "changed_mind", "store_credit"},
		{"L1", 2, "damaged", "original_payment"},
		{"L1", 1, "wrong_size", "bank_transfer"}, // no bank account
		{"L1", 0, "wrong_size", "original_payment"},
		{"L1", -1, "wrong_size", "original_payment"},
		{"L1", 3, "wrong_size", "original_payment"},
		{"L1", math.MaxInt, "wrong_size", "original_payment"},
		{"L1", math.MinInt, "wrong_size", "original_payment"},
		{"L1", math.MaxInt32 + 1, "wrong_size", "original_payment"},
		{"L2", 1, "wrong_size", "original_payment"}, // final sale
		{"L2", 1, "defective", "original_payment"},
		{"L3", 1, "changed_mind", "original_payment"}, // gift card
		{"L99", 1, "wrong_size", "original_payment"},
		{"", 1, "wrong_size", "original_payment"},
		{"l1", 1, "wrong_size", "original_payment"},
		{"L1", 1, "bored", "original_payment"},
		{"L1", 1, "", "original_payment"},
		{"L1", 1, "wrong_size", "cash"},
		{"L1", 1, "wrong_size", "exchange"},
		{"L1", 1, "wrong_size", ""},
		{"L1", 1, "wrong_size", "ORIGINAL_PAYMENT"},
	}
	for _, s := range fuzzSeedStrings() {
		items = append(items, item{s, 1, s, s})
	}
	for _, it := range items {
		f.Add("", it.line, it.qty, it.reason, it.method)
	}

	// Raw seeds: "$TOKEN" is replaced by the valid token.
	raw := []string{
		``,
		` `,
		`null`,
		`[]`,
		`{}`,
		`"$TOKEN"`,
		`{"token":"$TOKEN"}`,
		`{"token":"$TOKEN","items":null}`,
		`{"token":"$TOKEN","items":[]}`,
		`{"token":"$TOKEN","items":{}}`,
		`{"token":"$TOKEN","items":[null]}`,
		`{"token":"$TOKEN","items":[{}]}`,
		`{"token":"$TOKEN","items":"L1"}`,
		`{"token":5,"items":[]}`,
		`{"token":null}`,
		`{"token":"","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"garbage","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKENx","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"a.b","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"` + strings.Repeat("a", 5000) + `.b"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":"1","reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1.5,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1e309,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":99999999999999999999,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":1,"quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":["wrong_size"]}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":7}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"},{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"},{"line_id":"L2","quantity":1,"reason":"defective"},{"line_id":"L3","quantity":1,"reason":"damaged"}],"refund_method":"store_credit","refund_method_consent":true}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"store_credit","refund_method_consent":"yes"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":{"iban":"DE89 3704 0044 0532 0130 00","holder":"Anna Schmidt"}}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":{"iban":"DE00 0000 0000 0000 0000 00","holder":"Anna"}}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":{"iban":"DE89370400440532013000","holder":" "}}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":{"iban":"DE89370400440532013000","holder":"` + strings.Repeat("x", 300) + `"}}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":"DE89370400440532013000"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"bank_transfer","bank_account":null}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment","comment":"` + strings.Repeat("é", 1500) + `"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment","comment":"\u0000\ud800"}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}trailing`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"}{}`,
		`{"token":"$TOKEN","items":[{"line_id":"L1","quantity":1,"reason":"wrong_size"}],"refund_method":"original_payment"`,
		`{"token":"$TOKEN","items":[{"line_id":"\xff\xfe","quantity":1,"reason":"\xc3"}],"refund_method":"\xed\xa0\x80"}`,
		`{"token":"$TOKEN","items":[` + strings.Repeat(`{"line_id":"L1","quantity":1,"reason":"wrong_size"},`, 2000) + `{}]}`,
		`{"token":"$TOKEN","items":` + fuzzNested(10_000, `{}`) + `}`,
		`{"token":"$TOKEN","comment":` + fuzzNested(20_000, ``) + `}`,
		`{"token":"$ODD","items":[{"line_id":"L1","quantity":1,"reason":"nope"}],"refund_method":"original_payment"}`,
	}
	for _, r := range raw {
		f.Add(r, "", 0, "", "")
	}

	// The valid template must really be valid, or the fuzzer would only
	// explore rejections.
	valid := fmt.Appendf(nil, template, token, js("L1"), 1, js("wrong_size"), js("original_payment"))
	if status, resp := a.fuzzPost("/api/v1/returns/quote", valid); status != http.StatusOK {
		f.Fatalf("quote of the valid template = %d %s", status, resp)
	}

	paths := []string{"/api/v1/returns/quote", "/api/v1/returns"}
	f.Fuzz(func(t *testing.T, raw, lineID string, qty int, reason, method string) {
		var body []byte
		if raw != "" {
			raw = strings.ReplaceAll(raw, "$TOKEN", token)
			body = []byte(strings.ReplaceAll(raw, "$ODD", odd))
		} else {
			body = fmt.Appendf(nil, template, token, js(lineID), qty, js(reason), js(method))
		}
		for _, path := range paths {
			status, resp := a.fuzzPost(path, body)
			a.fuzzCheck(t, path, body, status, resp)
			if path == "/api/v1/returns" && status == http.StatusCreated {
				var out struct {
					RMA       string `json:"rma"`
					StatusURL string `json:"status_url"`
				}
				if err := json.Unmarshal(resp, &out); err != nil || out.RMA == "" || out.StatusURL == "" {
					t.Fatalf("201 without rma and status_url: %s (%v)", resp, err)
				}
			}
		}
	})
}
