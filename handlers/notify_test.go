package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// TestAPIWebhooks: the endpoints' API with scope webhooks:write: the
// secret only in the answers that make one, no secret in the list,
// refusals as field errors, deliveries listed and resent.
func TestAPIWebhooks(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	narrow, err := a.st.CreateAPIKey(ctx, "returns only", []string{"returns:read"})
	if err != nil {
		t.Fatal(err)
	}
	hooksKey, err := a.st.CreateAPIKey(ctx, "hooks", []string{"webhooks:write"})
	if err != nil {
		t.Fatal(err)
	}
	with := func(key string) map[string]string { return map[string]string{"Authorization": "Bearer " + key} }
	body := map[string]any{"url": "https://hooks.shop.example/returns", "events": []string{"return.created", "return.refunded"}}
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/webhooks", body: body, header: with(narrow)}); code != http.StatusForbidden {
		t.Errorf("without the scope: %d %v", code, m)
	}
	if code, _ := a.doJSON(request{method: "GET", path: "/api/v1/webhooks"}); code != http.StatusUnauthorized {
		t.Errorf("without a key: %d", code)
	}
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/webhooks", body: body, header: with(hooksKey)})
	if code != http.StatusCreated || !strings.HasPrefix(m["secret"].(string), "whsec_") || m["enabled"] != true ||
		m["url"] != "https://hooks.shop.example/returns" || len(m["events"].([]any)) != 2 {
		t.Fatalf("create: %d %v", code, m)
	}
	id := m["id"].(string)
	for name, c := range map[string]struct {
		body  map[string]any
		field string
	}{
		"http":        {map[string]any{"url": "http://hooks.shop.example/", "events": []string{"return.created"}}, "url"},
		"loopback":    {map[string]any{"url": "https://127.0.0.1/", "events": []string{"return.created"}}, "url"},
		"metadata":    {map[string]any{"url": "https://169.254.169.254/", "events": []string{"return.created"}}, "url"},
		"ipv6":        {map[string]any{"url": "https://[::1]/", "events": []string{"return.created"}}, "url"},
		"bad event":   {map[string]any{"url": "https://hooks.shop.example/", "events": []string{"order.paid"}}, "events"},
		"no event":    {map[string]any{"url": "https://hooks.shop.example/"}, "events"},
		"unknown key": {map[string]any{"url": "https://hooks.shop.example/", "events": []string{"return.created"}, "secret": "mine"}, ""},
	} {
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/webhooks", body: c.body, header: with(hooksKey)})
		if code != http.StatusUnprocessableEntity && !(c.field == "" && code == http.StatusBadRequest) {
			t.Errorf("%s: %d %v", name, code, m)
		}
		if c.field != "" && errorFields(m)[c.field] == "" {
			t.Errorf("%s: fields %v", name, errorFields(m))
		}
	}
	code, m = a.doJSON(request{method: "GET", path: "/api/v1/webhooks", header: with(hooksKey)})
	list := m["webhooks"].([]any)
	if code != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["secret"] != nil {
		t.Fatalf("list: %d %v", code, m)
	}
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/webhooks/" + id + "/rotate", header: with(hooksKey)})
	if code != http.StatusOK || m["secret"] == nil || m["old_secret_until"] == nil {
		t.Errorf("rotate: %d %v", code, m)
	}
	// A return makes a delivery; it is listed, and may be resent.
	a.newReturn(demo.FeaturedOrder, "L1", 1, "original_payment")
	code, m = a.doJSON(request{method: "GET", path: "/api/v1/webhooks/" + id + "/deliveries", header: with(hooksKey)})
	deliveries := m["deliveries"].([]any)
	if code != http.StatusOK || len(deliveries) != 1 {
		t.Fatalf("deliveries: %d %v", code, m)
	}
	d := deliveries[0].(map[string]any)
	if d["event"] != "return.created" || d["status"] != "pending" || d["next_attempt_at"] == nil || m["next_before"] != nil {
		t.Errorf("delivery %v", d)
	}
	if code, m := a.doJSON(request{method: "GET", path: "/api/v1/webhooks/" + id + "/deliveries?limit=0", header: with(hooksKey)}); code != http.StatusUnprocessableEntity {
		t.Errorf("limit=0: %d %v", code, m)
	}
	msg := d["id"].(string)
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/webhooks/" + id + "/deliveries/" + msg + "/resend", header: with(hooksKey)}); code != http.StatusAccepted {
		t.Errorf("resend: %d %v", code, m)
	}
	if code, _ := a.doJSON(request{method: "POST", path: "/api/v1/webhooks/we_other/deliveries/" + msg + "/resend", header: with(hooksKey)}); code != http.StatusNotFound {
		t.Errorf("resend under another endpoint: %d", code)
	}
	if res := a.do(request{method: "DELETE", path: "/api/v1/webhooks/" + id, header: with(hooksKey)}); res.Code != http.StatusNoContent {
		t.Errorf("delete: %d", res.Code)
	}
	if code, _ := a.doJSON(request{method: "DELETE", path: "/api/v1/webhooks/" + id, header: with(hooksKey)}); code != http.StatusNotFound {
		t.Errorf("delete twice: %d", code)
	}
	code, m = a.doJSON(request{method: "POST", path: "/api/v1/webhooks/" + id + "/deliveries/" + msg + "/resend", header: with(hooksKey)})
	if code != http.StatusNotFound {
		t.Errorf("resend to a deleted endpoint: %d %v", code, m)
	}
}

