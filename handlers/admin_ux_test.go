package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/store"
)

// TestAdminScanList: the receiving bench lists the scans since the page was
// opened, newest first, each with its time, input and result, and counts
// them; the form carries the list from scan to scan (htmx or a plain post
// alike); a partial RMA lists the returns it may be and receives none;
// entries the page could not have written are dropped.
func TestAdminScanList(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleAgent)
	pg := s.get("/admin/receive")
	if !pg.has("scan-log-empty") || attr(pg.one("scan-counts"), "data-total") != "0" {
		t.Fatal("a new page has scans")
	}
	// Each scan posts the form as the page rendered it.
	next := func(prev page, typed string, hx bool) page {
		t.Helper()
		form := formValues(prev.one("scan-form"))
		form.Set("rma", typed)
		var res page
		if hx {
			res = s.post("/admin/receive", form, "HX-Request", "true")
		} else {
			res = s.post("/admin/receive", form)
		}
		if res.res.Code != http.StatusOK {
			t.Fatalf("scan %q: %d", typed, res.res.Code)
		}
		return res
	}
	p1 := next(pg, strings.ToLower(rma), true)
	p2 := next(p1, rma, false)
	p3 := next(p2, "R-ZZZZ-ZZZZ", true)
	prefix := rma[:6] // "R-XXXX"
	p4 := next(p3, prefix, true)
	if got := attr(p4.one("scan-result"), "data-result"); got != "partial" {
		t.Fatalf("partial scan: %s", got)
	}
	if m := p4.all("scan-match"); len(m) != 1 || text(m[0]) != rma || attr(m[0], "href") != "/admin/returns/"+rma {
		t.Errorf("partial scan lists %d matches", len(m))
	}
	rows := p4.all("scan-row")
	want := [][2]string{{prefix, "partial"}, {"R-ZZZZ-ZZZZ", "unknown"}, {rma, "already_received"}, {rma, "received"}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		if attr(rows[i], "data-input") != w[0] || attr(rows[i], "data-result") != w[1] {
			t.Errorf("row %d: %s %s, want %v", i, attr(rows[i], "data-input"), attr(rows[i], "data-result"), w)
		}
	}
	c := p4.one("scan-counts")
	if attr(c, "data-total") != "4" || attr(c, "data-received") != "1" || attr(c, "data-problems") != "3" {
		t.Errorf("counts %s/%s/%s", attr(c, "data-total"), attr(c, "data-received"), attr(c, "data-problems"))
	}
	if got := text(c); !strings.Contains(got, "Scans: 4") || !strings.Contains(got, "Received: 1") || !strings.Contains(got, "Need attention: 3") {
		t.Errorf("counts say %q", got)
	}
	// Cues: a colour class, an icon and the text, per result.
	for _, tc := range []struct {
		p         page
		cue, icon string
	}{{p1, "ok", "✓"}, {p2, "warn", "!"}, {p3, "error", "✕"}} {
		r := tc.p.one("scan-result")
		if attr(r, "data-cue") != tc.cue || !strings.Contains(text(r), tc.icon) || !strings.Contains(attr(r, "class"), "cue-"+tc.cue) {
			t.Errorf("cue %q: %q %q", tc.cue, attr(r, "class"), text(r))
		}
	}
	// Only the first scan received; the partial one received nothing.
	events, _ := a.st.Events(context.Background(), rma)
	var received int
	for _, e := range events {
		if e.To == "received" {
			received++
		}
	}
	if received != 1 {
		t.Errorf("%d receipts", received)
	}
	// Forged or broken entries are dropped; a list past the cap is cut.
	form := formValues(p4.one("scan-form"))
	form.Add("scan_at", "yesterday")
	form.Add("scan_input", "R-AAAA-AAAA")
	form.Add("scan_result", "received")
	form.Set("rma", "x")
	res := s.post("/admin/receive", form, "HX-Request", "true")
	if n := len(res.all("scan-row")); n != 5 {
		t.Errorf("%d rows after a forged entry, want 5", n)
	}
	long := url.Values{"csrf": form["csrf"], "rma": {"x"}}
	for i := range maxScans + 10 {
		long.Add("scan_at", "2026-01-01T10:00:00Z")
		long.Add("scan_input", "R-"+strconv.Itoa(i))
		long.Add("scan_result", "unknown")
	}
	res = s.post("/admin/receive", long, "HX-Request", "true")
	if n := len(res.all("scan-row")); n != maxScans {
		t.Errorf("%d rows, want the cap %d", n, maxScans)
	}
}

