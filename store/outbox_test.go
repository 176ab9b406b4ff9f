package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

// enqueueFor creates a return of O-1 and enqueues rows with it in the same
// transaction, as a use case does.
func enqueueFor(t *testing.T, s *Store, rows ...NewOutbox) (returns.Return, []string) {
	t.Helper()
	var r returns.Return
	var ids []string
	err := s.Write(context.Background(), func(tx *Tx) error {
		var err error
		if r, err = tx.CreateReturn("O-1", "shopper", build(item("L1", 1))); err != nil {
			return err
		}
		for i := range rows {
			rows[i].ReturnID = r.ID
		}
		ids, err = tx.Enqueue(rows...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, ids
}

func TestOutboxRolledBackWithItsChange(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	boom := errors.New("boom")
	err := s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.CreateReturn("O-1", "shopper", build(item("L1", 1))); err != nil {
			return err
		}
		if _, err := tx.Enqueue(NewOutbox{Channel: ChannelEmail, Event: "return.created", Payload: []byte(`{}`)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if rows, err := s.ListOutbox(ctx, OutboxFilter{}); err != nil || len(rows) != 0 {
		t.Fatalf("a rolled-back change left %d outbox rows (%v)", len(rows), err)
	}
	if got, _ := s.ClaimOutbox(ctx, "w1", time.Now(), time.Minute, 10); len(got) != 0 {
		t.Fatalf("claimed %d rows of a rolled-back change", len(got))
	}
}

func TestOutboxClaimLeaseFinish(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	now := time.Now().UTC()
	r, ids := enqueueFor(t, s,
		NewOutbox{Channel: ChannelEmail, Event: "return.created", Recipient: "ana@example.com", Locale: "pt-PT", Payload: []byte(`{"a":1}`)},
		NewOutbox{Channel: ChannelEmail, Event: returns.MailDropOffReminder, Payload: []byte(`{}`), DueAt: now.Add(48 * time.Hour)},
	)
	if len(ids) != 2 || ids[0] == ids[1] || ids[0][:4] != "msg_" {
		t.Fatalf("ids %v", ids)
	}

	// Only the due row is claimed; a second worker gets nothing while the
	// lease holds.
	got, err := s.ClaimOutbox(ctx, "w1", now.Add(time.Second), time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].PublicID != ids[0] {
		t.Fatalf("claim: %+v %v", got, err)
	}
	m := got[0]
	if m.RMA != r.RMA || m.Recipient != "ana@example.com" || m.Payload != `{"a":1}` || m.Status != OutboxPending || m.LeaseUntil == nil {
		t.Fatalf("claimed row %+v", m)
	}
	if again, _ := s.ClaimOutbox(ctx, "w2", now.Add(2*time.Second), time.Minute, 10); len(again) != 0 {
		t.Fatalf("a leased row was claimed twice: %+v", again)
	}

	// A lapsed lease (the first worker was killed) lets another worker
	// claim it; the first one's late result is then refused.
	stolen, err := s.ClaimOutbox(ctx, "w2", now.Add(2*time.Minute), time.Minute, 10)
	if err != nil || len(stolen) != 1 || stolen[0].ID != m.ID {
		t.Fatalf("reclaim after the lease: %+v %v", stolen, err)
	}
	if err := s.FinishOutbox(ctx, m.ID, "w1", OutboxResult{Status: OutboxSent, Logged: true, Counts: true}); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("late finish of a lost lease: %v", err)
	}

	// A failed attempt schedules the next one and logs the attempt; the
	// rendered mail is kept.
	retry := now.Add(5 * time.Minute)
	if err := s.FinishOutbox(ctx, m.ID, "w2", OutboxResult{Status: OutboxPending, DueAt: retry, Logged: true, Counts: true,
		Code: 421, Error: "try later", Duration: 1500 * time.Millisecond, Subject: "S", Text: "T", HTML: "<p>H</p>"}); err != nil {
		t.Fatal(err)
	}
	m, err = s.GetOutbox(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != OutboxPending || m.Attempts != 1 || !m.DueAt.Equal(dbTime(retry)) || m.LastCode != 421 ||
		m.LastError != "try later" || m.LeaseUntil != nil || m.Subject != "S" || m.BodyHTML != "<p>H</p>" || !m.Rendered() {
		t.Fatalf("after a failed attempt: %+v", m)
	}
	if got, _ := s.ClaimOutbox(ctx, "w3", now.Add(3*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Fatal("claimed before its retry was due")
	}
	got, _ = s.ClaimOutbox(ctx, "w3", retry, time.Minute, 10)
	if len(got) != 1 {
		t.Fatal("not claimed when its retry was due")
	}
	// Sent: the rendering stays as it was when no new one is given; the
	// last error is the last attempt's (none).
	if err := s.FinishOutbox(ctx, m.ID, "w3", OutboxResult{Status: OutboxSent, Logged: true, Counts: true, Code: 250}); err != nil {
		t.Fatal(err)
	}
	m, _ = s.GetOutbox(ctx, ids[0])
	if m.Status != OutboxSent || m.Attempts != 2 || m.SentAt == nil || m.Subject != "S" || m.LastError != "" || m.LastCode != 250 {
		t.Fatalf("sent: %+v", m)
	}
	attempts, err := s.OutboxAttempts(ctx, m.ID)
	if err != nil || len(attempts) != 2 || attempts[0].Code != 421 || attempts[0].Duration != 1500 || attempts[1].Code != 250 {
		t.Fatalf("attempts %+v %v", attempts, err)
	}

	// Resend: pending again, due now, attempts counted afresh, same id.
	if err := s.ResendOutbox(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	m, _ = s.GetOutbox(ctx, ids[0])
	if m.Status != OutboxPending || m.Attempts != 0 || m.PublicID != ids[0] {
		t.Fatalf("resent: %+v", m)
	}
	if err := s.ResendOutbox(ctx, "msg_nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("resend unknown: %v", err)
	}

	// A put-back (shutdown before the attempt) does not count.
	got, _ = s.ClaimOutbox(ctx, "w4", time.Now().Add(time.Second), time.Minute, 1)
	if len(got) != 1 {
		t.Fatal("resent row not claimed")
	}
	if err := s.FinishOutbox(ctx, got[0].ID, "w4", OutboxResult{Status: OutboxPending}); err != nil {
		t.Fatal(err)
	}
	m, _ = s.GetOutbox(ctx, ids[0])
	if m.Attempts != 0 || m.LeaseUntil != nil {
		t.Fatalf("put back: %+v", m)
	}
	if a, _ := s.OutboxAttempts(ctx, m.ID); len(a) != 2 {
		t.Fatalf("a put-back was logged as an attempt: %d", len(a))
	}
}

func TestOutboxCancelPendingAndList(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	future := time.Now().Add(72 * time.Hour)
	r, ids := enqueueFor(t, s,
		NewOutbox{Channel: ChannelEmail, Event: "return.created", Payload: []byte(`{}`)},
		NewOutbox{Channel: ChannelEmail, Event: returns.MailDropOffReminder, Payload: []byte(`{}`), DueAt: future},
	)
	if err := s.Write(ctx, func(tx *Tx) error { return tx.CancelPending(r.ID, returns.MailDropOffReminder) }); err != nil {
		t.Fatal(err)
	}
	created, _ := s.GetOutbox(ctx, ids[0])
	reminder, _ := s.GetOutbox(ctx, ids[1])
	if created.Status != OutboxPending || reminder.Status != OutboxCancelled {
		t.Fatalf("statuses %s %s", created.Status, reminder.Status)
	}

	all, err := s.ListOutbox(ctx, OutboxFilter{})
	if err != nil || len(all) != 2 || all[0].PublicID != ids[1] {
		t.Fatalf("newest first: %+v %v", all, err)
	}
	for _, c := range []struct {
		name string
		f    OutboxFilter
		want int
	}{
		{"by status", OutboxFilter{Status: OutboxCancelled}, 1},
		{"by RMA as typed", OutboxFilter{RMA: " " + r.RMA + " "}, 2},
		{"by RMA", OutboxFilter{RMA: r.RMA}, 2},
		{"by channel", OutboxFilter{Channel: ChannelWebhook}, 0},
		{"keyset", OutboxFilter{Before: all[0].ID}, 1},
		{"limit", OutboxFilter{Limit: 1}, 1},
	} {
		got, err := s.ListOutbox(ctx, c.f)
		if err != nil || len(got) != c.want {
			t.Errorf("%s: %d rows (%v), want %d", c.name, len(got), err, c.want)
		}
	}
	counts, err := s.OutboxCounts(ctx)
	if err != nil || counts[ChannelEmail][OutboxPending] != 1 || counts[ChannelEmail][OutboxCancelled] != 1 {
		t.Fatalf("counts %v %v", counts, err)
	}
}

func TestWebhookEndpoints(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	w, err := s.CreateWebhook(ctx, "https://hooks.example/a", []string{"return.created", "return.refunded"}, "whsec_AAAA")
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateWebhook(ctx, "https://hooks.example/b", []string{"feedback.received"}, "whsec_BBBB")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Enabled || w.PublicID[:3] != "we_" || !w.Subscribes("return.refunded") || w.Subscribes("return.approved") {
		t.Fatalf("created %+v", w)
	}
	var subscribed []WebhookEndpoint
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		subscribed, err = tx.SubscribedWebhooks("return.created")
		return err
	}); err != nil || len(subscribed) != 1 || subscribed[0].ID != w.ID {
		t.Fatalf("subscribed %+v %v", subscribed, err)
	}

	// Rotation: the old secret signs for the grace period only.
	now := time.Now().UTC()
	rotated, err := s.RotateWebhookSecret(ctx, w.PublicID, "whsec_CCCC", now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := rotated.Secrets(now); len(got) != 2 || got[0] != "whsec_CCCC" || got[1] != "whsec_AAAA" {
		t.Fatalf("secrets during the grace period: %v", got)
	}
	if got := rotated.Secrets(now.Add(25 * time.Hour)); len(got) != 1 || got[0] != "whsec_CCCC" {
		t.Fatalf("secrets after it: %v", got)
	}

	// A delivery pending to an endpoint that is disabled is cancelled;
	// resending it is a conflict until the endpoint is enabled again.
	var ids []string
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		ids, err = tx.Enqueue(NewOutbox{Channel: ChannelWebhook, Event: "return.created", EndpointID: w.ID, Payload: []byte(`{}`)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableWebhook(ctx, w.ID, "gone"); err != nil {
		t.Fatal(err)
	}
	d, _ := s.GetOutbox(ctx, ids[0])
	if d.Status != OutboxCancelled || d.EndpointPublicID != w.PublicID {
		t.Fatalf("delivery to a disabled endpoint: %+v", d)
	}
	if err := s.ResendOutbox(ctx, ids[0]); !errors.Is(err, ErrConflict) {
		t.Fatalf("resend to a disabled endpoint: %v", err)
	}
	got, _ := s.Webhook(ctx, w.PublicID)
	if got.Enabled || got.DisabledReason != "gone" {
		t.Fatalf("disabled %+v", got)
	}
	if err := s.EnableWebhook(ctx, w.PublicID); err != nil {
		t.Fatal(err)
	}
	if err := s.ResendOutbox(ctx, ids[0]); err != nil {
		t.Fatalf("resend after enabling: %v", err)
	}

	// Deleting hides the endpoint, cancels what is pending, keeps the row.
	if err := s.DeleteWebhook(ctx, w.PublicID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Webhook(ctx, w.PublicID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted endpoint still found: %v", err)
	}
	if err := s.DeleteWebhook(ctx, w.PublicID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	list, err := s.ListWebhooks(ctx)
	if err != nil || len(list) != 1 || list[0].ID != other.ID {
		t.Fatalf("list %+v %v", list, err)
	}
	byID, deleted, err := s.WebhookByID(ctx, w.ID)
	if err != nil || !deleted || byID.URL != "https://hooks.example/a" {
		t.Fatalf("by id %+v %v %v", byID, deleted, err)
	}
	d, _ = s.GetOutbox(ctx, ids[0])
	if d.Status != OutboxCancelled {
		t.Fatalf("delivery to a deleted endpoint: %s", d.Status)
	}
}

func TestFeedbackOncePerReturn(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r, _ := enqueueFor(t, s)
	if _, ok, err := s.ReturnFeedback(ctx, r.RMA); err != nil || ok {
		t.Fatalf("before: %v %v", ok, err)
	}
	save := func(score int) error {
		return s.Write(ctx, func(tx *Tx) error {
			_, err := tx.SaveFeedback(r.ID, Feedback{Score: score, Comment: "fast", Locale: "de"})
			return err
		})
	}
	if err := save(0); err == nil {
		t.Fatal("a score of 0 was stored (CHECK)")
	}
	if err := save(4); err != nil {
		t.Fatal(err)
	}
	if err := save(5); !errors.Is(err, ErrConflict) {
		t.Fatalf("second answer: %v", err)
	}
	f, ok, err := s.ReturnFeedback(ctx, r.RMA)
	if err != nil || !ok || f.Score != 4 || f.Comment != "fast" || f.Locale != "de" || f.At.IsZero() {
		t.Fatalf("feedback %+v %v %v", f, ok, err)
	}
}

func TestTruncateOnRuneBoundary(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},  // é is two bytes
		{"aé", 3, "aé"}, // fits
		{"日本", 4, "日"},
		{"日本", 2, ""},
	} {
		if got := truncate(c.s, c.n); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
