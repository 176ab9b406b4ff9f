package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
)

// TestBrowserEmailInOutbox: with `make run`'s flags (no SMTP server) a
// shopper makes a return in the portal, in German, and the staff find its
// e-mail, written in German, in /admin/outbox: headers, the HTML part in
// its frame, the text part. No CSP violation, no axe violation.
func TestBrowserEmailInOutbox(t *testing.T) {
	p := startPortal(t)
	shop, _ := privateTab(t, 40*time.Second)
	must(t, shop, "open", chromedp.Navigate(p.URL+"/?lang=de"))
	rma := returnFlow(t, shop, nil, "mail", true)

	ctx, cons := privateTab(t, 40*time.Second)
	login(t, ctx, p, p.URL)
	wait := chromedp.WaitVisible[chromedp.CSS]
	found := false
	for range 50 { // the worker writes it within moments of the commit
		must(t, ctx, "outbox", chromedp.Navigate(p.URL+"/admin/outbox?rma="+rma), wait(testID("outbox-filters")))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="outbox-row"][data-event="return.created"][data-status="kept"]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			found = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !found {
		t.Fatalf("no kept return.created e-mail for %s in the outbox:\n%s", rma, p.log)
	}
	if subject := text(t, ctx, "outbox-subject"); subject != "Ihre Rücksendung "+rma+" zur Bestellung DE-1001" {
		t.Errorf("subject %q", subject)
	}
	shot(t, ctx, "outbox-1-list")
	noAxeViolations(t, ctx, "outbox list")
	must(t, ctx, "open the e-mail", chromedp.Click(chromedp.CSS(`[data-event="return.created"] [data-testid="outbox-link"]`)),
		wait(testID("outbox-headers")), wait(testID("outbox-html")))
	headers := text(t, ctx, "outbox-headers")
	for _, want := range []string{"To: <demo@example.com>", "Subject: Ihre Rücksendung " + rma, "Content-Language: de", "Message-ID: <msg_"} {
		if !strings.Contains(headers, want) {
			t.Errorf("headers lack %q:\n%s", want, headers)
		}
	}
	if body := text(t, ctx, "outbox-text"); !strings.Contains(body, rma) || !strings.Contains(body, "/r/"+rma+"?") {
		t.Errorf("text part:\n%s", body)
	}
	// The framed HTML part loads (same origin, its own CSP).
	must(t, ctx, "the HTML part", chromedp.Poll[chromedp.Void](`(() => {
		const f = document.querySelector('[data-testid="outbox-html"]');
		return f && performance.getEntriesByName(f.src).length > 0;
	})()`))
	shot(t, ctx, "outbox-2-email")
	noAxeViolations(t, ctx, "outbox e-mail")
	noViolations(t, cons)
}

// crashSink is an SMTP server for the crash test: it keeps, per RMA named
// in a subject, the Message-IDs it received.
type crashSink struct {
	mu  sync.Mutex
	ids map[string][]string // RMA → Message-IDs, in arrival order
	n   int
}

func (s *crashSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &crashSession{s: s}, nil }

type crashSession struct{ s *crashSink }

func (c *crashSession) Mail(string, *smtp.MailOptions) error { return nil }
func (c *crashSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (c *crashSession) Reset()                               {}
func (c *crashSession) Logout() error                        { return nil }
func (c *crashSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	rma := ""
	for _, f := range strings.Fields(subject) {
		if strings.HasPrefix(f, "R-") {
			rma = f
		}
	}
	c.s.mu.Lock()
	c.s.ids[rma] = append(c.s.ids[rma], m.Header.Get("Message-ID"))
	c.s.n++
	c.s.mu.Unlock()
	return nil
}

// TestCrashLosesNoEmail: the SMTP server is down while 100 returns are
// made through the API; the portal is killed (SIGKILL) right after the
// last one was acknowledged; the SMTP server comes back and the portal is
// started again on the same database: every e-mail arrives, exactly once,
// or twice with the same Message-ID.
func TestCrashLosesNoEmail(t *testing.T) {
	const returnsMade = 100
	reserve, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr := reserve.Addr().String()
	reserve.Close() // nothing listens there: the SMTP server is down
	db := filepath.Join(t.TempDir(), "crash.db")
	flags := []string{"--db", db, "--smtp-url", "smtp://" + smtpAddr + "?tls=none", "--mail-from", "Shop Returns <returns@shop.example>",
		"--lookup-limit-ip", "0", "--lookup-limit-order", "0", "--outbox-lease", "5s"}
	p := startPortal(t, flags...)

	rmas := make([]string, 0, returnsMade)
	for i := range returnsMade {
		number := fmt.Sprintf("CR-%03d", i)
		putOrder(t, p, number)
		lk := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": number, "email": "crash@example.com"})
		r := p.postJSON(t, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}})
		rmas = append(rmas, r["rma"].(string))
	}
	p.kill(t)
	if !strings.Contains(p.log.String(), "SMTP server unreachable") {
		t.Errorf("the first process never tried the SMTP server:\n%s", p.log)
	}

	sink := &crashSink{ids: map[string][]string{}}
	srv := smtp.NewServer(sink)
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", smtpAddr)
	if err != nil {
		t.Fatalf("the SMTP address was taken meanwhile: %v", err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	startPortal(t, flags...)

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		sink.mu.Lock()
		done := len(sink.ids) >= returnsMade
		sink.mu.Unlock()
		if done {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a straggler would show as a duplicate
	sink.mu.Lock()
	defer sink.mu.Unlock()
	twice := 0
	for _, rma := range rmas {
		ids := sink.ids[rma]
		switch {
		case len(ids) == 0:
			t.Errorf("%s: no e-mail arrived", rma)
		case len(ids) > 1:
			twice++
			for _, id := range ids[1:] {
				if id != ids[0] {
					t.Errorf("%s arrived twice with different Message-IDs: %v", rma, ids)
				}
			}
		}
	}
	if len(sink.ids) != returnsMade {
		t.Errorf("e-mails about %d returns, want %d", len(sink.ids), returnsMade)
	}
	t.Logf("%d e-mails received for %d returns (%d sent twice with the same Message-ID)", sink.n, returnsMade, twice)
}

// putOrder pushes an order of one unit, delivered yesterday in Germany,
// through the merchant API with the demo key.
func putOrder(t *testing.T, p *portal, number string) {
	t.Helper()
	now := time.Now().UTC()
	body, _ := json.Marshal(map[string]any{
		"email": "crash@example.com", "customer_name": "Crash Test", "locale": "de-DE", "currency": "EUR",
		"placed_at": now.Add(-72 * time.Hour), "shipped_at": now.Add(-48 * time.Hour), "delivered_at": now.Add(-24 * time.Hour),
		"shipping_address": map[string]string{"name": "Crash Test", "line1": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115", "country": "DE"},
		"shipping":         map[string]any{"amount": 495, "method": "standard"},
		"payment":          map[string]string{"method": "card", "provider": "stripe", "reference": "pi_" + number},
		"lines": []map[string]any{{"id": "L1", "sku": "TEE", "name": "T-Shirt", "quantity": 1, "unit_price": 2500,
			"category": "apparel", "hs_code": "610910", "origin_country": "PT", "weight_grams": 200}},
	})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPut, "http://"+p.Addr+"/api/v1/orders/"+number, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("put order %s: %d %s", number, res.StatusCode, b)
	}
}