// TestLookupLinkAnswersAlike: the API and the form answer the same for an
// order that matches, a wrong e-mail, an unknown order and junk, and only
// the match writes an e-mail.
func TestLookupLinkAnswersAlike(t *testing.T) {
	a := newTestApp(t)
	var first string
	for i, in := range []map[string]string{
		{"order_number": demo.FeaturedOrder, "email": demo.Email},
		{"order_number": demo.FeaturedOrder, "email": "someone@else.example"},
		{"order_number": "NOPE-404", "email": demo.Email},
		{"order_number": "<script>", "email": "x"},
	} {
		res := a.do(request{method: "POST", path: "/api/v1/returns/lookup-link", body: in, remote: "198.51.100." + string(rune('1'+i)) + ":1"})
		if res.Code != http.StatusAccepted {
			t.Errorf("%v: %d", in, res.Code)
		}
		if first == "" {
			first = res.Body.String()
		} else if res.Body.String() != first {
			t.Errorf("%v answered %q, the match %q", in, res.Body.String(), first)
		}
	}
	rows, err := a.st.ListOutbox(context.Background(), store.OutboxFilter{Channel: store.ChannelEmail})
	if err != nil || len(rows) != 1 || rows[0].Event != returns.MailLookupLink {
		t.Fatalf("rows %+v %v", rows, err)
	}
	if res := a.do(request{method: "POST", path: "/api/v1/returns/lookup-link", body: "{"}); res.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", res.Code)
	}
	// The form: the same page whatever was typed (but its nonce).
	match := a.post("/link", url.Values{"order_number": {demo.FeaturedOrder}, "email": {demo.Email}}, false)
	wrong := a.post("/link", url.Values{"order_number": {demo.FeaturedOrder}, "email": {"x@y.example"}}, false)
	if match.res.Code != http.StatusAccepted || wrong.res.Code != http.StatusAccepted || !match.has("link-sent") || !wrong.has("link-sent") ||
		text(match.one("link-sent")) != text(wrong.one("link-sent")) {
		t.Errorf("form answers %d / %d", match.res.Code, wrong.res.Code)
	}
	if empty := a.post("/link", url.Values{"order_number": {""}}, false); empty.res.Code != http.StatusUnprocessableEntity || !empty.has("link-error") {
		t.Errorf("empty form: %d", empty.res.Code)
	}
	if p := a.get("/link?lang=ar", false); p.res.Code != http.StatusOK || !p.has("link-form") {
		t.Errorf("link page: %d", p.res.Code)
	}
}

// TestLookupOffersTheLinkAndSaysWhenLocked: the start page always offers
// the link; when the order number's limit blocks a lookup, the link is
// the way in, prefilled with the number.
func TestLookupOffersTheLinkAndSaysWhenLocked(t *testing.T) {
	a := newTestApp(t, withLimits(100, 2))
	if p := a.get("/", false); !p.has("link-offer") {
		t.Error("the start page does not offer the link")
	}
	form := url.Values{"order_number": {demo.FeaturedOrder}, "email": {"wrong@example.com"}}
	var p page
	for range 3 {
		p = a.post("/lookup", form, false)
	}
	if p.res.Code != http.StatusTooManyRequests || !p.has("link-locked") {
		t.Fatalf("locked lookup: %d", p.res.Code)
	}
	href := attr(p.one("link-locked"), "href")
	if !strings.HasPrefix(href, "/link?") || !strings.Contains(href, "order_number="+demo.FeaturedOrder) {
		t.Errorf("link %q", href)
	}
	page := a.get(href, false)
	if v := attr(page.one("link-order-number"), "value"); v != demo.FeaturedOrder {
		t.Errorf("prefilled %q", v)
	}
}

