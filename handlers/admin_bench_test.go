package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/returns-portal/returns/internal/benchdata"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// benchAdminApp opens the large benchmark database (building it once; on
// PostgreSQL, copying it once) as the real app, with the generator's clock,
// and logs in as an agent.
func benchAdminApp(b *testing.B) (*testApp, *staffClient, benchdata.Info) {
	b.Helper()
	st, info := benchdata.Open(b)
	a := &testApp{t: b, st: st, clock: benchdata.Now}
	a.e = wire(b, service.Config{Store: st, Now: a.now}, Config{BaseURL: "https://returns.example"})
	s := a.staff()
	if res := s.tryLogin("agent@example.com", benchdata.Password); res.res.Code != http.StatusSeeOther {
		b.Fatalf("login: %d %s", res.res.Code, res.res.Body)
	}
	return a, s, info
}

// BenchmarkAdminQueue measures the server time of the staff queue page
// (GET /admin/returns through the Echo app: session, store queries, counts,
// rendering) on a million returns, for each filter and a keyset page 2.
func BenchmarkAdminQueue(b *testing.B) {
	a, s, info := benchAdminApp(b)
	_, cursor, err := a.st.Queue(context.Background(), store.QueueFilter{Now: benchdata.Now, Limit: 50})
	if err != nil || cursor == "" {
		b.Fatal("no page 2: ", err)
	}
	mid := benchdata.Middle()
	_, deep, err := a.st.Queue(context.Background(), store.QueueFilter{Now: benchdata.Now, Limit: 50, To: &mid})
	if err != nil || deep == "" {
		b.Fatal("no deep cursor: ", err)
	}
	for _, c := range benchdata.QueueCases(info) {
		b.Run(c.Name, func(b *testing.B) {
			benchQueuePage(b, a, s, c.Query, c.MinRows)
		})
	}
	b.Run("page2", func(b *testing.B) {
		benchQueuePage(b, a, s, url.Values{"cursor": {cursor}}, 50)
	})
	b.Run("page_deep", func(b *testing.B) {
		benchQueuePage(b, a, s, url.Values{"cursor": {deep}}, 50)
	})
}

// benchQueuePage requests the queue with q as the logged-in client, timing
// only the server (ServeHTTP), and checks that rows came back.
func benchQueuePage(b *testing.B, a *testApp, s *staffClient, q url.Values, minRows int) {
	path := "/admin/returns"
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
	if got := bytes.Count(rec.Body.Bytes(), []byte(`data-testid="queue-row"`)); got < minRows {
		b.Fatalf("GET %s: %d rows, want at least %d", path, got, minRows)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(); rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
}
