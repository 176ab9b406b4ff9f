package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Exchanges through the real Echo app on the demo data: the featured
// order's T-shirt (M / Blue, product P-TEE) may be exchanged for S or L.

// TestPortalExchangeFlow: the shopper picks L instead of her refund, with
// and without JavaScript; the refund is offered first and chosen by
// default (a German order: the statutory right); the review names the
// variant and the price difference was shown; the return owes nothing and
// its status page shows the reserved exchange.
func TestPortalExchangeFlow(t *testing.T) {
	for _, hx := range []bool{false, true} {
		t.Run(fmt.Sprintf("hx=%v", hx), func(t *testing.T) {
			a := newTestApp(t)
			order := a.openOrder(demo.FeaturedOrder, "en", hx)
			var tee = order.lineByID("L1")
			if tee == nil {
				t.Fatal("no line L1")
			}
			refund := all(tee, byTestID("resolution-refund"))
			if len(refund) != 1 || !hasAttr(refund[0], "checked") || attr(refund[0], "value") != "" {
				t.Fatalf("the refund is not the default choice")
			}
			for _, sku := range []string{"TEE-S-BLU", "TEE-L-BLU"} {
				if n := all(tee, byTestID("resolution-exchange-"+sku)); len(n) != 1 || hasAttr(n[0], "checked") {
					t.Errorf("%s: not offered, or chosen without the shopper", sku)
				}
			}
			for _, sku := range []string{"TEE-XL-BLU", "TEE-XS-BLU", "TEE-M-BLU"} {
				if len(all(tee, byTestID("resolution-exchange-"+sku))) != 0 {
					t.Errorf("%s offered (dearer, sold out, or the one bought)", sku)
				}
			}
			if got := unisolated(text(tee)); !strings.Contains(got, "Price difference: €0.00") || !strings.Contains(got, "Exchange for L / Blue") {
				t.Errorf("line text %q lacks the variant and its price difference", got)
			}
			if other := order.lineByID("L3"); other != nil && len(all(other, byTestID("line-resolution"))) != 0 {
				t.Error("a line without product offers an exchange")
			}
			form := formValues(order.one("order-form"))
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "wrong_size")
			form.Set("exchange.L1", "TEE-L-BLU")
			form.Set("method", returns.MethodOriginalPayment)
			review := a.post("/review", form, hx)
			if review.res.Code != http.StatusOK || !review.has("review-heading") {
				t.Fatalf("review: %d %s", review.res.Code, review.res.Body.String())
			}
			if got := unisolated(text(review.one("quote-line-exchange"))); got != "Exchange for L / Blue" {
				t.Errorf("review names %q", got)
			}
			if got := text(review.one("quote-total-amount")); got != "€0.00" {
				t.Errorf("review total %q, want €0.00 (an exchange only: no fee, no refund)", got)
			}
			confirm := formValues(review.one("confirm-form"))
			if confirm.Get("exchange.L1") != "TEE-L-BLU" {
				t.Fatalf("the confirm form carries %v", confirm)
			}
			done := a.post("/returns", confirm, hx)
			if done.res.Code == http.StatusSeeOther {
				done = a.follow(done, hx)
			}
			lines := done.all("exchange-line")
			if len(lines) != 1 || attr(lines[0], "data-state") != returns.ExchangeReserved ||
				!strings.Contains(unisolated(text(lines[0])), "1 × T-Shirt: exchange for L / Blue") {
				t.Fatalf("status page exchanges: %d %q", done.res.Code, done.res.Body.String())
			}
			// The unit is reserved: the API shows one L fewer.
			code, p := a.doJSON(request{method: "GET", path: "/api/v1/products/" + demo.TeeProduct, header: a.auth()})
			if code != http.StatusOK || variantInventory(p, "TEE-L-BLU") != 2 {
				t.Errorf("product after the reservation: %d %v", code, p)
			}
		})
	}
}

