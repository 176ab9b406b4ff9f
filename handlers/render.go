package handlers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component through a buffer: a failed render becomes
// an error page instead of half a page. The buffers are reused: a page is
// tens of kilobytes, and growing a fresh buffer to that size for every
// request was a good part of the garbage a page made.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	// The length lets net/http send the page as it is instead of in
	// chunks. HTMLBlob copies the bytes into the response before it
	// returns.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// bufferedJSON is Echo's JSON serializer writing the whole document at
// once, with its length, from a pooled buffer: Echo's own encodes into the
// response, which net/http then sends in chunks (and a document that fails
// to encode half-way was half sent).
type bufferedJSON struct{ echo.DefaultJSONSerializer }

func (bufferedJSON) Serialize(c echo.Context, i any, indent string) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	enc := json.NewEncoder(buf)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	r := c.Response()
	if !r.Committed { // JSONP wrote its callback's name before
		r.Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	}
	_, err := r.Write(buf.Bytes())
	return err
}

var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps an unusually large page's buffer from staying in
// the pool.
const maxPooledBuffer = 256 << 10

func putPageBuffer(buf *bytes.Buffer) {
	if buf.Cap() > maxPooledBuffer {
		return
	}
	buf.Reset()
	pageBuffers.Put(buf)
}
