package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// shopperLinks are the links the API answers a new return with.
type shopperLinks struct {
	rma                      string
	manage, view, labelToken string
}

// createWithLinks makes a return of DE-1001's L1 refunded by bank transfer
// (so that the return itself holds personal data) and reads its links.
func (a *testApp) createWithLinks() shopperLinks {
	a.t.Helper()
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{
		"token": a.lookupToken(demo.FeaturedOrder), "refund_method": "bank_transfer", "refund_method_consent": true,
		"bank_account": map[string]string{"iban": "DE89 3704 0044 0532 0130 00", "holder": "Ana Kontoinhaberin"},
		"items":        []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}})
	if code != http.StatusCreated {
		a.t.Fatalf("create: %d %v", code, m)
	}
	tok := func(key string) string {
		u, err := url.Parse(m[key].(string))
		if err != nil {
			a.t.Fatal(err)
		}
		return u.Query().Get("t")
	}
	return shopperLinks{rma: m["rma"].(string), manage: tok("status_url"), view: tok("tracking_url"), labelToken: tok("label_url")}
}

// oldLink is a return link's token as issued before the split into view
// and manage tokens ({"k":"r","r":rma}, signed with the test app's key).
func oldLink(rma string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"k":"r","r":"` + rma + `"}`))
	m := hmac.New(sha256.New, []byte(strings.Repeat("k", 32)))
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TestStatusPageByToken: the status page through the shopper's own links
// (the manage token, the lookup) shows her details and the cancel button;
// through the view link (the label's QR code) or an old link, neither, and
// no personal data anywhere in the page.
func TestStatusPageByToken(t *testing.T) {
	a := newTestApp(t)
	l := a.createWithLinks()
	if l.manage == l.view || l.labelToken != l.view {
		t.Fatalf("links: manage %q, view %q, label %q", l.manage, l.view, l.labelToken)
	}
	o, err := a.st.GetOrder(context.Background(), demo.FeaturedOrder)
	if err != nil {
		t.Fatal(err)
	}
	personal := []string{o.Email, o.CustomerName, o.ShippingAddress.Line1, o.ShippingAddress.PostalCode,
		"Ana Kontoinhaberin", "0532", "3000"}
	for _, tc := range []struct {
		name, token string
		manage      bool
	}{
		{"manage link", l.manage, true},
		{"lookup token", a.lookupToken(demo.FeaturedOrder), true},
		{"view link", l.view, false},
		{"old link", oldLink(l.rma), false},
	} {
		p := a.get("/r/"+l.rma+"?lang=en&t="+url.QueryEscape(tc.token), false)
		if p.res.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.name, p.res.Code)
		}
		body := p.res.Body.String()
		if p.has("cancel-form") != tc.manage || p.has("shopper-details") != tc.manage || p.has("view-only") == tc.manage {
			t.Errorf("%s: cancel %v, details %v, view-only note %v", tc.name, p.has("cancel-form"), p.has("shopper-details"), p.has("view-only"))
		}
		if tc.manage {
			if got := text(p.one("shopper-email")); got != o.Email {
				t.Errorf("%s: e-mail %q", tc.name, got)
			}
			if got := text(p.one("shopper-refund-account")); got != "DE89 … 3000 · Ana Kontoinhaberin" {
				t.Errorf("%s: account %q", tc.name, got)
			}
			if got := text(p.one("shopper-address")); !strings.Contains(got, o.ShippingAddress.Line1) || !strings.Contains(got, "Germany") {
				t.Errorf("%s: address %q", tc.name, got)
			}
		} else {
			for _, s := range personal {
				if strings.Contains(body, s) {
					t.Errorf("%s: the page shows %q", tc.name, s)
				}
			}
		}
		// The label links carry the view token, whatever opened the page.
		for _, size := range []string{"a4", "letter", "4x6"} {
			href := attr(p.one("label-"+size), "href")
			if u, _ := url.Parse(href); u.Query().Get("t") != l.view {
				t.Errorf("%s: label link %q", tc.name, href)
			}
		}
	}
	// Through the JSON API: what the token allows, and nothing personal.
	for _, tc := range []struct{ name, token, want string }{
		{"manage", l.manage, "view documents cancel"},
		{"view", l.view, "view documents"},
		{"old", oldLink(l.rma), "view documents"},
	} {
		res := a.do(request{method: "GET", path: "/api/v1/returns/" + l.rma + "?token=" + url.QueryEscape(tc.token)})
		code, m := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + l.rma + "?token=" + url.QueryEscape(tc.token)})
		var caps []string
		for _, c := range m["capabilities"].([]any) {
			caps = append(caps, c.(string))
		}
		if code != 200 || strings.Join(caps, " ") != tc.want {
			t.Errorf("API, %s token: %d %v", tc.name, code, caps)
		}
		for _, s := range personal {
			if strings.Contains(res.Body.String(), s) {
				t.Errorf("API, %s token: the answer holds %q", tc.name, s)
			}
		}
	}
}

// TestViewLinkCannotCancel: the token printed on the parcel cannot call
// the return off (issue 10: a scanned label could cancel the return),
// neither in the portal nor in the API; the shopper's manage link can.
func TestViewLinkCannotCancel(t *testing.T) {
	a := newTestApp(t)
	l := a.createWithLinks()
	status := func() returns.Status {
		r, err := a.st.GetReturn(context.Background(), l.rma)
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	for name, tok := range map[string]string{"view": l.view, "old": oldLink(l.rma)} {
		p := a.post("/r/"+l.rma+"/cancel?t="+url.QueryEscape(tok), url.Values{"lang": {"de"}}, false)
		if p.res.Code != http.StatusForbidden || !strings.Contains(p.res.Body.String(), "ansehen, aber nicht ändern") {
			t.Errorf("portal, %s token: %d %s", name, p.res.Code, p.res.Body)
		}
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + l.rma + "/cancel?token=" + url.QueryEscape(tok),
			header: map[string]string{"Accept-Language": "ja"}})
		if msg, _ := m["error"].(map[string]any)["message"].(string); code != http.StatusForbidden || errorCode(m) != "token_view_only" || !strings.Contains(msg, "変更はできません") {
			t.Errorf("API, %s token: %d %v", name, code, m)
		}
		if st := status(); st == returns.StatusCancelled {
			t.Fatalf("the %s token cancelled the return", name)
		}
	}
	p := a.post("/r/"+l.rma+"/cancel?t="+url.QueryEscape(l.manage), url.Values{}, false)
	if p.res.Code != http.StatusSeeOther || status() != returns.StatusCancelled {
		t.Errorf("manage token: %d, status %s", p.res.Code, status())
	}
}
