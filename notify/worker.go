// Package notify sends what the use cases write to the outbox (package
// service, announce.go): the shopper's e-mails over SMTP (or keeps them for
// /admin/outbox when no SMTP server is configured) and the merchant's
// webhooks, signed per Standard Webhooks. The Worker runs in the serve
// process: it claims due rows under a lease, sends outside any
// transaction, records each attempt, and retries on a schedule with
// jitter; a row that exhausts it is marked failed for staff to see and
// resend. A crash loses nothing: a claimed row whose lease runs out is
// claimed again, so a message may go out twice, always with the same
// Message-ID or webhook-id for the receiver to drop the second.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// Config is what the Worker needs; main fills it from flags.
type Config struct {
	Service  *service.Service
	Renderer *Renderer
	// Mailer sends the e-mails (KeepMailer without --smtp-url).
	Mailer Mailer
	// From is the sender (--mail-from); ReplyTo the address replies go to
	// (--mail-reply-to, optional).
	From    *mail.Address
	ReplyTo *mail.Address
	// Webhooks delivers webhooks.
	Webhooks *WebhookClient
	Logger   *slog.Logger
	// Poll is how often the outbox is looked at without a wake-up (at most
	// 5 s); Lease how long a claimed row is ours (longer than any send);
	// Batch how many rows one round claims; Parallel how many webhook
	// deliveries run at once; ShutdownWait how long Run waits for sends in
	// flight once its context is done.
	Poll, Lease, ShutdownWait time.Duration
	Batch, Parallel           int
	// Random is a number in [0, 1) for the retries' jitter (math/rand
	// when nil).
	Random func() float64
}

// Worker sends the outbox.
type Worker struct {
	cfg   Config
	svc   *service.Service
	log   *slog.Logger
	msgID string // the domain of Message-IDs: the sender's
	// mailPause is the pause of the e-mail channel while the SMTP server
	// cannot be reached; mailUntil is when the next probe may run.
	mu        sync.Mutex
	mailPause pause
	mailUntil time.Time
}

// Defaults of Config.
const (
	DefaultPoll         = 5 * time.Second
	DefaultLease        = time.Minute
	DefaultShutdownWait = 10 * time.Second
	DefaultBatch        = 50
	DefaultParallel     = 4
)

// New checks the configuration and makes a Worker.
func New(cfg Config) (*Worker, error) {
	if cfg.Service == nil || cfg.Renderer == nil || cfg.Mailer == nil || cfg.Webhooks == nil || cfg.From == nil {
		return nil, errors.New("notify: a service, a renderer, a mailer, a webhook client and a sender are required")
	}
	_, domain, ok := strings.Cut(cfg.From.Address, "@")
	if !ok || domain == "" {
		return nil, fmt.Errorf("notify: sender %q has no domain", cfg.From.Address)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Poll <= 0 || cfg.Poll > DefaultPoll {
		cfg.Poll = DefaultPoll
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.ShutdownWait <= 0 {
		cfg.ShutdownWait = DefaultShutdownWait
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = DefaultParallel
	}
	if cfg.Random == nil {
		cfg.Random = mrand.Float64
	}
	return &Worker{cfg: cfg, svc: cfg.Service, log: cfg.Logger, msgID: domain}, nil
}

// Run sends until ctx is done: a round at once, then whenever the service
// signals committed rows (service.OutboxWritten) or Poll has passed. When
// ctx is done it claims nothing more, puts back what it claimed but has
// not started, and waits up to ShutdownWait for the sends in flight (a
// send still running then is claimed again once its lease runs out).
func (w *Worker) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.loop(ctx)
	}()
	<-ctx.Done()
	select {
	case <-done:
	case <-time.After(w.cfg.ShutdownWait):
		w.log.Warn("outbox: sends still in flight at shutdown; they are retried after their lease", "wait", w.cfg.ShutdownWait)
	}
	return nil
}

func (w *Worker) loop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-w.svc.OutboxWritten():
			// Rows come in bursts (a return's e-mail and its reminder,
			// many returns at once under load): gathered for a moment,
			// one claim and one finish take many of them instead of a
			// pair of writes beside every change.
			select {
			case <-ctx.Done():
				return
			case <-time.After(gather):
			}
		}
		for ctx.Err() == nil {
			n, err := w.Round(ctx)
			if err != nil {
				w.log.Error("outbox round", "err", err)
				break
			}
			if n < w.cfg.Batch {
				break
			}
		}
		timer.Reset(w.cfg.Poll)
	}
}

// gather is how long a wake-up waits for more rows before its round.
const gather = 50 * time.Millisecond