// TestPortalExchangeStaleChoice: a variant that is not on offer comes back
// as a translated 422 at the item, not a 500.
func TestPortalExchangeStaleChoice(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder(demo.FeaturedOrder, "de", false)
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	form.Set("exchange.L1", "TEE-XL-BLU") // dearer: never on offer
	form.Set("method", returns.MethodOriginalPayment)
	res := a.post("/review", form, false)
	if res.res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.res.Code)
	}
	if got := text(res.one("error-err-exchange-L1")); !strings.Contains(got, "gleichen Preis") {
		t.Errorf("error %q", got)
	}
}

func (p page) lineByID(id string) *html.Node {
	for _, n := range p.all("line") {
		if attr(n, "data-line") == id {
			return n
		}
	}
	return nil
}

// unisolated is a text without its bidi isolates (views.Isolate).
func unisolated(s string) string { return strings.NewReplacer("\u2068", "", "\u2069", "").Replace(s) }

func variantInventory(p map[string]any, sku string) int64 {
	vs, _ := p["variants"].([]any)
	for _, v := range vs {
		m := v.(map[string]any)
		if m["sku"] == sku {
			return int64(m["inventory"].(float64))
		}
	}
	return -1
}

// TestAPIProducts: the catalog's PUT, GET and DELETE with their refusals.
func TestAPIProducts(t *testing.T) {
	a := newTestApp(t)
	body := map[string]any{"title": "Hoodie", "variants": []map[string]any{
		{"sku": "HD-M", "title": "M", "options": map[string]string{"Size": "M"}, "prices": map[string]int64{"EUR": 5900}, "inventory": 3},
		{"sku": "HD-L", "title": "L", "options": map[string]string{"Size": "L"}, "prices": map[string]int64{"EUR": 5900}, "inventory": 0}}}
	code, m := a.doJSON(request{method: "PUT", path: "/api/v1/products/P-HOOD", body: body, header: a.auth()})
	if code != http.StatusCreated || variantInventory(m, "HD-M") != 3 {
		t.Fatalf("create: %d %v", code, m)
	}
	if code, _ = a.doJSON(request{method: "PUT", path: "/api/v1/products/P-HOOD", body: body, header: a.auth()}); code != http.StatusOK {
		t.Errorf("replace: %d", code)
	}
	if res := a.do(request{method: "PUT", path: "/api/v1/products/P-HOOD", body: body}); res.Code != http.StatusUnauthorized {
		t.Errorf("without a key: %d", res.Code)
	}
	bad := []struct {
		name    string
		variant map[string]any
		field   string
	}{
		{"negative inventory", map[string]any{"sku": "X-1", "prices": map[string]int64{"EUR": 1}, "inventory": -1}, "variants[0].inventory"},
		{"unknown currency", map[string]any{"sku": "X-1", "prices": map[string]int64{"EUX": 1}, "inventory": 1}, "variants[0].prices.EUX"},
	}
	for _, tc := range bad {
		code, m := a.doJSON(request{method: "PUT", path: "/api/v1/products/P-BAD", header: a.auth(),
			body: map[string]any{"title": "Bad", "variants": []map[string]any{tc.variant}}})
		if code != http.StatusUnprocessableEntity || errorCode(m) != "invalid_product" || errorFields(m)[tc.field] == "" {
			t.Errorf("%s: %d %v", tc.name, code, m)
		}
	}
	dup := map[string]any{"title": "Dup", "variants": []map[string]any{
		{"sku": "D-1", "prices": map[string]int64{"EUR": 1}, "inventory": 1}, {"sku": "D-1", "prices": map[string]int64{"EUR": 1}, "inventory": 1}}}
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/products/P-DUP", body: dup, header: a.auth()}); code != http.StatusUnprocessableEntity {
		t.Errorf("duplicate SKUs: %d %v", code, m)
	}
	if res := a.do(request{method: "DELETE", path: "/api/v1/products/P-HOOD", header: a.auth()}); res.Code != http.StatusNoContent {
		t.Errorf("delete: %d", res.Code)
	}
	if code, m := a.doJSON(request{method: "GET", path: "/api/v1/products/P-HOOD", header: a.auth()}); code != http.StatusNotFound {
		t.Errorf("after delete: %d %v", code, m)
	}
}

