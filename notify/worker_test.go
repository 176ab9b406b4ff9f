package notify

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// freePort is a local address nothing listens on (yet).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestSMTPOutage: while the SMTP server is down the e-mails wait without
// using up their schedule (one probe per pause, logged for staff); when it
// is back each arrives exactly once.
func TestSMTPOutage(t *testing.T) {
	addr := freePort(t)
	h := newHarness(t, harnessOpts{smtpAddr: addr})
	var rmas []string
	for _, o := range []string{demo.FeaturedOrder, "IT-1002", "US-1005", "JP-1006", "KW-1007"} {
		rmas = append(rmas, h.create(o, "L1", "en").Return.RMA)
	}
	h.round()
	mails := func() []store.OutboxMessage {
		var out []store.OutboxMessage
		for _, m := range h.rows(store.OutboxFilter{Channel: store.ChannelEmail}) {
			if m.Event != returns.MailDropOffReminder {
				out = append(out, m)
			}
		}
		return out
	}
	for i, m := range mails() {
		if m.Status != store.OutboxPending || m.Attempts != 0 {
			t.Errorf("during the outage: %s after %d attempts", m.Status, m.Attempts)
		}
		if i == 0 && !strings.Contains(m.LastError, "SMTP server unreachable") {
			t.Errorf("the probe's failure is not shown: %q", m.LastError)
		}
	}
	if !h.w.mailPaused() {
		t.Fatal("the e-mail channel is not paused")
	}
	if n := h.round(); n != 0 {
		t.Errorf("%d rows claimed while e-mail is paused", n)
	}
	// The server comes back on its address.
	s := &sink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s, conn: c}, nil }))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err) // another process won the race for it
	}
	go func() { _ = s.srv.Serve(ln) }()
	defer s.srv.Close()
	h.advance(minPause + time.Second)
	h.drain()
	got := map[string]int{}
	for _, m := range s.messages() {
		p := parse(t, m.Data)
		for _, rma := range rmas {
			if strings.Contains(p.Subject, rma) {
				got[rma]++
			}
		}
	}
	for _, rma := range rmas {
		if got[rma] != 1 {
			t.Errorf("%s arrived %d times", rma, got[rma])
		}
	}
	for _, m := range mails() {
		if m.Status != store.OutboxSent || m.Attempts != 1 {
			t.Errorf("after the outage: %s after %d attempts", m.Status, m.Attempts)
		}
	}
	if h.w.mailPaused() {
		t.Error("still paused after a session worked")
	}
}

// TestKeptWithoutSMTP: without an SMTP server (make run) e-mails are
// written and kept for /admin/outbox, with their headers.
func TestKeptWithoutSMTP(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	catalog, _ := locales.Load()
	from, _ := mail.ParseAddress("Returns <returns@localhost>")
	w, err := New(Config{Service: h.svc, Renderer: NewRenderer(catalog, h.base), Mailer: KeepMailer{}, From: from,
		Webhooks: NewWebhookClient(true)})
	if err != nil {
		t.Fatal(err)
	}
	c := h.create(demo.FeaturedOrder, "L1", "de")
	if _, err := w.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := h.rows(store.OutboxFilter{RMA: c.Return.RMA, Channel: store.ChannelEmail})[0]
	if m.Status != store.OutboxKept || m.SentAt == nil || m.Subject != "Ihre Rücksendung "+c.Return.RMA+" zur Bestellung DE-1001" {
		t.Fatalf("kept row %+v", m)
	}
	full, _, err := h.svc.OutboxMessage(context.Background(), m.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Message-ID: <" + m.PublicID + "@localhost>", "To: <demo@example.com>",
		"Subject: Ihre Rücksendung " + c.Return.RMA, "Content-Language: de"} {
		if !strings.Contains(full.Headers, want) {
			t.Errorf("headers lack %q:\n%s", want, full.Headers)
		}
	}
	if !strings.Contains(full.BodyHTML, `<html lang="de" dir="ltr">`) || !strings.Contains(full.BodyText, c.Return.RMA) {
		t.Error("the kept e-mail's parts")
	}
	if len(h.sink.messages()) != 0 {
		t.Error("a kept e-mail was sent")
	}
}

// slowReceiver answers after a while, counting what it got.
type slowReceiver struct {
	mu    sync.Mutex
	n     int
	delay time.Duration
}

func (s *slowReceiver) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	time.Sleep(s.delay)
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// TestShutdownWaitsForSendsInFlight: once Run's context is done it claims
// nothing more, lets the delivery in flight finish and record itself, and
// puts back what it had claimed but not started.
func TestShutdownWaitsForSendsInFlight(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	slow := &slowReceiver{delay: 400 * time.Millisecond}
	rec := &http.Server{Handler: slow}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() { _ = rec.Serve(ln) }()
	defer rec.Close()
	if _, err := h.svc.CreateWebhook(context.Background(), service.WebhookInput{URL: "http://" + ln.Addr().String() + "/",
		Events: []string{returns.EventReturnCreated}}); err != nil {
		t.Fatal(err)
	}
	for _, o := range []string{demo.FeaturedOrder, "IT-1002", "US-1005"} {
		h.create(o, "L1", "en")
	}
	catalog, _ := locales.Load()
	from, _ := mail.ParseAddress("Returns <returns@localhost>")
	w, err := New(Config{Service: h.svc, Renderer: NewRenderer(catalog, h.base), Mailer: KeepMailer{}, From: from,
		Webhooks: NewWebhookClient(true), Parallel: 1, ShutdownWait: 5 * time.Second, Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = w.Run(ctx); close(done) }()
	time.Sleep(150 * time.Millisecond) // the first delivery is in flight
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	slow.mu.Lock()
	n := slow.n
	slow.mu.Unlock()
	var sent, pending int
	for _, m := range h.rows(store.OutboxFilter{Channel: store.ChannelWebhook}) {
		switch {
		case m.Status == store.OutboxSent:
			sent++
		case m.Status == store.OutboxPending && m.Attempts == 0 && m.LeaseUntil == nil:
			pending++
		default:
			t.Errorf("row %s: %s, %d attempts, lease %v", m.PublicID, m.Status, m.Attempts, m.LeaseUntil)
		}
	}
	if n != 1 || sent != 1 || pending != 2 {
		t.Errorf("%d delivered, %d recorded sent, %d put back; want 1, 1, 2", n, sent, pending)
	}
}

// TestSTARTTLSWorker: the worker sends through a server that requires
// STARTTLS and a login.
func TestSTARTTLSWorker(t *testing.T) {
	cert, pool := testCert(t)
	s := startSink(t, &tls.Config{Certificates: []tls.Certificate{cert}})
	s.user, s.pass = "shop", "pw"
	h := newHarness(t, harnessOpts{})
	cfg, _ := ParseSMTPURL("smtp://shop:pw@127.0.0.1:" + s.port())
	cfg.TLS = &tls.Config{RootCAs: pool}
	mailer, err := NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.w.cfg.Mailer = mailer
	h.create(demo.FeaturedOrder, "L1", "en")
	h.drain()
	if got := s.messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %+v", got)
	}
}