// Round claims one batch of due rows and sends it; it returns how many
// rows it claimed. Run calls it; tests and benchmarks may too.
func (w *Worker) Round(ctx context.Context) (int, error) {
	owner, err := newOwner()
	if err != nil {
		return 0, err
	}
	var channels []string
	if w.mailPaused() {
		channels = []string{store.ChannelWebhook}
	}
	rows, err := w.svc.ClaimOutbox(ctx, owner, w.cfg.Lease, w.cfg.Batch, channels...)
	if err != nil {
		return 0, err
	}
	var mails, hooks []store.OutboxMessage
	for _, m := range rows {
		if m.Channel == store.ChannelEmail {
			mails = append(mails, m)
		} else {
			hooks = append(hooks, m)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { w.sendMails(ctx, owner, mails) })
	sem := make(chan struct{}, w.cfg.Parallel)
	for _, m := range hooks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			w.deliver(ctx, owner, m)
		})
	}
	wg.Wait()
	return len(rows), nil
}

func newOwner() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "w-" + hex.EncodeToString(b), nil
}

// finish records an outcome; it runs even when Run's context is done (the
// send happened and must be recorded).
func (w *Worker) finish(ctx context.Context, m store.OutboxMessage, owner string, r store.OutboxResult) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := w.svc.FinishOutbox(ctx, m.ID, owner, r)
	switch {
	case errors.Is(err, store.ErrLeaseLost):
		w.log.Warn("outbox: lease lost before the outcome was recorded", "id", m.PublicID)
	case err != nil:
		w.log.Error("outbox: recording an attempt", "id", m.PublicID, "err", err)
	}
}

// putBack releases a claimed row that was not attempted.
func (w *Worker) putBack(ctx context.Context, m store.OutboxMessage, owner string) {
	w.finish(ctx, m, owner, store.OutboxResult{Status: store.OutboxPending})
}

// retry schedules the next attempt after a failed one, or gives the row
// up (failed) when its schedule is used up.
func (w *Worker) retry(m store.OutboxMessage, s Schedule, r store.OutboxResult, notBefore time.Duration) store.OutboxResult {
	r.Logged, r.Counts = true, true
	next, ok := s.Next(m.Attempts+1, m.CreatedAt, w.svc.Now(), w.cfg.Random(), notBefore)
	if !ok {
		r.Status = store.OutboxFailed
		return r
	}
	r.Status, r.DueAt = store.OutboxPending, next
	return r
}

func (w *Worker) mailPaused() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.svc.Now().Before(w.mailUntil)
}

// sendMails writes and sends a batch of e-mails in one SMTP session.
func (w *Worker) sendMails(ctx context.Context, owner string, rows []store.OutboxMessage) {
	var batch []store.OutboxMessage
	var mails []Mail
	var results []store.OutboxResult
	for _, m := range rows {
		if ctx.Err() != nil {
			w.putBack(ctx, m, owner)
			continue
		}
		mm, r, send := w.prepare(ctx, m)
		if !send {
			w.finish(ctx, m, owner, r)
			continue
		}
		batch, mails, results = append(batch, m), append(mails, mm), append(results, r)
	}
	if len(batch) == 0 {
		return
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*SMTPTimeout)
	defer cancel()
	start := time.Now()
	errs, connErr := w.cfg.Mailer.Send(sendCtx, mails)
	took := time.Since(start)
	if connErr != nil {
		w.mailDown(ctx, owner, batch, results, connErr, took)
		return
	}
	w.mu.Lock()
	w.mailPause.ok()
	w.mu.Unlock()
	for i, m := range batch {
		r := results[i]
		r.Duration = took / time.Duration(len(batch))
		switch err := errs[i]; {
		case err == nil && w.cfg.Mailer.Keeps():
			r.Status, r.Logged, r.Counts = store.OutboxKept, true, true
		case err == nil:
			r.Status, r.Logged, r.Counts, r.Code = store.OutboxSent, true, true, 250
		case IsPermanent(err):
			r.Status, r.Logged, r.Counts, r.Code, r.Error = store.OutboxFailed, true, true, SMTPCode(err), err.Error()
		default:
			r.Code, r.Error = SMTPCode(err), err.Error()
			r = w.retry(m, EmailSchedule, r, 0)
		}
		w.finish(ctx, m, owner, r)
	}
}

// mailDown handles a batch whose SMTP session could not be opened: the
// e-mail channel pauses (doubling up to maxPause) and the batch goes back,
// its attempts not counted, for a server that is down says nothing about
// the mails; the first row logs the failure for staff. Rows older than
// the schedule's MaxAge are given up.
func (w *Worker) mailDown(ctx context.Context, owner string, batch []store.OutboxMessage, results []store.OutboxResult,
	connErr error, took time.Duration) {
	now := w.svc.Now()
	w.mu.Lock()
	d := w.mailPause.failed()
	w.mailUntil = now.Add(d)
	w.mu.Unlock()
	w.log.Warn("outbox: SMTP server unreachable; e-mails paused", "pause", d, "err", connErr)
	for i, m := range batch {
		r := results[i]
		r.Status = store.OutboxPending
		if i == 0 {
			r.Logged, r.Error, r.Duration = true, "SMTP server unreachable: "+connErr.Error(), took
		}
		if now.Sub(m.CreatedAt) >= EmailSchedule.MaxAge {
			r.Status, r.Logged, r.Error = store.OutboxFailed, true, "SMTP server unreachable for too long: "+connErr.Error()
		}
		w.finish(ctx, m, owner, r)
	}
}

