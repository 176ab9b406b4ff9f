package handlers

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/store"
)

// testJPEG is a small real photo.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gpsMarker is in the EXIF segment of withExif; re-encoding must drop it.
const gpsMarker = "GPS-52.5200N-13.4050E"

// withExif inserts an APP1 Exif segment (a TIFF header with a GPS IFD
// pointer, and a recognisable GPS value) right after the JPEG's SOI.
func withExif(j []byte) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a\x00\x00\x00\x08")         // big-endian TIFF, IFD at 8
	tiff.Write([]byte{0x00, 0x01})                         // one entry
	tiff.Write([]byte{0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1}) // GPSInfo IFD pointer, LONG, count 1
	tiff.Write([]byte{0, 0, 0, 26})                        // offset of the GPS IFD
	tiff.Write([]byte{0, 0, 0, 0})                         // no next IFD
	tiff.WriteString(gpsMarker)
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// polyglot is a valid JPEG that also carries HTML with a script: in a
// comment segment and after the end of the image.
const polyglotPayload = `<html><script>alert(document.cookie)</script></html>`

func polyglot(j []byte) []byte {
	com := []byte{0xFF, 0xFE, 0, 0}
	binary.BigEndian.PutUint16(com[2:], uint16(len(polyglotPayload)+2))
	com = append(com, polyglotPayload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, com...)
	out = append(out, j[2:]...)
	return append(out, polyglotPayload...)
}

// pngBomb is a tiny PNG whose header declares width × height pixels.
func pngBomb(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}) // almost nothing
	chunk("IEND", nil)
	return b.Bytes()
}

// jpegBomb is a real small JPEG whose SOF header is patched to declare
// huge dimensions.
func jpegBomb(t testing.TB) []byte {
	j := testJPEG(t, 16, 16)
	for i := 2; i+9 < len(j); i++ {
		if j[i] == 0xFF && (j[i+1] == 0xC0 || j[i+1] == 0xC2) {
			binary.BigEndian.PutUint16(j[i+5:], 60000) // height
			binary.BigEndian.PutUint16(j[i+7:], 60000) // width
			return j
		}
	}
	t.Fatal("no SOF in the test JPEG")
	return nil
}

// sanitizePhoto runs one photo through the checks and the decoder as an
// upload does.
func sanitizePhoto(b []byte) (store.PhotoUpload, error) {
	h, problem := inspectPhoto(b)
	if problem != nil {
		return store.PhotoUpload{}, problem
	}
	return newPhotoDecoder().reencode(context.Background(), b, h)
}

func TestSanitizePhoto(t *testing.T) {
	plain := testJPEG(t, 64, 48)
	// EXIF with GPS is gone from the stored bytes.
	exif := withExif(plain)
	if !bytes.Contains(exif, []byte("Exif")) || !bytes.Contains(exif, []byte(gpsMarker)) {
		t.Fatal("test photo lacks its EXIF")
	}
	if _, err := jpeg.Decode(bytes.NewReader(exif)); err != nil {
		t.Fatalf("the EXIF test photo is not a valid JPEG: %v", err)
	}
	p, err := sanitizePhoto(exif)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("Exif")) || bytes.Contains(p.Data, []byte(gpsMarker)) || bytes.Contains(p.Data, []byte{0xFF, 0xE1}) {
		t.Error("EXIF/GPS survived the re-encoding")
	}
	if p.ContentType != "image/jpeg" || p.Width != 64 || p.Height != 48 {
		t.Errorf("%s %dx%d", p.ContentType, p.Width, p.Height)
	}
	// A polyglot: the image survives, the script does not.
	poly := polyglot(plain)
	if _, err := jpeg.Decode(bytes.NewReader(poly)); err != nil {
		t.Fatalf("the polyglot is not a valid JPEG: %v", err)
	}
	if p, err = sanitizePhoto(poly); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("<script")) || bytes.Contains(p.Data, []byte("<html")) {
		t.Error("the polyglot's payload survived the re-encoding")
	}
	// PNG stays PNG.
	if p, err = sanitizePhoto(testPNG(t, 10, 10)); err != nil || p.ContentType != "image/png" {
		t.Errorf("png: %v %s", err, p.ContentType)
	}

	refused := []struct {
		name string
		data []byte
		want *apiError
	}{
		{"png decompression bomb", pngBomb(100_000, 100_000), errPhotoPixels},
		{"png just over the pixel cap", pngBomb(8000, 5001), errPhotoPixels},
		{"jpeg decompression bomb", jpegBomb(t), errPhotoPixels},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"), errPhotoType},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), errPhotoType},
		{"pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"), errPhotoType},
		{"html", []byte(polyglotPayload), errPhotoType},
		{"empty-ish", []byte{0xFF}, errPhotoType},
		{"truncated jpeg", plain[:len(plain)/2], errPhotoInvalid},
		{"jpeg header only", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, errPhotoInvalid},
		{"too large", append(bytes.Clone(plain), make([]byte, maxPhotoBytes)...), errPhotoTooLarge},
	}
	for _, tt := range refused {
		start := time.Now()
		_, err := sanitizePhoto(tt.data)
		var ae *apiError
		if !errors.As(err, &ae) || ae != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		// The pixel cap is checked before decoding: a bomb costs nothing.
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %s", tt.name, d)
		}
	}
}

