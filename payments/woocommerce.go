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
	ID       int64 `json:"id"`
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
		for _, m := range f.MetaData {
			if m.Key == wooRefundMeta && fmt.Sprint(m.Value) == r.RefundID {
				return wooResult(f.ID), nil
			}
		}
	}
	amount, err := decimal(r.Amount, r.Currency)
	if err != nil {
		return Result{}, err
	}
	restock := false
	var items []map[string]any
	for _, l := range r.Lines {
		id, err := strconv.ParseInt(l.LineID, 10, 64)
		if err != nil || l.Quantity <= 0 {
			continue
		}
		total, err := decimal(l.Amount, r.Currency)
		if err != nil {
			return Result{}, err
		}
		items = append(items, map[string]any{"id": id, "quantity": l.Quantity, "refund_total": total})
		restock = restock || l.Restock
	}
	body := map[string]any{"amount": amount, "reason": "Return " + r.RMA, "api_refund": true,
		"api_restock": restock,
		"meta_data":   []map[string]any{{"key": wooRefundMeta, "value": r.RefundID}}}
	if len(items) > 0 {
		body["line_items"] = items
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

func wooResult(id int64) Result {
	s := strconv.FormatInt(id, 10)
	return Result{ProviderRefundID: s, Reference: "woocommerce:" + s}
}

// do sends one REST request with the key pair as HTTP Basic credentials
// (WooCommerce's scheme over HTTPS) and decodes the answer. WooCommerce's
// error body {"code","message","data":{"status"}} on a 4xx is a
// ProviderError; 429 and 5xx leave the outcome unknown.
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
	resp, err := w.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return fmt.Errorf("woocommerce: HTTP %d", resp.StatusCode)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &e) != nil || e.Code == "" {
			e.Code, e.Message = fmt.Sprintf("http_%d", resp.StatusCode), "WooCommerce answered HTTP "+strconv.Itoa(resp.StatusCode)
		}
		return &ProviderError{Code: e.Code, Message: e.Message}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("woocommerce: undecodable answer: %w", err)
	}
	return nil
}
