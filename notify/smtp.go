package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is where e-mails go: --smtp-url, smtp://user:pass@host:587
// (STARTTLS, required) or smtps://user:pass@host:465 (TLS from the start);
// ?tls=none sends in the clear, for a relay on the same machine only.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS: smtps, TLS from the first byte. Otherwise STARTTLS is
	// required unless NoTLS.
	ImplicitTLS bool
	NoTLS       bool
	// TLS is the TLS configuration (nil: the system's roots, the host's
	// name); tests give their own roots.
	TLS *tls.Config
}

// ParseSMTPURL reads --smtp-url.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return SMTPConfig{}, errors.New("--smtp-url is not a URL")
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.ImplicitTLS = 465, true
	default:
		return SMTPConfig{}, errors.New("--smtp-url must start with smtp:// or smtps://")
	}
	if u.Opaque != "" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return SMTPConfig{}, errors.New("--smtp-url must be smtp[s]://[user:password@]host[:port]")
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTPConfig{}, errors.New("--smtp-url has a bad port")
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTPConfig{}, fmt.Errorf("--smtp-url: unknown parameter %q", k)
		}
	}
	switch q.Get("tls") {
	case "":
	case "none":
		if c.ImplicitTLS {
			return SMTPConfig{}, errors.New("--smtp-url: smtps with tls=none")
		}
		c.NoTLS = true
	default:
		return SMTPConfig{}, errors.New("--smtp-url: tls may only be none")
	}
	return c, nil
}

// Redacted is the URL without its password, for logs.
func (c SMTPConfig) Redacted() string {
	scheme := "smtp"
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: c.Host + ":" + strconv.Itoa(c.Port)}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	if c.NoTLS {
		u.RawQuery = "tls=none"
	}
	return u.String()
}

// Mail is one e-mail to send. MessageID (without brackets) and Date stay
// the same on every attempt, so that a receiver that got it twice can
// tell.
type Mail struct {
	MessageID string
	Date      time.Time
	From      *mail.Address
	ReplyTo   *mail.Address
	To        string
	Lang      string
	Subject   string
	Text      string
	HTML      string
}

// message builds the MIME message: multipart/alternative with the text
// and HTML parts, UTF-8, marked as automatically sent (RFC 3834) so that
// auto-responders stay quiet.
func (m Mail) message() (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(m.From)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("notify: recipient: %w", err)
	}
	if m.ReplyTo != nil {
		msg.ReplyToMailAddress(m.ReplyTo)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.Date)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// Headers are the message's header lines as sent, for staff to read.
func (m Mail) Headers() (string, error) {
	head, err := m.head()
	if err != nil {
		return "", err
	}
	// Unfolded and with encoded words decoded, for a person to read; the
	// MIME structure's own headers say nothing to one.
	head = strings.ReplaceAll(head, "\r\n ", " ")
	var keep []string
	dec := new(mime.WordDecoder)
	for _, l := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(l, "Content-Type: multipart") || strings.HasPrefix(l, "MIME-Version") {
			continue
		}
		if d, err := dec.DecodeHeader(l); err == nil {
			l = d
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n"), nil
}

// head is the message's header as written, folded. The bodies are left
// out of the message it writes: they do not change the header (its
// multipart boundary is random, and Headers drops it), and quoting them
// for SMTP was most of the cost of an e-mail's header, worked out for
// every e-mail kept for staff.
func (m Mail) head() (string, error) {
	m.Text, m.HTML = "-", "-"
	msg, err := m.message()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return "", err
	}
	head, _, _ := strings.Cut(b.String(), "\r\n\r\n")
	return head, nil
}

// Mailer sends e-mails. Send sends a batch over one connection and says
// how each went; connErr (and no results) means the server could not be
// reached or refused the session (connection, TLS, authentication): the
// channel is down, not the mails.
type Mailer interface {
	Send(ctx context.Context, mails []Mail) (results []error, connErr error)
	// Keeps: nothing leaves the portal (no SMTP server configured): sent
	// mails are kept for staff to read.
	Keeps() bool
}

// KeepMailer sends nothing: without --smtp-url the portal keeps every
// e-mail for /admin/outbox (the demo shows them there).
type KeepMailer struct{}

// Send accepts every mail.
func (KeepMailer) Send(_ context.Context, mails []Mail) ([]error, error) {
	return make([]error, len(mails)), nil
}

// Keeps is true.
func (KeepMailer) Keeps() bool { return true }

// SMTPTimeout bounds connecting and each SMTP command.
const SMTPTimeout = 30 * time.Second

// SMTPMailer sends through an SMTP server.
type SMTPMailer struct {
	client *gomail.Client
}

// NewSMTPMailer makes a mailer for the server of c.
func NewSMTPMailer(c SMTPConfig) (*SMTPMailer, error) {
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(SMTPTimeout), gomail.WithTLSPolicy(gomail.TLSMandatory)}
	switch {
	case c.ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case c.NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	tc := c.TLS
	if tc == nil {
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tc = tc.Clone()
	tc.ServerName = c.Host
	opts = append(opts, gomail.WithTLSConfig(tc))
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(c.Username),
			gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP client: %w", err)
	}
	return &SMTPMailer{client: client}, nil
}

// Keeps is false: mails leave.
func (*SMTPMailer) Keeps() bool { return false }

// Send opens one session and sends each mail in it.
func (s *SMTPMailer) Send(ctx context.Context, mails []Mail) ([]error, error) {
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = s.client.CloseWithSMTPClient(conn) }()
	results := make([]error, len(mails))
	for i, m := range mails {
		msg, err := m.message()
		if err != nil {
			results[i] = Permanent(err)
			continue
		}
		results[i] = s.client.SendWithSMTPClient(conn, msg)
		if results[i] == nil {
			continue
		}
		var se *gomail.SendError
		if errors.As(results[i], &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			results[i] = Permanent(results[i])
		}
		if s.client.ResetWithSMTPClient(conn) != nil {
			// The session is unusable: the rest of the batch waits for the
			// next one.
			for j := i + 1; j < len(mails); j++ {
				results[j] = errors.New("notify: SMTP session lost")
			}
			break
		}
	}
	return results, nil
}

// permanentError is a refusal that no retry will change (a recipient the
// server rejects with a 5xx, an address that cannot be written).
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks an error as one that retries cannot cure.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool { return errors.As(err, new(permanentError)) }

// SMTPCode is the SMTP reply code of a send error (0 when none).
func SMTPCode(err error) int {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}