// TestFeedbackPage: before the refund the page says so; after it, the
// question, a refusal without a score, the thanks, and "answered already".
func TestFeedbackPage(t *testing.T) {
	a := newStaffApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": tok,
		"items": []map[string]any{{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}, "refund_method": "original_payment"}})
	if code != http.StatusCreated {
		t.Fatalf("create %d %v", code, m)
	}
	rma := m["rma"].(string)
	statusURL, _ := url.Parse(m["status_url"].(string))
	rt := statusURL.Query().Get("t")
	path := "/r/" + rma + "/feedback?t=" + url.QueryEscape(rt)
	if p := a.get(path, false); !p.has("feedback-not-open") {
		t.Errorf("before the refund: %d", p.res.Code)
	}
	if res := a.do(request{method: "POST", path: "/api/v1/returns/" + rma + "/receive", header: a.auth(), body: "{}"}); res.Code != http.StatusOK {
		t.Fatal(res.Code)
	}
	if res := a.do(request{method: "POST", path: "/api/v1/returns/" + rma + "/inspect", header: a.auth(),
		body: map[string]any{"items": []map[string]any{{"line_id": "L1", "accepted_quantity": 1, "condition": "resellable"}}}}); res.Code != http.StatusOK {
		t.Fatal(res.Code, res.Body)
	}
	if res := a.do(request{method: "POST", path: "/api/v1/returns/" + rma + "/refund", header: map[string]string{"Authorization": "Bearer " + a.key,
		"Idempotency-Key": "fb-1"}, body: "{}"}); res.Code != http.StatusCreated {
		t.Fatal(res.Code, res.Body)
	}
	p := a.get(path+"&lang=ja", false)
	if !p.has("feedback-form") || len(p.all("score-5")) != 1 {
		t.Fatalf("the question: %d", p.res.Code)
	}
	if lang, _ := p.portalLang(); lang != "ja" {
		t.Errorf("language %q", lang)
	}
	if p := a.post(path, url.Values{"comment": {"no score"}}, false); p.res.Code != http.StatusUnprocessableEntity || !p.has("feedback-error") {
		t.Errorf("without a score: %d", p.res.Code)
	}
	if p := a.post(path, url.Values{"score": {"4"}, "comment": {"a\u202eb"}}, false); p.res.Code != http.StatusUnprocessableEntity || !p.has("feedback-comment-error") {
		t.Errorf("a direction control: %d", p.res.Code)
	}
	if p := a.post(path, url.Values{"score": {"4"}, "comment": {"Schnell."}}, true); p.res.Code != http.StatusOK || !p.has("feedback-thanks") {
		t.Errorf("answer: %d %s", p.res.Code, p.res.Body)
	}
	if p := a.post(path, url.Values{"score": {"1"}}, false); p.res.Code != http.StatusConflict || !p.has("feedback-given") {
		t.Errorf("again: %d", p.res.Code)
	}
	if p := a.get(path, false); !p.has("feedback-given") {
		t.Error("the page does not say it was answered")
	}
	if p := a.get("/r/"+rma+"/feedback?t=forged", false); p.res.Code != http.StatusNotFound {
		t.Errorf("forged token: %d", p.res.Code)
	}
	// Staff see the answer on the return's page; the merchant API too.
	staff := a.staff().login(store.RoleViewer)
	sp := staff.get("/admin/returns/" + rma)
	if attr(sp.one("feedback-score"), "data-score") != "4" || text(sp.one("feedback-comment")) != "Schnell." || sp.has("return-outbox") {
		t.Errorf("staff page: %s", text(sp.one("return-feedback")))
	}
	_, mr := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + rma, header: a.auth()})
	if fb, _ := mr["feedback"].(map[string]any); fb == nil || fb["score"] != 4.0 {
		t.Errorf("API feedback %v", mr["feedback"])
	}
}

