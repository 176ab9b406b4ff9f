package notify

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/netguard"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// TestSignMatchesTheReferenceVector: Sign gives the signature the
// specification's reference library gives (testdata, with its source), and
// the verifier written from the specification accepts it.
func TestSignMatchesTheReferenceVector(t *testing.T) {
	raw, err := os.ReadFile("testdata/standard-webhooks-vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Secret, ID, Payload, Signature string
		Timestamp                      int64
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	got, err := Sign([]string{v.Secret}, v.ID, v.Timestamp, []byte(v.Payload))
	if err != nil || got != v.Signature {
		t.Fatalf("Sign = %q, %v; the reference library says %q", got, err, v.Signature)
	}
	h := http.Header{}
	h.Set("webhook-id", v.ID)
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", "v1a,other v2,zzz "+got)
	at := time.Unix(v.Timestamp, 0)
	if err := verify(v.Secret, h, []byte(v.Payload), at, 5*time.Minute); err != nil {
		t.Errorf("verify: %v", err)
	}
	// The verifier refuses what it must: another body, an old timestamp,
	// another secret, a missing header.
	if err := verify(v.Secret, h, []byte(v.Payload+" "), at, 5*time.Minute); !errors.Is(err, errNoSignature) {
		t.Errorf("changed body: %v", err)
	}
	if err := verify(v.Secret, h, []byte(v.Payload), at.Add(6*time.Minute), 5*time.Minute); err == nil {
		t.Error("a six-minute-old timestamp was accepted")
	}
	if err := verify("whsec_"+strings.Repeat("A", 32), h, []byte(v.Payload), at, 5*time.Minute); !errors.Is(err, errNoSignature) {
		t.Errorf("another secret: %v", err)
	}
	h.Del("webhook-id")
	if err := verify(v.Secret, h, []byte(v.Payload), at, 5*time.Minute); err == nil {
		t.Error("no webhook-id accepted")
	}
	if _, err := Sign([]string{"whsec_!!!"}, "msg_1", 1, nil); err == nil {
		t.Error("a secret that is not base64 signed")
	}
}

// hookHarness is the harness with an endpoint subscribed to every event
// at a receiver that verifies each delivery.
func hookHarness(t *testing.T) (*harness, *receiver, store.WebhookEndpoint) {
	h := newHarness(t, harnessOpts{})
	r := newReceiver(t, h.now)
	w, err := h.svc.CreateWebhook(context.Background(), service.WebhookInput{URL: r.srv.URL + "/hooks", Events: returns.WebhookEvents})
	if err != nil {
		t.Fatal(err)
	}
	r.secret = w.Secret
	return h, r, w
}

func TestWebhookDeliveriesAreSigned(t *testing.T) {
	h, r, w := hookHarness(t)
	c := h.create(demo.FeaturedOrder, "L1", "de")
	h.drain()
	requests, unique, bad := r.got()
	if len(bad) > 0 || requests != 1 || len(unique) != 1 {
		t.Fatalf("requests %d, unique %v, refused %v", requests, unique, bad)
	}
	row := h.rows(store.OutboxFilter{Channel: store.ChannelWebhook})[0]
	if unique[0] != row.PublicID || row.Status != store.OutboxSent || row.LastCode != 200 || row.EndpointPublicID != w.PublicID {
		t.Errorf("row %+v", row)
	}
	var body struct {
		Type      string                 `json:"type"`
		Timestamp time.Time              `json:"timestamp"`
		Data      service.MerchantReturn `json:"data"`
	}
	r.mu.Lock()
	raw := r.bodies[row.PublicID]
	r.mu.Unlock()
	if string(raw) != row.Payload {
		t.Error("the body sent is not the body stored")
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != returns.EventReturnCreated || body.Data.RMA != c.Return.RMA || body.Timestamp.IsZero() {
		t.Errorf("body %+v", body)
	}
}

func TestWebhookRetriesAfter500(t *testing.T) {
	h, r, _ := hookHarness(t)
	r.status = []int{http.StatusInternalServerError, http.StatusServiceUnavailable}
	h.create(demo.FeaturedOrder, "L1", "en")
	h.drain()
	row := h.rows(store.OutboxFilter{Channel: store.ChannelWebhook})[0]
	if row.Status != store.OutboxPending || row.Attempts != 1 || row.LastCode != 500 {
		t.Fatalf("after a 500: %+v", row)
	}
	// The first retry is 5 s later (jitter 0.5: exactly).
	if d := row.DueAt.Sub(h.now()); d != 5*time.Second {
		t.Errorf("retry in %v", d)
	}
	h.advance(5 * time.Second)
	h.drain()
	row, _, _ = h.svc.OutboxMessage(context.Background(), row.PublicID)
	if row.Status != store.OutboxPending || row.Attempts != 2 || row.LastCode != 503 || row.DueAt.Sub(h.now()) != 5*time.Minute {
		t.Fatalf("after a 503: %+v (due in %v)", row, row.DueAt.Sub(h.now()))
	}
	h.advance(5 * time.Minute)
	h.drain()
	row, attempts, _ := h.svc.OutboxMessage(context.Background(), row.PublicID)
	requests, unique, _ := r.got()
	if row.Status != store.OutboxSent || len(attempts) != 3 || requests != 3 || len(unique) != 1 {
		t.Fatalf("after the retries: %s, %d attempts, %d requests, %d unique", row.Status, len(attempts), requests, len(unique))
	}
}

func TestWebhookGivenUpAfterTheSchedule(t *testing.T) {
	h, r, _ := hookHarness(t)
	r.status = make([]int, 100)
	for i := range r.status {
		r.status[i] = http.StatusBadGateway
	}
	h.create(demo.FeaturedOrder, "L1", "en")
	start := h.now()
	var row store.OutboxMessage
	for range 20 {
		h.drain()
		row = h.rows(store.OutboxFilter{Channel: store.ChannelWebhook})[0]
		if row.Status != store.OutboxPending {
			break
		}
		h.advance(row.DueAt.Sub(h.now()) + time.Second)
	}
	// Every step of the schedule was tried, about three days long.
	if row.Status != store.OutboxFailed || row.Attempts != len(WebhookSchedule.Delays)+1 {
		t.Errorf("after the schedule: %s after %d attempts", row.Status, row.Attempts)
	}
	if took := h.now().Sub(start); took < 66*time.Hour || took > 80*time.Hour {
		t.Errorf("given up after %v", took)
	}
	if requests, _, _ := r.got(); requests != len(WebhookSchedule.Delays)+1 {
		t.Errorf("%d requests", requests)
	}
}

func TestWebhook410DisablesTheEndpoint(t *testing.T) {
	h, r, w := hookHarness(t)
	r.status = []int{http.StatusInternalServerError, http.StatusGone}
	a := h.create(demo.FeaturedOrder, "L1", "en") // answered 500: waits for its retry
	h.drain()
	b := h.create("IT-1002", "L1", "en") // answered 410
	h.drain()
	got, err := h.svc.Webhook(context.Background(), w.PublicID)
	if err != nil || got.Enabled || got.DisabledReason != service.DisabledGone {
		t.Fatalf("endpoint after 410: %+v %v", got, err)
	}
	rowA := h.rows(store.OutboxFilter{Channel: store.ChannelWebhook, RMA: a.Return.RMA})[0]
	rowB := h.rows(store.OutboxFilter{Channel: store.ChannelWebhook, RMA: b.Return.RMA})[0]
	if rowA.Status != store.OutboxCancelled || rowB.Status != store.OutboxFailed || rowB.LastCode != http.StatusGone {
		t.Errorf("the waiting delivery %s, the one answered 410 %s (%d)", rowA.Status, rowB.Status, rowB.LastCode)
	}
	// Nothing more goes to it: not the waiting retry, not new events.
	h.advance(time.Hour)
	h.create("US-1005", "L1", "en")
	h.drain()
	if requests, _, _ := r.got(); requests != 2 {
		t.Errorf("%d requests to an endpoint that answered 410", requests)
	}
	if n := len(h.rows(store.OutboxFilter{Channel: store.ChannelWebhook})); n != 2 {
		t.Errorf("%d deliveries", n)
	}
}

// TestWebhookRotation: after a rotation both secrets sign for 24 hours, so
// a receiver with either verifies; then the new one alone.
func TestWebhookRotation(t *testing.T) {
	h, r, w := hookHarness(t)
	rotated, err := h.svc.RotateWebhookSecret(context.Background(), w.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	// The receiver still has the old secret: it verifies.
	h.create(demo.FeaturedOrder, "L1", "en")
	h.drain()
	// The receiver switches to the new one: it verifies too.
	r.mu.Lock()
	r.secret = rotated.Secret
	r.mu.Unlock()
	h.create("IT-1002", "L1", "en")
	h.drain()
	if requests, unique, bad := r.got(); requests != 2 || len(unique) != 2 || len(bad) != 0 {
		t.Fatalf("during the grace period: %d requests, %d accepted, refused %v", requests, len(unique), bad)
	}
	// A day later the old secret no longer signs.
	h.advance(24*time.Hour + time.Minute)
	r.mu.Lock()
	r.secret = w.Secret
	r.mu.Unlock()
	h.create("US-1005", "L1", "en")
	h.drain()
	if _, _, bad := r.got(); len(bad) != 1 {
		t.Errorf("the old secret still verifies after 24 h (refused: %v)", bad)
	}
}

// TestDuplicateDeliveriesShareTheirID: a delivery sent twice (a worker
// killed after sending, before recording; and a resend) carries the same
// webhook-id, so the receiver keeps it once.
func TestDuplicateDeliveriesShareTheirID(t *testing.T) {
	h, r, _ := hookHarness(t)
	h.create(demo.FeaturedOrder, "L1", "en")
	// A worker claims the row and dies (its lease is never released).
	claimed, err := h.svc.ClaimOutbox(context.Background(), "dead-worker", time.Minute, 10, store.ChannelWebhook)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim %d %v", len(claimed), err)
	}
	// It had sent it: the receiver got it.
	ans, err := NewWebhookClient(true).Deliver(context.Background(), Delivery{URL: claimed[0].Recipient, ID: claimed[0].PublicID,
		Secrets: []string{r.secret}, Body: []byte(claimed[0].Payload), At: h.now()})
	if err != nil || !ans.Delivered() {
		t.Fatal(ans, err)
	}
	h.drain() // leased: nothing to do
	if requests, _, _ := r.got(); requests != 1 {
		t.Fatalf("a leased row was sent: %d requests", requests)
	}
	h.advance(2 * time.Minute) // the lease runs out: another worker sends it
	h.drain()
	row := h.rows(store.OutboxFilter{Channel: store.ChannelWebhook})[0]
	if err := h.svc.Resend(context.Background(), row.PublicID); err != nil {
		t.Fatal(err)
	}
	h.drain()
	requests, unique, bad := r.got()
	if requests != 3 || len(unique) != 1 || len(bad) != 0 {
		t.Errorf("%d requests, %d unique ids, refused %v", requests, len(unique), bad)
	}
}

// TestWebhookSSRFRefusedAtDialTime: without --webhook-allow-private, no
// delivery reaches a loopback, link-local (metadata) or IPv6 loopback
// address, however the URL names it; nothing is followed on a redirect.
func TestWebhookSSRFRefusedAtDialTime(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := NewWebhookClient(false)
	secrets := []string{"whsec_" + strings.Repeat("A", 32)}
	for _, url := range []string{
		"http://127.0.0.1:" + port + "/x",
		"http://localhost:" + port + "/x",
		"http://[::1]:" + port + "/x",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::ffff:127.0.0.1]:" + port + "/x",
		"http://0.0.0.0:" + port + "/x",
	} {
		_, err := c.Deliver(context.Background(), Delivery{URL: url, ID: "msg_1", Secrets: secrets, Body: []byte("{}"), At: time.Now()})
		if !errors.Is(err, netguard.ErrNotPublic) {
			t.Errorf("%s: %v, want refused", url, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests reached the loopback server", n)
	}
	// With the development flag the same delivery goes through; a
	// redirect is answered, not followed.
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	ans, err := NewWebhookClient(true).Deliver(context.Background(), Delivery{URL: redirect.URL, ID: "msg_2", Secrets: secrets,
		Body: []byte("{}"), At: time.Now()})
	if err != nil || ans.Status != http.StatusTemporaryRedirect || ans.Delivered() {
		t.Errorf("redirect: %+v %v", ans, err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirect was followed (%d requests)", n)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"-5":                            0,
		"soon":                          0,
		"Fri, 01 May 2026 12:10:00 GMT": 10 * time.Minute,
		"Fri, 01 May 2026 11:00:00 GMT": 0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