// multipartBody builds a multipart/form-data body: fields, then files
// (field name, file name, content).
func multipartBody(t testing.TB, fields url.Values, files ...[3]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		if strings.HasPrefix(k, "photos.") {
			continue // the file inputs of a form
		}
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		// The name is written raw: a hostile client controls it.
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f[0], f[1]))
		h.Set("Content-Type", "image/jpeg")
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write([]byte(f[2]))
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// postMultipart posts a body to the app (a browser without JavaScript).
func (a *testApp) postMultipart(path, ct string, body io.Reader, size int64) page {
	a.t.Helper()
	req := httptest.NewRequest("POST", path, body)
	req.ContentLength = size
	req.Header.Set("Content-Type", ct)
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	p := page{t: a.t, res: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		p = a.parsePage(rec)
	}
	return p
}

func (a *testApp) parsePage(rec *httptest.ResponseRecorder) page {
	a.t.Helper()
	p := page{t: a.t, res: rec}
	root, err := html.Parse(strings.NewReader(rec.Body.String()))
	if err != nil {
		a.t.Fatal(err)
	}
	p.root = root
	return p
}

// orderDamaged opens the order form of DE-1001 with one damaged T-shirt
// chosen, and returns its fields and the page.
func orderDamaged(t *testing.T, a *testApp) (url.Values, page) {
	t.Helper()
	order := a.openOrder("DE-1001", "en", false)
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "damaged")
	return form, order
}

