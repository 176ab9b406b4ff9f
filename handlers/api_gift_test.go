package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// giftOrder is the demo's gift (shipped to postal code 12345).
const giftOrder = "DE-1010"

// TestAPIGiftReturn: the recipient finds the gift by number and postal
// code (spaces and case ignored), never a non-gift order, with the same
// 404 for every miss; no answer shows a price, the buyer's e-mail or the
// payment; the return is store credit to the address she gives.
func TestAPIGiftReturn(t *testing.T) {
	a := newTestApp(t)
	lookup := func(number, postal string) (int, map[string]any, string) {
		res := a.do(request{method: "POST", path: "/api/v1/returns/lookup", body: map[string]string{"order_number": number, "postal_code": postal}})
		var m map[string]any
		if err := json.Unmarshal(res.Body.Bytes(), &m); err != nil {
			t.Fatalf("lookup %s: %q", number, res.Body)
		}
		return res.Code, m, res.Body.String()
	}
	for _, miss := range []struct{ name, number, postal string }{
		{"wrong postal code", giftOrder, "54321"},
		{"not a gift", demo.FeaturedOrder, "12345"},
		{"unknown order", "DE-9999", "12345"},
		{"empty postal code", giftOrder, " "},
	} {
		if code, m, _ := lookup(miss.number, miss.postal); code != http.StatusNotFound || errorCode(m) != "order_not_found" {
			t.Errorf("%s: %d %v", miss.name, code, m)
		}
	}
	code, m, raw := lookup(giftOrder, " 12 345 ")
	if code != http.StatusOK || m["gift"] != true {
		t.Fatalf("gift lookup: %d %v", code, m)
	}
	for _, secret := range []string{`"unit_price"`, `"paid"`, demo.Email, "pi_demo", `"currency"`} {
		if strings.Contains(raw, secret) {
			t.Errorf("the gift lookup shows %s: %s", secret, raw)
		}
	}
	tok := m["token"].(string)
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote", body: map[string]any{"token": tok,
		"items": []map[string]any{{"line_id": "L1", "quantity": 1, "reason": "changed_mind"}}, "refund_method": "store_credit"}}); code != http.StatusNotFound {
		t.Errorf("a gift token priced a quote: %d %v", code, m)
	}
	refusals := []struct{ name, method, email, code string }{
		{"to the buyer's card", returns.MethodOriginalPayment, "anna@example.com", returns.CodeGiftStoreCreditOnly},
		{"without an address", returns.MethodStoreCredit, "", returns.CodeGiftEmail},
		{"not an address", returns.MethodStoreCredit, "anna", returns.CodeGiftEmail},
	}
	for _, tc := range refusals {
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": tok, "refund_method": tc.method,
			"gift_email": tc.email, "items": []map[string]any{{"line_id": "L1", "quantity": 1, "reason": "changed_mind"}}}})
		if code != http.StatusUnprocessableEntity || errorCode(m) != tc.code {
			t.Errorf("%s: %d %v", tc.name, code, m)
		}
	}
	res := a.do(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": tok, "refund_method": returns.MethodStoreCredit,
		"refund_method_consent": true, "gift_email": "paul@example.com", "items": []map[string]any{{"line_id": "L1", "quantity": 1, "reason": "changed_mind"}}}})
	if res.Code != http.StatusCreated {
		t.Fatalf("gift return: %d %s", res.Code, res.Body)
	}
	for _, secret := range []string{`"quote":`, `"total":`, `"refund":`, `"items_refund":`, demo.Email} {
		if strings.Contains(res.Body.String(), secret) {
			t.Errorf("the created gift return shows %s: %s", secret, res.Body)
		}
	}
	status := res.Body.String()
	i := strings.Index(status, `"status_url":"`)
	link := status[i+len(`"status_url":"`):]
	link = link[:strings.IndexByte(link, '"')]
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	got := a.do(request{method: "GET", path: "/api/v1/returns/" + strings.TrimPrefix(u.Path, "/r/") + "?token=" + url.QueryEscape(u.Query().Get("t"))})
	if got.Code != http.StatusOK || !strings.Contains(got.Body.String(), `"gift":true`) {
		t.Fatalf("the recipient's view: %d %s", got.Code, got.Body)
	}
	for _, secret := range []string{`"quote":`, `"total":`, `"refund":`, `"goodwill":`, demo.Email, "pi_demo"} {
		if strings.Contains(got.Body.String(), secret) {
			t.Errorf("the recipient's view shows %s: %s", secret, got.Body)
		}
	}
	// The status page the link opens: the items, no amount, not the
	// buyer's details.
	pg := a.get(u.Path+"?t="+url.QueryEscape(u.Query().Get("t")), false)
	if pg.res.Code != http.StatusOK || !pg.has("gift-items") || pg.has("quote-total-amount") || pg.has("shopper-details") ||
		strings.Contains(pg.res.Body.String(), demo.Email) || strings.Contains(pg.res.Body.String(), "€") {
		t.Errorf("the recipient's status page shows prices or the buyer: %d", pg.res.Code)
	}
}

// TestPortalGiftFlow: "I received it as a gift" on the start page leads
// to the lookup by postal code; the order form shows no price and offers
// store credit only, with the recipient's address; the review shows no
// amount and names the address; the return is made as store credit.
func TestPortalGiftFlow(t *testing.T) {
	for _, hx := range []bool{false, true} {
		a := newTestApp(t)
		start := a.get("/?lang=en", hx)
		if !start.has("gift-link") {
			t.Fatal("no gift entry on the start page")
		}
		miss := a.post("/gift", url.Values{"order_number": {demo.FeaturedOrder}, "postal_code": {"12345"}, "lang": {"en"}}, hx)
		if miss.res.Code != http.StatusNotFound || !miss.has("lookup-error") {
			t.Errorf("a non-gift order by postal code: %d", miss.res.Code)
		}
		res := a.post("/gift", url.Values{"order_number": {giftOrder}, "postal_code": {"123 45"}, "lang": {"en"}}, hx)
		order := a.follow(res, hx)
		if order.res.Code != http.StatusOK || !order.has("gift-email") || order.has("line-price") ||
			order.has("method-original_payment") || !order.has("method-store_credit") || strings.Contains(order.res.Body.String(), "€") {
			t.Fatalf("gift order form: %d %s", order.res.Code, order.res.Body)
		}
		form := formValues(order.one("order-form"))
		form.Set("qty.L1", "1")
		form.Set("reason.L1", "changed_mind")
		form.Set("consent", "yes")
		if pg := a.post("/review", form, hx); pg.res.Code != http.StatusUnprocessableEntity || !pg.has("error-err-gift_email") {
			t.Errorf("without the recipient's address: %d", pg.res.Code)
		}
		form.Set("gift_email", "paul@example.com")
		review := a.post("/review", form, hx)
		if review.res.Code != http.StatusOK || !review.has("review-gift-email") || strings.Contains(review.res.Body.String(), "€") {
			t.Fatalf("gift review: %d %s", review.res.Code, review.res.Body)
		}
		done := a.post("/returns", formValues(review.one("confirm-form")), hx)
		if done.res.Code == http.StatusSeeOther {
			done = a.follow(done, hx)
		}
		if !done.has("gift-items") || strings.Contains(done.res.Body.String(), "€") || strings.Contains(done.res.Body.String(), demo.Email) {
			t.Errorf("gift status page: %d", done.res.Code)
		}
	}
}
