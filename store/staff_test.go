package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

func TestPasswords(t *testing.T) {
	long := strings.Repeat("correct horse battery staple ", 30) // 870 bytes
	h, err := HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if !VerifyPassword(h, long) || VerifyPassword(h, long+"x") || VerifyPassword("", long) || VerifyPassword("$bcrypt$x", long) {
		t.Error("VerifyPassword")
	}
	if h2, _ := HashPassword(long); h2 == h {
		t.Error("no salt")
	}
	if _, err := HashPassword(""); err == nil {
		t.Error("empty password accepted")
	}
	if _, err := HashPassword(strings.Repeat("x", MaxPasswordBytes+1)); err == nil {
		t.Error("oversized password accepted")
	}
}

func TestStaffAccounts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a, err := s.CreateStaff(ctx, " Ana@Example.com ", "pw-ana", RoleAgent)
	if err != nil || a.Email != "ana@example.com" || a.ID == 0 {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := s.CreateStaff(ctx, "ANA@example.COM", "x", RoleAdmin); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate e-mail: %v", err)
	}
	if _, err := s.CreateStaff(ctx, "bob@example.com", "x", "owner"); err == nil {
		t.Error("unknown role accepted")
	}
	got, hash, err := s.StaffCredentials(ctx, "ANA@EXAMPLE.COM")
	if err != nil || got.ID != a.ID || !VerifyPassword(hash, "pw-ana") {
		t.Fatalf("credentials: %+v %v", got, err)
	}
	now := time.Now()
	id, sess, err := s.CreateSession(ctx, a.ID, now)
	if err != nil || sess.Role != RoleAgent || sess.CSRF == "" {
		t.Fatal(err)
	}
	if n := countRows(t, s, "staff_sessions"); n != 1 {
		t.Fatalf("%d sessions", n)
	}
	var stored string
	if err := get(ctx, s.r, &stored, `SELECT id_hash FROM staff_sessions`); err != nil || stored == id || strings.Contains(stored, id) {
		t.Errorf("session id stored in clear: %v", err)
	}
	if err := s.DisableStaff(ctx, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, id, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("session of a disabled member: %v", err)
	}
	if n := countRows(t, s, "staff_sessions"); n != 0 {
		t.Errorf("disable left %d sessions", n)
	}
	if _, _, err := s.StaffCredentials(ctx, "ana@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("disabled member can log in: %v", err)
	}
}

func TestSessionTimeouts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a, err := s.CreateStaff(ctx, "ana@example.com", "pw", RoleViewer)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	// Idle: 29 minutes between requests keep it alive, 30 end it.
	id, _, _ := s.CreateSession(ctx, a.ID, t0)
	at := t0
	for i := 0; i < 30; i++ { // 30 × 29 min > 12 h: the absolute limit ends it
		at = at.Add(29 * time.Minute)
		_, err := s.SessionByID(ctx, id, at)
		if at.Sub(t0) < SessionAbsolute && err != nil {
			t.Fatalf("after %s: %v", at.Sub(t0), err)
		}
		if at.Sub(t0) >= SessionAbsolute {
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("absolute timeout not applied after %s", at.Sub(t0))
			}
			break
		}
	}
	id2, _, _ := s.CreateSession(ctx, a.ID, t0)
	if _, err := s.SessionByID(ctx, id2, t0.Add(SessionIdle)); !errors.Is(err, ErrNotFound) {
		t.Errorf("idle timeout: %v", err)
	}
	id3, _, _ := s.CreateSession(ctx, a.ID, t0)
	if err := s.DeleteSession(ctx, id3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, id3, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
}

// refundSetup makes an inspected return of O-1 and the refund callback.
func refundSetup(t *testing.T) (*Store, returns.Return, ClaimFunc) {
	t.Helper()
	ctx := context.Background()
	s, _ := setup(t)
	r, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 2)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Receive(ctx, r.RMA, "staff:ana"); err != nil {
		t.Fatal(err)
	}
	requote := func(o returns.Order, p returns.Policy, h returns.History, r returns.Return, acc map[string]int) (returns.Quote, error) {
		return returns.RequoteAccepted(o, p, returns.LoadLegal(), h, r, acc)
	}
	r, err = s.Inspect(ctx, r.RMA, "staff:ana", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}, requote)
	if err != nil {
		t.Fatal(err)
	}
	decide := func(r returns.Return, o returns.Order, earlier int64) (RefundClaim, error) {
		d, err := returns.DecideRefund(r)
		if err != nil {
			return RefundClaim{}, err
		}
		if err := returns.CheckRefundCap(o, earlier, d); err != nil {
			return RefundClaim{}, err
		}
		return RefundClaim{Decision: d, Executor: "manual"}, nil
	}
	return s, r, decide
}

