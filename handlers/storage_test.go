package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/store"
)

// allLanguages are the portal's languages.
var allLanguages = []string{"en", "de", "fr", "es", "ja", "ar"}

// message is a message ID in a language, as the bundle words it.
func message(t *testing.T, lang, id string) string {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := b.NewLocalizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// health is GET /healthz: the status and the JSON.
func (a *testApp) health() (int, map[string]string) {
	a.t.Helper()
	res := a.do(request{method: "GET", path: "/healthz"})
	var m map[string]string
	if err := json.Unmarshal(res.Body.Bytes(), &m); err != nil {
		a.t.Fatalf("healthz: %d %q", res.Code, res.Body)
	}
	return res.Code, m
}

// noisyJPEG is a photo that does not compress: some 40 KB, pages of the
// database that a full disk cannot give.
func noisyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 128, 128))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range 128 {
		for x := range 128 {
			img.SetRGBA(x, y, color.RGBA{uint8(r.UintN(256)), uint8(r.UintN(256)), uint8(r.UintN(256)), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestStorageFull: when the database cannot take another page (a full
// disk, simulated with SQLite's page limit), /healthz says so, staff are
// told "storage full" and shoppers that returns cannot be accepted right
// now — 503, translated in every language, never a generic 500.
func TestStorageFull(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	agent := a.staff().login(store.RoleAgent)
	rma := a.newReturn("IT-1002", "L1", 1, "original_payment")
	if code, m := a.health(); code != http.StatusOK || m["status"] != "ok" {
		t.Fatalf("healthz before: %d %v", code, m)
	}
	if err := a.st.SimulateFault(ctx, store.FaultFull); err != nil {
		t.Fatal(err)
	}

	// The shopper: a return with a photo, in the portal and in the API.
	photo := [3]string{"photos.L1", "damage.jpg", string(noisyJPEG(t))}
	order := a.openOrder("DE-1001", "en", false)
	fields := formValues(order.one("order-form"))
	fields.Set("qty.L1", "1")
	fields.Set("reason.L1", "damaged")
	for _, lang := range allLanguages {
		want := message(t, lang, "error.storage_unavailable")
		f := url.Values{}
		for k, v := range fields {
			f[k] = v
		}
		f.Set("lang", lang)
		ct, body := multipartBody(t, f, photo)
		p := a.postMultipart("/returns", ct, bytes.NewReader(body), int64(len(body)))
		if p.res.Code != http.StatusServiceUnavailable || text(p.one("error-message")) != want {
			t.Errorf("portal, %s: %d %s", lang, p.res.Code, p.res.Body)
		}
		b, _ := json.Marshal(map[string]any{"token": a.lookupToken("DE-1001"), "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "damaged"}}})
		ct, body = multipartBody(t, url.Values{"request": {string(b)}}, photo)
		res := a.do(request{method: "POST", path: "/api/v1/returns?lang=" + lang, body: body, header: map[string]string{"Content-Type": ct}})
		var m map[string]any
		_ = json.Unmarshal(res.Body.Bytes(), &m)
		if msg, _ := m["error"].(map[string]any)["message"].(string); res.Code != http.StatusServiceUnavailable ||
			errorCode(m) != "storage_unavailable" || msg != want {
			t.Errorf("API, %s: %d %v", lang, res.Code, m)
		}
	}

	// /healthz: the writes that failed are its witness (its own probe
	// rewrites one small row, which a full disk may still take).
	if code, m := a.health(); code != http.StatusServiceUnavailable || m["status"] != "unavailable" || m["reason"] != "storage_full" {
		t.Errorf("healthz when full: %d %v", code, m)
	}

	// Staff: notes until the page they need is not there, then the same
	// note in every language.
	note := url.Values{"body": {strings.Repeat("Parcel arrived wet. ", 99)}}
	full := false
	for range 10 {
		if p := agent.post("/admin/returns/"+rma+"/notes", note); p.res.Code == http.StatusServiceUnavailable {
			full = true
			break
		} else if p.res.Code != http.StatusSeeOther {
			t.Fatalf("note: %d", p.res.Code)
		}
	}
	if !full {
		t.Fatal("ten notes of 2 KB fit in a database capped at its size")
	}
	for _, lang := range allLanguages {
		p := agent.post("/admin/returns/"+rma+"/notes?lang="+lang, note)
		if p.res.Code != http.StatusServiceUnavailable || text(p.one("error-message")) != message(t, lang, "error.storage_full") {
			t.Errorf("staff, %s: %d %s", lang, p.res.Code, p.res.Body)
		}
	}
	// The merchant's API key is staff too: told the fault (a new policy
	// version is a document of several pages).
	res := a.do(request{method: "GET", path: "/api/v1/policy", header: a.auth()})
	if res.Code != http.StatusOK {
		t.Fatalf("policy: %d", res.Code)
	}
	code, m := a.doJSON(request{method: "PUT", path: "/api/v1/policy", header: a.auth(), body: res.Body.Bytes()})
	if code != http.StatusServiceUnavailable || errorCode(m) != "storage_full" {
		t.Errorf("merchant API: %d %v", code, m)
	}
	// Reading still works.
	if p := agent.get("/admin/returns/" + rma); p.res.Code != http.StatusOK {
		t.Errorf("reading a return when full: %d", p.res.Code)
	}
	if code, _ := a.doJSON(request{method: "POST", path: "/api/v1/returns/lookup",
		body: map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email}}); code != http.StatusOK {
		t.Errorf("lookup when full: %d", code)
	}
}

// TestStorageReadOnly: a database that refuses every write (a file system
// remounted read-only, simulated with SQLite's query_only): /healthz says
// storage_read_only, staff are told so, shoppers the same translated
// "returns cannot be accepted right now".
func TestStorageReadOnly(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	agent := a.staff().login(store.RoleAgent)
	rma := a.newReturn("IT-1002", "L1", 1, "original_payment")
	token := a.lookupToken("DE-1001")
	if err := a.st.SimulateFault(ctx, store.FaultReadOnly); err != nil {
		t.Fatal(err)
	}
	if code, m := a.health(); code != http.StatusServiceUnavailable || m["reason"] != "storage_read_only" {
		t.Errorf("healthz: %d %v", code, m)
	}
	for _, lang := range allLanguages {
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", header: map[string]string{"Accept-Language": lang},
			body: map[string]any{"token": token, "refund_method": "original_payment",
				"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}})
		if msg, _ := m["error"].(map[string]any)["message"].(string); code != http.StatusServiceUnavailable ||
			errorCode(m) != "storage_unavailable" || msg != message(t, lang, "error.storage_unavailable") {
			t.Errorf("shopper, %s: %d %v", lang, code, m)
		}
		p := agent.post("/admin/returns/"+rma+"/receive?lang="+lang, url.Values{})
		if p.res.Code != http.StatusServiceUnavailable || text(p.one("error-message")) != message(t, lang, "error.storage_read_only") {
			t.Errorf("staff, %s: %d %s", lang, p.res.Code, p.res.Body)
		}
	}
}