// prepare writes an e-mail of the outbox (or takes it as first written),
// or says why it is not sent: send is false with the row's outcome then.
func (w *Worker) prepare(ctx context.Context, m store.OutboxMessage) (Mail, store.OutboxResult, bool) {
	if w.svc.LookupLinkExpired(m) {
		return Mail{}, store.OutboxResult{Status: store.OutboxFailed, Logged: true, Error: "the link expired before it could be sent"}, false
	}
	var r store.OutboxResult
	if m.Event == returns.MailDropOffReminder || !m.Rendered() {
		ec, err := w.svc.EmailContext(ctx, m)
		if err != nil {
			r.Error = "writing the e-mail: " + err.Error()
			return Mail{}, w.retry(m, EmailSchedule, r, 0), false
		}
		if m.Event == returns.MailDropOffReminder && !returns.AwaitingDropOff(ec.Return.Status) {
			return Mail{}, store.OutboxResult{Status: store.OutboxCancelled}, false
		}
		if !m.Rendered() {
			if showsExtras(m.Event) {
				if ec.Extras, err = w.svc.Extras(ctx, ec.Return.RMA); err != nil {
					r.Error = "writing the e-mail: " + err.Error()
					return Mail{}, w.retry(m, EmailSchedule, r, 0), false
				}
			}
			out, err := w.cfg.Renderer.Render(m, ec)
			if err != nil {
				r.Error = "writing the e-mail: " + err.Error()
				return Mail{}, w.retry(m, EmailSchedule, r, 0), false
			}
			m.Subject, m.BodyText, m.BodyHTML = out.Subject, out.Text, out.HTML
			r.Subject, r.Text, r.HTML = out.Subject, out.Text, out.HTML
		}
	}
	mm := Mail{MessageID: m.PublicID + "@" + w.msgID, Date: m.CreatedAt, From: w.cfg.From, ReplyTo: w.cfg.ReplyTo,
		To: m.Recipient, Lang: w.cfg.Renderer.Lang(m.Locale), Subject: m.Subject, Text: m.BodyText, HTML: m.BodyHTML}
	if r.Subject != "" {
		h, err := mm.Headers()
		if err != nil {
			return Mail{}, store.OutboxResult{Status: store.OutboxFailed, Logged: true, Error: err.Error()}, false
		}
		r.Headers = h
	}
	return mm, r, true
}

// deliver makes one attempt at a webhook delivery.
func (w *Worker) deliver(ctx context.Context, owner string, m store.OutboxMessage) {
	if ctx.Err() != nil {
		w.putBack(ctx, m, owner)
		return
	}
	ep, secrets, live, err := w.svc.WebhookTarget(ctx, m.EndpointID())
	if err != nil {
		w.finish(ctx, m, owner, w.retry(m, WebhookSchedule, store.OutboxResult{Error: err.Error()}, 0))
		return
	}
	if !live {
		w.finish(ctx, m, owner, store.OutboxResult{Status: store.OutboxCancelled})
		return
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), WebhookTimeout)
	defer cancel()
	start := time.Now()
	ans, err := w.cfg.Webhooks.Deliver(sendCtx, Delivery{URL: ep.URL, ID: m.PublicID, Secrets: secrets,
		Body: []byte(m.Payload), At: w.svc.Now()})
	r := store.OutboxResult{Code: ans.Status, Duration: time.Since(start)}
	switch {
	case err != nil:
		r.Error = err.Error()
		r = w.retry(m, WebhookSchedule, r, 0)
	case ans.Delivered():
		r.Status, r.Logged, r.Counts = store.OutboxSent, true, true
	case ans.Gone():
		r.Status, r.Logged, r.Counts, r.Error = store.OutboxFailed, true, true, "410 Gone: endpoint disabled"
		if err := w.svc.EndpointGone(context.WithoutCancel(ctx), ep.ID); err != nil {
			w.log.Error("outbox: disabling a gone endpoint", "endpoint", ep.PublicID, "err", err)
		}
	default:
		r.Error = fmt.Sprintf("answered %d", ans.Status)
		r = w.retry(m, WebhookSchedule, r, ans.RetryAfter)
	}
	w.finish(ctx, m, owner, r)
}