// TestAdminOutboxPages: agents see the outbox, each message with its
// headers, text and framed HTML (a CSP of its own), and resend.
func TestAdminOutboxPages(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn(demo.FeaturedOrder, "L1", 1, "original_payment")
	ctx := context.Background()
	rows, _ := a.st.ListOutbox(ctx, store.OutboxFilter{RMA: rma, Channel: store.ChannelEmail})
	var created store.OutboxMessage
	for _, m := range rows {
		if m.Event == returns.EventReturnCreated {
			created = m
		}
	}
	// Written and kept, as the worker does without SMTP.
	claimed, err := a.st.ClaimOutbox(ctx, "w", time.Now().Add(time.Minute), time.Minute, 10)
	if err != nil || len(claimed) == 0 {
		t.Fatal(len(claimed), err)
	}
	for _, m := range claimed {
		r := store.OutboxResult{Status: store.OutboxKept, Logged: true, Counts: true}
		if m.PublicID == created.PublicID {
			r.Subject, r.Headers, r.Text, r.HTML = "Ihre Rücksendung", "Subject: Ihre Rücksendung\nTo: <demo@example.com>",
				"Hallo "+rma, `<html lang="de"><body><p style="color:red">Hallo</p><script>alert(1)</script></body></html>`
		}
		if err := a.st.FinishOutbox(ctx, m.ID, "w", r); err != nil {
			t.Fatal(err)
		}
	}
	agent := a.staff().login(store.RoleAgent)
	list := agent.get("/admin/outbox?rma=" + rma)
	if list.res.Code != http.StatusOK || len(list.all("outbox-row")) != 2 {
		t.Fatalf("list: %d, %d rows", list.res.Code, len(list.all("outbox-row")))
	}
	if bad := agent.get("/admin/outbox?status=nope"); bad.res.Code != http.StatusUnprocessableEntity {
		t.Errorf("a bad filter: %d", bad.res.Code)
	}
	detail := agent.get("/admin/outbox/" + created.PublicID)
	if detail.res.Code != http.StatusOK || !strings.Contains(text(detail.one("outbox-headers")), "To: <demo@example.com>") ||
		text(detail.one("outbox-text")) != "Hallo "+rma {
		t.Fatalf("detail: %d", detail.res.Code)
	}
	if csp := detail.res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") {
		t.Errorf("detail CSP %q", csp)
	}
	frame := attr(detail.one("outbox-html"), "src")
	html := agent.get(frame)
	csp := html.res.Header().Get("Content-Security-Policy")
	if html.res.Code != http.StatusOK || !strings.Contains(csp, "sandbox") || strings.Contains(csp, "script-src") ||
		!strings.Contains(csp, "frame-ancestors 'self'") || html.res.Header().Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("html part: %d, CSP %q, XFO %q", html.res.Code, csp, html.res.Header().Get("X-Frame-Options"))
	}
	res := agent.post("/admin/outbox/"+created.PublicID+"/resend", url.Values{})
	if res.res.Code != http.StatusOK || !res.has("resent") {
		t.Errorf("resend: %d", res.res.Code)
	}
	if m, _ := a.st.GetOutbox(ctx, created.PublicID); m.Status != store.OutboxPending {
		t.Errorf("after resend: %s", m.Status)
	}
	// Viewers are not shown the outbox (e-mails carry the shopper's links).
	viewer := a.staff().login(store.RoleViewer)
	if p := viewer.get("/admin/outbox"); p.res.Code != http.StatusForbidden {
		t.Errorf("viewer: %d", p.res.Code)
	}
	if p := viewer.get("/admin/returns"); p.has("nav-outbox") {
		t.Error("viewers are offered the outbox")
	}
	if p := agent.get("/admin/returns/" + rma); !p.has("return-outbox") || !p.has("feedback-none") {
		t.Error("the return page lacks its notifications part")
	}
}

// TestAdminWebhooksPage: admins add an endpoint (its secret shown on the
// answer page only), see refusals next to the fields, rotate, delete.
func TestAdminWebhooksPage(t *testing.T) {
	a := newStaffApp(t)
	admin := a.staff().login(store.RoleAdmin)
	bad := admin.post("/admin/settings/webhooks", url.Values{"url": {"https://10.0.0.1/x"}})
	if bad.res.Code != http.StatusUnprocessableEntity || !bad.has("err-url") || !bad.has("err-events") {
		t.Fatalf("refused: %d", bad.res.Code)
	}
	ok := admin.post("/admin/settings/webhooks", url.Values{"url": {"https://hooks.shop.example/r"}, "events": {"return.created", "feedback.received"}})
	if ok.res.Code != http.StatusOK || !strings.HasPrefix(text(ok.one("new-secret-value")), "whsec_") {
		t.Fatalf("created: %d", ok.res.Code)
	}
	ws, _ := a.st.ListWebhooks(context.Background())
	if len(ws) != 1 {
		t.Fatalf("%d endpoints", len(ws))
	}
	id := ws[0].PublicID
	page := admin.get("/admin/settings/webhooks")
	if page.has("new-secret") || !page.has("webhook-"+id) {
		t.Error("the list shows a secret, or not the endpoint")
	}
	rot := admin.post("/admin/settings/webhooks/"+id+"/rotate", url.Values{})
	if s := text(rot.one("new-secret-value")); s == text(ok.one("new-secret-value")) {
		t.Error("rotation kept the secret")
	}
	if p := admin.get("/admin/settings/webhooks/" + id); p.res.Code != http.StatusOK || !p.has("deliveries-empty") {
		t.Errorf("endpoint page: %d", p.res.Code)
	}
	del := admin.post("/admin/settings/webhooks/"+id+"/delete", url.Values{})
	if del.res.Code != http.StatusSeeOther {
		t.Errorf("delete: %d", del.res.Code)
	}
	if p := admin.get("/admin/settings/webhooks/" + id); p.res.Code != http.StatusNotFound {
		t.Errorf("deleted endpoint: %d", p.res.Code)
	}
	if p := admin.get("/admin/settings"); !p.has("webhooks-link") {
		t.Error("settings do not link the webhooks")
	}
}
