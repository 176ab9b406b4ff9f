package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Refunder pays a return back. It runs inside the transaction that records
// the refund (store.Refund), so an error records nothing. An implementation
// that calls a payment provider must pass RefundOrder.IdempotencyKey to it,
// so that a retried call is still one payment.
type Refunder interface {
	Refund(ctx context.Context, o RefundOrder) (RefundReceipt, error)
}

// RefundOrder is what a Refunder is asked to pay.
type RefundOrder struct {
	RefundID       string
	IdempotencyKey string
	RMA            string
	OrderNumber    string
	Payment        returns.Payment
	BankIBAN       string
	Decision       returns.RefundDecision
}

// RefundReceipt is what a Refunder did: a provider's reference, or the code
// of the store credit it issued.
type RefundReceipt struct {
	Reference  string
	CreditCode string
}

// RecordRefunder is the built-in Refunder: it moves no money. It records
// the refund for the merchant to execute in their payment provider (the
// reference says so) and issues store credit as a random code worth the
// amount plus the bonus.
type RecordRefunder struct{}

// Refund implements Refunder.
func (RecordRefunder) Refund(_ context.Context, o RefundOrder) (RefundReceipt, error) {
	if o.Decision.Method == returns.MethodStoreCredit {
		code, err := creditCode()
		return RefundReceipt{CreditCode: code, Reference: "store_credit"}, err
	}
	return RefundReceipt{Reference: "manual:" + o.Decision.Method}, nil
}

// creditCode is a store-credit code such as "SC-7K3P-9XQ2-M4TZ" (60 random
// bits in Crockford base32).
func creditCode() (string, error) {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var s strings.Builder
	s.WriteString("SC")
	for i, c := range b {
		if i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[c&31])
	}
	return s.String(), nil
}

// newIdempotencyKey is the refund form's key, fresh on every render.
func newIdempotencyKey() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "form_" + base64.RawURLEncoding.EncodeToString(b), nil
}

var (
	errIdempotencyKeyRequired = &apiError{Status: http.StatusBadRequest, Code: "idempotency_key_required"}
	errIdempotencyKeyReused   = &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused"}
	errAlreadyRefunded        = &apiError{Status: http.StatusConflict, Code: "already_refunded"}
)

// refundView is the refund in API answers.
type refundView struct {
	ID         string `json:"id"`
	Amount     int64  `json:"amount"`
	Bonus      int64  `json:"bonus,omitempty"`
	Goodwill   int64  `json:"goodwill,omitempty"`
	Currency   string `json:"currency"`
	Method     string `json:"method"`
	CreditCode string `json:"credit_code,omitempty"`
}

// refund pays a return back exactly once for an idempotency key and a hash
// of the request: the store's transaction replays a known key, refuses it
// with another request, refuses a second refund of the return, and
// otherwise decides (returns.DecideRefund), pays (the Refunder) and records.
// It returns the response body and whether it is a replay.
func (a *admin) refund(c echo.Context, rma, key, requestHash string) ([]byte, error) {
	if key == "" || len(key) > 255 {
		return nil, errIdempotencyKeyRequired
	}
	ctx := c.Request().Context()
	body, _, err := a.st.Refund(ctx, store.RefundRequest{RMA: rma, Key: key, RequestHash: requestHash, Actor: a.actor(c)},
		func(r returns.Return, o returns.Order, refundID string, earlier int64) (store.RefundRecord, error) {
			d, err := returns.DecideRefund(r)
			if err != nil {
				return store.RefundRecord{}, err
			}
			// Before any money moves: the rules' amount stays within what
			// was paid; goodwill and bonus are recorded on top.
			if err := returns.CheckRefundCap(o, earlier, d); err != nil {
				return store.RefundRecord{}, err
			}
			rc, err := a.refunder.Refund(ctx, RefundOrder{RefundID: refundID, IdempotencyKey: key, RMA: r.RMA,
				OrderNumber: o.Number, Payment: o.Payment, BankIBAN: r.BankIBAN, Decision: d})
			if err != nil {
				return store.RefundRecord{}, err
			}
			resp, err := json.Marshal(map[string]any{"rma": r.RMA, "status": d.Status, "refund": refundView{
				ID: refundID, Amount: d.Amount, Bonus: d.Bonus, Goodwill: d.Goodwill, Currency: d.Currency,
				Method: d.Method, CreditCode: rc.CreditCode}})
			if err != nil {
				return store.RefundRecord{}, err
			}
			return store.RefundRecord{Amount: d.Amount, Bonus: d.Bonus, Goodwill: d.Goodwill, Currency: d.Currency, Method: d.Method,
				Status: d.Status, CreditCode: rc.CreditCode, Reference: rc.Reference, Response: resp}, nil
		})
	switch {
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return nil, errIdempotencyKeyReused
	case errors.Is(err, returns.ErrTransition), errors.Is(err, store.ErrConflict):
		return nil, errAlreadyRefunded
	}
	var de *returns.Error
	if errors.As(err, &de) && (de.Code == returns.CodeNotInspected || de.Code == returns.CodeNothingToRefund ||
		de.Code == returns.CodeRefundExceedsPaid) {
		return nil, &apiError{Status: http.StatusConflict, Code: de.Code}
	}
	return body, err
}

// requestHash identifies a refund request: the return and the canonical
// JSON of the body (re-encoded, so that whitespace and key order do not
// matter).
func requestHash(rma string, body []byte) (string, error) {
	canon := []byte("{}")
	if len(bytes.TrimSpace(body)) > 0 {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return "", errInvalidJSON
		}
		if _, ok := v.(map[string]any); !ok {
			return "", errInvalidJSON
		}
		var err error
		if canon, err = json.Marshal(v); err != nil {
			return "", err
		}
	}
	sum := sha256.Sum256(append([]byte(rma+"\n"), canon...))
	return hex.EncodeToString(sum[:]), nil
}

// refundSubmit is the refund button: its form carries the page's
// idempotency key, so a double click or two agents on the same page make
// one refund, and the UNIQUE constraints refuse a second one in any case.
func (a *admin) refundSubmit(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	hash, err := requestHash(rma, nil)
	if err != nil {
		return err
	}
	if _, err := a.refund(c, rma, c.FormValue("idempotency_key"), hash); err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.Status < 500 {
			return a.renderReturn(c, ae.Status, rma, a.errorMessage(a.localizer(c), ae))
		}
		return err
	}
	return seeOther(c, "/admin/returns/"+rma+"#refund-h")
}

// apiRefund is POST /api/v1/returns/:rma/refund with an Idempotency-Key
// header: 201 with the refund, the same body for a replay.
func (a *admin) apiRefund(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	if ct := c.Request().Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type"}
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err, "invalid_request")
	}
	hash, err := requestHash(rma, raw)
	if err != nil {
		return err
	}
	body, err := a.refund(c, rma, strings.TrimSpace(c.Request().Header.Get("Idempotency-Key")), hash)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, body)
}
