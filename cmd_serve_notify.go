package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/notify"
	"github.com/returns-portal/returns/service"
)

// serveNotify are the serve command's notification flags: where e-mails
// go (SMTP, or kept for /admin/outbox), who sends them, and whether
// webhooks may go to private addresses (local testing only).
type serveNotify struct {
	smtpURL, from, replyTo *string
	allowPriv              *bool
	lease                  *time.Duration

	allowPrivate bool
	fromAddr     *mail.Address
	replyAddr    *mail.Address
}

// keptFrom is the sender of e-mails that are kept, not sent (no SMTP).
const keptFrom = "Returns <returns@localhost>"

func notifyFlags(fs *flag.FlagSet) *serveNotify {
	return &serveNotify{
		smtpURL: fs.String("smtp-url", "", "SMTP server for e-mails: smtp://user:pass@host:587 (STARTTLS required) or smtps://user:pass@host:465; ?tls=none for a local relay (empty: e-mails are kept for /admin/outbox, not sent)"),
		from:    fs.String("mail-from", "", `sender of e-mails, e.g. "Shop Returns <returns@shop.example>" (required with --smtp-url)`),
		replyTo: fs.String("mail-reply-to", "", "address replies to e-mails go to (empty: the sender)"),
		allowPriv: fs.Bool("webhook-allow-private", false,
			"let webhook endpoints be plain http and on loopback or private addresses (local testing only)"),
		lease: fs.Duration("outbox-lease", notify.DefaultLease,
			"how long a claimed e-mail or webhook is its worker's before another may take it over (longer than any send)"),
	}
}

// check reads the flags and makes the mailer.
func (n *serveNotify) check() (notify.Mailer, error) {
	n.allowPrivate = *n.allowPriv
	if *n.lease < 5*time.Second {
		return nil, errors.New("--outbox-lease must be at least 5s")
	}
	from := strings.TrimSpace(*n.from)
	var mailer notify.Mailer = notify.KeepMailer{}
	if url := strings.TrimSpace(*n.smtpURL); url != "" {
		cfg, err := notify.ParseSMTPURL(url)
		if err != nil {
			return nil, err
		}
		if from == "" {
			return nil, errors.New("--mail-from is required with --smtp-url")
		}
		if mailer, err = notify.NewSMTPMailer(cfg); err != nil {
			return nil, err
		}
	}
	if from == "" {
		from = keptFrom
	}
	var err error
	if n.fromAddr, err = mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("--mail-from: %w", err)
	}
	if r := strings.TrimSpace(*n.replyTo); r != "" {
		if n.replyAddr, err = mail.ParseAddress(r); err != nil {
			return nil, fmt.Errorf("--mail-reply-to: %w", err)
		}
	}
	return mailer, nil
}

// worker makes the outbox worker.
func (n *serveNotify) worker(svc *service.Service, catalog *locales.Catalog, baseURL string, mailer notify.Mailer,
	logger *slog.Logger) (*notify.Worker, error) {
	if mailer.Keeps() {
		logger.Info("e-mails are kept for /admin/outbox, not sent (no --smtp-url)")
	} else {
		logger.Info("e-mails are sent", "smtp", redactedSMTP(*n.smtpURL), "from", n.fromAddr.String())
	}
	return notify.New(notify.Config{Service: svc, Renderer: notify.NewRenderer(catalog, baseURL), Mailer: mailer,
		From: n.fromAddr, ReplyTo: n.replyAddr, Webhooks: notify.NewWebhookClient(n.allowPrivate), Logger: logger,
		Lease: *n.lease})
}

func redactedSMTP(raw string) string {
	cfg, err := notify.ParseSMTPURL(raw)
	if err != nil {
		return ""
	}
	return cfg.Redacted()
}
