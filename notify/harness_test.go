package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/handlers"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// harness is the notifications end to end in one process: the service on
// a real SQLite file with the demo data, the real HTTP app (the links in
// e-mails are followed against it), a real SMTP server (sink) and the
// Worker, on a clock the test moves.
type harness struct {
	t    testing.TB
	svc  *service.Service
	st   *store.Store
	base string
	sink *sink
	w    *Worker

	mu    sync.Mutex
	clock time.Time
}

func (h *harness) now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.clock
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clock = h.clock.Add(d)
}

type harnessOpts struct {
	// smtpAddr is where the mailer connects ("": the sink's).
	smtpAddr string
}

func newHarness(t testing.TB, o harnessOpts) *harness {
	t.Helper()
	ctx := context.Background()
	legal := returns.LoadLegal()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "returns.db"), legal)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The store stamps rows by the wall clock; the service's clock runs a
	// minute ahead so that rows are due when made.
	h := &harness{t: t, st: st, clock: time.Now().UTC().Add(time.Minute).Truncate(time.Second)}
	if _, err := demo.Seed(ctx, st, legal, time.Now()); err != nil {
		t.Fatal(err)
	}
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	h.svc, err = service.New(service.Config{Store: st, Legal: legal, Now: h.now, Tokens: signer,
		Settings: service.Settings{WebhookAllowPrivate: true}})
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.base = "http://" + ln.Addr().String()
	e, err := handlers.New(handlers.Config{Service: h.svc, Catalog: catalog, BaseURL: h.base})
	if err != nil {
		t.Fatal(err)
	}
	app := httptest.NewUnstartedServer(e)
	app.Listener.Close()
	app.Listener = ln
	app.Start()
	t.Cleanup(app.Close)

	h.sink = startSink(t, nil)
	addr := o.smtpAddr
	if addr == "" {
		addr = h.sink.addr
	}
	cfg, err := ParseSMTPURL("smtp://" + addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	from, _ := mail.ParseAddress("Nordlicht Returns <returns@shop.example>")
	h.w, err = New(Config{Service: h.svc, Renderer: NewRenderer(catalog, h.base), Mailer: mailer, From: from,
		Webhooks: NewWebhookClient(true), Random: func() float64 { return 0.5 }, Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// round runs one worker round and fails the test on error.
func (h *harness) round() int {
	h.t.Helper()
	n, err := h.w.Round(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// drain runs rounds until nothing more is due.
func (h *harness) drain() {
	h.t.Helper()
	for range 50 {
		if h.round() == 0 {
			return
		}
	}
	h.t.Fatal("the outbox never drained")
}

// create makes a return of one unit of a line, as a shopper who chose a
// language.
func (h *harness) create(number, line, lang string) service.Created {
	h.t.Helper()
	ctx := context.Background()
	l, err := h.svc.Lookup(ctx, service.LookupRequest{OrderNumber: number, Email: demo.Email, ClientIP: "192.0.2.1", Locale: lang})
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := h.svc.CreateReturn(ctx, service.OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, service.ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: line, Quantity: 1, Reason: "wrong_size"}},
			RefundMethod: returns.MethodOriginalPayment}})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// rows lists the outbox rows, oldest first.
func (h *harness) rows(f store.OutboxFilter) []store.OutboxMessage {
	h.t.Helper()
	f.Limit = 500
	rows, err := h.svc.Outbox(context.Background(), f)
	if err != nil {
		h.t.Fatal(err)
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// parsed is an e-mail as a mail client reads it.
type parsed struct {
	Header  mail.Header
	Subject string
	Text    string
	HTML    string
}

// parse reads a received message: headers (subject decoded) and the
// text and HTML parts of its multipart/alternative body.
func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Header: m.Header, Subject: subject}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part) // quoted-printable is decoded by the reader
		if err != nil {
			t.Fatal(err)
		}
		if enc := part.Header.Get("Content-Transfer-Encoding"); strings.EqualFold(enc, "base64") {
			if body, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), "")); err != nil {
				t.Fatal(err)
			}
		}
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if !strings.EqualFold(cp["charset"], "utf-8") {
			t.Errorf("part %s charset %q", ct, cp["charset"])
		}
		switch ct {
		case "text/plain":
			p.Text = string(body)
		case "text/html":
			p.HTML = string(body)
		default:
			t.Errorf("unexpected part %s", ct)
		}
	}
	if p.Text == "" || p.HTML == "" {
		t.Fatalf("a part is missing: text %d bytes, html %d bytes", len(p.Text), len(p.HTML))
	}
	return p
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// links are the URLs of a text part.
func (p parsed) links() []string { return linkRE.FindAllString(p.Text, -1) }

// link is the first URL of the text part whose path starts so.
func (p parsed) link(t *testing.T, base, pathPrefix string) string {
	t.Helper()
	for _, l := range p.links() {
		if strings.HasPrefix(l, base+pathPrefix) {
			return l
		}
	}
	t.Fatalf("no link to %s in:\n%s", pathPrefix, p.Text)
	return ""
}

// get fetches a URL of the app.
func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// receiver is a webhook endpoint in the test process. It verifies every
// delivery exactly as the Standard Webhooks specification describes
// (verify, below) and keeps the ones it accepts, once per webhook-id.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	// status is what it answers next (0: 200), status[0] first.
	status   []int
	requests int
	bodies   map[string][]byte // by webhook-id: duplicates dropped
	order    []string
	bad      []string // deliveries that failed verification
	now      func() time.Time
}

func newReceiver(t *testing.T, now func() time.Time) *receiver {
	r := &receiver{t: t, bodies: map[string][]byte{}, now: now}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if err := verify(r.secret, req.Header, body, r.now(), 5*time.Minute); err != nil {
		r.bad = append(r.bad, err.Error())
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	status := http.StatusOK
	if len(r.status) > 0 {
		status, r.status = r.status[0], r.status[1:]
	}
	if status >= 200 && status < 300 {
		id := req.Header.Get("webhook-id")
		if _, dup := r.bodies[id]; !dup { // the receiver's idempotency
			r.bodies[id] = body
			r.order = append(r.order, id)
		}
	}
	w.WriteHeader(status)
}

func (r *receiver) got() (requests int, unique []string, bad []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests, append([]string(nil), r.order...), append([]string(nil), r.bad...)
}

var errNoSignature = errors.New("no valid signature")

// verify checks a delivery as the Standard Webhooks specification's
// "Verifying signatures" says, written from the specification alone: the
// three headers are required; the timestamp must be within the tolerance
// of now; the key is the base64 after "whsec_"; the signed content is
// "{webhook-id}.{webhook-timestamp}.{body}" under HMAC-SHA256; the header
// is a space-separated list of "v1,<base64>" (other versions are skipped)
// and one match, compared in constant time, is enough.
func verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("timestamp outside the tolerance")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := mac.Sum(nil)
	for _, s := range strings.Split(sigs, " ") {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errNoSignature
}
