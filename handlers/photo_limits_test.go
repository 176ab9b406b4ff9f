package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// apiMultipart posts a return as multipart/form-data to the JSON API: the
// request as JSON, then the files.
func (a *testApp) apiMultipart(t *testing.T, remote string, req map[string]any, files ...[3]string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(req)
	ct, body := multipartBody(t, url.Values{"request": {string(b)}}, files...)
	res := a.do(request{method: "POST", path: "/api/v1/returns", body: body, header: map[string]string{"Content-Type": ct}, remote: remote})
	var m map[string]any
	_ = json.Unmarshal(res.Body.Bytes(), &m)
	return res.Code, m
}

// TestPhotosCheckedBeforeAnyDecode: a request that will be refused is
// refused before a single photo is decoded, whatever is wrong with it —
// the token, its items and quantities, its reasons, its refund details,
// the photos' number per item, their pixels together. Only a request
// that passes all of them decodes its photos.
func TestPhotosCheckedBeforeAnyDecode(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken(demo.FeaturedOrder)
	photo := [3]string{"photos.L1", "a.jpg", string(testJPEG(t, 64, 48))}
	item := func(line string, qty int, reason string) map[string]any {
		return map[string]any{"line_id": line, "quantity": qty, "reason": reason}
	}
	req := func(items ...map[string]any) map[string]any {
		return map[string]any{"token": tok, "refund_method": "original_payment", "items": items}
	}
	withIBAN := req(item("L1", 1, "damaged"))
	withIBAN["refund_method"], withIBAN["refund_method_consent"] = "bank_transfer", true
	withIBAN["bank_account"] = map[string]string{"iban": "DE00 0000 0000 0000 0000 00", "holder": "Ana"}
	forged := req(item("L1", 1, "damaged"))
	forged["token"] = "forged.token"
	// Five photos whose headers say 40 megapixels each: 200 megapixels.
	huge := make([][3]string, 5)
	for i := range huge {
		huge[i] = [3]string{"photos.L1", "big.png", string(pngBomb(8000, 5000))}
	}
	for _, tc := range []struct {
		name   string
		req    map[string]any
		files  [][3]string
		status int
		code   string
	}{
		{"more units than were bought", req(item("L1", 99, "damaged")), [][3]string{photo}, 409, "exceeds_returnable"},
		{"no unit", req(item("L1", 0, "damaged")), [][3]string{photo}, 422, "invalid_quantity"},
		{"an item not in the order", req(item("NOPE", 1, "damaged")), [][3]string{photo}, 422, "unknown_line"},
		{"a reason not offered", req(item("L1", 1, "bored")), [][3]string{photo}, 422, "unknown_reason"},
		{"a bad IBAN", withIBAN, [][3]string{photo}, 422, "invalid_iban"},
		{"a forged token", forged, [][3]string{photo}, 404, "token_invalid"},
		{"a photo missing for another item", req(item("L1", 1, "damaged"), item("L2", 1, "damaged")), [][3]string{photo}, 422, "photo_required"},
		{"a photo for an item not returned", req(item("L1", 1, "damaged")), [][3]string{photo, {"photos.L2", "b.jpg", photo[2]}}, 422, "unknown_line"},
		{"six photos for one item", req(item("L1", 1, "damaged")), [][3]string{photo, photo, photo, photo, photo, photo}, 422, "too_many_photos"},
		{"a GIF among good photos", req(item("L1", 1, "damaged")), [][3]string{photo, {"photos.L1", "x.gif", "GIF89a...."}}, 415, "photo_type"},
		{"200 megapixels in one request", req(item("L1", 1, "damaged")), huge, 422, "photos_too_many_pixels"},
	} {
		before := a.srv.photos.decoded.Load()
		code, m := a.apiMultipart(t, "", tc.req, tc.files...)
		if code != tc.status || errorCode(m) != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, code, m, tc.status, tc.code)
		}
		if n := a.srv.photos.decoded.Load() - before; n != 0 {
			t.Errorf("%s: %d photos decoded before the refusal", tc.name, n)
		}
	}
	// The control: a request that passes decodes its photos, and is made.
	before := a.srv.photos.decoded.Load()
	if code, m := a.apiMultipart(t, "", req(item("L1", 1, "damaged")), photo, photo); code != http.StatusCreated {
		t.Fatalf("a good request: %d %v", code, m)
	}
	if n := a.srv.photos.decoded.Load() - before; n != 2 {
		t.Errorf("a good request decoded %d photos, want 2", n)
	}
}