// TestAPIExchangeLastUnit: shoppers ask for the last L at once through the
// HTTP API; exactly one return is made, the others are refused with 409
// and a translated message, and the unit is gone.
func TestAPIExchangeLastUnit(t *testing.T) {
	a := newTestApp(t)
	p := demo.Products()[0]
	for i := range p.Variants {
		if p.Variants[i].SKU == "TEE-L-BLU" {
			p.Variants[i].Inventory = 1
		}
	}
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/products/" + p.ID, header: a.auth(),
		body: map[string]any{"title": p.Title, "variants": p.Variants}}); code != http.StatusOK {
		t.Fatalf("put: %d %v", code, m)
	}
	tok := a.lookupToken(demo.FeaturedOrder)
	code, lk := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}})
	lines, _ := lk["lines"].([]any)
	if code != http.StatusOK || len(lines) == 0 || len(lines[0].(map[string]any)["exchange_options"].([]any)) != 2 {
		t.Fatalf("lookup: %d %v", code, lk)
	}
	const n = 6
	var wg sync.WaitGroup
	codes := make([]int, n)
	bodies := make([]map[string]any, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], bodies[i] = a.doJSON(request{method: "POST", path: "/api/v1/returns", remote: fmt.Sprintf("192.0.2.%d:1", 10+i),
				header: map[string]string{"Accept-Language": "de"},
				body: map[string]any{"token": tok, "refund_method": "original_payment", "items": []map[string]any{
					{"line_id": "L1", "quantity": 1, "reason": "wrong_size", "resolution": "exchange", "exchange_sku": "TEE-L-BLU"}}}})
		}()
	}
	wg.Wait()
	made, rma := 0, ""
	for i, c := range codes {
		switch c {
		case http.StatusCreated:
			made++
			rma = bodies[i]["rma"].(string)
		case http.StatusConflict:
			if errorCode(bodies[i]) != returns.CodeOutOfStock {
				t.Errorf("refusal %v", bodies[i])
			}
		default:
			t.Errorf("answer %d %v", c, bodies[i])
		}
	}
	if made != 1 {
		t.Fatalf("%d returns made for the last unit: %v", made, codes)
	}
	_, pr := a.doJSON(request{method: "GET", path: "/api/v1/products/" + p.ID, header: a.auth()})
	if variantInventory(pr, "TEE-L-BLU") != 0 {
		t.Errorf("after the race: %v", pr)
	}
	// The merchant's view shows the exchange line, reserved.
	code, r := a.doJSON(request{method: "GET", path: "/api/v1/returns/" + url.PathEscape(rma), header: a.auth()})
	xs, _ := r["exchanges"].([]any)
	if code != http.StatusOK || len(xs) != 1 || xs[0].(map[string]any)["state"] != returns.ExchangeReserved ||
		num(r, "quote", "total") != 0 {
		t.Errorf("merchant view: %d %v", code, r)
	}
}

