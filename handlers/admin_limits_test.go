package handlers

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// rawPost sends body to path with the member's cookies, same-origin
// headers and the CSRF token in the form only; chunked leaves the length
// unknown (as a streaming client would), so that only the reader's limit
// can stop it.
func (s *staffClient) rawPost(path, contentType string, body []byte, chunked bool) int {
	s.a.t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // hides the length from httptest
	}
	req := httptest.NewRequest(http.MethodPost, path, r)
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://example.com")
	for k, v := range s.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	req.RemoteAddr = s.remote
	rec := httptest.NewRecorder()
	s.a.e.ServeHTTP(rec, req)
	return rec.Code
}

// TestAdminBodyLimit: the staff area's body limit applies before the CSRF
// check parses the form, so a 2 MB form is refused with 413 (whether its
// length is announced or not) and changes nothing; only the policy's
// routes take more than a form's 64 KB.
func TestAdminBodyLimit(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	ctx := context.Background()
	agent := a.staff().login(store.RoleAgent)
	admin := a.staff().login(store.RoleAdmin)
	big := strings.Repeat("x", 2<<20)
	urlencoded := func(s *staffClient, field string) []byte {
		return []byte(url.Values{"csrf": {s.csrf}, field: {big}}.Encode())
	}
	multi := func(s *staffClient, field string) ([]byte, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("csrf", s.csrf)
		_ = w.WriteField(field, big)
		_ = w.Close()
		return b.Bytes(), w.FormDataContentType()
	}
	for _, chunked := range []bool{false, true} {
		if code := agent.rawPost("/admin/returns/"+rma+"/notes", "application/x-www-form-urlencoded",
			urlencoded(agent, "body"), chunked); code != http.StatusRequestEntityTooLarge {
			t.Errorf("note, chunked %v: %d", chunked, code)
		}
		body, ct := multi(agent, "body")
		if code := agent.rawPost("/admin/returns/"+rma+"/notes", ct, body, chunked); code != http.StatusRequestEntityTooLarge {
			t.Errorf("multipart note, chunked %v: %d", chunked, code)
		}
		if code := admin.rawPost("/admin/settings", "application/x-www-form-urlencoded",
			urlencoded(admin, "merchant_name"), chunked); code != http.StatusRequestEntityTooLarge {
			t.Errorf("settings, chunked %v: %d", chunked, code)
		}
	}
	x, err := a.st.ReturnExtras(ctx, rma)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Notes) != 0 {
		t.Errorf("%d notes stored", len(x.Notes))
	}
	if v, err := a.st.Setting(ctx, service.SettingMerchantName); err == nil && len(v) > 1000 {
		t.Error("merchant name stored")
	}
	// A small form still works, and the policy import takes more than a
	// form (a 200 KB document is judged, not refused for its size).
	if res := agent.post("/admin/returns/"+rma+"/notes", url.Values{"body": {"fine"}}); res.res.Code != http.StatusSeeOther {
		t.Errorf("small note: %d", res.res.Code)
	}
	doc := url.Values{"csrf": {admin.csrf}, "document": {`{"x":"` + strings.Repeat("y", 200<<10) + `"}`}}.Encode()
	if code := admin.rawPost("/admin/policy/import", "application/x-www-form-urlencoded", []byte(doc), true); code == http.StatusRequestEntityTooLarge || code == http.StatusForbidden {
		t.Errorf("200 KB policy import: %d", code)
	}
	if code := admin.rawPost("/admin/policy/import", "application/x-www-form-urlencoded", urlencoded(admin, "document"), true); code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB policy import: %d", code)
	}
}