// TestAdminRefundConfirm: "Refund now" asks first. Without JavaScript it
// leads to a page with the amount, the method, where the money goes and
// what follows, whose button posts the refund with its own idempotency key;
// the return's page carries the same in a dialog. Before the inspection
// there is nothing to confirm.
func TestAdminRefundConfirm(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleAgent)
	if res := s.get("/admin/returns/" + rma + "/refund"); res.res.Code != http.StatusConflict || !res.has("return-error") {
		t.Errorf("confirm before inspection: %d", res.res.Code)
	}
	if res := s.post("/admin/returns/"+rma+"/receive", nil); res.res.Code != http.StatusSeeOther {
		t.Fatal(res.res.Code)
	}
	d := s.get("/admin/returns/" + rma)
	form := formValues(d.one("inspect-form"))
	form.Set("condition.L1", "resellable")
	if res := s.post("/admin/returns/"+rma+"/inspect", form); res.res.Code != http.StatusSeeOther {
		t.Fatal(res.res.Code)
	}
	d = s.get("/admin/returns/" + rma)
	// The button only asks: a GET to the confirmation, no key, no POST.
	f := d.one("refund-form")
	if attr(f, "method") != "get" || attr(f, "action") != "/admin/returns/"+rma+"/refund" || attr(f, "data-confirm") != "refund-dialog" {
		t.Errorf("refund button's form: %v", f.Attr)
	}
	total := text(d.all("quote-total-amount")[0]) // the inspected quote (the original follows)
	dialog := d.one("refund-dialog")
	if !strings.Contains(text(dialog), total) {
		t.Errorf("the dialog does not say the amount %q: %q", total, text(dialog))
	}
	// Without JavaScript: the page.
	c := s.get("/admin/returns/" + rma + "/refund")
	if c.res.Code != http.StatusOK {
		t.Fatalf("confirm page: %d", c.res.Code)
	}
	if got := text(c.one("refund-confirm-amount")); got != total {
		t.Errorf("confirm amount %q, want %q", got, total)
	}
	if got := text(c.one("refund-confirm-method")); got != "Original payment method" {
		t.Errorf("method %q", got)
	}
	if got := text(c.one("refund-confirm-destination")); !strings.Contains(got, "pi_") && !strings.Contains(got, "stripe") {
		t.Errorf("destination %q", got)
	}
	if n := len(c.all("refund-consequences")); n != 1 || !strings.Contains(text(c.one("refund-consequences")), "Refunded") {
		t.Errorf("consequences %q", text(c.one("refund-consequences")))
	}
	if attr(c.one("refund-back"), "href") != "/admin/returns/"+rma {
		t.Error("no way back")
	}
	post := formValues(c.one("refund-confirm-form"))
	if post.Get("idempotency_key") == "" || post.Get("idempotency_key") == formValues(d.one("refund-confirm-form")).Get("idempotency_key") {
		t.Error("the confirmation page has no key of its own")
	}
	// Confirmed twice (a double press): one refund.
	for range 2 {
		if res := s.post("/admin/returns/"+rma+"/refund", post); res.res.Code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", res.res.Code)
		}
	}
	events, _ := a.st.Events(context.Background(), rma)
	var refunds int
	for _, e := range events {
		if e.To == "refunded" {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("%d refunds", refunds)
	}
	// Afterwards the confirmation says it is refunded already.
	if res := s.get("/admin/returns/" + rma + "/refund"); res.res.Code != http.StatusConflict || !strings.Contains(text(res.one("return-error")), "already been refunded") {
		t.Errorf("confirm after the refund: %d", res.res.Code)
	}
}