// TestStaffSeeExchangesAndReviewFlags: a review rule (the reason
// wrong_size) sends an exchange to review; staff see the rule and the
// reserved exchange, the shopper sees neither the rule nor a fee; once
// approved, received and inspected the exchange is issued, the return is
// exchanged and the merchant's API shows it.
func TestStaffSeeExchangesAndReviewFlags(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	pol := demo.Policy()
	pol.ReviewRules = []returns.ReviewRule{{Rule: returns.RuleReason, Reasons: []string{"wrong_size"}}}
	if _, err := a.st.SavePolicy(ctx, pol, "test"); err != nil {
		t.Fatal(err)
	}
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{
		"token": a.lookupToken(demo.FeaturedOrder), "refund_method": "original_payment", "items": []map[string]any{
			{"line_id": "L1", "quantity": 1, "reason": "wrong_size", "resolution": "exchange", "exchange_sku": "TEE-S-BLU"}}}})
	if code != http.StatusCreated || m["status"] != string(returns.StatusRequested) || num(m, "quote", "total") != 0 {
		t.Fatalf("create: %d %v", code, m)
	}
	rma := m["rma"].(string)
	shopper := a.get(strings.TrimPrefix(m["status_url"].(string), "https://returns.example"), false)
	if shopper.res.Code != http.StatusOK || shopper.has("review-flags") || strings.Contains(shopper.res.Body.String(), "Rule 1") {
		t.Errorf("the shopper's page: %d, shows the review rule", shopper.res.Code)
	}
	staff := a.staff().login(store.RoleAgent)
	pg := staff.get("/admin/returns/" + rma)
	if got := unisolated(text(pg.one("review-flag"))); got != "Rule 1: return reason wrong_size" {
		t.Errorf("review flag %q", got)
	}
	if x := pg.one("exchange-line"); attr(x, "data-state") != returns.ExchangeReserved || !strings.Contains(unisolated(text(x)), "exchange for S / Blue") {
		t.Errorf("exchange line %q", text(x))
	}
	base, h := "/api/v1/returns/"+rma, a.auth()
	for _, step := range []string{"approve", "receive"} {
		if code, m := a.doJSON(request{method: "POST", path: base + "/" + step, body: map[string]any{}, header: h}); code != http.StatusOK {
			t.Fatalf("%s: %d %v", step, code, m)
		}
	}
	code, m = a.doJSON(request{method: "POST", path: base + "/inspect", header: h, body: map[string]any{"items": []any{
		map[string]any{"line_id": "L1", "accepted_quantity": 1, "condition": "resellable"}}}})
	if code != http.StatusOK || m["status"] != string(returns.StatusExchanged) {
		t.Fatalf("inspect: %d %v", code, m)
	}
	pg = staff.get("/admin/returns/" + rma)
	if x := pg.one("exchange-line"); attr(x, "data-state") != returns.ExchangeIssued {
		t.Errorf("after inspection: %q", text(x))
	}
	_, mr := a.doJSON(request{method: "GET", path: base, header: h})
	flags, _ := mr["review_flags"].([]any)
	xs, _ := mr["exchanges"].([]any)
	if mr["status"] != string(returns.StatusExchanged) || len(flags) != 1 || len(xs) != 1 || xs[0].(map[string]any)["state"] != returns.ExchangeIssued {
		t.Errorf("merchant view %v", mr)
	}
}

// TestPortalKeepTheItem: DE-1022's socks match the demo's returnless
// rule: the review says to keep them before the shopper confirms, and the
// return is refunded at once, without a label; a return of the blocked
// e-mail's order waits for review, and its page does not say why.
func TestPortalKeepTheItem(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder("DE-1022", "en", false)
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "changed_mind")
	form.Set("method", returns.MethodOriginalPayment)
	review := a.post("/review", form, false)
	if review.res.Code != http.StatusOK || !review.has("keep-items") {
		t.Fatalf("review: %d, keep-the-item note %v", review.res.Code, review.has("keep-items"))
	}
	done := a.post("/returns", formValues(review.one("confirm-form")), false)
	if done.res.Code == http.StatusSeeOther {
		done = a.follow(done, false)
	}
	if st := attr(done.one("status"), "data-status"); st != string(returns.StatusRefunded) || done.has("label-a4") {
		t.Errorf("a kept item's return: status %q, label %v", st, done.has("label-a4"))
	}
	// Nor does the label's address make one.
	link, _ := url.Parse(attr(done.one("status-url"), "value"))
	if res := a.do(request{method: "GET", path: link.Path + "/label.pdf?" + link.RawQuery}); res.Code != http.StatusConflict {
		t.Errorf("the label of a kept item's return: %d", res.Code)
	}
	// Not every item kept: no note.
	order = a.openOrder(demo.FeaturedOrder, "en", false)
	form = formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	if review := a.post("/review", form, false); review.has("keep-items") {
		t.Error("a T-shirt is kept")
	}
	// The block list: review, and the shopper is not told which rule.
	res := a.post("/lookup", lookupForm("DE-1023", demo.ReviewEmail, "en"), false)
	order = a.follow(res, false)
	form = formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "changed_mind")
	review = a.post("/review", form, false)
	done = a.post("/returns", formValues(review.one("confirm-form")), false)
	if done.res.Code == http.StatusSeeOther {
		done = a.follow(done, false)
	}
	if st := attr(done.one("status"), "data-status"); st != string(returns.StatusRequested) ||
		strings.Contains(done.res.Body.String(), "block list") || strings.Contains(done.res.Body.String(), demo.ReviewEmail+")") {
		t.Errorf("blocked order: status %q", st)
	}
}
