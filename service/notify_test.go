package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// outboxRows lists a return's outbox rows, oldest first.
func (ts *testService) outboxRows(t *testing.T, rma string) []store.OutboxMessage {
	t.Helper()
	rows, err := ts.Outbox(context.Background(), store.OutboxFilter{RMA: rma, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(rows)
	return rows
}

// kinds summarises rows as "channel event status", oldest first.
func kinds(rows []store.OutboxMessage) []string {
	var out []string
	for _, m := range rows {
		out = append(out, m.Channel+" "+m.Event+" "+m.Status)
	}
	return out
}

// subscribeAll adds an endpoint for every event.
func (ts *testService) subscribeAll(t *testing.T) store.WebhookEndpoint {
	t.Helper()
	w, err := ts.CreateWebhook(context.Background(), WebhookInput{URL: "https://hooks.shop.example/returns", Events: returns.WebhookEvents})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// drained empties the wake-up signal and reports whether there was one.
func (ts *testService) drained() bool {
	select {
	case <-ts.OutboxWritten():
		return true
	default:
		return false
	}
}

func TestAReturnsLifeIsAnnounced(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	w := ts.subscribeAll(t)
	ts.drained()
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	rma := c.Return.RMA
	if !ts.drained() {
		t.Error("the worker was not woken after the creation committed")
	}
	rows := ts.outboxRows(t, rma)
	want := []string{"email return.created pending", "webhook return.created pending", "email return.reminder pending"}
	if !slices.Equal(kinds(rows), want) {
		t.Fatalf("after creation: %v, want %v", kinds(rows), want)
	}
	mail, hook, reminder := rows[0], rows[1], rows[2]
	if mail.Recipient != demo.Email || mail.Locale != c.Return.Locale || !strings.Contains(mail.Payload, `"status":"approved"`) {
		t.Errorf("e-mail row %+v", mail)
	}
	if !reminder.DueAt.After(ts.now()) || !strings.Contains(reminder.Payload, "drop_off_by") {
		t.Errorf("reminder due %v, payload %s", reminder.DueAt, reminder.Payload)
	}
	var body struct {
		Type      string         `json:"type"`
		Timestamp time.Time      `json:"timestamp"`
		Data      MerchantReturn `json:"data"`
	}
	if err := json.Unmarshal([]byte(hook.Payload), &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != returns.EventReturnCreated || body.Data.RMA != rma || body.Data.Status != returns.StatusApproved ||
		body.Data.Order.Number != demo.FeaturedOrder || hook.EndpointPublicID != w.PublicID || len(body.Data.Events) != 1 {
		t.Errorf("webhook body %+v (endpoint %s)", body, hook.EndpointPublicID)
	}
	// The data is the merchant API's view of the return.
	api, err := ts.MerchantReturn(ctx, rma)
	if err != nil {
		t.Fatal(err)
	}
	apiJSON, _ := json.Marshal(api)
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal([]byte(hook.Payload), &raw)
	if string(raw.Data) != string(apiJSON) {
		t.Errorf("webhook data differs from GET /api/v1/returns/{rma}:\n%s\n%s", raw.Data, apiJSON)
	}

	// Received: announced, and the reminder is cancelled.
	if rc, err := ts.Receive(ctx, rma, "staff:x"); err != nil || rc.Result != Received {
		t.Fatal(rc, err)
	}
	rows = ts.outboxRows(t, rma)
	if rows[2].Status != store.OutboxCancelled {
		t.Errorf("reminder after the parcel arrived: %s", rows[2].Status)
	}
	// An inspection that confirms the quote: the webhook only.
	if _, err := ts.Inspect(ctx, rma, "staff:x", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h1", Actor: "staff:x"}); err != nil {
		t.Fatal(err)
	}
	n := len(ts.outboxRows(t, rma))
	// A replay of the refund announces nothing again.
	if _, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k1", RequestHash: "h1", Actor: "staff:x"}); err != nil {
		t.Fatal(err)
	}
	rows = ts.outboxRows(t, rma)
	if len(rows) != n {
		t.Errorf("a replayed refund wrote %d more rows", len(rows)-n)
	}
	want = []string{"email return.created pending", "webhook return.created pending", "email return.reminder cancelled",
		"email return.received pending", "webhook return.received pending",
		"webhook return.inspected pending",
		"email return.refunded pending", "webhook return.refunded pending"}
	if !slices.Equal(kinds(rows), want) {
		t.Fatalf("over the return's life:\n%v\nwant\n%v", kinds(rows), want)
	}
	// Each delivery carries the return as it was at its event.
	for _, m := range rows {
		if m.Channel != store.ChannelWebhook {
			continue
		}
		var b struct {
			Data MerchantReturn `json:"data"`
		}
		_ = json.Unmarshal([]byte(m.Payload), &b)
		wantStatus := map[string]returns.Status{returns.EventReturnCreated: returns.StatusApproved,
			returns.EventReturnReceived: returns.StatusReceived, returns.EventReturnInspected: returns.StatusInspected,
			returns.EventReturnRefunded: returns.StatusRefunded}[m.Event]
		if b.Data.Status != wantStatus {
			t.Errorf("%s: data shows status %s", m.Event, b.Data.Status)
		}
		if m.Event == returns.EventReturnRefunded && len(b.Data.Refunds) != 1 {
			t.Errorf("the refunded delivery lacks the refund: %+v", b.Data.Refunds)
		}
	}
}

func TestInspectionThatChangesTheAmountIsMailed(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	rma := ts.createOne(t, demo.FeaturedOrder, "L1").Return.RMA
	if _, err := ts.Receive(ctx, rma, "staff:x"); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Inspect(ctx, rma, "staff:x", []returns.InspectedItem{{LineID: "L1", Accepted: 0, Condition: returns.ConditionMissing}}); err != nil {
		t.Fatal(err)
	}
	rows := ts.outboxRows(t, rma)
	last := rows[len(rows)-1]
	if last.Event != returns.EventReturnInspected || last.Channel != store.ChannelEmail {
		t.Fatalf("last row %s %s", last.Channel, last.Event)
	}
	var facts struct {
		Before, After int64
		Currency      string
	}
	if err := json.Unmarshal([]byte(last.Payload), &facts); err != nil || facts.Before <= 0 || facts.After != 0 || facts.Currency != "EUR" {
		t.Errorf("facts %s %v", last.Payload, err)
	}
}

func TestRejectAndCancelAreAnnounced(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	a := ts.createOne(t, demo.FeaturedOrder, "L1")
	if _, err := ts.Reject(ctx, a.Return.RMA, "staff:x", "  Worn and washed  "); err != nil {
		t.Fatal(err)
	}
	rows := ts.outboxRows(t, a.Return.RMA)
	last := rows[len(rows)-1]
	if last.Event != returns.EventReturnRejected || !strings.Contains(last.Payload, `"reason":"Worn and washed"`) {
		t.Errorf("rejection row %s %s", last.Event, last.Payload)
	}
	if rows[1].Event != returns.MailDropOffReminder || rows[1].Status != store.OutboxCancelled {
		t.Errorf("reminder of a rejected return: %s %s", rows[1].Event, rows[1].Status)
	}
	b := ts.createOne(t, "IT-1002", "L1")
	if _, err := ts.Cancel(ctx, ReturnAccess{Return: b.Return, May: manageGrant}); err != nil {
		t.Fatal(err)
	}
	got := kinds(ts.outboxRows(t, b.Return.RMA))
	want := []string{"email return.created pending", "email return.reminder cancelled", "email return.cancelled pending"}
	if !slices.Equal(got, want) {
		t.Errorf("cancelled: %v", got)
	}
}

func TestARefusedChangeAnnouncesNothing(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	ts.subscribeAll(t)
	ts.drained()
	before, _ := ts.Outbox(ctx, store.OutboxFilter{})
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.30"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: "L1", Quantity: 99, Reason: "wrong_size"}},
			RefundMethod: returns.MethodOriginalPayment}})
	if err == nil {
		t.Fatal("99 units accepted")
	}
	after, _ := ts.Outbox(ctx, store.OutboxFilter{})
	if len(after) != len(before) || ts.drained() {
		t.Errorf("a refused creation wrote %d outbox rows or woke the worker", len(after)-len(before))
	}
}

