package notify

import (
	"context"
	"crypto/tls"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		url  string
		want SMTPConfig
		err  bool
	}{
		{"smtp://user:p%40ss@mail.shop.example:587", SMTPConfig{Host: "mail.shop.example", Port: 587, Username: "user", Password: "p@ss"}, false},
		{"smtp://mail.shop.example", SMTPConfig{Host: "mail.shop.example", Port: 587}, false},
		{"smtps://u:p@mail.shop.example", SMTPConfig{Host: "mail.shop.example", Port: 465, Username: "u", Password: "p", ImplicitTLS: true}, false},
		{"smtps://mail.shop.example:2465", SMTPConfig{Host: "mail.shop.example", Port: 2465, ImplicitTLS: true}, false},
		{"smtp://127.0.0.1:25?tls=none", SMTPConfig{Host: "127.0.0.1", Port: 25, NoTLS: true}, false},
		{"smtp://[::1]:2525?tls=none", SMTPConfig{Host: "::1", Port: 2525, NoTLS: true}, false},
		{"smtps://mail.shop.example?tls=none", SMTPConfig{}, true},
		{"smtp://mail.shop.example?tls=maybe", SMTPConfig{}, true},
		{"smtp://mail.shop.example?insecure=1", SMTPConfig{}, true},
		{"http://mail.shop.example", SMTPConfig{}, true},
		{"smtp://", SMTPConfig{}, true},
		{"smtp://mail.shop.example:0", SMTPConfig{}, true},
		{"smtp://mail.shop.example:70000", SMTPConfig{}, true},
		{"smtp://mail.shop.example/path", SMTPConfig{}, true},
		{"mail.shop.example:25", SMTPConfig{}, true},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.url)
		if (err != nil) != tt.err || (err == nil && got != tt.want) {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v", tt.url, got, err)
		}
	}
	c, _ := ParseSMTPURL("smtp://user:secret@mail.shop.example:587")
	if r := c.Redacted(); strings.Contains(r, "secret") || r != "smtp://user@mail.shop.example:587" {
		t.Errorf("redacted %q", r)
	}
}

func testMail(id, to string) Mail {
	from, _ := mail.ParseAddress("Shop Returns <returns@shop.example>")
	reply, _ := mail.ParseAddress("help@shop.example")
	return Mail{MessageID: id + "@shop.example", Date: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), From: from,
		ReplyTo: reply, To: to, Lang: "de", Subject: "Ihre Rücksendung R-1\r\nBcc: evil@x", Text: "Hallo", HTML: "<p>Hallo</p>"}
}

// TestSTARTTLSIsRequired: the mailer upgrades with STARTTLS and sends;
// against a server without STARTTLS it refuses to send in the clear unless
// tls=none was given.
func TestSTARTTLSIsRequired(t *testing.T) {
	cert, pool := testCert(t)
	withTLS := startSink(t, &tls.Config{Certificates: []tls.Certificate{cert}})
	withTLS.user, withTLS.pass = "shop", "s3cret"
	cfg, err := ParseSMTPURL("smtp://shop:s3cret@127.0.0.1:" + withTLS.port())
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLS = &tls.Config{RootCAs: pool}
	m, err := NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	results, connErr := m.Send(context.Background(), []Mail{testMail("msg_a", "ana@example.com"), testMail("msg_b", "bo@example.com")})
	if connErr != nil || results[0] != nil || results[1] != nil {
		t.Fatalf("send: %v %v", results, connErr)
	}
	got := withTLS.messages()
	if len(got) != 2 || !got[0].TLS || got[0].To[0] != "ana@example.com" || got[1].To[0] != "bo@example.com" {
		t.Fatalf("received %+v", got)
	}
	// No header injection through the subject: CR and LF are gone.
	if hasHeader(got[0].Data, "Bcc:") || !hasHeader(got[0].Data, "Message-ID: <msg_a@shop.example>") ||
		!hasHeader(got[0].Data, "Reply-To: <help@shop.example>") || !hasHeader(got[0].Data, "Auto-Submitted: auto-generated") {
		t.Errorf("headers:\n%s", got[0].Data)
	}

	// A wrong password: the session is refused, which is the channel down.
	bad := cfg
	bad.Password = "nope"
	mb, _ := NewSMTPMailer(bad)
	if _, connErr := mb.Send(context.Background(), []Mail{testMail("msg_c", "ana@example.com")}); connErr == nil {
		t.Error("a wrong password was accepted")
	}

	plain := startSink(t, nil)
	cfg, _ = ParseSMTPURL("smtp://127.0.0.1:" + plain.port())
	m, _ = NewSMTPMailer(cfg)
	if _, connErr := m.Send(context.Background(), []Mail{testMail("msg_d", "ana@example.com")}); connErr == nil || len(plain.messages()) != 0 {
		t.Fatalf("sent in the clear without tls=none: %v", connErr)
	}
	cfg, _ = ParseSMTPURL("smtp://127.0.0.1:" + plain.port() + "?tls=none")
	m, _ = NewSMTPMailer(cfg)
	if results, connErr := m.Send(context.Background(), []Mail{testMail("msg_e", "ana@example.com")}); connErr != nil || results[0] != nil {
		t.Fatalf("tls=none: %v %v", results, connErr)
	}
	if got := plain.messages(); len(got) != 1 || got[0].TLS {
		t.Fatalf("tls=none received %+v", got)
	}
}