func TestPortalPhotoUpload(t *testing.T) {
	a := newStaffApp(t)
	ctx := context.Background()
	fields, order := orderDamaged(t, a)
	// The picker is at the item, under a translated label, in a multipart
	// form; the reasons that need a photo say so to the stylesheet.
	in := order.one("photo-input-photos-0")
	if attr(in, "type") != "file" || attr(in, "name") != "photos.L1" || attr(order.one("order-form"), "enctype") != "multipart/form-data" {
		t.Fatal("the order form has no photo input at the item in a multipart form")
	}
	if text(order.one("photo-pick-photos-0")) != "Add photos" || attr(order.one("photo-pick-photos-0"), "for") != attr(in, "id") {
		t.Errorf("photo label: %q", text(order.one("photo-pick-photos-0")))
	}
	for _, o := range all(order.one("order-form"), func(n *html.Node) bool { return n.Data == "option" }) {
		if want := attr(o, "value") == "damaged" || attr(o, "value") == "defective"; hasAttr(o, "data-photo") != want {
			t.Errorf("option %s: data-photo %v", attr(o, "value"), !want)
		}
	}

	// Without the photo the reason requires: the order form again, the
	// message at the item, translated.
	ct, body := multipartBody(t, fields)
	res := a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body)))
	if res.res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.one("error-err-photos-L1")), "needs a photo") ||
		!strings.Contains(attr(res.all("photo-field")[0], "class"), "open") {
		t.Fatalf("no photo: %d %s", res.res.Code, res.res.Body)
	}
	fieldsDE := url.Values{}
	for k, v := range fields {
		fieldsDE[k] = v
	}
	fieldsDE.Set("lang", "de")
	ct, body = multipartBody(t, fieldsDE)
	res = a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body)))
	if !strings.Contains(text(res.one("error-err-photos-L1")), "Foto") || text(res.one("photo-pick-photos-0")) != "Fotos hinzufügen" {
		t.Errorf("German: %q, %q", text(res.one("error-err-photos-L1")), text(res.one("photo-pick-photos-0")))
	}
	// A GIF, an SVG, a PDF: refused next to the item, nothing stored.
	for name, data := range map[string]string{"x.gif": "GIF89a....", "x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>", "x.pdf": "%PDF-1.7"} {
		ct, body = multipartBody(t, fields, [3]string{"photos.L1", name, data})
		res = a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body)))
		if res.res.Code != http.StatusUnsupportedMediaType || !res.has("error-err-photos-L1") {
			t.Errorf("%s: %d", name, res.res.Code)
		}
	}
	// A decompression bomb: refused by the pixel cap.
	ct, body = multipartBody(t, fields, [3]string{"photos.L1", "bomb.png", string(pngBomb(50_000, 50_000))})
	if res = a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body))); res.res.Code != http.StatusUnprocessableEntity || !res.has("error-err-photos-L1") {
		t.Errorf("bomb: %d", res.res.Code)
	}
	// Six photos for one item: too many.
	six := make([][3]string, 6)
	for i := range six {
		six[i] = [3]string{"photos.L1", "p.jpg", string(testJPEG(t, 8, 8))}
	}
	ct, body = multipartBody(t, fields, six...)
	if res = a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body))); res.res.Code != http.StatusUnprocessableEntity || !res.has("error-err-photos-L1") {
		t.Errorf("six photos: %d", res.res.Code)
	}
	// A photo of a line that is not chosen is not kept.
	ct, body = multipartBody(t, fields, [3]string{"photos.L1", "a.jpg", string(testJPEG(t, 8, 8))},
		[3]string{"photos.L2", "b.jpg", string(testJPEG(t, 8, 8))})
	// (The review answers with its address, which carries the photos' ids.)
	if res = a.follow(a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body))), false); res.res.Code != http.StatusOK ||
		len(formValues(res.one("confirm-form"))["photo.L2"]) != 0 || len(formValues(res.one("confirm-form"))["photo.L1"]) != 1 {
		t.Errorf("photo of an unchosen line: %d %v", res.res.Code, formValues(res.one("confirm-form")))
	}
	// Staged photos that are not there (forged, or another order's) count
	// for nothing: the return is refused for want of a photo.
	forged := url.Values{}
	for k, v := range fields {
		forged[k] = v
	}
	forged.Set("photo.L1", "st_AAAAAAAAAAAAAAAA")
	if res := a.post("/returns", forged, false); res.res.Code != http.StatusUnprocessableEntity || !res.has("error-err-photos-L1") {
		t.Errorf("forged staged photo: %d", res.res.Code)
	}

	// A polyglot with EXIF GPS, named to climb out of any directory: staged
	// at the review (which says so), then the return is made with it, and
	// the stored photo is clean under a random id.
	evil := string(withExif(polyglot(testJPEG(t, 40, 30))))
	ct, body = multipartBody(t, fields, [3]string{"photos.L1", "../../../../etc/passwd.jpg", evil},
		[3]string{"photos.L1", `..\..\x.png`, string(testPNG(t, 5, 5))})
	review := a.follow(a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body))), false)
	if review.res.Code != http.StatusOK || !strings.Contains(text(review.one("photos-item")), "2 photos added") {
		t.Fatalf("review with photos: %d %s", review.res.Code, review.res.Body)
	}
	res = a.post("/returns", formValues(review.one("confirm-form")), false)
	if res.res.Code != http.StatusSeeOther {
		t.Fatalf("confirm with photos: %d %s", res.res.Code, res.res.Body)
	}
	rma := strings.TrimPrefix(strings.SplitN(res.res.Header().Get("Location"), "?", 2)[0], "/r/")
	photos, err := a.st.ReturnPhotos(ctx, rma)
	if err != nil || len(photos) != 2 {
		t.Fatalf("photos: %v %v", photos, err)
	}
	for _, ph := range photos {
		if !strings.HasPrefix(ph.ID, "ph_") || strings.Contains(ph.ID, ".") || strings.Contains(ph.ID, "/") || ph.LineID != "L1" {
			t.Errorf("photo %+v", ph)
		}
		_, data, err := a.st.PhotoData(ctx, rma, ph.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "Exif", gpsMarker, "passwd", ".."} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("stored photo contains %q", bad)
			}
		}
	}

	// Staff see the photos on the return and can open them.
	viewer := a.staff().login(store.RoleViewer)
	detail := viewer.get("/admin/returns/" + rma)
	if n := len(detail.all("photo-link")); n != 2 {
		t.Errorf("%d photo links on the return", n)
	}
	href := "/admin/returns/" + rma + "/photos/" + photos[0].ID
	got := viewer.get(href)
	h := got.res.Header()
	if got.res.Code != http.StatusOK || h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Cache-Control") != "private, no-store" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") ||
		!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("photo for staff: %d %v", got.res.Code, h)
	}
	if _, err := jpeg.Decode(bytes.NewReader(got.res.Body.Bytes())); err != nil {
		t.Errorf("served photo: %v", err)
	}
	// Nobody else: no session (with the shopper's token or not), a photo
	// under another return, an unknown id.
	token := strings.SplitN(res.res.Header().Get("Location"), "t=", 2)[1]
	for _, p := range []string{href, href + "?t=" + token} {
		if anon := a.staff().get(p); !isLoginRedirect(anon) {
			t.Errorf("%s without a session: %d", p, anon.res.Code)
		}
		if shopper := a.get(p, false); shopper.res.Code == http.StatusOK {
			t.Errorf("%s as the shopper: %d", p, shopper.res.Code)
		}
	}
	other := a.newReturn("DE-1001", "L2", 1, "original_payment")
	if res := viewer.get("/admin/returns/" + other + "/photos/" + photos[0].ID); res.res.Code != http.StatusNotFound {
		t.Errorf("photo under another return: %d", res.res.Code)
	}
	if res := viewer.get("/admin/returns/" + rma + "/photos/ph_nope"); res.res.Code != http.StatusNotFound {
		t.Errorf("unknown photo: %d", res.res.Code)
	}
	// The shopper's views of the return carry no photo link.
	if st := a.get("/r/"+rma+"?t="+token, false); strings.Contains(st.res.Body.String(), "/photos/") {
		t.Error("the status page links the photos")
	}
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestPhotoUploadTooLarge(t *testing.T) {
	a := newTestApp(t)
	fields, _ := orderDamaged(t, a)
	// Declared too large: refused before reading (413).
	ct, body := multipartBody(t, fields, [3]string{"photos.L1", "a.jpg", string(testJPEG(t, 8, 8))})
	if res := a.postMultipart("/review", ct, bytes.NewReader(body), maxUploadBytes+1); res.res.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("declared too large: %d", res.res.Code)
	}
	// No length given, the body runs on: http.MaxBytesReader stops it.
	var w bytes.Buffer
	mw := multipart.NewWriter(&w)
	for k, vs := range fields {
		if !strings.HasPrefix(k, "photos.") {
			mw.WriteField(k, vs[0])
		}
	}
	head := w.String() + "--" + mw.Boundary() + "\r\nContent-Disposition: form-data; name=\"photos.L1\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF"
	endless := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, maxUploadBytes+(1<<20)),
		strings.NewReader("\r\n--"+mw.Boundary()+"--\r\n"))
	if res := a.postMultipart("/review", mw.FormDataContentType(), endless, -1); res.res.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("streamed too large: %d", res.res.Code)
	}
	// One photo over 8 MB in a body within the cap: 413, at the item; the
	// same at the confirm step, which still takes photos of its own.
	big := append(testJPEG(t, 8, 8), make([]byte, maxPhotoBytes)...)
	ct, body = multipartBody(t, fields, [3]string{"photos.L1", "big.jpg", string(big)})
	res := a.postMultipart("/review", ct, bytes.NewReader(body), int64(len(body)))
	if res.res.Code != http.StatusRequestEntityTooLarge || !res.has("error-err-photos-L1") {
		t.Errorf("one photo too large: %d", res.res.Code)
	}
	res = a.postMultipart("/returns", ct, bytes.NewReader(body), int64(len(body)))
	if res.res.Code != http.StatusRequestEntityTooLarge || !res.has("error-err-photos-L1") {
		t.Errorf("one photo too large: %d", res.res.Code)
	}
	// A plain form body stays capped at 64 KB.
	for _, path := range []string{"/returns", "/review"} {
		if res := a.post(path, url.Values{"comment": {strings.Repeat("x", 70<<10)}}, false); res.res.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: large urlencoded body: %d", path, res.res.Code)
		}
	}
}