func TestWithdrawalIsAcknowledgedOnce(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	ts.subscribeAll(t)
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.31"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.Withdraw(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: "de"}, map[string]bool{"L1": true})
	if err != nil {
		t.Fatal(err)
	}
	rows := ts.outboxRows(t, c.Return.RMA)
	var mails, hooks []string
	for _, m := range rows {
		if m.Channel == store.ChannelEmail && m.Event != returns.MailDropOffReminder {
			mails = append(mails, m.Event+" "+m.Locale)
		}
		if m.Channel == store.ChannelWebhook {
			hooks = append(hooks, m.Event)
		}
	}
	if !slices.Equal(mails, []string{"withdrawal.received de"}) {
		t.Errorf("e-mails %v", mails)
	}
	if !slices.Equal(hooks, []string{returns.EventReturnCreated, returns.EventWithdrawalReceived}) {
		t.Errorf("webhooks %v", hooks)
	}
}

func TestLookupLink(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	links := func() []store.OutboxMessage {
		rows, err := ts.Outbox(ctx, store.OutboxFilter{Channel: store.ChannelEmail})
		if err != nil {
			t.Fatal(err)
		}
		var out []store.OutboxMessage
		for _, m := range rows {
			if m.Event == returns.MailLookupLink {
				out = append(out, m)
			}
		}
		return out
	}
	ts.drained()
	// Unknown order, wrong e-mail, junk: the same nil, nothing sent.
	for i, req := range []LookupLinkRequest{
		{OrderNumber: "NOPE-1", Email: demo.Email},
		{OrderNumber: demo.FeaturedOrder, Email: "someone@else.example"},
		{OrderNumber: demo.FeaturedOrder, Email: ""},
		{OrderNumber: "#<script>", Email: demo.Email},
	} {
		req.ClientIP = "192.0.2." + string(rune('1'+i))
		if err := ts.RequestLookupLink(ctx, req); err != nil {
			t.Errorf("%+v: %v", req, err)
		}
	}
	if n := len(links()); n != 0 || ts.drained() {
		t.Fatalf("%d links sent for no match", n)
	}
	// A match: one e-mail to the order's address, as typed or not.
	if err := ts.RequestLookupLink(ctx, LookupLinkRequest{OrderNumber: " ＤＥ－１００１ ", Email: " DEMO@Example.com ",
		ClientIP: "192.0.2.50", Locale: "ja"}); err != nil {
		t.Fatal(err)
	}
	got := links()
	if len(got) != 1 || got[0].Recipient != demo.Email || got[0].Locale != "ja" || !strings.Contains(got[0].Payload, demo.FeaturedOrder) {
		t.Fatalf("links %+v", got)
	}
	if !ts.drained() {
		t.Error("the worker was not woken")
	}
	ec, err := ts.EmailContext(ctx, got[0])
	if err != nil || ec.OrderToken == "" || !ec.OrderTokenExpires.Equal(got[0].CreatedAt.Add(30*time.Minute).Truncate(time.Second)) {
		t.Fatalf("context %+v %v", ec, err)
	}
	if a, err := ts.VerifyOrderToken(ec.OrderToken); err != nil || a.Number != demo.FeaturedOrder || a.Locale != "ja" {
		t.Errorf("the link's token opens %+v %v", a, err)
	}
	if ts.LookupLinkExpired(got[0]) {
		t.Error("expired at once")
	}
	ts.advance(31 * time.Minute)
	if !ts.LookupLinkExpired(got[0]) {
		t.Error("not expired after 31 minutes")
	}
	// Per order: 3 an hour, counted whether or not anything was sent: the
	// wrong and the empty e-mail above and the match used them up.
	for i := range 5 {
		_ = ts.RequestLookupLink(ctx, LookupLinkRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email,
			ClientIP: "198.51.100." + string(rune('1'+i))})
	}
	if n := len(links()); n != 1 {
		t.Errorf("%d links for one order within the hour, want 1", n)
	}
	ts.advance(30 * time.Minute) // an hour after the first requests
	for i := range 5 {
		_ = ts.RequestLookupLink(ctx, LookupLinkRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email,
			ClientIP: "198.51.100." + string(rune('1'+i))})
	}
	if n := len(links()); n != 4 {
		t.Errorf("%d links after the hour, want 4", n)
	}
	// Per IP: 3 an hour, whatever the order.
	for _, number := range []string{"IT-1002", "US-1005", "JP-1006", "KW-1007"} {
		_ = ts.RequestLookupLink(ctx, LookupLinkRequest{OrderNumber: number, Email: demo.Email, ClientIP: "203.0.113.9"})
	}
	if n := len(links()); n != 7 {
		t.Errorf("%d links after 4 from one IP, want 7", n)
	}
}

