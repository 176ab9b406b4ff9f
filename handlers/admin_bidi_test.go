package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestStaffPagesIsolateShopperText: on a return's page and in the queue,
// every text a shopper (or a staff member) wrote — names, address lines,
// e-mail, order number, item names, SKU, customs description, comment,
// notes, reasons — stands alone in a <bdi> element, so that an Arabic or
// Hebrew value, or one carrying a direction override, cannot reorder the
// words around it. Checked on the parsed page, not on its bytes.
func TestStaffPagesIsolateShopperText(t *testing.T) {
	a := newStaffApp(t)
	order := orderBody()
	order["email"] = "fatima@example.com"
	order["customer_name"] = "فاطمة العلي"
	order["shipping_address"] = map[string]any{"name": "فاطمة العلي", "line1": "שדרות רוטשילד 12", "line2": "דירה 3",
		"city": "תל אביב", "postal_code": "6688101", "country": "IL", "phone": "+972 3 000 0000",
		"latin": map[string]any{"name": "Fatima Al-Ali", "line1": "Rothschild Blvd 12", "city": "Tel Aviv"}}
	order["currency"] = "ILS"
	order["lines"] = []any{map[string]any{"id": "L1", "sku": "ABY-2", "name": "عباية 2 قطعة", "variant": "أسود / M",
		"quantity": 1, "unit_price": 30000, "hs_code": "620443", "customs_description": "Women's abaya, polyester",
		"weight_grams": 700}}
	daysAgo := func(n int) string { return a.now().AddDate(0, 0, -n).Format(time.RFC3339) }
	order["placed_at"], order["shipped_at"], order["delivered_at"] = daysAgo(4), daysAgo(3), daysAgo(2)
	if code, m := a.doJSON(request{method: "PUT", path: "/api/v1/orders/IL-77", body: order, header: a.auth()}); code != 201 {
		t.Fatalf("order: %d %v", code, m)
	}
	// The shopper's comment is not order data: it may even carry an
	// override (U+202E), which the page must contain.
	comment := "الرجاء الاستبدال خلال 3 \u202eأيام!"
	token := a.lookupTokenEmail("IL-77", "fatima@example.com")
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": token,
		"items":         []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}},
		"refund_method": "original_payment", "comment": comment}})
	if code != 201 {
		t.Fatalf("return: %d %v", code, m)
	}
	rma := m["rma"].(string)

	admin := a.staff().login("admin")
	page := "/admin/returns/" + rma
	note, inspection, goodwill := "הערה: 42 ש\"ח", "خدش 2 سم", "اعتذار 5 ₪"
	if res := admin.post(page+"/notes", url.Values{"body": {note}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("note: %d", res.res.Code)
	}
	if res := admin.post(page+"/receive", nil); res.res.Code != http.StatusSeeOther {
		t.Fatalf("receive: %d %s", res.res.Code, res.res.Body)
	}
	if res := admin.post(page+"/inspect", url.Values{"accepted.L1": {"1"}, "condition.L1": {"resellable"}, "notes.L1": {inspection}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("inspect: %d %s", res.res.Code, res.res.Body)
	}
	if res := admin.post(page+"/goodwill", url.Values{"line": {""}, "amount": {"5"}, "reason": {goodwill}}); res.res.Code != http.StatusSeeOther {
		t.Fatalf("goodwill: %d %s", res.res.Code, res.res.Body)
	}

	p := admin.get(page)
	if p.res.Code != http.StatusOK {
		t.Fatalf("return page: %d", p.res.Code)
	}
	values := []string{"IL-77", "فاطمة العلي", "fatima@example.com", "שדרות רוטשילד 12", "דירה 3", "6688101 תל אביב",
		"Rothschild Blvd 12", "عباية 2 قطعة", "ABY-2", "Women's abaya, polyester", comment, note, inspection, goodwill,
		"admin@example.com"}
	for _, v := range values {
		checkIsolated(t, "return page", p.root, v)
	}
	// The goodwill form's <option>s cannot hold elements: the line's name
	// and SKU sit between Unicode isolates there.
	var option *html.Node
	for _, o := range all(p.root, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") == "L1" }) {
		option = o
	}
	if option == nil {
		t.Fatal("no goodwill option for L1")
	}
	if got := rawText(option); !strings.HasPrefix(got, "\u2068عباية 2 قطعة\u2069 (\u2068ABY-2\u2069)") {
		t.Errorf("option %q: name and SKU not isolated", got)
	}

	q := admin.get("/admin/returns?q=IL-77")
	if q.res.Code != http.StatusOK {
		t.Fatalf("queue: %d", q.res.Code)
	}
	for _, v := range []string{"IL-77", "fatima@example.com", "admin@example.com"} {
		checkIsolated(t, "queue", q.root, v)
	}
}

// checkIsolated fails unless value is shown at least once and every text
// node that holds it is the one child of a <bdi> (a value may be part of a
// larger isolated unit: "staff:admin@example.com", an event's note) or, in
// an <option> or <title>, which hold text only, sits between FSI and PDI.
func checkIsolated(t *testing.T, what string, root *html.Node, value string) {
	t.Helper()
	found := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && strings.Contains(n.Data, value) {
			found++
			parent := n.Parent
			switch {
			case parent.Data == "option" || parent.Data == "title":
				if !strings.Contains(n.Data, "\u2068"+value+"\u2069") {
					t.Errorf("%s: %q in <%s> without isolates: %q", what, value, parent.Data, n.Data)
				}
			case parent.Data != "bdi" || parent.FirstChild != n || n.NextSibling != nil:
				t.Errorf("%s: %q is not alone in a <bdi>: <%s>%q", what, value, parent.Data, n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if found == 0 {
		t.Errorf("%s: %q not shown", what, value)
	}
}
