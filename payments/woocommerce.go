package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// wooCannotRefund is WooCommerce's error code when a refund could not be
// created, the gateway's refusal included (HTTP 500).
const wooCannotRefund = "woocommerce_rest_cannot_create_order_refund"

// wooRefundMeta is the meta_data key under which the portal's refund id is
// stored with each WooCommerce refund it creates.
const wooRefundMeta = "_returns_portal_refund_id"

// woocommerce refunds through the REST API: POST
// /wp-json/wc/v3/orders/{id}/refunds with amount, line_items and
// api_refund true (the payment gateway pays the money back). WooCommerce
// has no idempotency key, so the portal's refund id goes into the refund's
// meta_data, and a repeated call first lists the order's refunds and
// returns the one it made before.
type woocommerce struct {
	cfg WooCommerceConfig
	hc  *http.Client
}

type wooRefund struct {
	ID       int64  `json:"id"`
	Reason   string `json:"reason"`
	MetaData []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	} `json:"meta_data"`
}

func (w *woocommerce) Refund(ctx context.Context, r Request) (Result, error) {
	orderID := numericID(r.Payment.Reference)
	if orderID == "" {
		return Result{}, &ProviderError{Code: "no_payment_reference", Message: "the order has no WooCommerce order id"}
	}
	path := "/wp-json/wc/v3/orders/" + orderID + "/refunds"
	var earlier []wooRefund
	if err := w.do(ctx, http.MethodGet, path+"?per_page=100", nil, &earlier); err != nil {
		return Result{}, err
	}
	for _, f := range earlier {
		if f.madeFor(r.RefundID) {
			return wooResult(f.ID), nil
		}
	}
	body, err := wooRefundBody(r)
	if err != nil {
		return Result{}, err
	}
	var created wooRefund
	if err := w.do(ctx, http.MethodPost, path, body, &created); err != nil {
		return Result{}, err
	}
	if created.ID == 0 {
		return Result{}, fmt.Errorf("woocommerce: refund created without an id")
	}
	return wooResult(created.ID), nil
}

// wooRefundBody is the create request's body: amount (a decimal string,
// which takes precedence over the lines' totals), the lines with their
// quantities and refund_total (a JSON number, without tax, as WooCommerce
// documents it), api_refund true (the gateway pays back), api_restock for
// items inspected resellable, and our refund id in meta_data and in the
// reason (the order.updated webhook lists refunds with their reason only:
// platforms.ParseWooCommerce skips ours by it).
func wooRefundBody(r Request) (map[string]any, error) {
	amount, err := decimal(r.Amount, r.Currency)
	if err != nil {
		return nil, err
	}
	restock := false
	var items []map[string]any
	for _, l := range r.Lines {
		id, err := strconv.ParseInt(l.LineID, 10, 64)
		if err != nil || l.Quantity <= 0 {
			continue
		}
		net, err := decimal(l.Amount-min(max(l.Tax, 0), l.Amount), r.Currency)
		if err != nil {
			return nil, err
		}
		items = append(items, map[string]any{"id": id, "quantity": l.Quantity, "refund_total": json.Number(net)})
		restock = restock || l.Restock
	}
	body := map[string]any{"amount": amount, "api_refund": true, "api_restock": restock,
		"reason":    "Return " + r.RMA + " (" + RefundNotePrefix + r.RefundID + ")",
		"meta_data": []map[string]any{{"key": wooRefundMeta, "value": r.RefundID}}}
	if len(items) > 0 {
		body["line_items"] = items
	}
	return body, nil
}

// madeFor reports whether a listed refund is the one the portal made for
// its refund id: by the meta_data entry, or by the reason where a plugin
// hides our meta.
func (f wooRefund) madeFor(refundID string) bool {
	for _, m := range f.MetaData {
		if m.Key == wooRefundMeta && fmt.Sprint(m.Value) == refundID {
			return true
		}
	}
	return strings.Contains(f.Reason, "("+RefundNotePrefix+refundID+")")
}

func wooResult(id int64) Result {
	s := strconv.FormatInt(id, 10)
	return Result{ProviderRefundID: s, Reference: "woocommerce:" + s}
}

// do sends one REST request with the key pair as HTTP Basic credentials
// (WooCommerce's scheme over HTTPS) and decodes the answer. WooCommerce's
// error body {"code","message","data":{"status"}} on a 4xx, and on a 500
// that says the refund could not be created, is a ProviderError; other
// 5xx and 429 leave the outcome unknown.
func (w *woocommerce) do(ctx context.Context, method, path string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(w.cfg.URL, "/")+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(w.cfg.Key, w.cfg.Secret)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	status, raw, err := callProvider(w.hc, req, "woocommerce", out)
	if err != nil || status < 300 {
		return err
	}
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	decoded := json.Unmarshal(raw, &e) == nil && e.Code != ""
	switch {
	case decoded && e.Code == wooCannotRefund:
		// WooCommerce deletes the refund it began when the gateway
		// refuses, and answers 500 with this code: a refusal, not an
		// outage.
		return &ProviderError{Code: e.Code, Message: e.Message}
	case status == http.StatusTooManyRequests || status >= 500:
		return fmt.Errorf("woocommerce: HTTP %d", status)
	case !decoded:
		return &ProviderError{Code: fmt.Sprintf("http_%d", status),
			Message: "WooCommerce answered HTTP " + strconv.Itoa(status)}
	}
	return &ProviderError{Code: e.Code, Message: e.Message}
}
