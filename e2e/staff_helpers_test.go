package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Helpers of the staff area's browser tests (issue 11: staff items 14-19).

// staffTab is a private tab logged in as the demo admin, every request in
// lang (Accept-Language, as a member's browser sends it), with JavaScript
// on or off.
func staffTab(t *testing.T, p *portal, lang string, js bool) (context.Context, *console) {
	t.Helper()
	ctx, cons := privateTab(t, 240*time.Second) // a staff round takes minutes while make test runs the other packages beside it
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}); err != nil {
		t.Fatal(err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	login(t, ctx, p, p.URL)
	if dir, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`)); (lang == "ar") != (dir == "rtl") {
		t.Errorf("%s: the staff area's direction is %q", lang, dir)
	}
	return ctx, cons
}

// jsName names a variant of a flow for sub-tests and screenshots.
func jsName(js bool) string {
	if js {
		return "js"
	}
	return "nojs"
}

// staffShot writes full-page screenshots of a staff page at a handheld's
// 375 px and a desk's 1280 px into artifacts/screenshots/, and fails when
// the page scrolls sideways at 375 px.
func staffShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := filepath.Join("..", "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A message ID on the page is a message that failed to translate.
	if ids, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`document.body.innerText.match(/\b(admin|error|status|method|portal)\.[a-z_]+(\.[a-z_0-9]+)*/g) || []`)); len(ids) > 0 {
		t.Errorf("%s shows message IDs: %v", name, ids)
	}
	for _, w := range []int64{375, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800)); err != nil {
			t.Fatal(err)
		}
		if w == 375 {
			noOverflow(t, ctx, name+" at 375 px")
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+strconv.FormatInt(w, 10)+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
}

// approvedReturns makes n approved returns through the JSON API, as
// storefronts do, one unit each, from the demo orders that approve at once;
// it answers their RMAs.
func approvedReturns(t *testing.T, p *portal, n int) []string {
	t.Helper()
	var out []string
	for _, order := range []string{"DE-1001", "ES-1008", "IT-1002", "JP-1006", "KW-1007", "US-1005", "CH-1011"} {
		lk, ok := tryJSON(p, "/api/v1/returns/lookup", map[string]string{"order_number": order, "email": "demo@example.com"})
		if !ok {
			continue
		}
		lines, _ := lk["lines"].([]any)
		for _, l := range lines {
			lm := l.(map[string]any)
			if lm["eligible"] != true {
				continue
			}
			for len(out) < n {
				r, ok := tryJSON(p, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
					"items": []any{map[string]any{"line_id": lm["line_id"], "quantity": 1, "reason": "wrong_size"}}})
				if !ok {
					break
				}
				if r["status"] != "approved" {
					break
				}
				out = append(out, r["rma"].(string))
			}
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d approved returns could be made, want %d", len(out), n)
	return nil
}

// tryJSON posts to the JSON API; ok is false for any status of 300 or more.
func tryJSON(p *portal, path string, body any) (map[string]any, bool) {
	b, _ := json.Marshal(body)
	res, err := http.Post("http://"+p.Addr+path, "application/json", bytes.NewReader(b))
	if err != nil {
		return nil, false
	}
	defer res.Body.Close()
	var m map[string]any
	if json.NewDecoder(res.Body).Decode(&m) != nil || res.StatusCode >= 300 {
		return nil, false
	}
	return m, true
}

// count is the number of elements a CSS selector matches.
func count(t *testing.T, ctx context.Context, css string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(css)+`).length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