// TestPortalPhotosCheckedBeforeAnyDecode: the same through the portal's
// forms that take photos — the order form's (POST /review, which stages
// them) and the confirm form's — whose refusals come back as the order page
// with the message at its field.
func TestPortalPhotosCheckedBeforeAnyDecode(t *testing.T) {
	a := newTestApp(t)
	order := a.openOrder("DE-1001", "en", false)
	fields := formValues(order.one("order-form"))
	fields.Set("qty.L1", "1")
	fields.Set("reason.L1", "damaged")
	photo := [3]string{"photos.L1", "a.jpg", string(testJPEG(t, 64, 48))}
	tooMany := url.Values{}
	for k, v := range fields {
		tooMany[k] = v
	}
	tooMany.Set("qty.L1", "99")
	forged := url.Values{}
	for k, v := range fields {
		forged[k] = v
	}
	forged.Set("t", "forged.token")
	for _, tc := range []struct {
		name   string
		fields url.Values
		status int
		field  string // the data-testid of the message, "" for an error page
	}{
		{"more units than were bought", tooMany, http.StatusUnprocessableEntity, "error-err-qty-L1"},
		{"a forged token", forged, http.StatusNotFound, ""},
	} {
		for _, path := range []string{"/review", "/returns"} {
			before := a.srv.photos.decoded.Load()
			ct, body := multipartBody(t, tc.fields, photo)
			res := a.postMultipart(path, ct, bytes.NewReader(body), int64(len(body)))
			if res.res.Code != tc.status || tc.field != "" && !res.has(tc.field) {
				t.Errorf("%s %s: %d %s", path, tc.name, res.res.Code, res.res.Body)
			}
			if n := a.srv.photos.decoded.Load() - before; n != 0 {
				t.Errorf("%s %s: %d photos decoded before the refusal", path, tc.name, n)
			}
		}
	}
	// The control: the order form with its photo is reviewed, the photo
	// decoded and staged.
	before := a.srv.photos.decoded.Load()
	ct, body := multipartBody(t, fields, photo)
	if res := a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body))); res.res.Code != http.StatusSeeOther && res.res.Code != http.StatusOK {
		t.Fatalf("a good review: %d %s", res.res.Code, res.res.Body)
	}
	if n := a.srv.photos.decoded.Load() - before; n != 1 {
		t.Errorf("a good review decoded %d photos, want 1", n)
	}
}

