package carriers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Limits of the platforms' answers.
const (
	// maxJSON bounds a JSON answer (a shipment with its rates is a few kB).
	maxJSON = 4 << 20
	// maxDocument bounds a downloaded label, QR code or customs document.
	maxDocument = 10 << 20
	// callTimeout bounds one call to a platform.
	callTimeout = 30 * time.Second
)

// client calls one platform's API with basic authentication.
type client struct {
	provider   string
	base       *url.URL
	user, pass string
	http       *http.Client
}

func newClient(provider, apiURL, user, pass string) (*client, error) {
	u, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("carriers: %s API URL %q: want an http(s) URL without credentials", provider, apiURL)
	}
	return &client{provider: provider, base: u, user: user, pass: pass,
		http: &http.Client{Timeout: callTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			// A redirect would carry the credentials elsewhere.
			return http.ErrUseLastResponse
		}}}, nil
}

// do sends a request to path (under the API URL) with a JSON body (nil:
// none) and decodes a 2xx JSON answer into out (nil: ignored). A non-2xx
// answer is an *Error whose code and message decode decodes from the body.
func (c *client) do(ctx context.Context, method, path string, body, out any, decode func([]byte) (code, msg string)) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.user, c.pass)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return &Error{Provider: c.provider, Message: err.Error(), Temporary: true}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxJSON+1))
	if err != nil {
		return &Error{Provider: c.provider, Status: res.StatusCode, Message: err.Error(), Temporary: true}
	}
	if len(b) > maxJSON {
		return &Error{Provider: c.provider, Status: res.StatusCode, Message: "answer too large"}
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		e := &Error{Provider: c.provider, Status: res.StatusCode, Temporary: retryable(res.StatusCode)}
		if decode != nil {
			e.Code, e.Message = decode(b)
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("carriers: %s %s %s: %w", c.provider, method, path, err)
	}
	return nil
}

// retryable reports whether an HTTP status is worth trying again: too many
// requests, and the server's own failures.
func retryable(status int) bool { return status == http.StatusTooManyRequests || status >= 500 }

// download fetches a document (a label, a form) by URL. The URL comes
// from the platform's answer: it must be https, or on the API's own origin
// (a test server); authenticated when it is on the API's origin
// (Sendcloud's documents), anonymous elsewhere (EasyPost's file storage).
// accept names the format wanted ("" any).
func (c *client) download(ctx context.Context, raw, accept string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, &Error{Provider: c.provider, Message: "document URL " + raw + " is not absolute"}
	}
	sameOrigin := u.Scheme == c.base.Scheme && u.Host == c.base.Host
	if u.Scheme != "https" && !sameOrigin {
		return nil, &Error{Provider: c.provider, Message: "document URL " + raw + " is not https"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if sameOrigin {
		req.SetBasicAuth(c.user, c.pass)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, &Error{Provider: c.provider, Message: err.Error(), Temporary: true}
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, &Error{Provider: c.provider, Status: res.StatusCode, Message: "document download failed",
			Temporary: retryable(res.StatusCode)}
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxDocument+1))
	if err != nil {
		return nil, &Error{Provider: c.provider, Message: err.Error(), Temporary: true}
	}
	if len(b) > maxDocument {
		return nil, &Error{Provider: c.provider, Message: "document too large"}
	}
	return b, nil
}

// isPDF reports whether b starts like a PDF file.
func isPDF(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-")) }

// isNotFound reports whether err is the platform's 404.
func isNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}