// TestAPICreateWithPhotos: POST /api/v1/returns as multipart/form-data,
// the JSON in "request" and the photos as files.
func TestAPICreateWithPhotos(t *testing.T) {
	a := newTestApp(t)
	token := a.lookupToken("DE-1001")
	req := func(reason string) url.Values {
		b, _ := json.Marshal(map[string]any{"token": token, "refund_method": "original_payment",
			"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": reason}}})
		return url.Values{"request": {string(b)}}
	}
	// JSON without the required photo: 422 photo_required at items[0].photos.
	code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns", body: map[string]any{"token": token,
		"refund_method": "original_payment", "items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "damaged"}}}})
	if code != http.StatusUnprocessableEntity || errorCode(m) != "photo_required" {
		t.Errorf("json without photo: %d %v", code, m)
	}
	send := func(fields url.Values, files ...[3]string) (int, map[string]any) {
		ct, body := multipartBody(t, fields, files...)
		res := a.do(request{method: "POST", path: "/api/v1/returns", body: body, header: map[string]string{"Content-Type": ct}})
		var m map[string]any
		_ = json.Unmarshal(res.Body.Bytes(), &m)
		return res.Code, m
	}
	if code, m := send(req("damaged"), [3]string{"photos.L1", "a.svg", "<svg/>"}); code != http.StatusUnsupportedMediaType || errorCode(m) != "photo_type" {
		t.Errorf("svg: %d %v", code, m)
	}
	big := append(testJPEG(t, 8, 8), make([]byte, maxPhotoBytes)...)
	if code, m := send(req("damaged"), [3]string{"photos.L1", "a.jpg", string(big)}); code != http.StatusRequestEntityTooLarge {
		t.Errorf("9 MB photo: %d %v", code, m)
	}
	code, m = send(req("damaged"), [3]string{"photos.L1", "../x.jpg", string(withExif(testJPEG(t, 20, 20)))})
	if code != http.StatusCreated {
		t.Fatalf("multipart create: %d %v", code, m)
	}
	photos, err := a.st.ReturnPhotos(context.Background(), m["rma"].(string))
	if err != nil || len(photos) != 1 || photos[0].Width != 20 {
		t.Errorf("stored: %v %v", photos, err)
	}
	// An optional photo with a reason that needs none is fine too.
	if code, m := send(req("wrong_size"), [3]string{"photos.L1", "a.png", string(testPNG(t, 4, 4))}); code != http.StatusCreated {
		t.Errorf("optional photo: %d %v", code, m)
	}
}

