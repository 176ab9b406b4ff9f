package static

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"testing"
)

// TestScriptBudget: all the JavaScript the portal serves (htmx and the
// embed scripts) stays within 25 KB gzipped.
func TestScriptBudget(t *testing.T) {
	names, err := fs.Glob(Files, "*.js")
	if err != nil || len(names) < 3 {
		t.Fatalf("scripts %v %v", names, err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for _, n := range names {
		b, err := fs.ReadFile(Files, n)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(b)
	}
	zw.Close()
	t.Logf("%d scripts, %d bytes gzipped", len(names), buf.Len())
	if buf.Len() > 25*1024 {
		t.Errorf("JavaScript is %d bytes gzipped, over 25 KB", buf.Len())
	}
}