// TestCreateRateLimits: return creation is limited per order (any of its
// tokens) and per client network, every attempt counted; the lookup
// switches turn the limits off (--lookup-limit-order 0 the per-order one,
// --lookup-limit-ip 0 the per-IP one).
func TestCreateRateLimits(t *testing.T) {
	// An attempt that is refused after counting: more units than bought.
	attempt := func(a *testApp, tok, remote string) int {
		code, _ := a.doJSON(request{method: "POST", path: "/api/v1/returns", remote: remote, body: map[string]any{
			"token": tok, "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 99, "reason": "wrong_size"}}}})
		return code
	}
	t.Run("per order", func(t *testing.T) {
		a := newTestApp(t, withLimits(10, 5))
		tok := a.lookupToken(demo.FeaturedOrder)
		for i := range 10 {
			if code := attempt(a, tok, fmt.Sprintf("192.0.2.%d:1", i+1)); code != http.StatusConflict {
				t.Fatalf("attempt %d: %d", i+1, code)
			}
		}
		// The eleventh, from yet another address and with a fresh token.
		res := a.do(request{method: "POST", path: "/api/v1/returns", remote: "192.0.2.99:1", body: map[string]any{
			"token": a.lookupToken(demo.FeaturedOrder), "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}}})
		if res.Code != http.StatusTooManyRequests || res.Header().Get("Retry-After") == "" {
			t.Fatalf("eleventh: %d %v", res.Code, res.Header())
		}
		// Another order is another count; after the window, again.
		if code := attempt(a, a.lookupToken("IT-1002"), "192.0.2.1:1"); code != http.StatusConflict {
			t.Errorf("another order: %d", code)
		}
		a.advance(15*time.Minute + time.Second)
		if code := attempt(a, a.lookupToken(demo.FeaturedOrder), "192.0.2.1:1"); code != http.StatusConflict {
			t.Errorf("after the window: %d", code)
		}
	})
	t.Run("per client network", func(t *testing.T) {
		a := newTestApp(t, withLimits(10, 5))
		orders := []string{demo.FeaturedOrder, "IT-1002", "NL-1004", "CH-1011"}
		n := 0
		for _, o := range orders {
			tok := a.lookupToken(o)
			for range 10 {
				if n == 30 {
					break
				}
				n++
				// Every attempt from another address of one /64.
				if code := attempt(a, tok, fmt.Sprintf("[2001:db8:5:5::%x]:1", n)); code == http.StatusTooManyRequests {
					t.Fatalf("attempt %d: 429", n)
				}
			}
		}
		if code := attempt(a, a.lookupToken("GB-1012"), "[2001:db8:5:5:ffff::1]:1"); code != http.StatusTooManyRequests {
			t.Errorf("the 31st from the /64: %d", code)
		}
		if code := attempt(a, a.lookupToken("GB-1012"), "[2001:db8:5:6::1]:1"); code == http.StatusTooManyRequests {
			t.Errorf("the next /64: %d", code)
		}
	})
	t.Run("off with the lookup switches", func(t *testing.T) {
		a := newTestApp(t, withLimits(0, 0))
		tok := a.lookupToken(demo.FeaturedOrder)
		for i := range 40 {
			if code := attempt(a, tok, "192.0.2.1:1"); code != http.StatusConflict {
				t.Fatalf("attempt %d with the limits off: %d", i+1, code)
			}
		}
	})
	t.Run("only the per-IP limit off", func(t *testing.T) {
		a := newTestApp(t, withLimits(0, 5))
		tok := a.lookupToken(demo.FeaturedOrder)
		for range 10 {
			attempt(a, tok, "192.0.2.1:1")
		}
		if code := attempt(a, tok, "192.0.2.1:1"); code != http.StatusTooManyRequests {
			t.Errorf("the per-order limit with the per-IP one off: %d", code)
		}
	})
}

// TestStoredPhotosFitTheirEdge: a photo larger than maxStoredEdge is stored
// scaled to it, in its proportions; a smaller one as it came.
func TestStoredPhotosFitTheirEdge(t *testing.T) {
	a := newTestApp(t, withLimits(0, 0))
	for _, tc := range []struct {
		name          string
		data          []byte
		ct            string
		width, height int
	}{
		// Thin, so that they cost little to make and decode (under -race).
		{"a wide JPEG", testJPEG(t, 3000, 40), "image/jpeg", 2048, 27},
		{"a tall PNG", testPNG(t, 30, 4100), "image/png", 15, 2048},
		{"a small JPEG", testJPEG(t, 64, 48), "image/jpeg", 64, 48},
		{"exactly the edge", testPNG(t, 2048, 10), "image/png", 2048, 10},
	} {
		code, m := a.apiMultipart(t, "", map[string]any{"token": a.lookupToken("NL-1004"), "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "damaged"}}},
			[3]string{"photos.L1", "p", string(tc.data)})
		if code != http.StatusCreated {
			t.Fatalf("%s: %d %v", tc.name, code, m)
		}
		photos, err := a.st.ReturnPhotos(context.Background(), m["rma"].(string))
		if err != nil || len(photos) != 1 {
			t.Fatalf("%s: %v %v", tc.name, photos, err)
		}
		ph := photos[0]
		_, data, err := a.st.PhotoData(context.Background(), m["rma"].(string), ph.ID)
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || "image/"+format != tc.ct || cfg.Width != tc.width || cfg.Height != tc.height ||
			ph.Width != tc.width || ph.Height != tc.height {
			t.Errorf("%s: stored %s %dx%d (recorded %dx%d) %v, want %s %dx%d", tc.name, format, cfg.Width, cfg.Height,
				ph.Width, ph.Height, err, tc.ct, tc.width, tc.height)
		}
		// Cancel it, so that the next one may return the same item.
		if code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/" + m["rma"].(string) + "/cancel?token=" +
			url.QueryEscape(a.lookupToken("NL-1004"))}); code != 200 {
			t.Fatalf("cancel: %d %v", code, m)
		}
	}
}

func TestFitSize(t *testing.T) {
	for _, tc := range []struct{ w, h, edge, ww, wh int }{
		{8000, 5000, 2048, 2048, 1280},
		{5000, 8000, 2048, 1280, 2048},
		{3000, 2000, 2048, 2048, 1365}, // 1365.33
		{3000, 2001, 2048, 2048, 1366}, // 1365.9
		{4096, 4096, 2048, 2048, 2048},
		{40000, 1, 2048, 2048, 1}, // never 0
		{1, 40000, 2048, 1, 2048},
		{2049, 3, 2048, 2048, 3},
	} {
		if w, h := fitSize(tc.w, tc.h, tc.edge); w != tc.ww || h != tc.wh {
			t.Errorf("fitSize(%d, %d, %d) = %d×%d, want %d×%d", tc.w, tc.h, tc.edge, w, h, tc.ww, tc.wh)
		}
	}
}

// TestBoxReduce: each output pixel is the rounded mean of its block, the
// partial blocks of the last column and row included.
func TestBoxReduce(t *testing.T) {
	// 5 × 3 grey levels: x*10 + y*100.
	src := image.NewGray(image.Rect(0, 0, 5, 3))
	for y := range 3 {
		for x := range 5 {
			src.SetGray(x, y, color.Gray{Y: uint8(x*10 + y*100)})
		}
	}
	got := boxReduce(src, 2)
	if got.Bounds().Dx() != 3 || got.Bounds().Dy() != 2 {
		t.Fatalf("size %v", got.Bounds())
	}
	// Blocks: x {0,1} {2,3} {4}; y {0,1} {2}.
	want := [2][3]uint8{
		{(0 + 10 + 100 + 110 + 2) / 4, (20 + 30 + 120 + 130 + 2) / 4, (40 + 140 + 1) / 2},
		{(200 + 210 + 1) / 2, (220 + 230 + 1) / 2, 240},
	}
	for y := range 2 {
		for x := range 3 {
			c := got.RGBAAt(x, y)
			if c.R != want[y][x] || c.G != want[y][x] || c.B != want[y][x] || c.A != 255 {
				t.Errorf("(%d,%d) = %v, want grey %d", x, y, c, want[y][x])
			}
		}
	}
	// A source whose bounds do not start at the origin, with alpha: the
	// means are of premultiplied colour.
	nrgba := image.NewNRGBA(image.Rect(10, 20, 12, 21))
	nrgba.SetNRGBA(10, 20, color.NRGBA{R: 200, A: 255})
	nrgba.SetNRGBA(11, 20, color.NRGBA{R: 200, A: 0}) // transparent: no colour
	if c := boxReduce(nrgba, 2).RGBAAt(0, 0); c != (color.RGBA{R: 100, A: 128}) {
		t.Errorf("premultiplied mean %v", c)
	}
}

// TestFitWithinKeepsTheMeanColour: an image scaled down keeps its colours
// where they were: left half red, right half blue stays so. (The edge is
// small so that the test is cheap; the steps are those of 2048 px.)
func TestFitWithinKeepsTheMeanColour(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 600, 300))
	for y := range 300 {
		for x := range 600 {
			c := color.RGBA{R: 220, A: 255}
			if x >= 300 {
				c = color.RGBA{B: 220, A: 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	out := fitWithin(src, 128) // a box of 4 × 4, then 150 → 128 bilinearly
	if b := out.Bounds(); b.Dx() != 128 || b.Dy() != 64 {
		t.Fatalf("size %v", b)
	}
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{{1, 1, color.RGBA{R: 220, A: 255}}, {60, 60, color.RGBA{R: 220, A: 255}}, {68, 30, color.RGBA{B: 220, A: 255}}, {127, 63, color.RGBA{B: 220, A: 255}}} {
		if c := color.RGBAModel.Convert(out.At(p.x, p.y)).(color.RGBA); c != p.want {
			t.Errorf("(%d,%d) = %v, want %v", p.x, p.y, c, p.want)
		}
	}
	// Smaller than the edge: as it is.
	if small := image.NewGray(image.Rect(0, 0, 100, 20)); fitWithin(small, 128) != image.Image(small) {
		t.Error("an image within the edge was scaled")
	}
	// Through the encoder as stored: a PNG of it decodes to the same size.
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(&b); err != nil || cfg.Width != 128 {
		t.Errorf("%v %v", cfg, err)
	}
}
