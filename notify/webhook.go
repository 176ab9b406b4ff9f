package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/returns-portal/returns/internal/netguard"
)

// Webhook deliveries follow the Standard Webhooks specification: a POST of
// the JSON body with the headers webhook-id (the same on every attempt),
// webhook-timestamp (the attempt's, Unix seconds) and webhook-signature,
// "v1," and the base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" under the
// endpoint's secret, one such signature per secret in force (space
// separated, during a rotation).

// Sign is the webhook-signature header for a delivery: one "v1,<base64>"
// per secret ("whsec_" and the base64 of the key), space-separated.
func Sign(secrets []string, id string, timestamp int64, body []byte) (string, error) {
	var sigs []string
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if err != nil || len(key) == 0 {
			return "", errors.New("notify: a webhook secret is not whsec_ and base64")
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
		m.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	}
	if len(sigs) == 0 {
		return "", errors.New("notify: no webhook secret")
	}
	return strings.Join(sigs, " "), nil
}

// WebhookTimeout bounds a delivery: connecting, sending and the answer.
const WebhookTimeout = 10 * time.Second

// maxAnswer is how much of an endpoint's answer is read (then dropped).
const maxAnswer = 64 << 10

// WebhookClient delivers webhooks over HTTP. Unless private addresses are
// allowed (for local testing), it connects only to public addresses,
// checked after DNS resolution for every address dialled (netguard), never
// through a proxy, and follows no redirect (a 3xx answer is a failure: the
// merchant should give the final URL).
type WebhookClient struct {
	http *http.Client
}

// NewWebhookClient makes the client; allowPrivate lifts the address check.
func NewWebhookClient(allowPrivate bool) *WebhookClient {
	dialer := &net.Dialer{Timeout: WebhookTimeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = netguard.Control
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          20,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   WebhookTimeout,
		ResponseHeaderTimeout: WebhookTimeout,
	}
	return &WebhookClient{http: &http.Client{
		Transport: transport,
		Timeout:   WebhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Delivery is one attempt at a webhook.
type Delivery struct {
	URL     string
	ID      string
	Secrets []string
	Body    []byte
	At      time.Time
}

// Answer is what an endpoint answered: its status (0 when none came) and
// how long it asked us to wait (Retry-After; 0 none).
type Answer struct {
	Status     int
	RetryAfter time.Duration
}

// Delivered: 2xx. Gone: 410, the endpoint wants no more deliveries.
func (a Answer) Delivered() bool { return a.Status >= 200 && a.Status < 300 }
func (a Answer) Gone() bool      { return a.Status == http.StatusGone }

// Deliver makes one attempt. An error means no answer came (refused
// address, connection, timeout); an answer that is not 2xx is no error.
func (c *WebhookClient) Deliver(ctx context.Context, d Delivery) (Answer, error) {
	ts := d.At.Unix()
	sig, err := Sign(d.Secrets, d.ID, ts, d.Body)
	if err != nil {
		return Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "returns-portal-webhooks/1")
	req.Header.Set("webhook-id", d.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := c.http.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("notify: deliver %s: %w", d.ID, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	return Answer{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), d.At)}, nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
