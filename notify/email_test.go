package notify

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/moneyfmt"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// TestCreatedEmailInTheShoppersLanguage: a return made in a language is
// written to in it: subject, body, amounts as the portal formats them, RTL
// for Arabic, no remote image; it reaches the order's address through a
// real SMTP server; its links work.
func TestCreatedEmailInTheShoppersLanguage(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	cases := []struct {
		order, line, lang string
		subject           func(rma string) string
		dir               string
		phrase            string // a sentence of the body, in the language
	}{
		{"US-1005", "L2", "en", func(rma string) string { return "Your return " + rma + " for order US-1005" }, "ltr",
			"Your return is approved."},
		{demo.FeaturedOrder, "L1", "de", func(rma string) string { return "Ihre Rücksendung " + rma + " zur Bestellung DE-1001" }, "ltr",
			"Ihre Rücksendung ist genehmigt."},
		{"JP-1006", "L2", "ja", func(rma string) string { return "ご注文JP-1006の返品" + rma }, "ltr",
			"返品は承認されました。"},
		{"KW-1007", "L2", "ar", func(rma string) string {
			return "طلب الإرجاع \u2068" + rma + "\u2069 للطلب \u2068KW-1007\u2069"
		}, "rtl",
			"تمت الموافقة على الإرجاع."},
	}
	created := map[string]service.Created{}
	for _, c := range cases {
		created[c.lang] = h.create(c.order, c.line, c.lang)
	}
	h.drain()
	msgs := h.sink.messages()
	if len(msgs) != len(cases) {
		t.Fatalf("%d messages, want %d", len(msgs), len(cases))
	}
	byRMA := map[string]parsed{}
	for _, m := range msgs {
		if len(m.To) != 1 || m.To[0] != demo.Email || m.From != "returns@shop.example" {
			t.Errorf("envelope from %q to %v", m.From, m.To)
		}
		p := parse(t, m.Data)
		for _, c := range created {
			if strings.Contains(p.Subject, c.Return.RMA) {
				byRMA[c.Return.RMA] = p
			}
		}
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			r := created[c.lang].Return
			p, ok := byRMA[r.RMA]
			if !ok {
				t.Fatalf("no e-mail names %s", r.RMA)
			}
			if p.Subject != c.subject(r.RMA) {
				t.Errorf("subject %q, want %q", p.Subject, c.subject(r.RMA))
			}
			if got := p.Header.Get("Content-Language"); got != c.lang {
				t.Errorf("Content-Language %q", got)
			}
			if to, _ := p.Header.AddressList("To"); len(to) != 1 || to[0].Address != demo.Email {
				t.Errorf("To %v", to)
			}
			rows := h.rows(store.OutboxFilter{RMA: r.RMA, Channel: store.ChannelEmail})
			if got := p.Header.Get("Message-ID"); got != "<"+rows[0].PublicID+"@shop.example>" {
				t.Errorf("Message-ID %q, row %s", got, rows[0].PublicID)
			}
			if !strings.Contains(p.HTML, `<html lang="`+c.lang+`" dir="`+c.dir+`">`) {
				t.Errorf("html element: %.200s", p.HTML)
			}
			if strings.Contains(p.HTML, "<img") || strings.Contains(p.HTML, "<script") || strings.Contains(p.HTML, "<link") {
				t.Error("the HTML loads something")
			}
			for _, part := range []string{p.Text, p.HTML} {
				if !strings.Contains(part, c.phrase) || !strings.Contains(part, r.RMA) {
					t.Errorf("a part lacks %q or the RMA", c.phrase)
				}
			}
			// The amount as the portal writes it (moneyfmt, the order's region).
			o, err := h.svc.Order(context.Background(), service.OrderAccess{Number: r.OrderNumber})
			if err != nil {
				t.Fatal(err)
			}
			amount := moneyfmt.New(moneyfmt.Locale(c.lang, o.Locale)).Format(r.Quote.Total, r.Quote.Currency)
			if !strings.Contains(p.Text, amount) || !strings.Contains(p.HTML, amount) {
				t.Errorf("amount %q missing from:\n%s", amount, p.Text)
			}
			// The links work: the status page shows the return, the label
			// downloads.
			res, body := get(t, p.link(t, h.base, "/r/"+r.RMA+"?"))
			if res.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="rma"`) || !strings.Contains(body, r.RMA) ||
				!strings.Contains(body, `lang="`+c.lang+`"`) {
				t.Errorf("status link: %d", res.StatusCode)
			}
			res, _ = get(t, p.link(t, h.base, "/r/"+r.RMA+"/label.pdf"))
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("label link: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
		})
	}
	// Every row is sent once; the reminders wait for their day.
	for _, m := range h.rows(store.OutboxFilter{Channel: store.ChannelEmail}) {
		want := store.OutboxSent
		if m.Event == returns.MailDropOffReminder {
			want = store.OutboxPending
		}
		if m.Status != want || (want == store.OutboxSent && m.Attempts != 1) {
			t.Errorf("%s %s: %s after %d attempts", m.Event, m.PublicID, m.Status, m.Attempts)
		}
	}
}

// TestWithdrawalAcknowledgement: the withdrawal's e-mail is its
// acknowledgement on a durable medium: the order, what it covers, when it
// was received (in the shopper's zone, named, and in UTC, as the portal's
// acknowledgement page says it), the RMA and the next steps.
func TestWithdrawalAcknowledgement(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx := context.Background()
	l, err := h.svc.Lookup(ctx, service.LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.1", Locale: "de"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.svc.Withdraw(ctx, service.OrderAccess{Number: l.Facts.Order.Number, Locale: "de"}, map[string]bool{"L1": true})
	if err != nil {
		t.Fatal(err)
	}
	h.drain()
	msgs := h.sink.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails for one withdrawal", len(msgs))
	}
	p := parse(t, msgs[0].Data)
	r := c.Return
	if p.Subject != "Widerruf erhalten: Bestellung DE-1001, Rücksendung "+r.RMA {
		t.Errorf("subject %q", p.Subject)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	local := r.CreatedAt.In(berlin)
	utc := r.CreatedAt.UTC().Format("2006-01-02 15:04:05") + " UTC"
	for _, want := range []string{
		"Widerruf eingegangen",               // the heading (the portal's)
		"Diese E-Mail bestätigt den Eingang", // that it acknowledges
		"Bestellung: DE-1001", "Rücksendenummer: " + r.RMA,
		"Eingegangen (UTC): " + utc,
		local.Format("15:04") + " (Berlin, " + local.Format("MST") + ")",
		"- T-Shirt (2 Stück)", // what it covers: the line, every returnable unit
		"Bitte senden Sie die Artikel bis zum",
		"Wir erstatten den Betrag über Ihr ursprüngliches Zahlungsmittel.",
	} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("the acknowledgement lacks %q:\n%s", want, p.Text)
		}
	}
	// The sentence about when it was received is the portal's, word for
	// word (one rule for both).
	res, page := get(t, h.base+"/r/"+r.RMA+"/withdrawal?t="+c.Token+"&lang=de")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("acknowledgement page %d", res.StatusCode)
	}
	i := strings.Index(p.Text, "Ihr Widerruf ist am")
	if i < 0 {
		t.Fatalf("no receipt sentence in:\n%s", p.Text)
	}
	sentence, _, _ := strings.Cut(p.Text[i:], "\n")
	sentence = strings.TrimRight(sentence, "\r")
	// The page isolates the zone's name and the UTC time in every
	// language; the e-mail needs that only in Arabic.
	page = strings.NewReplacer("\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "").Replace(page)
	if !strings.Contains(page, sentence) {
		t.Errorf("the e-mail's sentence %q is not the page's", sentence)
	}
}

// TestLookupLinkEmailOpensTheOrder: the link e-mailed to the order's
// address opens the order page.
func TestLookupLinkEmailOpensTheOrder(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if err := h.svc.RequestLookupLink(context.Background(), service.LookupLinkRequest{OrderNumber: "JP-1006",
		Email: demo.Email, ClientIP: "192.0.2.9"}); err != nil {
		t.Fatal(err)
	}
	h.drain()
	msgs := h.sink.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails", len(msgs))
	}
	p := parse(t, msgs[0].Data)
	if p.Subject != "ご注文JP-1006を開くリンク" || p.Header.Get("Content-Language") != "ja" {
		t.Errorf("subject %q in %s", p.Subject, p.Header.Get("Content-Language"))
	}
	res, body := get(t, p.link(t, h.base, "/order?"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "JP-1006") {
		t.Errorf("the link answers %d", res.StatusCode)
	}
	// Half an hour later the link has expired (as a lookup's token does).
	h.advance(31 * time.Minute)
	if res, _ := get(t, p.link(t, h.base, "/order?")); res.StatusCode != http.StatusGone {
		t.Errorf("after 31 minutes: %d", res.StatusCode)
	}
}

// TestRefundInspectionAndSurvey: an inspection that lowers the refund and
// the refund itself are written to the shopper; the refund's e-mail links
// the survey, whose answer reaches the staff's page.
func TestRefundInspectionAndSurvey(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx := context.Background()
	c := h.create("JP-1006", "L2", "en")
	rma := c.Return.RMA
	if _, err := h.svc.Receive(ctx, rma, "staff:test"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Inspect(ctx, rma, "staff:test", []returns.InspectedItem{{LineID: "L2", Accepted: 0, Condition: returns.ConditionDamaged}}); err != nil {
		t.Fatal(err)
	}
	h.drain()
	var inspected parsed
	for _, m := range h.sink.messages() {
		if p := parse(t, m.Data); strings.HasPrefix(p.Subject, "Your refund for return "+rma+" has changed") {
			inspected = p
		}
	}
	jpy := moneyfmt.New(moneyfmt.Locale("en", "ja-JP"))
	for _, want := range []string{"your refund is " + jpy.Format(0, "JPY") + " instead of " + jpy.Format(c.Return.Quote.Total, "JPY"),
		"Tシャツ: 0 of 1 accepted (Damaged)"} {
		if !strings.Contains(inspected.Text, want) {
			t.Errorf("inspection e-mail lacks %q:\n%s", want, inspected.Text)
		}
	}
	// A refund of nothing is refused; a second return is refunded.
	c2 := h.create("JP-1006", "L1", "en")
	if _, err := h.svc.Receive(ctx, c2.Return.RMA, "staff:test"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Inspect(ctx, c2.Return.RMA, "staff:test", []returns.InspectedItem{{LineID: "L1", Accepted: 1, Condition: returns.ConditionResellable}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Refund(ctx, service.RefundRequest{RMA: c2.Return.RMA, Key: "k1", RequestHash: "h", Actor: "staff:test"}); err != nil {
		t.Fatal(err)
	}
	h.drain()
	var refunded parsed
	for _, m := range h.sink.messages() {
		if p := parse(t, m.Data); p.Subject == "Your refund for return "+c2.Return.RMA+" is on its way" {
			refunded = p
		}
	}
	if refunded.Text == "" {
		t.Fatal("no refund e-mail")
	}
	for _, want := range []string{"We have refunded " + jpy.Format(c2.Return.Quote.Total, "JPY"), "Refund to your original payment method",
		"5 to 10 business days"} {
		if !strings.Contains(refunded.Text, want) {
			t.Errorf("refund e-mail lacks %q:\n%s", want, refunded.Text)
		}
	}
	survey := refunded.link(t, h.base, "/r/"+c2.Return.RMA+"/feedback")
	res, body := get(t, survey)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="feedback-form"`) {
		t.Fatalf("survey link: %d", res.StatusCode)
	}
	f, err := h.svc.GiveFeedback(ctx, mustOpen(t, h, c2), 5, "Quick")
	if err != nil || f.Score != 5 {
		t.Fatalf("feedback %+v %v", f, err)
	}
	if sr, err := h.svc.StaffReturn(ctx, c2.Return.RMA); err != nil || sr.Feedback == nil || sr.Feedback.Comment != "Quick" {
		t.Errorf("staff see %+v %v", sr.Feedback, err)
	}
}

