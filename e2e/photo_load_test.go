package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The photo uploads' cost, measured on the real binary as `make run`
// starts it, built without the race detector (which multiplies memory), in
// a process of its own whose peak resident memory (VmHWM in
// /proc/<pid>/status) is the measure. Issue 10's repro: three concurrent
// requests of five 40-megapixel PNGs each took 1.28 GB.

// megaPNG is a PNG of 8000 × 5000 px (40 megapixels, the most one photo
// may have) that compresses to about a megabyte: decoding it costs what any
// 40-megapixel PNG costs (every pixel is inflated and unfiltered), while the
// request stays far below the upload cap.
var megaPNG = sync.OnceValues(func() ([]byte, error) {
	const w, h = 8000, 5000
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := range w {
			row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = uint8(x*255/w), uint8(y*255/h), uint8((x/64+y/64)%2*200), 255
		}
	}
	var b bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img)
	return b.Bytes(), err
})

// photoStorm is what one run of concurrent maximal uploads cost.
type photoStorm struct {
	peakRSS  int64 // bytes, the server's VmHWM after the run
	wall     time.Duration
	cpu      time.Duration // the server's CPU time (user + system) for the run
	statuses []int
	codes    []string
}

// runPhotoStorm sends `requests` concurrent returns, each of one damaged
// item with `photos` 40-megapixel PNGs, to a freshly started portal (bin,
// with the lookup limits off so that benchmark runs are not throttled).
func runPhotoStorm(tb testing.TB, bin string, requests, photos int) photoStorm {
	tb.Helper()
	photo, err := megaPNG()
	if err != nil {
		tb.Fatal(err)
	}
	p := startBinary(tb, bin, "--lookup-limit-ip", "0", "--lookup-limit-order", "0")
	bodies := make([][]byte, requests)
	types := make([]string, requests)
	for i := range requests {
		token := p.orderWithOneItem(tb, "PHOTO-"+strconv.Itoa(i+1))
		types[i], bodies[i] = damagedWithPhotos(tb, token, photo, photos)
	}
	out := photoStorm{statuses: make([]int, requests), codes: make([]string, requests)}
	var wg sync.WaitGroup
	cpuBefore := cpuTime(tb, p.Pid)
	start := time.Now()
	for i := range requests {
		wg.Go(func() {
			res, err := http.Post("http://"+p.Addr+"/api/v1/returns", types[i], bytes.NewReader(bodies[i]))
			if err != nil {
				out.codes[i] = err.Error()
				return
			}
			defer res.Body.Close()
			var m struct {
				Error struct{ Code string } `json:"error"`
			}
			_ = json.NewDecoder(res.Body).Decode(&m)
			out.statuses[i], out.codes[i] = res.StatusCode, m.Error.Code
		})
	}
	wg.Wait()
	out.wall = time.Since(start)
	out.cpu = cpuTime(tb, p.Pid) - cpuBefore
	out.peakRSS = peakRSS(tb, p.Pid)
	return out
}

// orderWithOneItem pushes an order of one delivered T-shirt (API key) and
// looks it up (the shopper's token).
func (p *portal) orderWithOneItem(tb testing.TB, number string) string {
	tb.Helper()
	now := time.Now().UTC()
	order := map[string]any{
		"email": "photo@example.com", "customer_name": "Ana Photo", "locale": "de-DE", "currency": "EUR",
		"placed_at": now.AddDate(0, 0, -6), "shipped_at": now.AddDate(0, 0, -5), "delivered_at": now.AddDate(0, 0, -3),
		"shipping_address": map[string]any{"name": "Ana Photo", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117", "country": "DE"},
		"payment":          map[string]any{"method": "card", "provider": "stripe", "reference": "pi_" + number},
		"lines": []any{map[string]any{"id": "L1", "sku": "TEE", "name": "T-shirt", "quantity": 1, "unit_price": 2500,
			"tax": 399, "category": "apparel", "hs_code": "610910", "origin_country": "PT", "weight_grams": 200}},
	}
	b, _ := json.Marshal(order)
	req, _ := http.NewRequest("PUT", "http://"+p.Addr+"/api/v1/orders/"+number, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		tb.Fatalf("PUT order %s: %d", number, res.StatusCode)
	}
	m := p.postJSON(tb, "/api/v1/returns/lookup", map[string]string{"order_number": number, "email": "photo@example.com"})
	return m["token"].(string)
}

// damagedWithPhotos is the multipart body of a return of L1 as damaged,
// with n copies of photo.
func damagedWithPhotos(tb testing.TB, token string, photo []byte, n int) (string, []byte) {
	tb.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	req, _ := json.Marshal(map[string]any{"token": token, "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "damaged"}}})
	if err := w.WriteField("request", string(req)); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		f, err := w.CreateFormFile("photos.L1", fmt.Sprintf("damage-%d.png", i))
		if err != nil {
			tb.Fatal(err)
		}
		f.Write(photo)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

// peakRSS is a process's peak resident set size (VmHWM), in bytes.
func peakRSS(tb testing.TB, pid int) int64 {
	tb.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return kb << 10
		}
	}
	tb.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// cpuTime is a process's CPU time so far, user and system (/proc/<pid>/stat
// fields 14 and 15, in clock ticks of 1/100 s, Linux's USER_HZ): on a
// machine others share, a steadier measure of the work than wall time.
func cpuTime(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		tb.Fatal(err)
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		tb.Fatalf("/proc/%d/stat: %s", pid, b)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// BenchmarkPhotoUploadMemory measures three concurrent maximal uploads:
// "attack", the repro (five 40-megapixel PNGs per request), and
// "largest-accepted" (three of them: 120 megapixels, the request's pixel
// budget). Each iteration starts a fresh server, so that its VmHWM is the
// run's alone; run it once:
//
//	go test -run '^$' -bench PhotoUploadMemory -benchtime 1x ./e2e/
//
// PHOTO_BENCH_BIN measures another build of the command instead (say, the
// one before these limits).
func BenchmarkPhotoUploadMemory(b *testing.B) {
	bin := os.Getenv("PHOTO_BENCH_BIN")
	if bin == "" {
		bin = buildPortal(b, false)
	}
	for _, bc := range []struct {
		name   string
		photos int
	}{{"attack", 5}, {"largest-accepted", 3}} {
		b.Run(bc.name, func(b *testing.B) {
			var worst photoStorm
			for range b.N {
				st := runPhotoStorm(b, bin, 3, bc.photos)
				if st.peakRSS > worst.peakRSS {
					worst.peakRSS = st.peakRSS
				}
				worst.wall = max(worst.wall, st.wall)
				worst.cpu = max(worst.cpu, st.cpu)
				worst.statuses, worst.codes = st.statuses, st.codes
			}
			b.ReportMetric(float64(worst.peakRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(worst.wall.Seconds(), "wall-s")
			b.ReportMetric(worst.cpu.Seconds(), "server-CPU-s")
			b.Logf("%s: answers %v %v, peak RSS %d MB, wall %s, server CPU %s", bc.name, worst.statuses, worst.codes,
				worst.peakRSS>>20, worst.wall.Round(time.Millisecond), worst.cpu)
		})
	}
}