// TestAdminReturnStaffWording: the return's page speaks to staff: the
// refund method without "your", each item with its reason beside it, the
// statuses of the audit trail translated, and the times' zone named.
func TestAdminReturnStaffWording(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleAgent)
	d := s.get("/admin/returns/" + rma)
	if got := text(d.one("method")); got != "Original payment method" {
		t.Errorf("method %q", got)
	}
	if strings.Contains(d.res.Body.String(), "Your refund") {
		t.Error("the shopper's wording on the staff page")
	}
	line := d.one("quote-line-label")
	if got := text(line); !strings.Contains(got, "1 ×") || !strings.Contains(got, "·") || !strings.HasSuffix(got, text(d.one("quote-line-reason"))) {
		t.Errorf("quote line %q", got)
	}
	if text(d.one("quote-line-reason")) == "" {
		t.Error("no reason beside the item")
	}
	if got := text(d.all("event-transition")[0]); got != "→ Approved" {
		t.Errorf("first transition %q", got)
	}
	if got := text(d.one("time-zone")); !strings.Contains(got, "Europe/Berlin") { // the default hub's
		t.Errorf("zone %q", got)
	}
	de := s.get("/admin/returns/"+rma+"?lang=de", "Accept-Language", "de")
	if got := text(de.all("event-transition")[0]); got != "→ Genehmigt" {
		t.Errorf("German transition %q", got)
	}
}

// TestAdminQueuePrefixSearch: the queue's search box finds a return by the
// beginning of its RMA, typed loosely, and shows its rows as cards with
// each value's column name.
func TestAdminQueuePrefixSearch(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	other := a.newReturn("US-1005", "L1", 1, "original_payment")
	s := a.staff().login(store.RoleViewer)
	for _, q := range []string{rma[:6], strings.ToLower(strings.ReplaceAll(rma[:8], "-", " "))} {
		pg := s.get("/admin/returns?q=" + url.QueryEscape(q))
		found := map[string]bool{}
		for _, r := range pg.all("queue-row") {
			found[attr(r, "data-rma")] = true
		}
		if !found[rma] || (found[other] && !strings.HasPrefix(other, rma[:6])) {
			t.Errorf("search %q found %v", q, found)
		}
		if v := attr(pg.one("filter-q"), "value"); v != strings.TrimSpace(q) {
			t.Errorf("search box shows %q", v)
		}
	}
	pg := s.get("/admin/returns")
	if !strings.Contains(attr(pg.one("queue"), "class"), "cards") {
		t.Error("the queue does not stack on handhelds")
	}
	for _, td := range all(pg.all("queue-row")[0], func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "td" })[1:] {
		if attr(td, "data-label") == "" {
			t.Errorf("a cell without its column's name: %v", td.Attr)
		}
	}
}

// TestScanCue: every result the bench can show has its cue; the parcel is
// in (ok), nothing to do (warn), do not accept (error).
func TestScanCue(t *testing.T) {
	for result, want := range map[string]string{
		"received": "ok", "already_received": "warn", "not_approved": "warn", "partial": "warn",
		"unknown": "error", "cancelled": "error", "closed": "error", "": "error", "anything": "error",
	} {
		if got := scanCue(result); got != want {
			t.Errorf("%q: %s, want %s", result, got, want)
		}
	}
}

// TestScanInput: what the list shows of a scan is the text without control
// or direction characters, trimmed, at most maxScanInput runes.
func TestScanInput(t *testing.T) {
	for in, want := range map[string]string{
		" r-abcd-efgh\n":        "r-abcd-efgh",
		"R-AB\u202eCD":          "R-ABCD",
		"a\x00b\tc":             "abc",
		strings.Repeat("é", 50): strings.Repeat("é", maxScanInput),
		"":                      "",
		"\u2066R-PZN2\u2069":    "R-PZN2",
		"bad \xff utf-8":        "bad  utf-8",
	} {
		if got := scanInput(in); got != want {
			t.Errorf("scanInput(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskIBAN: the refund's confirmation shows an IBAN's country and last
// four characters.
func TestMaskIBAN(t *testing.T) {
	for in, want := range map[string]string{
		"DE89370400440532013000": "DE…3000",
		"NO9386011117947":        "NO…7947",
		"":                       "",
		"DE89":                   "DE89",
		"DE8937":                 "DE8937",
		"DE89370":                "DE…9370",
	} {
		if got := maskIBAN(in); got != want {
			t.Errorf("maskIBAN(%q) = %q, want %q", in, got, want)
		}
	}
}