func mustOpen(t *testing.T, h *harness, c service.Created) service.ReturnAccess {
	t.Helper()
	a, err := h.svc.OpenReturn(context.Background(), c.Return.RMA, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDropOffReminder: the reminder goes out on its day while the parcel
// has not arrived; a received return's reminder never does.
func TestDropOffReminder(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx := context.Background()
	waiting := h.create(demo.FeaturedOrder, "L1", "en")
	arrived := h.create("IT-1002", "L1", "en")
	h.drain()
	if _, err := h.svc.Receive(ctx, arrived.Return.RMA, "staff:test"); err != nil {
		t.Fatal(err)
	}
	reminder := h.rows(store.OutboxFilter{RMA: waiting.Return.RMA, Status: store.OutboxPending})
	if len(reminder) != 1 || reminder[0].Event != returns.MailDropOffReminder {
		t.Fatalf("pending %+v", reminder)
	}
	h.advance(reminder[0].DueAt.Sub(h.now()) - time.Minute)
	h.drain()
	before := len(h.sink.messages())
	h.advance(2 * time.Minute)
	h.drain()
	msgs := h.sink.messages()
	if len(msgs) != before+1 {
		t.Fatalf("%d reminders sent, want 1", len(msgs)-before)
	}
	p := parse(t, msgs[len(msgs)-1].Data)
	if !strings.HasPrefix(p.Subject, "Reminder: drop off your return "+waiting.Return.RMA+" by ") {
		t.Errorf("subject %q", p.Subject)
	}
	if rows := h.rows(store.OutboxFilter{RMA: arrived.Return.RMA, Status: store.OutboxPending}); len(rows) != 0 {
		t.Errorf("the received return still has %d pending rows", len(rows))
	}
}