// payNow claims a refund and, when the claim is new, finalises it as
// succeeded at once (a provider that answers immediately); a known key
// replays the stored answer.
func payNow(ctx context.Context, s *Store, req RefundRequest, decide ClaimFunc) (body []byte, replayed bool, err error) {
	err = s.Write(ctx, func(tx *Tx) error {
		c, err := tx.ClaimRefund(req, time.Minute, decide)
		if err != nil {
			return err
		}
		if !c.New {
			body, replayed = c.Response, true
			return nil
		}
		body = []byte(fmt.Sprintf(`{"id":%q,"amount":%d}`, c.Refund.ID, c.Refund.Amount))
		_, err = tx.FinishRefund(c.Refund.ID, RefundOutcome{State: RefundSucceeded, Reference: "manual:original_payment",
			Response: body, ResponseStatus: 201, Actor: req.Actor}, nil)
		return err
	})
	return body, replayed, err
}

func TestInspectRequotes(t *testing.T) {
	ctx := context.Background()
	s, r, _ := refundSetup(t)
	// L1: 2 × 2500 − 500 = 4500 paid; one unit accepted → 2250.
	if r.Status != returns.StatusInspected || r.Quote.ItemsRefund != 2250 {
		t.Fatalf("%s %+v", r.Status, r.Quote)
	}
	x, err := s.ReturnExtras(ctx, r.RMA)
	if err != nil {
		t.Fatal(err)
	}
	if x.OriginalQuote == nil || x.OriginalQuote.ItemsRefund != 5000 || len(x.Inspections) != 1 || x.ReceivedAt == nil {
		t.Errorf("extras %+v", x)
	}
	// PT is in the EU: the deadline is 14 days from the request.
	if x.RefundDue == nil || x.OverdueAt == nil {
		t.Errorf("no refund deadline: %+v", x)
	}
	if _, err := s.Inspect(ctx, r.RMA, "x", nil, nil); !errors.Is(err, ErrConflict) {
		t.Errorf("second inspection: %v", err)
	}
}

func TestReceiveTwice(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	r, err := s.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Receive(ctx, strings.ToLower(r.RMA), "a"); err != nil || got.Status != returns.StatusReceived {
		t.Fatalf("%v %v", got.Status, err)
	}
	got, err := s.Receive(ctx, r.RMA, "a")
	if !errors.Is(err, ErrConflict) || !errors.Is(err, returns.ErrTransition) || got.Status != returns.StatusReceived {
		t.Fatalf("second receive: %v %v", got.Status, err)
	}
	if _, err := s.Receive(ctx, "R-0000-0000", "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

// TestRefundExactlyOnce: 50 goroutines, half with one key and half with a
// key each, produce one refund row; the key's replays get the same body.
func TestRefundExactlyOnce(t *testing.T) {
	ctx := context.Background()
	s, r, decide := refundSetup(t)
	var wg sync.WaitGroup
	type result struct {
		body     string
		replayed bool
		err      error
	}
	results := make([]result, 50)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "same-key"
			if i%2 == 1 {
				key = fmt.Sprintf("key-%d", i)
			}
			b, rep, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: key, RequestHash: "h", Actor: "t"}, decide)
			results[i] = result{string(b), rep, err}
		}()
	}
	wg.Wait()
	if n := countRows(t, s, "refunds"); n != 1 {
		t.Fatalf("%d refund rows, want 1", n)
	}
	var body string
	ok := 0
	for _, res := range results {
		switch {
		case res.err == nil:
			ok++
			if body == "" {
				body = res.body
			} else if body != res.body {
				t.Errorf("different bodies %q and %q", body, res.body)
			}
		case !errors.Is(res.err, ErrConflict):
			t.Errorf("unexpected error %v", res.err)
		}
	}
	if ok == 0 {
		t.Fatal("no refund succeeded")
	}
	got, err := s.GetReturn(ctx, r.RMA)
	if err != nil || got.Status != returns.StatusRefunded {
		t.Errorf("status %s %v", got.Status, err)
	}
	// The winning key with another request: refused; with the same: replayed.
	var key string
	if err := get(ctx, s.r, &key, `SELECT idempotency_key FROM refunds`); err != nil {
		t.Fatal(err)
	}
	if b, rep, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: key, RequestHash: "h"}, decide); err != nil || !rep || string(b) != body {
		t.Errorf("replay: %q %v %v", b, rep, err)
	}
	if _, _, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: key, RequestHash: "other"}, decide); !errors.Is(err, ErrIdempotencyMismatch) {
		t.Errorf("key reuse: %v", err)
	}
}

