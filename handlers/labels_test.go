package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// pdfTool runs a poppler tool on a PDF. A missing tool fails the test (it
// must not be skipped in CI): `make test` installs poppler-utils.
func pdfTool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: run `make test` (it installs poppler-utils)", name)
	}
	cmd := exec.Command(name, append(args, "-", "-")...)
	if name == "pdfinfo" {
		cmd = exec.Command(name, "-")
	}
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

func pdfPageSize(t *testing.T, pdf []byte) string {
	t.Helper()
	for _, l := range strings.Split(pdfTool(t, pdf, "pdfinfo"), "\n") {
		if v, ok := strings.CutPrefix(l, "Page size:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("pdfinfo: no page size")
	return ""
}

// withoutNonce removes the per-response CSP nonce from an HTML error page,
// the one part in which two otherwise identical answers differ.
func withoutNonce(body string) string {
	return regexp.MustCompile(`nonce="[^"]*"`).ReplaceAllString(body, `nonce=""`)
}

// squashed drops all white space, so that a phrase is found however
// pdftotext broke the lines.
func squashed(s string) string { return strings.Join(strings.Fields(s), "") }

func wantText(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(squashed(text), squashed(w)) {
			t.Errorf("%s: %q missing:\n%s", what, w, text)
		}
	}
}

// returnLinks creates a return of one unit of a line and gives its RMA and
// its label link (path and query, with the return's own token).
func (a *testApp) returnLinks(order, line string) (rma, labelPath string) {
	a.t.Helper()
	m := a.createReturn(a.lookupToken(order), line, 1, "original_payment")
	u, err := url.Parse(m["label_url"].(string))
	if err != nil {
		a.t.Fatal(err)
	}
	return m["rma"].(string), u.RequestURI()
}

func TestLabelDownload(t *testing.T) {
	a := newTestApp(t)
	rma, path := a.returnLinks(demo.FeaturedOrder, "L1")
	res := a.do(request{method: "GET", path: path})
	if res.Code != 200 {
		t.Fatalf("label: %d %s", res.Code, res.Body)
	}
	h := res.Header()
	for k, want := range map[string]string{
		"Content-Type":        "application/pdf",
		"Content-Disposition": `attachment; filename="return-` + rma + `.pdf"`,
		"Cache-Control":       "no-store",
		"Referrer-Policy":     "no-referrer",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	pdf := res.Body.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	if size := pdfPageSize(t, pdf); !strings.HasPrefix(size, "288 x 432 pts") {
		t.Errorf("4x6 page size: %s", size)
	}
	wantText(t, "label", pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8"), rma, "DHL Return", "PREPAID",
		"Returns Centre Berlin", "Lagerstraße 12", "10115 Berlin", "GERMANY", "Anna Schmidt", "Order: DE-1001", "Items: 1")

	// Regenerating gives the same document: same RMA, same barcode.
	again := a.do(request{method: "GET", path: path})
	if again.Code != 200 || !bytes.Equal(again.Body.Bytes(), pdf) {
		t.Errorf("regenerated label differs (%d, %d vs %d bytes)", again.Code, again.Body.Len(), len(pdf))
	}

	// A4, explicitly 4x6, and a size that does not exist.
	a4 := a.do(request{method: "GET", path: path + "&size=a4"})
	if a4.Code != 200 || !strings.HasPrefix(pdfPageSize(t, a4.Body.Bytes()), "595 x 842 pts") {
		t.Fatalf("a4: %d", a4.Code)
	}
	wantText(t, "a4", pdfTool(t, a4.Body.Bytes(), "pdftotext", "-enc", "UTF-8"), rma,
		"So schicken Sie Ihre Rücksendung ab") // the order is German
	if res := a.do(request{method: "GET", path: path + "&size=4X6"}); res.Code != 200 {
		t.Errorf("size=4X6: %d", res.Code)
	}
	letter := a.do(request{method: "GET", path: path + "&size=letter"})
	if letter.Code != 200 || !strings.HasPrefix(pdfPageSize(t, letter.Body.Bytes()), "612 x 792 pts") {
		t.Fatalf("letter: %d", letter.Code)
	}
	code, m := a.doJSON(request{method: "GET", path: path + "&size=legal", header: map[string]string{"Accept": "application/json"}})
	if code != 400 || errorCode(m) != "invalid_request" {
		t.Errorf("size=legal: %d %v", code, m)
	}
	if res := a.do(request{method: "GET", path: path + "&size=legal"}); !strings.Contains(res.Body.String(), "Die Anfrage ist ungültig") &&
		!strings.Contains(res.Body.String(), "ungültig") {
		t.Errorf("size=legal is not answered in German: %s", res.Body)
	}

	// A domestic EU return has no customs form.
	if res := a.do(request{method: "GET", path: strings.Replace(path, "/label.pdf", "/customs.pdf", 1)}); res.Code != 404 {
		t.Errorf("customs for DE → DE: %d", res.Code)
	}
}

// TestLabelTokens: only the return's own token or its order's lookup token
// opens the label; anything else is the same 404 as an unknown RMA.
func TestLabelTokens(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	rma, _ := a.returnLinks(demo.FeaturedOrder, "L1")
	other := a.lookupToken("IT-1002")
	_, otherPath := a.returnLinks("CH-1011", "L1")
	otherReturnToken := strings.SplitN(otherPath, "?t=", 2)[1]

	if res := a.do(request{method: "GET", path: "/r/" + rma + "/label.pdf?t=" + url.QueryEscape(tok)}); res.Code != 200 {
		t.Errorf("lookup token: %d", res.Code)
	}
	noSuch := a.do(request{method: "GET", path: "/r/R-0000-0000/label.pdf?t=" + url.QueryEscape(other)})
	if noSuch.Code != 404 {
		t.Fatalf("unknown RMA: %d", noSuch.Code)
	}
	for name, p := range map[string]string{
		"other order's token":  "/r/" + rma + "/label.pdf?t=" + url.QueryEscape(other),
		"other return's token": "/r/" + rma + "/label.pdf?t=" + otherReturnToken,
		"forged token":         "/r/" + rma + "/label.pdf?t=" + strings.ToUpper(otherReturnToken),
		"no token":             "/r/" + rma + "/label.pdf",
		"customs, no token":    "/r/" + rma + "/customs.pdf",
		"bad size, bad token":  "/r/" + rma + "/label.pdf?size=letter&t=x",
	} {
		res := a.do(request{method: "GET", path: p})
		if res.Code != 404 || withoutNonce(res.Body.String()) != withoutNonce(noSuch.Body.String()) {
			t.Errorf("%s: %d %q, want the same 404 as an unknown RMA", name, res.Code, res.Body)
		}
		if res.Header().Get("Content-Type") == "application/pdf" {
			t.Errorf("%s: served a PDF", name)
		}
	}
}

func TestCustomsDownload(t *testing.T) {
	a := newTestApp(t)
	rma, path := a.returnLinks("CH-1011", "L1")
	customs := strings.Replace(path, "/label.pdf", "/customs.pdf", 1)
	res := a.do(request{method: "GET", path: customs})
	if res.Code != 200 {
		t.Fatalf("customs: %d %s", res.Code, res.Body)
	}
	if got := res.Header().Get("Content-Disposition"); got != `attachment; filename="customs-`+rma+`.pdf"` {
		t.Errorf("Content-Disposition: %s", got)
	}
	if res.Header().Get("Cache-Control") != "no-store" || res.Header().Get("Content-Type") != "application/pdf" {
		t.Errorf("headers: %v", res.Header())
	}
	pdf := res.Body.Bytes()
	if size := pdfPageSize(t, pdf); !strings.HasPrefix(size, "595 x 842 pts") {
		t.Errorf("customs page size: %s", size)
	}
	o, err := a.st.GetOrder(context.Background(), "CH-1011")
	if err != nil {
		t.Fatal(err)
	}
	text := pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8")
	wantText(t, "customs", text, rma, "Customs declaration CN23", "Zollinhaltserklärung", "Returned goods",
		"Return of goods for refund/exchange", "CH-1011", o.ShippedAt.Format("2006-01-02"), "Lukas Meier",
		"SWITZERLAND", "Lagerstraße 12", "GERMANY")
	// One row per returned item: description (in English, from the HS
	// heading, with the item's own name), quantity, HS code, origin,
	// weight, value (the item's refund from the quote).
	l := o.Lines[0]
	wantText(t, "customs row", pdfTool(t, pdf, "pdftotext", "-layout", "-enc", "UTF-8"),
		fmt.Sprintf("1 %s %s 0.%03d 249.00", l.HSCode, l.OriginCountry, l.WeightGrams))
	wantText(t, "customs description", text, "Wrist-watches, pocket-watches, stop-watches and other watches", l.Name)

	// The label of a cross-border return says a declaration goes with it.
	lab := a.do(request{method: "GET", path: path})
	wantText(t, "CH label", pdfTool(t, lab.Body.Bytes(), "pdftotext", "-enc", "UTF-8"), "CUSTOMS DECLARATION ATTACHED", "DHL Return")
}

// TestLabelScriptsThroughHTTP: a Japanese and a Greek name come out of the
// PDFs as text.
func TestLabelScriptsThroughHTTP(t *testing.T) {
	a := newTestApp(t)
	_, jp := a.returnLinks("JP-1006", "L1")
	wantText(t, "JP", pdfTool(t, a.do(request{method: "GET", path: jp}).Body.Bytes(), "pdftotext", "-enc", "UTF-8"),
		"佐藤 花子", "Hanako Sato", "返品センター東京", "Yamato")
	_, gr := a.returnLinks("GR-1021", "L1")
	wantText(t, "GR", pdfTool(t, a.do(request{method: "GET", path: gr}).Body.Bytes(), "pdftotext", "-enc", "UTF-8"),
		"Γιώργος Παπαδόπουλος", "Returns Centre Berlin")
	// JP → Tokyo hub and GR → Berlin hub cross no customs border.
	for _, p := range []string{jp, gr} {
		if res := a.do(request{method: "GET", path: strings.Replace(p, "/label.pdf", "/customs.pdf", 1)}); res.Code != 404 {
			t.Errorf("customs %s: %d", p, res.Code)
		}
	}
}

// TestLabelNotReady: a return waiting for review has no label yet, a
// cancelled or rejected one none at all; the answer is translated.
func TestLabelNotReady(t *testing.T) {
	a := newTestApp(t)
	// FR-1013 is past every window but within the faulty-goods period: a
	// fault reason sends it to manual review.
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{
		"token": a.lookupToken("FR-1013"), "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "not_as_described"}}}})
	if code != 201 || m["status"] != string(returns.StatusRequested) {
		t.Fatalf("create FR-1013: %d %v", code, m)
	}
	u, _ := url.Parse(m["label_url"].(string))
	path := u.RequestURI()
	json := map[string]string{"Accept": "application/json"}
	if code, e := a.doJSON(request{method: "GET", path: path, header: json}); code != 409 || errorCode(e) != "label_not_ready" {
		t.Fatalf("requested: %d %v", code, e)
	}
	res := a.do(request{method: "GET", path: path})
	if res.Code != 409 || !strings.Contains(res.Body.String(), "Votre étiquette sera disponible") {
		t.Errorf("not translated for the French shopper: %d %s", res.Code, res.Body)
	}
	if res := a.do(request{method: "GET", path: path + "&lang=ja"}); !strings.Contains(res.Body.String(), "ラベル") {
		t.Errorf("lang=ja: %s", res.Body)
	}

	// Approved: the label is there.
	rma := m["rma"].(string)
	if _, err := a.st.Transition(context.Background(), rma, returns.StatusApproved, "staff", ""); err != nil {
		t.Fatal(err)
	}
	if res := a.do(request{method: "GET", path: path}); res.Code != 200 {
		t.Fatalf("approved: %d %s", res.Code, res.Body)
	}
	// Cancelled or rejected: none.
	crma, cancelled := a.returnLinks(demo.FeaturedOrder, "L1")
	// The label's link may not cancel (a view token); the shopper's lookup may.
	query := "token=" + url.QueryEscape(a.lookupToken(demo.FeaturedOrder))
	if res := a.do(request{method: "POST", path: "/api/v1/returns/" + crma + "/cancel?" + query}); res.Code != 200 {
		t.Fatalf("cancel: %d %s", res.Code, res.Body)
	}
	if code, e := a.doJSON(request{method: "GET", path: cancelled, header: json}); code != 409 || errorCode(e) != "label_unavailable" {
		t.Errorf("cancelled: %d %v", code, e)
	}
	if _, err := a.st.Transition(context.Background(), rma, returns.StatusRejected, "staff", ""); err != nil {
		t.Fatal(err)
	}
	if code, e := a.doJSON(request{method: "GET", path: path, header: json}); code != 409 || errorCode(e) != "label_unavailable" {
		t.Errorf("rejected: %d %v", code, e)
	}
	if res := a.do(request{method: "GET", path: path}); !strings.Contains(res.Body.String(), "n’a pas d’étiquette") {
		t.Errorf("label_unavailable not translated: %s", res.Body)
	}
}

// TestLabelLinkWhereverLabelDownloads: the status page links the label in
// exactly the statuses in which the label downloads: from approval until
// the refund, not once the return is called off.
func TestLabelLinkWhereverLabelDownloads(t *testing.T) {
	a := newTestApp(t)
	rma, labelPath := a.returnLinks(demo.FeaturedOrder, "L1")
	statusPath := strings.Replace(labelPath, "/label.pdf", "", 1)
	check := func(step string, want bool) {
		t.Helper()
		page := a.get(statusPath, false)
		if page.res.Code != 200 {
			t.Fatalf("%s: status page %d", step, page.res.Code)
		}
		linked := page.has("label-a4")
		download := a.do(request{method: "GET", path: labelPath})
		if linked != want || (download.Code == 200) != want {
			t.Errorf("%s: label link %v, download %d; want both %v", step, linked, download.Code, want)
		}
	}
	check("approved", true)
	for _, st := range []struct{ path, step string }{{"/receive", "received"}, {"/inspect", "inspected"}} {
		path := st.path
		body := map[string]any{}
		if path == "/inspect" {
			body["items"] = []any{map[string]any{"line_id": "L1", "accepted_quantity": 1, "condition": "resellable"}}
		}
		if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + path, body: body, header: a.auth()}); code != 200 {
			t.Fatalf("%s: %d %v", path, code, m)
		}
		check(st.step, true)
	}
	hdr := a.auth()
	hdr["Idempotency-Key"] = "label-link-test"
	if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + rma + "/refund", body: map[string]any{}, header: hdr}); code != 201 {
		t.Fatalf("refund: %d %v", code, m)
	}
	check("refunded", true)

	// Cancelled: neither.
	crma, cancelLabel := a.returnLinks(demo.FeaturedOrder, "L2")
	// The label's link may not cancel (a view token); the shopper's lookup may.
	query := "token=" + url.QueryEscape(a.lookupToken(demo.FeaturedOrder))
	if res := a.do(request{method: "POST", path: "/api/v1/returns/" + crma + "/cancel?" + query}); res.Code != 200 {
		t.Fatalf("cancel: %d %s", res.Code, res.Body)
	}
	labelPath, statusPath = cancelLabel, strings.Replace(cancelLabel, "/label.pdf", "", 1)
	check("cancelled", false)
}
