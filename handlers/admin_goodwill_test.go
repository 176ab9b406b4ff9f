package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/store"
)

// TestGoodwillOverride: an admin approves an ineligible item (the gift card)
// and a refund above the quote, each with a mandatory reason; it shows as an
// override on the return, in the queue and in the API, the shopper sees the
// amount only, the audit log keeps actor and reason, and the refund pays it
// as its own amount.
func TestGoodwillOverride(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment") // quote €22.50
	agent := a.staff().login(store.RoleAgent)
	admin := a.staff().login(store.RoleAdmin)
	path := "/admin/returns/" + rma

	// Agents and viewers may not; agents do not even see the form.
	if res := agent.post(path+"/goodwill", url.Values{"amount": {"5"}, "reason": {"x"}}); res.res.Code != http.StatusForbidden {
		t.Errorf("agent: %d", res.res.Code)
	}
	if agent.get(path).has("goodwill-form") || !admin.get(path).has("goodwill-form") {
		t.Error("the goodwill form is for admins only")
	}
	// The reason is mandatory; amounts are checked; nothing is recorded.
	for _, f := range []url.Values{
		{"amount": {"10.00"}, "reason": {"  "}},
		{"amount": {"0"}, "reason": {"r"}},
		{"amount": {"abc"}, "reason": {"r"}},
		{"amount": {"1.001"}, "reason": {"r"}},
		{"amount": {"50.01"}, "line": {"L3"}, "reason": {"more than the line"}},
		{"amount": {"5"}, "line": {"L9"}, "reason": {"unknown line"}},
	} {
		res := admin.post(path+"/goodwill", f)
		if res.res.Code != http.StatusUnprocessableEntity || !res.has("return-error") {
			t.Errorf("%v: %d", f, res.res.Code)
		}
	}
	if res := admin.post(path+"/goodwill", url.Values{"amount": {"5"}}); !strings.Contains(text(res.one("return-error")), "reason") {
		t.Errorf("no reason: %q", text(res.one("return-error")))
	}
	if d := admin.get(path); d.has("override-badge") || d.has("goodwill-line") {
		t.Fatal("a refused goodwill left a trace")
	}

	// The gift card (excluded: not returnable) approved anyway, and €7.50
	// on top of the quote.
	if res := admin.post(path+"/goodwill", url.Values{"amount": {"50"}, "line": {"L3"}, "reason": {"Card arrived broken <script>"}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("goodwill: %d %s", res.res.Code, res.res.Body)
	}
	if res := admin.post(path+"/goodwill", url.Values{"amount": {"7,50"}, "reason": {"Courier was late"}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("goodwill: %d", res.res.Code)
	}
	d := admin.get(path)
	if !d.has("override-badge") || len(d.all("goodwill-line")) != 2 || text(d.all("goodwill-reason")[0]) != "Card arrived broken <script>" {
		t.Fatalf("detail: %s", d.res.Body)
	}
	if strings.Contains(d.res.Body.String(), "<script>") {
		t.Error("the reason is not escaped")
	}
	if got := text(d.one("quote-goodwill-amount")); got != "€57.50" {
		t.Errorf("goodwill row %q", got)
	}
	if got := text(d.one("quote-total-amount")); got != "€75.05" { // 22.50 - 4.95 return shipping + 57.50
		t.Errorf("total with goodwill %q", got)
	}
	var goodwillEvents []*html.Node
	for _, e := range d.all("event") {
		if attr(e, "data-action") == "goodwill" {
			goodwillEvents = append(goodwillEvents, e)
		}
	}
	if len(goodwillEvents) != 2 || !strings.Contains(text(goodwillEvents[0]), "staff:admin@example.com") ||
		!strings.Contains(text(goodwillEvents[0]), "Card arrived broken") || !strings.Contains(text(goodwillEvents[0]), "L3") {
		t.Errorf("audit trail: %d events", len(goodwillEvents))
	}
	// The queue row carries the badge.
	q := agent.get("/admin/returns")
	found := false
	for _, row := range q.all("queue-row") {
		if attr(row, "data-rma") == rma {
			found = len(all(row, byTestID("override-badge"))) == 1
		}
	}
	if !found {
		t.Error("no override badge in the queue")
	}
	// The merchant API shows it all.
	code, m := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + rma, header: a.auth()})
	if code != 200 || num(m, "goodwill_total") != 5750 || m["override"] != true {
		t.Fatalf("api: %d %v", code, m)
	}
	gw := m["goodwill"].([]any)[0].(map[string]any)
	if gw["reason"] != "Card arrived broken <script>" || gw["actor"] != "staff:admin@example.com" || gw["line_id"] != "L3" || num(gw, "amount") != 5000 {
		t.Errorf("api goodwill: %v", gw)
	}
	// The shopper: the amount, never the reason or who.
	token := a.lookupToken("DE-1001")
	res := a.do(request{method: "GET", path: "/api/v1/returns/" + rma + "?token=" + url.QueryEscape(token)})
	var sm map[string]any
	if err := json.Unmarshal(res.Body.Bytes(), &sm); err != nil || num(sm, "goodwill") != 5750 {
		t.Errorf("shopper api: %d %v", res.Code, sm)
	}
	st := a.get("/r/"+rma+"?t="+url.QueryEscape(token), false)
	if got := text(st.one("quote-goodwill-amount")); !strings.Contains(got, "57,50") { // the order's German
		t.Errorf("status page goodwill %q", got)
	}
	for _, body := range []string{res.Body.String(), st.res.Body.String()} {
		if strings.Contains(body, "Card arrived") || strings.Contains(body, "Courier") || strings.Contains(body, "admin@example.com") {
			t.Error("the shopper sees internal notes")
		}
	}

	// Receive, inspect, refund: the goodwill is paid, recorded apart.
	if res := agent.post(path+"/receive", nil); res.res.Code != http.StatusSeeOther {
		t.Fatalf("receive: %d", res.res.Code)
	}
	form := formValues(agent.get(path).one("inspect-form"))
	form.Set("condition.L1", "resellable")
	if res := agent.post(path+"/inspect", form); res.res.Code != http.StatusSeeOther {
		t.Fatalf("inspect: %d", res.res.Code)
	}
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/refund", body: map[string]any{},
		header: map[string]string{"Authorization": a.auth()["Authorization"], "Idempotency-Key": "gw-1"}})
	if code != http.StatusCreated {
		t.Fatalf("refund: %d %v", code, m)
	}
	rf := m["refund"].(map[string]any)
	if num(rf, "amount") != 1755 || num(rf, "goodwill") != 5750 {
		t.Errorf("refund %v", rf)
	}
	d = admin.get(path)
	if got := text(d.one("refund-goodwill")); !strings.HasPrefix(got, "€57.50") {
		t.Errorf("refund goodwill %q", got)
	}
	if d.has("goodwill-form") {
		t.Error("goodwill offered after the refund")
	}
	if res := admin.post(path+"/goodwill", url.Values{"amount": {"1"}, "reason": {"late"}}); res.res.Code != http.StatusConflict {
		t.Errorf("goodwill after the refund: %d", res.res.Code)
	}
}