func TestImplicitTLS(t *testing.T) {
	cert, pool := testCert(t)
	s := startSink(t, nil)
	// A TLS listener in front of the same server: smtps.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.srv.Serve(ln) }()
	_, port, _ := strings.Cut(ln.Addr().String(), ":")
	cfg, _ := ParseSMTPURL("smtps://127.0.0.1:" + port)
	cfg.TLS = &tls.Config{RootCAs: pool}
	m, _ := NewSMTPMailer(cfg)
	if results, connErr := m.Send(context.Background(), []Mail{testMail("msg_f", "ana@example.com")}); connErr != nil || results[0] != nil {
		t.Fatalf("smtps: %v %v", results, connErr)
	}
	if got := s.messages(); len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
}

// TestRefusalsArePermanentOrNot: a 5xx for a recipient gives that mail up
// (the others in the session still go); a 4xx is tried again.
func TestRefusalsArePermanentOrNot(t *testing.T) {
	s := startSink(t, nil)
	s.refuse = func(rcpt string) error {
		switch rcpt {
		case "gone@example.com":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case "busy@example.com":
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}
		return nil
	}
	cfg, _ := ParseSMTPURL("smtp://127.0.0.1:" + s.port() + "?tls=none")
	m, _ := NewSMTPMailer(cfg)
	results, connErr := m.Send(context.Background(), []Mail{testMail("msg_1", "gone@example.com"),
		testMail("msg_2", "busy@example.com"), testMail("msg_3", "ana@example.com")})
	if connErr != nil {
		t.Fatal(connErr)
	}
	if !IsPermanent(results[0]) || SMTPCode(results[0]) != 550 {
		t.Errorf("550: %v (permanent %v, code %d)", results[0], IsPermanent(results[0]), SMTPCode(results[0]))
	}
	if results[1] == nil || IsPermanent(results[1]) || SMTPCode(results[1]) != 451 {
		t.Errorf("451: %v", results[1])
	}
	if results[2] != nil {
		t.Errorf("the third mail: %v", results[2])
	}
	if got := s.messages(); len(got) != 1 || got[0].To[0] != "ana@example.com" {
		t.Errorf("received %+v", got)
	}
}

func TestUnreachableServerIsAConnectionError(t *testing.T) {
	cfg, _ := ParseSMTPURL("smtp://127.0.0.1:1?tls=none")
	m, _ := NewSMTPMailer(cfg)
	results, connErr := m.Send(context.Background(), []Mail{testMail("msg_x", "ana@example.com")})
	if connErr == nil || results != nil {
		t.Fatalf("%v %v", results, connErr)
	}
}

// TestHeadersAsSent: the header staff read is the one of the message as
// sent, bodies and all, whatever the bodies (the boundary aside, which is
// random per message).
func TestHeadersAsSent(t *testing.T) {
	from, _ := mail.ParseAddress("Rücksendungen <returns@shop.example>")
	reply, _ := mail.ParseAddress("Service <help@shop.example>")
	long := strings.Repeat("Ihre Rücksendung R-AB12-CD34 zur Bestellung DE-1001 ", 4)
	bodies := []string{"", "plain", strings.Repeat("a long line without breaks ", 200), "Grüße, مرحبا, 返品 — \r\n\r\nend"}
	boundary := regexp.MustCompile(`boundary="?[^";\r\n]+"?`)
	for i, m := range []Mail{
		{MessageID: "a@localhost", Date: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), From: from,
			To: "demo@example.com", Lang: "de", Subject: "Ihre Rücksendung"},
		{MessageID: "b@localhost", Date: time.Date(2026, 12, 2, 9, 0, 0, 0, time.FixedZone("", 9*3600)), From: from,
			ReplyTo: reply, To: "Hanako <hanako@example.jp>", Lang: "ja", Subject: "返品 R-AB12-CD34 を受け付けました"},
		{MessageID: "c@localhost", From: from, To: "x@example.com", Subject: long},
		{MessageID: "d@localhost", From: from, To: "x@example.com", Lang: "ar", Subject: "تم استلام طلب الإرجاع"},
	} {
		for _, body := range bodies {
			m.Text, m.HTML = body, "<p>"+body+"</p>"
			got, err := m.head()
			if err != nil {
				t.Fatal(err)
			}
			msg, err := m.message()
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if _, err := msg.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			want, _, _ := strings.Cut(b.String(), "\r\n\r\n")
			if boundary.ReplaceAllString(got, "") != boundary.ReplaceAllString(want, "") {
				t.Errorf("mail %d, body %.20q: header\n%s\nwant\n%s", i, body, got, want)
			}
		}
	}
}
