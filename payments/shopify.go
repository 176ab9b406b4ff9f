package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ShopifyAPIVersion is the Admin API version every call names (Shopify's
// current stable release; from it on refundCreate requires @idempotent).
const ShopifyAPIVersion = "2026-04"

// RefundNotePrefix starts the note of every refund the portal makes in a
// shop, followed by the portal's refund id: the shop's refunds/create
// webhook for it is then not counted as a refund made outside the portal.
const RefundNotePrefix = "returns-portal:"

// shopify refunds through the Admin GraphQL API: it reads the order's
// successful sale (or capture) transaction, then runs refundCreate with
// the refund line items (restocked at the configured location when
// inspected resellable), the shipping refund, one REFUND transaction of
// the amount against that sale, notify false (the portal sends its own
// e-mails), and @idempotent(key: refund id).
type shopify struct {
	cfg ShopifyConfig
	hc  *http.Client
}

const shopifyTransactionsQuery = `query RefundParent($id: ID!) {
  order(id: $id) {
    id
    transactions(first: 50) { id kind status gateway }
  }
}`

const shopifyRefundMutation = `mutation RefundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id }
    userErrors { field message }
  }
}`

func (s *shopify) endpoint() string {
	base := strings.TrimRight(s.cfg.APIURL, "/")
	if base == "" {
		base = "https://" + strings.TrimSuffix(s.cfg.Shop, "/")
	}
	return base + "/admin/api/" + ShopifyAPIVersion + "/graphql.json"
}

func (s *shopify) Refund(ctx context.Context, r Request) (Result, error) {
	orderID := shopifyGID("Order", r.Payment.Reference)
	if orderID == "" {
		return Result{}, &ProviderError{Code: "no_payment_reference", Message: "the order has no Shopify order id"}
	}
	var tx struct {
		Order *struct {
			Transactions []struct {
				ID, Kind, Status, Gateway string
			} `json:"transactions"`
		} `json:"order"`
	}
	if err := s.call(ctx, shopifyTransactionsQuery, map[string]any{"id": orderID}, &tx); err != nil {
		return Result{}, err
	}
	if tx.Order == nil {
		return Result{}, &ProviderError{Code: "order_not_found", Message: "Shopify knows no order " + orderID}
	}
	var parent, gateway string
	for _, t := range tx.Order.Transactions {
		if t.Status == "SUCCESS" && (t.Kind == "SALE" || t.Kind == "CAPTURE") {
			parent, gateway = t.ID, t.Gateway
			break
		}
	}
	if parent == "" {
		return Result{}, &ProviderError{Code: "no_refundable_transaction",
			Message: "the Shopify order has no successful sale or capture to refund"}
	}
	input, err := s.input(r, orderID, parent, gateway)
	if err != nil {
		return Result{}, err
	}
	var out struct {
		RefundCreate struct {
			Refund     *struct{ ID string } `json:"refund"`
			UserErrors []struct {
				Field   []string `json:"field"`
				Message string   `json:"message"`
			} `json:"userErrors"`
		} `json:"refundCreate"`
	}
	if err := s.call(ctx, shopifyRefundMutation, map[string]any{"input": input, "key": r.RefundID}, &out); err != nil {
		return Result{}, err
	}
	if ue := out.RefundCreate.UserErrors; len(ue) > 0 {
		msgs := make([]string, 0, len(ue))
		for _, e := range ue {
			msgs = append(msgs, e.Message)
		}
		return Result{}, &ProviderError{Code: "user_error", Message: strings.Join(msgs, "; ")}
	}
	if out.RefundCreate.Refund == nil {
		return Result{}, fmt.Errorf("shopify: refundCreate answered without a refund")
	}
	id := out.RefundCreate.Refund.ID
	return Result{ProviderRefundID: id, Reference: "shopify:" + numericID(id)}, nil
}

// input is refundCreate's RefundInput for r.
func (s *shopify) input(r Request, orderID, parent, gateway string) (map[string]any, error) {
	amount, err := decimal(r.Amount, r.Currency)
	if err != nil {
		return nil, err
	}
	var items []map[string]any
	for _, l := range r.Lines {
		id := shopifyGID("LineItem", l.LineID)
		if id == "" || l.Quantity <= 0 {
			continue
		}
		it := map[string]any{"lineItemId": id, "quantity": l.Quantity, "restockType": "NO_RESTOCK"}
		if l.Restock && s.cfg.LocationID != "" {
			it["restockType"] = "RETURN"
			it["locationId"] = shopifyGID("Location", s.cfg.LocationID)
		}
		items = append(items, it)
	}
	in := map[string]any{
		"orderId":  orderID,
		"notify":   false,
		"note":     RefundNotePrefix + r.RefundID + " " + r.RMA,
		"currency": strings.ToUpper(r.Currency),
		"transactions": []map[string]any{{"orderId": orderID, "parentId": parent, "gateway": gateway,
			"kind": "REFUND", "amount": amount}},
	}
	if len(items) > 0 {
		in["refundLineItems"] = items
	}
	if r.Shipping > 0 {
		ship, err := decimal(r.Shipping, r.Currency)
		if err != nil {
			return nil, err
		}
		in["shipping"] = map[string]any{"amount": ship}
	}
	return in, nil
}

// call posts one GraphQL operation and decodes its data. Shopify's
// refusals of the request itself (bad token, missing scope, unknown field)
// are ProviderErrors; throttling and server errors leave the outcome
// unknown.
func (s *shopify) call(ctx context.Context, query string, vars map[string]any, data any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", s.cfg.Token)
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("shopify: HTTP %d", resp.StatusCode)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return &ProviderError{Code: "unauthorized", Message: "Shopify refused the access token (HTTP " +
			fmt.Sprint(resp.StatusCode) + "); check the token and its scopes"}
	case resp.StatusCode != http.StatusOK:
		return &ProviderError{Code: fmt.Sprintf("http_%d", resp.StatusCode), Message: "Shopify answered HTTP " +
			fmt.Sprint(resp.StatusCode)}
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("shopify: undecodable answer: %w", err)
	}
	if len(env.Errors) > 0 {
		e := env.Errors[0]
		if e.Extensions.Code == "THROTTLED" || e.Extensions.Code == "INTERNAL_SERVER_ERROR" {
			return fmt.Errorf("shopify: %s", e.Extensions.Code)
		}
		code := strings.ToLower(e.Extensions.Code)
		if code == "" {
			code = "graphql_error"
		}
		return &ProviderError{Code: code, Message: e.Message}
	}
	if err := json.Unmarshal(env.Data, data); err != nil {
		return fmt.Errorf("shopify: undecodable data: %w", err)
	}
	return nil
}

// shopifyGID is a Shopify global id of the given type from a gid or a
// numeric id; "" when ref is neither.
func shopifyGID(typ, ref string) string {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "gid://shopify/"+typ+"/") {
		return ref
	}
	if id := numericID(ref); id != "" && !strings.Contains(ref, "/") {
		return "gid://shopify/" + typ + "/" + id
	}
	return ""
}
