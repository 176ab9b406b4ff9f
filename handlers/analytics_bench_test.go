package handlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/returns-portal/returns/internal/benchdata"
	"github.com/returns-portal/returns/service"
)

// BenchmarkAnalytics measures the server time of every report page
// (GET /admin/analytics/{report} through the Echo app: session, filters,
// the report tables' queries, charts and rendering) on the million-return
// database, for the default range (the last 90 days) and each filter, a
// year and the whole two years; and the JSON API's overview. `make
// bench-admin` runs it; the budget is 100 ms a page.
func BenchmarkAnalytics(b *testing.B) {
	a, s, _ := benchAdminApp(b)
	for _, c := range benchdata.AnalyticsCases() {
		for _, report := range service.Reports {
			b.Run(report+"/"+c.Name, func(b *testing.B) {
				benchAnalyticsPage(b, a, s, "/admin/analytics/"+report, c.Query)
			})
		}
	}
	b.Run("api/overview", func(b *testing.B) {
		key := benchAPIKey(b, a)
		b.ReportAllocs()
		for b.Loop() {
			if res := a.do(request{method: "GET", path: "/api/v1/analytics/overview", header: map[string]string{"Authorization": "Bearer " + key}}); res.Code != http.StatusOK {
				b.Fatalf("api: %d %s", res.Code, res.Body)
			}
		}
	})
}

func benchAPIKey(b *testing.B, a *testApp) string {
	b.Helper()
	key, err := a.st.CreateAPIKey(b.Context(), "bench", []string{"returns:read"})
	if err != nil {
		b.Fatal(err)
	}
	return key
}

// benchAnalyticsPage requests a report page as the logged-in client, timing
// only the server, and checks that it shows figures.
func benchAnalyticsPage(b *testing.B, a *testApp, s *staffClient, path string, q url.Values) {
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var cookies []*http.Cookie
	for k, v := range s.cookies {
		cookies = append(cookies, &http.Cookie{Name: k, Value: v})
	}
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		req.RemoteAddr = s.remote
		rec := httptest.NewRecorder()
		a.e.ServeHTTP(rec, req)
		return rec
	}
	rec := serve()
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	if !bytes.Contains(rec.Body.Bytes(), []byte(`data-testid="row-`)) {
		b.Fatalf("GET %s: no table rows", path)
	}
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if rec := serve(); rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
	// The process's CPU time per page besides the wall time: on a machine
	// that other work keeps busy, the wall time measures the others too.
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