// Nobody without a valid token gets a photo read or decoded: the token is
// checked before the first photo. The body here is over the upload cap
// (six photos of 8 MB): read first, it would be refused with 413 at the cap;
// with the token checked first, the answer is the token's 404 (or 400 for a
// file sent before any field), decided when the first photo part begins
// (the rest of the body is then only drained, so that a browser still
// sending gets the answer).
func TestPhotosNeedTheTokenFirst(t *testing.T) {
	a := newTestApp(t)
	photo := string(append(testJPEG(t, 8, 8), make([]byte, maxPhotoBytes-1024)...))
	files := make([][3]string, 6)
	for i := range files {
		files[i] = [3]string{"photos.L1", "x.jpg", photo}
	}
	forged, _ := json.Marshal(map[string]any{"token": "forged.token", "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "damaged"}}})
	for name, tc := range map[string]struct {
		fields url.Values
		status int
		code   string
	}{
		"forged token":              {url.Values{"request": {string(forged)}}, http.StatusNotFound, "token_invalid"},
		"the file before any field": {url.Values{}, http.StatusBadRequest, "invalid_json"},
	} {
		ct, body := multipartBody(t, tc.fields, files...)
		if len(body) <= maxUploadBytes {
			t.Fatalf("body of %d bytes is not over the cap", len(body))
		}
		// Streamed without a Content-Length, so that the cap is met only
		// while reading.
		req := httptest.NewRequest("POST", "/api/v1/returns", bytes.NewReader(body))
		req.ContentLength = -1
		req.Header.Set("Content-Type", ct)
		res := httptest.NewRecorder()
		a.e.ServeHTTP(res, req)
		if res.Code != tc.status || !strings.Contains(res.Body.String(), `"`+tc.code+`"`) {
			t.Errorf("API, %s: %d %s", name, res.Code, res.Body)
		}
	}
	ct, body := multipartBody(t, url.Values{"t": {"forged.token"}}, files...)
	if p := a.postMultipart("/returns", ct, bytes.NewReader(body), -1); p.res.Code != http.StatusNotFound {
		t.Errorf("portal, forged token: %d", p.res.Code)
	}
}
