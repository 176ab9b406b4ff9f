package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
)

// TestAPIBodiesMustBeJSON: a POST or PUT of the JSON API with a body is
// application/json (or multipart/form-data where photos go up), else 415;
// an empty body needs no type. A cross-site form can send urlencoded,
// multipart or text/plain bodies without a preflight, never JSON.
func TestAPIBodiesMustBeJSON(t *testing.T) {
	a := newTestApp(t, withLimits(0, 0))
	lookup := `{"order_number":"` + demo.FeaturedOrder + `","email":"` + demo.Email + `"}`
	for _, tc := range []struct {
		name, method, path, ctype, body string
		auth                            bool
		chunked                         bool
		want                            int
	}{
		{"lookup as JSON", "POST", "/api/v1/returns/lookup", "application/json", lookup, false, false, 200},
		{"lookup as JSON with a charset", "POST", "/api/v1/returns/lookup", "application/json; charset=utf-8", lookup, false, false, 200},
		{"lookup without a type", "POST", "/api/v1/returns/lookup", "", lookup, false, false, 415},
		{"lookup as a form", "POST", "/api/v1/returns/lookup", "application/x-www-form-urlencoded", lookup, false, false, 415},
		{"lookup as text/plain (a cross-site form's)", "POST", "/api/v1/returns/lookup", "text/plain", lookup, false, false, 415},
		{"lookup as text/json", "POST", "/api/v1/returns/lookup", "text/json", lookup, false, false, 415},
		{"lookup as multipart", "POST", "/api/v1/returns/lookup", "multipart/form-data; boundary=x", "--x--\r\n", false, false, 415},
		{"lookup, a malformed type", "POST", "/api/v1/returns/lookup", "application/json; ===", lookup, false, false, 415},
		{"lookup chunked without a type", "POST", "/api/v1/returns/lookup", "", lookup, false, true, 415},
		{"lookup chunked as JSON", "POST", "/api/v1/returns/lookup", "application/json", lookup, false, true, 200},
		{"create as a form", "POST", "/api/v1/returns", "application/x-www-form-urlencoded", "token=x", false, false, 415},
		{"create as text/plain", "POST", "/api/v1/returns", "text/plain", `{"token":"x"}`, false, false, 415},
		{"create as multipart: read (the token is checked)", "POST", "/api/v1/returns", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n{\"token\":\"x\"}\r\n--x--\r\n", false, false, 404},
		{"order as a form", "PUT", "/api/v1/orders/T-1", "application/x-www-form-urlencoded", `{}`, true, false, 415},
		{"receive with an empty body and no type", "POST", "/api/v1/returns/R-0000-0000/receive", "", "", true, false, 404},
		{"receive, empty, as curl -d '' sends it", "POST", "/api/v1/returns/R-0000-0000/receive", "application/x-www-form-urlencoded", "", true, false, 404},
		{"receive, empty and chunked", "POST", "/api/v1/returns/R-0000-0000/receive", "", "", true, true, 404},
		{"receive with {} as a form (curl -d '{}')", "POST", "/api/v1/returns/R-0000-0000/receive", "application/x-www-form-urlencoded", "{}", true, false, 415},
		{"receive with {} as JSON", "POST", "/api/v1/returns/R-0000-0000/receive", "application/json", "{}", true, false, 404},
		{"refund as a form", "POST", "/api/v1/returns/R-0000-0000/refund", "application/x-www-form-urlencoded", "{}", true, false, 415},
		{"cancel without a body", "POST", "/api/v1/returns/R-0000-0000/cancel?token=x", "", "", false, false, 404},
	} {
		var body io.Reader = strings.NewReader(tc.body)
		if tc.chunked {
			body = io.MultiReader(strings.NewReader(tc.body)) // no length known
		}
		req := httptest.NewRequest(tc.method, tc.path, body)
		if tc.chunked {
			req.ContentLength = -1
		}
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		if tc.auth {
			req.Header.Set("Authorization", "Bearer "+a.key)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		a.e.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, rec.Code, tc.want, rec.Body)
		}
		if tc.want == http.StatusUnsupportedMediaType && !strings.Contains(rec.Body.String(), `"unsupported_media_type"`) {
			t.Errorf("%s: %s", tc.name, rec.Body)
		}
	}
}