// TestRefundUniqueConstraint: even bypassing Refund, the database refuses a
// second refund row for a return.
func TestRefundUniqueConstraint(t *testing.T) {
	ctx := context.Background()
	s, r, decide := refundSetup(t)
	if _, _, err := payNow(ctx, s, RefundRequest{RMA: r.RMA, Key: "k1", RequestHash: "h"}, decide); err != nil {
		t.Fatal(err)
	}
	_, err := exec(ctx, s.w, `INSERT INTO refunds (public_id, return_id, idempotency_key, request_hash,
		amount, currency, method, response, created_at) VALUES ('rf_x', ?, 'k2', 'h', 1, 'EUR', 'original_payment', '{}', ?)`,
		r.ID, time.Now().UTC())
	if !isUniqueViolation(err) {
		t.Fatalf("second refund row: %v", err)
	}
}

func TestQueuePages(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	o := sampleOrder("O-2")
	o.Lines[0].Quantity = 100
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var rmas []string
	for i := 0; i < 7; i++ {
		s.now = func() time.Time { return t0.Add(time.Duration(i) * time.Hour) }
		r, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1)))
		if err != nil {
			t.Fatal(err)
		}
		rmas = append(rmas, r.RMA)
	}
	for _, sortBy := range []string{SortNewest, SortOldest, SortDue} {
		var seen []string
		cursor := ""
		for page := 0; page < 10; page++ {
			rows, next, err := s.Queue(ctx, QueueFilter{Sort: sortBy, Limit: 3, Cursor: cursor, Now: t0})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				seen = append(seen, r.RMA)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if len(seen) != 7 {
			t.Fatalf("%s: %d rows %v", sortBy, len(seen), seen)
		}
		first := rmas[6]
		if sortBy != SortNewest {
			first = rmas[0]
		}
		if seen[0] != first {
			t.Errorf("%s: first %s, want %s", sortBy, seen[0], first)
		}
	}
	for _, c := range []struct {
		f    QueueFilter
		want int
	}{
		{QueueFilter{Search: rmas[3]}, 1},
		{QueueFilter{Search: strings.ToLower(strings.ReplaceAll(rmas[3], "-", ""))}, 1},
		{QueueFilter{Search: "O-2"}, 7},
		{QueueFilter{Search: "ANA@example.com"}, 7},
		{QueueFilter{Country: "pt"}, 7},
		{QueueFilter{Country: "DE"}, 0},
		{QueueFilter{Reason: "changed_mind"}, 7},
		{QueueFilter{Reason: "damaged"}, 0},
		{QueueFilter{Status: "approved"}, 7},
		{QueueFilter{From: ptr(t0.Add(2 * time.Hour)), To: ptr(t0.Add(4 * time.Hour))}, 2},
		{QueueFilter{Overdue: true, Now: t0}, 0},
		{QueueFilter{Overdue: true, Now: t0.Add(30 * 24 * time.Hour)}, 7},
	} {
		rows, _, err := s.Queue(ctx, c.f)
		if err != nil || len(rows) != c.want {
			t.Errorf("%+v: %d rows, %v; want %d", c.f, len(rows), err, c.want)
		}
	}
	if _, _, err := s.Queue(ctx, QueueFilter{Cursor: "!!"}); !errors.Is(err, ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	counts, err := s.StatusCounts(ctx)
	if err != nil || counts["approved"] != 7 {
		t.Errorf("counts %v %v", counts, err)
	}
	all, next, err := s.ReturnsUpdated(ctx, "", time.Time{}, "", 4)
	if err != nil || len(all) != 4 || next == "" {
		t.Fatalf("%d %q %v", len(all), next, err)
	}
	rest, next, err := s.ReturnsUpdated(ctx, "", time.Time{}, next, 4)
	if err != nil || len(rest) != 3 || next != "" {
		t.Fatalf("%d %q %v", len(rest), next, err)
	}
}