func TestLookupLimitSaysWhichLimit(t *testing.T) {
	ts := newTestService(t, Settings{LookupLimitIP: 100, LookupLimitOrder: 2})
	ctx := context.Background()
	var rl *RateLimitedError
	for i := range 3 {
		_, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: "x@y.example", ClientIP: "192.0.2." + string(rune('1'+i))})
		if i == 2 && (!errors.As(err, &rl) || !rl.ByOrder) {
			t.Errorf("third lookup of one order: %v", err)
		}
	}
	ts2 := newTestService(t, Settings{LookupLimitIP: 1, LookupLimitOrder: 100})
	_, _ = ts2.Lookup(ctx, LookupRequest{OrderNumber: "A-1", Email: "x@y.example", ClientIP: "192.0.2.1"})
	if _, err := ts2.Lookup(ctx, LookupRequest{OrderNumber: "A-2", Email: "x@y.example", ClientIP: "192.0.2.1"}); !errors.As(err, &rl) || rl.ByOrder {
		t.Errorf("the IP's limit: %v", err)
	}
}

func TestWebhookEndpointsUseCases(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		in   WebhookInput
		want string
	}{
		{"http", WebhookInput{URL: "http://hooks.shop.example/", Events: []string{"return.created"}}, "url:invalid"},
		{"loopback", WebhookInput{URL: "https://127.0.0.1/x", Events: []string{"return.created"}}, "url:not_public"},
		{"metadata", WebhookInput{URL: "https://169.254.169.254/", Events: []string{"return.created"}}, "url:not_public"},
		{"IPv6 loopback", WebhookInput{URL: "https://[::1]/", Events: []string{"return.created"}}, "url:not_public"},
		{"unknown event", WebhookInput{URL: "https://hooks.shop.example/", Events: []string{"order.created"}}, "events:invalid"},
		{"no event", WebhookInput{URL: "https://hooks.shop.example/"}, "events:required"},
	} {
		if _, err := ts.CreateWebhook(ctx, c.in); fieldCode(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	w, err := ts.CreateWebhook(ctx, WebhookInput{URL: " https://hooks.shop.example/r ", Events: []string{"return.created", "return.created", "feedback.received"}})
	if err != nil {
		t.Fatal(err)
	}
	if w.URL != "https://hooks.shop.example/r" || !slices.Equal(w.Events, []string{"return.created", "feedback.received"}) {
		t.Errorf("created %+v", w)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(w.Secret, "whsec_"))
	if !strings.HasPrefix(w.Secret, "whsec_") || err != nil || len(key) < 24 || len(key) > 64 {
		t.Errorf("secret %q: %d bytes, %v", w.Secret, len(key), err)
	}
	rotated, err := ts.RotateWebhookSecret(ctx, w.PublicID)
	if err != nil || rotated.Secret == w.Secret || rotated.OldSecret != w.Secret ||
		!rotated.OldSecretUntil.Equal(ts.now().Add(24*time.Hour)) {
		t.Errorf("rotated %+v %v", rotated, err)
	}
	for _, id := range []string{"", "we_", "we_../x", "msg_abc", strings.Repeat("we_a", 30)} {
		if _, err := ts.Webhook(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("webhook %q: %v", id, err)
		}
	}
	for range MaxWebhooks - 1 {
		if _, err := ts.CreateWebhook(ctx, WebhookInput{URL: "https://hooks.shop.example/", Events: []string{"return.created"}}); err != nil {
			t.Fatal(err)
		}
	}
	var ce *ConflictError
	if _, err := ts.CreateWebhook(ctx, WebhookInput{URL: "https://hooks.shop.example/", Events: []string{"return.created"}}); !errors.As(err, &ce) || ce.Code != CodeTooManyWebhooks {
		t.Errorf("endpoint %d: %v", MaxWebhooks+1, err)
	}
	if err := ts.DeleteWebhook(ctx, w.PublicID); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.WebhookDeliveries(ctx, w.PublicID, 0, 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("deliveries of a deleted endpoint: %v", err)
	}

	// For local testing, private and plain http endpoints may be allowed.
	dev := newTestService(t, Settings{WebhookAllowPrivate: true})
	if _, err := dev.CreateWebhook(ctx, WebhookInput{URL: "http://127.0.0.1:9000/hook", Events: []string{"return.created"}}); err != nil {
		t.Errorf("with the development flag: %v", err)
	}
}

func TestFeedbackAfterTheRefund(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	ts.subscribeAll(t)
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	rma := c.Return.RMA
	open := func() ReturnAccess {
		a, err := ts.OpenReturn(ctx, rma, c.Token)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	var ce *ConflictError
	if _, err := ts.GiveFeedback(ctx, open(), 5, ""); !errors.As(err, &ce) || ce.Code != CodeFeedbackNotOpen {
		t.Fatalf("before the refund: %v", err)
	}
	if _, err := ts.Receive(ctx, rma, "staff:x"); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Inspect(ctx, rma, "staff:x", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Refund(ctx, RefundRequest{RMA: rma, Key: "k", RequestHash: "h", Actor: "staff:x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.GiveFeedback(ctx, open(), 6, ""); fieldCode(err) != "score:invalid" {
		t.Errorf("score 6: %v", err)
	}
	f, err := ts.GiveFeedback(ctx, open(), 4, " Quick refund. ")
	if err != nil || f.Score != 4 || f.Comment != "Quick refund." {
		t.Fatalf("feedback %+v %v", f, err)
	}
	if _, err := ts.GiveFeedback(ctx, open(), 1, "changed my mind"); !errors.As(err, &ce) || ce.Code != CodeFeedbackGiven {
		t.Errorf("a second answer: %v", err)
	}
	got, ok, err := ts.ReturnFeedback(ctx, rma)
	if err != nil || !ok || got.Score != 4 {
		t.Errorf("stored %+v %v %v", got, ok, err)
	}
	rows := ts.outboxRows(t, rma)
	last := rows[len(rows)-1]
	if last.Event != returns.EventFeedbackReceived || !strings.Contains(last.Payload, `"feedback":{"score":4`) {
		t.Errorf("feedback.received delivery %s %s", last.Event, last.Payload)
	}
}

func TestResend(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	w := ts.subscribeAll(t)
	rma := ts.createOne(t, demo.FeaturedOrder, "L1").Return.RMA
	rows := ts.outboxRows(t, rma)
	mail, hook := rows[0], rows[1]
	ts.advance(time.Minute) // the store stamps rows by the wall clock
	claimed, err := ts.ClaimOutbox(ctx, "w", time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d %v", len(claimed), err)
	}
	for _, m := range claimed {
		if err := ts.FinishOutbox(ctx, m.ID, "w", store.OutboxResult{Status: store.OutboxSent, Logged: true, Counts: true}); err != nil {
			t.Fatal(err)
		}
	}
	ts.drained()
	if err := ts.Resend(ctx, mail.PublicID); err != nil {
		t.Fatal(err)
	}
	if !ts.drained() {
		t.Error("a resend did not wake the worker")
	}
	m, attempts, err := ts.OutboxMessage(ctx, mail.PublicID)
	if err != nil || m.Status != store.OutboxPending || len(attempts) != 1 {
		t.Errorf("resent %+v %d %v", m, len(attempts), err)
	}
	if err := ts.EndpointGone(ctx, hook.EndpointID()); err != nil {
		t.Fatal(err)
	}
	var ce *ConflictError
	if err := ts.Resend(ctx, hook.PublicID); !errors.As(err, &ce) || ce.Code != CodeEndpointDisabled {
		t.Errorf("resend to a gone endpoint: %v", err)
	}
	got, _ := ts.Webhook(ctx, w.PublicID)
	if got.Enabled || got.DisabledReason != DisabledGone {
		t.Errorf("endpoint after 410: %+v", got)
	}
	for _, id := range []string{"", "msg_", "msg_a/b", "we_abc"} {
		if err := ts.Resend(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("resend %q: %v", id, err)
		}
	}
}
